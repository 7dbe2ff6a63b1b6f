"""Reading content files: UTF-8 text, front matter, and YAML that remembers line numbers.

Content YAML is plain data written by people, so this loader builds it from the parser's
events itself instead of trusting PyYAML's constructors:
- dates and times stay text (`2023-11-17`, `12:23`, `2023-02-30`: PyYAML would give a date,
  the base-60 number 743 and a crash); `dates.parse_when` is the one place that reads them;
- only `true`/`false` are booleans and numbers are plain decimals (YAML 1.2's core schema),
  so `title: yes` is the text "yes", and every scalar keeps the text as written;
- anchors and aliases are refused (never needed here, and a 600-byte alias bomb expands to
  gigabytes), as are tags other than `!!str` (`!!binary`, `!!python/…`, `!!timestamp`);
- nesting and file size are limited, and characters XML cannot carry are named at their line.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 2_000_000  # the chronicle's largest file is 60 KB
MAX_DEPTH = 12  # mappings and lists inside each other
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:str"}
# What XML 1.0 cannot carry (the feeds would break) and invisible line breaks that editors
# show as nothing: each is an error naming the character.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_NAMES = {0x00: "NULL", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x1B: "ESCAPE", 0x7F: "DELETE",
          0x85: "NEXT LINE", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE (a byte order mark inside the text)",
          0xFFFE: "a noncharacter", 0xFFFF: "a noncharacter"}


class LineDict(dict):
    """A mapping that knows the 1-based line of itself and of each key, and each scalar
    value's text as written (`1.50` stays "1.50" for a text field)."""

    line: int = 0
    lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]
    raw: dict[Any, str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines, self.duplicates, self.raw = {}, [], {}

    def line_of(self, key: Any) -> int:
        """The line of `key`, or of the mapping when the key is absent."""
        return self.lines.get(key, self.line)

    def text_of(self, key: Any) -> str | None:
        """The value of `key` as the author wrote it, when it is a scalar."""
        value = self.get(key)
        if isinstance(value, (dict, list)) or value is None:
            return None
        return self.raw.get(key, str(value))


class _Refused(Exception):
    """YAML this loader does not accept: (line, message)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _Builder:
    """Builds plain data from parser events, refusing what content YAML never needs."""

    def __init__(self, events: Any, line_offset: int) -> None:
        self.events, self.offset = events, line_offset

    def line(self, event: Any) -> int:
        return event.start_mark.line + 1 + self.offset

    def document(self) -> Any:
        data: Any = None
        documents = 0
        for event in self.events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _Refused(self.line(event), "a second YAML document (`---`); a file holds one")
                data, _ = self.node(next(self.events), 1)
        return data

    def node(self, event: Any, depth: int) -> tuple[Any, str | None]:
        """The value an event starts, and for a scalar its text as written."""
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(self.line(event), "YAML anchors and aliases (`&name`, `*name`) are not allowed here; "
                           "write the value out")
        if depth > MAX_DEPTH:
            raise _Refused(self.line(event), f"nested more than {MAX_DEPTH} levels deep")
        tag = getattr(event, "tag", None)
        if isinstance(event, yaml.ScalarEvent):
            if tag not in _PLAIN_TAGS:
                raise _Refused(self.line(event), f"the YAML tag `{_short(tag)}` is not allowed here; write plain text")
            return self.scalar(event, tag), event.value
        if tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            raise _Refused(self.line(event), f"the YAML tag `{_short(tag)}` is not allowed here")
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(depth), None
        return self.mapping(event, depth), None

    @staticmethod
    def scalar(event: Any, tag: str | None) -> Any:
        """A scalar's value: only plain (unquoted, untagged) scalars are typed."""
        text = event.value
        if tag is not None or event.style:  # quoted, a block scalar, or `!!str`
            return text
        if text in _NULL:
            return None
        if text in _BOOL:
            return _BOOL[text]
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
        return text

    def sequence(self, depth: int) -> list[Any]:
        items = []
        for event in self.events:
            if isinstance(event, yaml.SequenceEndEvent):
                break
            items.append(self.node(event, depth + 1)[0])
        return items

    def mapping(self, start: Any, depth: int) -> LineDict:
        result = LineDict()
        result.line = self.line(start)
        for event in self.events:
            if isinstance(event, yaml.MappingEndEvent):
                break
            if not isinstance(event, yaml.ScalarEvent):
                raise _Refused(self.line(event), "a key must be plain text")
            key, _ = self.node(event, depth + 1)
            key = "" if key is None else key
            line = self.line(event)
            if key in result:
                result.duplicates.append((key, line))
            value, raw = self.node(next(self.events), depth + 1)
            result[key], result.lines[key] = value, line
            if raw is not None:
                result.raw[key] = raw
        return result


def _short(tag: str | None) -> str:
    text = str(tag).replace("tag:yaml.org,2002:", "!!")
    return text if len(text) <= 40 else text[:40] + "…"


def load_yaml(text: str, path: Path, problems: Problems, first_line: int = 1) -> Any:
    """Parse YAML `text` that starts at `first_line` of `path`; None after reporting an error."""
    loader = _Loader(text)
    try:
        data = _Builder(iter(loader.get_event, None), first_line - 1).document()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + first_line) if mark else first_line
        problems.add(path, line, f"invalid YAML: {err.problem or err.context}")
        return None
    except yaml.YAMLError as err:
        problems.add(path, first_line, f"invalid YAML: {str(err)[:200]}")
        return None
    except _Refused as err:
        problems.add(path, err.line, err.message)
        return None
    finally:
        loader.dispose()
    _report_duplicates(data, path, problems)
    return data


