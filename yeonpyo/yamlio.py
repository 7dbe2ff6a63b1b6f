"""Reading content files: UTF-8 text, front matter, and YAML that remembers line numbers.

PyYAML's implicit typing is a trap for dates (`2023-11-17` becomes a date, `12:23` the
base-60 number 743, `2023-02-30` raises ValueError), so this loader keeps timestamps and
base-60 numbers as strings; `dates.parse_when` is the one place that interprets them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_REPLACED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


class LineDict(dict):
    """A mapping that knows the 1-based line of itself and of each key."""

    line: int = 0
    lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]

    def line_of(self, key: Any) -> int:
        """The line of `key`, or of the mapping when the key is absent."""
        return self.lines.get(key, self.line)


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader without timestamp or base-60 typing, building `LineDict`s."""

    line_offset = 0


_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+.0123456789"))


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.lines, result.duplicates = {}, []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1 + loader.line_offset
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        if key in result:
            result.duplicates.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_yaml(text: str, path: Path, problems: Problems, first_line: int = 1) -> Any:
    """Parse YAML `text` that starts at `first_line` of `path`; None after reporting an error."""
    loader = _LineLoader(text)
    loader.line_offset = first_line - 1
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + first_line) if mark else first_line
        problems.add(path, line, f"invalid YAML: {err.problem or err.context}")
        return None
    except yaml.YAMLError as err:
        problems.add(path, first_line, f"invalid YAML: {err}")
        return None
    finally:
        loader.dispose()
    _report_duplicates(data, path, problems)
    return data


def _report_duplicates(data: Any, path: Path, problems: Problems) -> None:
    if isinstance(data, LineDict):
        for key, line in data.duplicates:
            problems.add(path, line, f"`{key}` is given twice")
        for value in data.values():
            _report_duplicates(value, path, problems)
    elif isinstance(data, list):
        for item in data:
            _report_duplicates(item, path, problems)


def read_text(path: Path, problems: Problems) -> str | None:
    """The file as text with a BOM dropped and CRLF/CR made LF; None after reporting bad bytes."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.add(path, line, f"file is not UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
