"""How a build runs, chosen once at its start: one object instead of flags passed by hand."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Mode:
    name: str
    atomic: bool  # a whole new site swapped in at once (what people deploy from); else written in place
    quick: bool  # pages only: the search index, feeds, exports and editorial warnings wait
    fork: bool  # work may spread over forked processes (never with threads running, as in serve)
    resident: bool  # the state stays in this process between builds (serve): worth keeping rendered pieces
    render_all: bool = False  # every page rendered, whatever the state remembers (`serve --full`)

    def rendering_everything(self) -> Mode:
        return replace(self, render_all=True)


BUILD = Mode("build", atomic=True, quick=False, fork=True, resident=False)  # a one-off `build`
SERVE_QUICK = Mode("serve, quick pass", atomic=False, quick=True, fork=False, resident=True)  # right after a save
SERVE_FULL = Mode("serve, full pass", atomic=False, quick=False, fork=False, resident=True)  # once the editor pauses