def _report_duplicates(data: Any, path: Path, problems: Problems) -> None:
    if isinstance(data, LineDict):
        for key, line in data.duplicates:
            problems.add(path, line, f"`{str(key)[:60]}` is given twice")
        for value in data.values():
            _report_duplicates(value, path, problems)
    elif isinstance(data, list):
        for item in data:
            _report_duplicates(item, path, problems)


def read_text(path: Path, problems: Problems) -> str | None:
    """The file as text with a BOM dropped and CRLF/CR made LF; None after reporting why not.

    Only regular files are read (a FIFO or a device named `x.md` would hang the build or
    never end); a symbolic link is followed, and named by its own path in messages."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        problems.add(path, 0, "the file is a broken symbolic link" if os.path.islink(path) else "the file is missing")
        return None
    except OSError as err:
        problems.add(path, 0, f"the file cannot be read: {err.strerror or err}")
        return None
    if stat.S_ISDIR(info.st_mode):
        problems.add(path, 0, "expected a file, found a folder")
        return None
    if not stat.S_ISREG(info.st_mode):
        problems.add(path, 0, "not a regular file (a pipe, socket or device); content must be plain files")
        return None
    if info.st_size > MAX_FILE_BYTES:
        problems.add(path, 0, f"the file is {info.st_size:,} bytes; content files are at most {MAX_FILE_BYTES:,}")
        return None
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        problems.add(path, 0, f"the file cannot be read: {err.strerror or err}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(path, line, f"file is not UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if _characters_ok(text, path, problems) else None


def _characters_ok(text: str, path: Path, problems: Problems) -> bool:
    """Report each line holding a character that XML cannot carry or an invisible line break."""
    found = False
    for match in _FORBIDDEN.finditer(text):
        found = True
        char = match.group(0)
        line = text.count("\n", 0, match.start()) + 1
        name = _NAMES.get(ord(char)) or unicodedata.name(char, "a control character")
        problems.add(path, line, f"the character U+{ord(char):04X} ({name}) is not allowed; delete it "
                     "(it is invisible in most editors)")
    return not found


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[str, str, int] | None:
    """Split `---` front matter from the body: (yaml, body, body's first line) or None."""
    if not text.strip():
        problems.add(path, 1, "file is empty; an event needs front matter between `---` lines")
        return None
    lines = text.split("\n")
    if lines[0].strip() != "---":
        problems.add(path, 1, "no front matter: the file must start with a `---` line")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    problems.add(path, 1, "front matter is not closed: add a `---` line after it")
    return None
