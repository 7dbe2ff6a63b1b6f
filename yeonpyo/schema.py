"""Field-level validation of YAML mappings, reporting `path:line: message` problems."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .dates import When, parse_when, parse_zone
from .problems import Problems, shown, suggestion
from .yamlio import LineDict

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SAFE_SCHEMES = ("http://", "https://")
_URL_CHARACTERS = re.compile(r"^https?://[^\s\x00-\x1f\x7f<>\"`{}|\\^]+$", re.IGNORECASE)


def base_url_problem(value: str) -> str | None:
    """Why `value` cannot be a site's base URL, or None."""
    if not _URL_CHARACTERS.match(value):
        return f"{shown(value)} is not an http:// or https:// URL (no spaces or control characters)"
    parts = urlsplit(value)
    if not parts.hostname or parts.query or parts.fragment or "@" in parts.netloc:
        return f"{shown(value)} needs a host name and no query, fragment or user name, e.g. https://example.org/timeline/"
    return None


class Fields:
    """One YAML mapping read against its allowed keys; every fault becomes a problem."""

    def __init__(self, data: Any, path: Path, problems: Problems, allowed: set[str], what: str,
                 line: int = 1) -> None:
        self.path, self.problems, self.what = path, problems, what
        if not isinstance(data, LineDict):
            problems.add(path, getattr(data, "line", line), f"{what} must be a mapping of `key: value` lines")
            data = LineDict()
            data.line, data.lines, data.duplicates = line, {}, []
        self.data = data
        for key in data:
            if key not in allowed:
                problems.add(path, data.line_of(key),
                             f"unknown key {shown(key)} in {what}{suggestion(str(key), allowed)}")

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def error(self, key: str, message: str) -> None:
        self.problems.add(self.path, self.line(key), message)

    def required(self, key: str) -> Any:
        """The value of `key`, or None after reporting that it is missing or empty."""
        value = self.data.get(key)
        if value is None or value == "" or value == [] or value == {}:
            self.error(key, f"{self.what} needs `{key}`" if key not in self.data else f"`{key}` is empty")
            return None
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        """A text as written (`title: 1.50` is "1.50", `title: true` is "true")."""
        value = self.required(key) if required else self.data.get(key)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            self.error(key, f"`{key}` must be text")
            return None
        return (self.data.text_of(key) or "").strip()

    def by_language(self, key: str, languages: tuple[str, ...], every: bool = True,
                    required: bool = True) -> dict[str, str] | None:
        """A `{ko: …, en: …}` text; `every` demands all languages, else at least one."""
        value = self.required(key) if required else self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.error(key, f"`{key}` needs one line per language: {', '.join(languages)}")
            return None
        result: dict[str, str] = {}
        for lang, text in value.items():
            where = value.line_of(lang)
            if lang not in languages:
                self.problems.add(self.path, where, f"unknown language `{str(lang)[:20]}` in `{key}`"
                                  f"{suggestion(str(lang), set(languages))}")
            elif text is None or isinstance(text, (dict, list)) or not (value.text_of(lang) or "").strip():
                self.problems.add(self.path, where, f"`{key}.{lang}` is empty" if not isinstance(text, (dict, list))
                                  else f"`{key}.{lang}` must be text")
            else:
                result[lang] = (value.text_of(lang) or "").strip()
        missing = [lang for lang in languages if lang not in value]
        if every and missing:
            self.error(key, f"`{key}` lacks {', '.join(missing)}")
        return result or None

    def when(self, key: str, required: bool = True) -> When | None:
        value = self.required(key) if required else self.data.get(key)
        if value is None:
            return None
        try:
            return parse_when(value)
        except ValueError as err:
            self.error(key, f"`{key}`: {err}")
            return None

    def zone(self, key: str, default: ZoneInfo | None = None) -> ZoneInfo | None:
        if key not in self.data:
            return default
        try:
            return parse_zone(self.data[key])
        except ValueError as err:
            self.error(key, f"`{key}`: {err}")
            return None

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"`{key}` must be true or false")
            return False
        return value

    def integer(self, key: str, default: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"`{key}` must be a whole number")
            return default
        return value

    def keys(self, key: str, known: dict[str, Any], what: str) -> tuple[str, ...]:
        """A list of keys that must each exist in `known` (tags, people)."""
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(key, f"`{key}` must be a list such as [a, b]")
            return ()
        result = []
        for item in value:
            if str(item) not in known:
                self.error(key, f"unknown {what} {shown(item)}{suggestion(str(item), set(known))}")
            elif str(item) in result:
                self.error(key, f"{what} {shown(item)} is listed twice")
            else:
                result.append(str(item))
        return tuple(result)

    def base_url(self, key: str) -> str | None:
        """The site's address: an absolute http(s) URL with a host (it goes into every page's head,
        the feeds, the sitemap and robots.txt)."""
        value = self.text(key)
        problem = base_url_problem(value) if value is not None else None
        if problem:
            self.error(key, f"`{key}`: {problem}")
            return None
        return value

    def web_url(self, key: str) -> str | None:
        """An optional http(s) URL; other schemes (`javascript:`) are refused."""
        value = self.text(key, required=False)
        if value is not None and not value.lower().startswith(_SAFE_SCHEMES):
            self.error(key, f"`{key}` must be an http:// or https:// URL, not {shown(value)}")
            return None
        if value is not None and not _URL_CHARACTERS.match(value):
            self.error(key, f"`{key}` has spaces or characters a URL cannot hold: {shown(value)}")
            return None
        return value
