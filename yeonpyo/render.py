"""Rendering the pages that are not current: Jinja, the exports and the copied files.

The plan says what the site is (`plan.py`), `current.py` which pages must be rendered; this
module renders them, each through a `RecordingReads` that notes what its context read (the
page's dependencies for the next build), into memory or, given a stage, into the new site
straight from whichever process rendered it (only sizes come back). A long first build
spreads the work over the cores (`workers.map_forked`) when the mode allows forking.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import urls
from .chart import overview_chart
from .citations import bibliography_pages
from .current import EXPORT_READS, Tokens, current_exports, export_spec, fingerprint, salt, to_render
from .dates import load_locale
from .exports import export_files, export_paths
from .feeds import portable_html
from .i18n import counted, open_graph_locale, text_direction
from .media import MediaCache, Variant, variants
from .mode import Mode
from .model import Content, Event, Page, Source
from .output import Stage
from .plan import PageSpec, PageType, Plan, plan_site
from .state import BuildState, PageRecord
from .structured import article_data, script_json
from .theme import Theme
from .views import Views
from .workers import WorkerError, map_forked

# A piece of rendering: output path -> (bytes, what its context read).
Work = Callable[[], dict[str, tuple[bytes, tuple[str, ...]]]]


def make_environment(folders: tuple[Path, ...]) -> jinja2.Environment:
    """Jinja with autoescaping and StrictUndefined, so a template typo fails the build; a
    template is looked up in `folders` in order (a project's own over the built-in theme)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(f) for f in folders]), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.globals["with_figures"] = lambda body, link, t, lang: _with_figures(env, body, link, t, lang)
    env.globals["cited_on"] = lambda html, url: Markup(portable_html(html, url))  # citations linking to `url`
    return env


_FIGURE_SLOT = re.compile(r'<p class="figure-slot" data-figure="([^"]*)"></p>')


def _with_figures(env: jinja2.Environment, body: Any, link: urls.Linker, t: dict[str, str], lang: str) -> Markup:
    """A body's HTML with each Markdown image's slot holding its figure, drawn by the
    `figure` macro of figure.html (a theme may override it like any template)."""
    if not body.figures:
        return Markup(body.html)
    figure = env.get_template("figure.html").module.figure  # type: ignore[attr-defined]
    return Markup(_FIGURE_SLOT.sub(lambda m: str(figure(body.figures[html_lib.unescape(m.group(1))], link, t, lang,
                                                        "page")), body.html))


class RecordingReads:
    """The model as one page's context may read it (`plan.Reads`), noting each read's key."""

    def __init__(self, renderer: SiteRenderer) -> None:
        self.renderer = renderer
        self.keys: list[str] = []

    def _read(self, key: str) -> None:
        if key not in self.keys:
            self.keys.append(key)

    def event(self, lang: str, event: Event) -> Any:
        self._read(f"full:{event.slug}")
        return self.renderer.views[lang].event(event)

    def head(self, lang: str, event: Event | None) -> Any:
        if event is None:
            return None
        self._read(f"head:{event.slug}")
        return self.renderer.views[lang].event(event)

    def page(self, lang: str, page: Page) -> Any:
        self._read(f"page:{page.slug}")
        return self.renderer.views[lang].page(page)

    def groups(self, lang: str, events: list[Event]) -> Any:
        for event in events:
            self._read(f"full:{event.slug}")
        return self.renderer.views[lang].groups(events)

    def layout(self, name: str) -> Any:
        self._read(f"layout:{name}")
        return self.renderer.plan.layout[name]

    def listed(self, name: str) -> list[Any]:
        """The events a layout entry names by slug (None where it names none)."""
        self._read(f"layout:{name}")
        by_slug = self.renderer.by_slug
        return [by_slug[slug] if slug is not None else None for slug in self.renderer.plan.layout[name]]

    def members(self, kind: str, key: str) -> list[Event]:
        self._read(f"members:{kind}:{key}")
        return self.renderer.tokens.members(kind, key)

    def sources(self, lang: str, sources: list[Source]) -> list[Any]:
        self._read("citers")
        views, tokens = self.renderer.views[lang], self.renderer.tokens
        return [views.source(s, [(citer.url(lang), citer.title) for citer in tokens.cited_by(s.key)])
                for s in sources]

    def chart(self, lang: str) -> Markup:
        """The overview picture: it shows every event's head, at the timeline page that holds it."""
        self._read("layout:events")
        for event in self.renderer.content.events:
            self._read(f"head:{event.slug}")
            self._read(f"layout:place:{lang}:{event.slug}")
        return self.renderer.chart(lang)

    def fragment(self, url: str, lang: str) -> Callable[..., Markup]:
        return self.renderer.fragment(url, lang)


class SiteRenderer:
    """Renders a validated `Content`: the pages `current.to_render` names, the exports, the copied files."""

    def __init__(self, content: Content, strings: dict[str, dict[str, str]], env: jinja2.Environment,
                 theme: Theme, out: Path, state: BuildState, mode: Mode,
                 page_types: tuple[PageType, ...] | None = None, cache: Path | None = None) -> None:
        self.content, self.strings, self.env, self.out, self.state, self.mode = content, strings, env, out, state, mode
        self.plan: Plan = plan_site(content, strings, page_types)
        self.theme = theme
        self.salt = salt(theme, content, strings, state)
        state.forget_views(self.salt)
        self.tokens = Tokens(content, self.plan, state)
        self.bibliography_page = bibliography_pages(content, strings)
        self.views = {lang: Views(content, lang, strings, state.views, self._source_link(lang))
                      for lang in content.site.languages}
        self._pending, self.kept = to_render(self.plan, state, self.tokens, self.salt, mode, out)
        self.files: dict[str, bytes | None] = dict.fromkeys(self.kept)  # None: keep the file
        self.files.update({spec.path: b"" for spec in self._pending})
        self.staged: dict[str, tuple[int, int, bool]] = {}  # path -> (size, mtime_ns, changed) in a stage
        self.reads: dict[str, tuple[str, ...]] = {}  # rendered path -> what its context read
        self._stage: Stage | None = None
        self._specs = {spec.path: spec for spec in self.plan.pages}
        self.by_slug = {event.slug: event for event in content.events}
        self._exports = export_paths(content)
        self.media_cache = MediaCache(cache, state.encoded)
        self.site_images = {lang: self.views[lang].media_views.share_image() for lang in content.site.languages}
        figures = [figure for event in content.events for figure in event.figures]
        figures += [content.site.share_image] if content.site.share_image else []
        self.derivatives: dict[str, Variant] = {variant.path: variant for figure in figures if figure.picture
                                                for variant in variants(figure.picture)}

    @property
    def renders_everything(self) -> bool:
        """True when no page is kept from the last build (a first build, or a template change)."""
        return not self.kept

    def render(self, stage: Stage | None = None, searched: Callable[[str], None] = lambda lang: None,
               tick: Callable[[], None] = lambda: None) -> None:
        """Render the pages that are not current, the exports and the copied files: into
        `files`, or, given a `stage`, straight into it (`staged` then holds their sizes,
        times and whether they changed). A language's event and context pages come first,
        then `searched(lang)` is called (its search index can start on them); `tick()` is
        called often (the indexer moves on to its next language)."""
        self._stage = stage
        jobs, self._pending = self._pending, []
        if jobs:  # compiled and loaded once, before any fork
            for template in self.env.list_templates(filter_func=lambda name: name.endswith(".html")):
                self.env.get_template(template)  # with what the pages extend and import
            for lang in self.content.site.languages:
                load_locale(lang)
        for lang in self.content.site.languages:
            self._run([self._page_work(job) for job in jobs if urls.searched_language(job.path) == lang], tick)
            searched(lang)
        copied = self.copied_files()
        self._run([self._page_work(job) for job in jobs if not urls.searched_language(job.path)]
                  + self._export_work() + [lambda: {path: (file.read_bytes(), ()) for path, file in copied.items()}]
                  + [self._derivative_work(v) for v in self.derivatives.values() if self.media_cache.has(v)], tick)
        # images to encode: seconds each, worth a process per core from two on
        self._run([self._derivative_work(v) for v in self.derivatives.values() if not self.media_cache.has(v)],
                  tick, minimum=2)

    def record(self, path: str, size: int, mtime_ns: int) -> PageRecord | None:
        """What the next build remembers of a page written (or kept) at `path`."""
        if path in self.kept:
            return dataclasses.replace(self.kept[path], size=size, mtime_ns=mtime_ns)
        spec = export_spec(path) if path in self._exports else self._specs.get(path)
        if spec is None or path not in self.reads:
            return None
        reads = self.reads[path]
        return PageRecord(path, spec.template, spec.url, spec.lang, reads,
                          fingerprint(self.salt, spec, reads, self.tokens), size, mtime_ns)

    def planned_paths(self) -> set[str]:
        """Every path this build will write besides the search index."""
        return set(self.files) | set(export_paths(self.content)) | set(self.copied_files()) | set(self.derivatives)

    def _derivative_work(self, variant: Variant) -> Work:
        """One image derivative: from the cache, or encoded once (in a worker, on a first build)."""
        return lambda: {variant.path: (self.media_cache.get(variant), ())}

    def copied_files(self) -> dict[str, Path]:
        """Files copied as they are: the theme's static files under `static/`, and the content's
        `root/` folder at the site's root (CNAME, _redirects, .well-known/)."""
        copied = {urls.static(name): path for name, path in self.theme.static_files().items()}
        for path, source in self.root_files.items():
            copied.setdefault(path, source)
        return copied

    @property
    def root_files(self) -> dict[str, Path]:
        """content/root/**: site path -> file."""
        root = Path(self.content.root) / urls.ROOT_FILES if self.content.root else None
        if root is None or not root.is_dir():
            return {}
        return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*"))
                if path.is_file() and not path.name.endswith(("~", ".swp"))}

    @property
    def rendered(self) -> tuple[str, ...]:
        """The pages and export files rendered by this build (not kept, not copied)."""
        return tuple(sorted(path for path in self.reads if path in self._specs or path in self._exports))

    @property
    def paths(self) -> frozenset[str]:
        """Every output path of this build (besides the search index)."""
        return frozenset(self.files) | frozenset(self.staged)

    def _export_work(self) -> list[Work]:
        """Feeds and data files, to render with the pages (none while they are current: no
        event, page or page address changed; serve's quick pass keeps them until the full one)."""
        paths = self._exports
        if self.mode.quick and self._stage is None:
            self.files.update({path: None for path in paths if (self.out / path).is_file()})
            self.kept.update({path: self.state.pages[path] for path in paths if path in self.state.pages})
            return []
        kept = None if self._stage is not None else current_exports(paths, self.state, self.tokens, self.salt,
                                                                    self.mode, self.out)
        if kept is not None:
            self.files.update(dict.fromkeys(paths))
            self.kept.update(kept)
            return []
        page_urls = self.plan.layout["page-urls"]

        def exports() -> dict[str, tuple[bytes, tuple[str, ...]]]:
            events = {lang: [self.views[lang].event(e) for e in self.content.events]
                      for lang in self.content.site.languages}
            return {path: (data, EXPORT_READS)
                    for path, data in export_files(self.content, self.strings, events, page_urls).items()}

        return [exports]

    def _source_link(self, lang: str) -> Callable[[str], str]:
        return lambda key: self.bibliography_page(lang, key)

    def chart(self, lang: str) -> Markup:
        """The overview chart, redrawn only when an event's head or place changes."""
        key = "".join(self.tokens.value(f"head:{e.slug}") + self.plan.layout[f"place:{lang}:{e.slug}"]
                      for e in self.content.events)
        hit = self.state.charts.get(lang)
        if hit is None or hit[0] != key:
            home = urls.timeline(lang)
            link = urls.Linker(home, self.content.site.base_url)
            chart = overview_chart(self.content, lang, self.strings[lang],
                                   lambda e: link(self.plan.layout[f"place:{lang}:{e.slug}"], e.slug))
            hit = self.state.charts[lang] = (key, chart)
        return hit[1]

    def fragment(self, url: str, lang: str) -> Callable[..., Markup]:
        """`{% call fragment(slug) %}…{% endcall %}`: one event's part of a long page, which
        `serve` keeps while the event is unchanged, so that an edit re-renders one article
        of a timeline part instead of eighty. (A one-off build renders each once anyway.)"""
        kept = self.state.fragments if self.mode.resident else None

        def fragment(slug: str, caller: Callable[[], str]) -> Markup:
            if kept is None:
                return Markup(caller())
            token, key = self.tokens.fulls[slug], (url, lang, slug)
            hit = kept.get(key)
            if hit is None or hit[0] != token:
                hit = kept[key] = (token, Markup(caller()))
            return hit[1]

        return fragment

    def _page_work(self, spec: PageSpec) -> Work:
        return lambda: {spec.path: self._html(spec)}

    def _run(self, work: list[Work], tick: Callable[[], None], minimum: int = 32) -> None:
        """Run rendering work (each piece gives output paths, their bytes and what they read);
        with a stage the workers write their own files, so that only sizes come back."""
        stage = self._stage

        def rendered(index: int) -> dict[str, Any]:
            files = work[index]()
            return {path: (data if stage is None else stage.write(path, data), reads)
                    for path, (data, reads) in files.items()}

        try:
            results = map_forked(rendered, range(len(work)), minimum, tick=tick, fork=self.mode.fork)
        except WorkerError:  # a forked worker failed: render here again, so the error names its template line
            results = [rendered(index) for index in range(len(work))]
        for result in results:
            for path, (value, reads) in result.items():
                self.reads[path] = reads
                if stage is None:
                    self.files[path] = value
                else:
                    self.files.pop(path, None)
                    self.staged[path] = value

    def _html(self, spec: PageSpec) -> tuple[bytes, tuple[str, ...]]:
        site, lang, url = self.content.site, spec.lang, spec.url
        t = self.strings[lang]
        reads = RecordingReads(self)
        context = spec.context(reads)
        html = self.env.get_template(spec.template).render(
            lang=lang, t=t, url=url, link=urls.Linker(url, site.base_url),
            site_title=site.title.get(lang, ""), site_description=site.description.get(lang, ""),
            site_summary=site.summary.get(lang, ""), site_footer=site.footer.get(lang) or t["footer_note"],
            search_hint=site.search_hint.get(lang) or t["search_placeholder"],
            canonical=None if url == urls.NOT_FOUND else urls.absolute(site.base_url, url), static=urls.static,
            urls=urls, base_url=site.base_url, open_graph_locale=open_graph_locale, text_direction=text_direction,
            counted=lambda key, n: counted(self.strings[lang], lang, key, n),
            alternates=self.views[lang].alternates(spec.versions) if spec.versions else (),
            site_image=self.site_images[lang],
            article_data=lambda view: script_json(article_data(view, self.content, lang)), **context)
        return html.encode("utf-8"), tuple(reads.keys)

