"""Where a site's look comes from: its own folders first, then the built-in theme.

A project overrides the built-in theme file by file, as Hugo's lookup order does:
`templates/<name>` beside `content/` replaces the built-in template of that name,
`static/<file>` the built-in static file, and `strings/<lang>.yaml` the built-in UI strings
key by key. The built-in theme is the repository's `templates/` and `static/` (with the UI
strings in `templates/strings/`); an installed wheel carries them as package data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def builtin_root() -> Path:
    """The folder holding the built-in `templates/` and `static/`: inside the installed
    package, or the checkout's top level when run from a clone."""
    return _PACKAGE if (_PACKAGE / "templates").is_dir() else _PACKAGE.parent


@dataclass(frozen=True)
class Theme:
    """Template, static and string folders, the ones that win first."""

    templates: tuple[Path, ...]
    static: tuple[Path, ...]
    strings: tuple[Path, ...]

    @classmethod
    def builtin(cls) -> Theme:
        root = builtin_root()
        return cls((root / "templates",), (root / "static",), (root / "templates" / "strings",))

    @classmethod
    def for_project(cls, project: Path) -> Theme:
        """The project's `templates/`, `static/` and `strings/` over the built-in ones (a
        folder that is the built-in one, as in this repository, is not counted twice)."""
        builtin = cls.builtin()

        def layered(own: Path, base: tuple[Path, ...]) -> tuple[Path, ...]:
            if any(_same(own, folder) for folder in base):
                return base
            return (own, *base)

        return cls(layered(project / "templates", builtin.templates), layered(project / "static", builtin.static),
                   layered(project / "strings", builtin.strings))

    def folders(self) -> tuple[Path, ...]:
        """Every folder a build reads for the theme (to watch, and to keep out of `--out`)."""
        return tuple(dict.fromkeys((*self.templates, *self.static, *self.strings)))

    def template_files(self) -> dict[str, Path]:
        """Template name -> the file that wins for it (the strings folders are not templates)."""
        return _winners(self.templates, skip=set(self.strings))

    def static_files(self) -> dict[str, Path]:
        """Path under static/ -> the file that wins for it."""
        return _winners(self.static)

    def string_files(self, lang: str) -> list[Path]:
        """`<lang>.yaml` in each strings folder that has one, the built-in first, overrides after."""
        return [folder / f"{lang}.yaml" for folder in reversed(self.strings) if (folder / f"{lang}.yaml").is_file()]

    def template_path(self, name: str) -> Path:
        """The file a template name resolves to (for `path:line` in a template error)."""
        return self.template_files().get(name, self.templates[0] / name)


def _winners(folders: tuple[Path, ...], skip: set[Path] | None = None) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in reversed(folders):  # the built-in first, each override replacing it
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if skip and any(_inside(path, other) for other in skip if other != folder):
                continue
            if path.name.endswith(("~", ".swp")) or path.name.startswith(".#"):
                continue
            found[path.relative_to(folder).as_posix()] = path
    return dict(sorted(found.items()))


def _inside(path: Path, folder: Path) -> bool:
    return folder in path.parents


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()
