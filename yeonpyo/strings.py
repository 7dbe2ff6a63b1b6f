"""The UI strings: one table per language, the built-in theme's with a project's overrides.

`strings/<lang>.yaml` beside `content/` overrides the built-in table key by key; a language
the built-in theme has no table for (ja, zh, ar) needs a whole one there (`init` writes one
from English with TODO markers). Every language must have every key the others have, and an
override may only name keys the theme knows: a typo would otherwise change nothing, silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .problems import Problems, suggestion
from .yamlio import LineDict, load_yaml, read_text

TODO_MARKER = "TODO"

Tables = dict[str, dict[str, str]]


def load_strings(folders: Sequence[Path], languages: tuple[str, ...], problems: Problems) -> Tables:
    """Each language's table from `folders` (the winning folder first, the built-in last).
    A key missing from one language is reported at its twin; a TODO left in a string is a
    warning (`check --strict` fails on it)."""
    merged: dict[str, dict[str, tuple[str, Path, int]]] = {}  # lang -> key -> (text, file, line)
    bases: dict[str, Path] = {}  # lang -> its first file
    for lang in languages:
        files = [folder / f"{lang}.yaml" for folder in reversed(folders) if (folder / f"{lang}.yaml").is_file()]
        if not files:
            problems.add(folders[0] / f"{lang}.yaml", 0,
                         f"interface strings for `{lang}` are missing: copy the English table there and "
                         "translate it (`init --languages` writes one)")
            continue
        table: dict[str, tuple[str, Path, int]] = {}
        bases[lang] = files[0]
        for index, path in enumerate(files):
            data = _table(path, problems)
            for key, value in data.items():
                if index and key not in table:  # an override names only keys its base table has
                    problems.add(path, data.line_of(key), f"unknown string `{key}`{suggestion(str(key), set(table))}")
                    continue
                table[str(key)] = (str(value), path, data.line_of(key))
        merged[lang] = table
    _check_complete(merged, bases, problems)
    for table in merged.values():
        for key, (text, path, line) in table.items():
            if TODO_MARKER in text:
                problems.warn(path, line, f"`{TODO_MARKER}` left in the string `{key}`")
    return {lang: {key: text for key, (text, _, _) in table.items()} for lang, table in merged.items()}


def _table(path: Path, problems: Problems) -> LineDict:
    text = read_text(path, problems)
    data = load_yaml(text, path, problems) if text is not None else None
    if data is None:
        return LineDict()
    if not isinstance(data, LineDict):
        problems.add(path, 1, "expected `key: text` lines")
        return LineDict()
    for key, value in list(data.items()):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problems.add(path, data.line_of(key), f"the string `{key}` must be text")
            del data[key]
    return data


def _check_complete(merged: dict[str, dict[str, tuple[str, Path, int]]], bases: dict[str, Path],
                    problems: Problems) -> None:
    """Every language has every key another language has."""
    every_key = set().union(*(t.keys() for t in merged.values())) if merged else set()
    for lang, table in merged.items():
        for key in sorted(every_key - set(table)):
            twin = next(t for t in merged.values() if key in t)
            _, path, line = twin[key]
            problems.add(bases[lang], 0, f"missing string `{key}` (line {line} of {path.name})")
