"""Author mistakes as values: collected during a build and reported together."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One content error, located at `path:line`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Problems:
    """Collects problems so that every one is reported at once, never just the first."""

    items: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # worth saying, but the build goes on

    def add(self, path: Path | str, line: int, message: str) -> None:
        """Record a problem in `path` at 1-based `line` (0 when the whole file is meant)."""
        self.items.append(Problem(str(path), line, message))

    def warn(self, path: Path | str, line: int, message: str) -> None:
        """Record something a build reports without failing (`check --strict` fails on it)."""
        self.warnings.append(Problem(str(path), line, message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)
        self.warnings.extend(other.warnings)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """Problems in file then line order, duplicates removed, for stable reports."""
        return sorted(set(self.items))


def suggestion(word: str, choices: list[str] | set[str], cutoff: float = 0.6) -> str:
    """A ` (did you mean `x`?)` hint for a likely typo, or an empty string."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return f" (did you mean `{close[0]}`?)" if close else ""


def shown(value: object, limit: int = 60) -> str:
    """A value as a message quotes it: in backticks, invisible characters escaped (`\\n`), cut
    short (a message never prints a whole file)."""
    text = "".join(char if char.isprintable() else repr(char)[1:-1] for char in str(value)[:limit + 1])
    return f"`{text[:limit]}…`" if len(text) > limit else f"`{text}`"
