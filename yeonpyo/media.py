"""What an event shows besides its text: figures (images, videos through a poster) and quoted posts.

    read_media(f, ...)          the `media:` front matter, checked field by field
    inspect_media(event, ...)   each image file opened by Pillow once per change of the file
    variants(picture)           the derivatives a page offers (widths x formats), by content hash
    encode(variant, ...)        one derivative's bytes: upright, resized, metadata dropped

Nothing is fetched from elsewhere: a file is found beside the event or in `content/media/`,
and a remote address is an error (every reader's browser would call that site). Derivatives
are named by the digest of the original's bytes, so an unchanged image is encoded once and
cached; a new one gets new names.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import urls
from .dates import local_time_problem
from .model import BodyImage, Event, Figure, Picture, Post, Site
from .problems import Problems, shown
from .schema import Fields
from .stamps import FileStamp
from .yamlio import LineDict

MEDIA_FOLDER = "media"  # content/media/: images shared by several events
FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# A 40-megapixel photo is larger than any phone camera's default; past it the image is
# refused (decoding it takes about 160 MB of memory and seconds per derivative).
MAX_PIXELS = 40_000_000
MAX_FILE_BYTES = 50 * 1024 * 1024
WIDTHS = (480, 960, 1600)  # a phone, a phone at 2x or a laptop, a wide screen at 2x
_REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_KINDS = ("image", "post", "video")


# --- reading the front matter ------------------------------------------------------------

def read_media(f: Fields, event_folder: Path, root: Path, site: Site, people: dict[str, Any],
               sources: dict[str, Any]) -> tuple[Figure | Post, ...]:
    """`media:` as a list of images, posts and videos; every fault is a problem at its line."""
    value = f.data.get("media", [])
    if not isinstance(value, list):
        f.error("media", "`media` must be a list of entries such as `- image: photo.jpg`")
        return ()
    found: list[Figure | Post] = []
    for item in value:
        line = getattr(item, "line", f.line("media"))
        kinds = [kind for kind in _KINDS if isinstance(item, LineDict) and kind in item]
        if len(kinds) != 1:
            f.problems.add(f.path, line, "a media entry starts with one of `image:`, `post:` or `video:`")
            continue
        read = _post if kinds[0] == "post" else _figure
        entry = read(item, kinds[0], f, event_folder, root, site, people, sources)
        if entry is not None:
            found.append(entry)
    names = [item.name for item in found if isinstance(item, Figure)]
    for item in found:
        if isinstance(item, Figure) and names.count(item.name) > 1:
            f.problems.add(f.path, item.line, f"`{item.name}` is listed twice in `media`")
    return tuple(found)


def _figure(item: LineDict, kind: str, f: Fields, event_folder: Path, root: Path, site: Site,
            people: dict[str, Any], sources: dict[str, Any]) -> Figure | None:
    allowed = {kind, "alt", "caption", "credit", "license", "cite"} | ({"poster"} if kind == "video" else set())
    entry = Fields(item, f.path, f.problems, allowed, f"a media `{kind}`", item.line)
    languages = site.languages
    alt = entry.by_language("alt", languages)
    caption = entry.by_language("caption", languages, every=False, required=False) or {}
    credit = _per_language(entry, "credit", languages)
    license_ = entry.text("license", required=False)
    cites = _cites(entry, sources)
    link = entry.web_url("video") if kind == "video" else None
    if kind == "video" and link is None and not item.get("video"):
        entry.error("video", "`video` needs the address of the video: `video: https://…`")
    name = entry.text("poster" if kind == "video" else "image")
    if not name:
        return None
    file = locate_file(name, event_folder, root, f.problems, f.path, entry.line("poster" if kind == "video" else kind))
    if file is None or alt is None or credit is None or (kind == "video" and link is None):
        return None
    return Figure(kind, name, file, item.line, alt, caption, credit, license_, link, cites)


def _post(item: LineDict, kind: str, f: Fields, event_folder: Path, root: Path, site: Site,
          people: dict[str, Any], sources: dict[str, Any]) -> Post | None:
    entry = Fields(item, f.path, f.problems, {"post", "author", "date", "tz", "text", "lang", "cite"}, "a quoted post",
                   item.line)
    url = entry.web_url("post")
    if url is None and item.get("post") is None:
        entry.error("post", "a quoted post needs its address: `post: https://…`")
    author = entry.text("author")
    when, zone = entry.when("date"), entry.zone("tz", site.zone)
    text = entry.by_language("text", site.languages, every=False)
    lang = entry.text("lang", required=False) or (next(iter(text)) if text else None)
    if text and lang not in text:
        entry.error("lang", f"`lang: {lang}` names the language it was posted in, but `text` has no `{lang}`")
        return None
    problem = local_time_problem(when, zone) if when and zone else None
    if problem:
        entry.error("date", f"`date`: {problem}")
    cites = _cites(entry, sources)
    if author and author not in people and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", author):
        entry.error("author", f"unknown person {shown(author)}: add them to people.yaml, or write the name as posted")
    if not (url and author and when and zone and text and lang):
        return None
    return Post(url, author, when, zone, text, lang, item.line, cites)


def _per_language(entry: Fields, key: str, languages: tuple[str, ...]) -> dict[str, str] | None:
    """One text for every language (`credit: "Photo: AP"`), or one per language."""
    value = entry.data.get(key)
    if isinstance(value, LineDict):
        return entry.by_language(key, languages)
    text = entry.text(key)
    return dict.fromkeys(languages, text) if text else None


def _cites(entry: Fields, sources: dict[str, Any]) -> tuple[str, ...]:
    """`cite: key` or `cite: [a, b]`: the sources that report what the entry shows."""
    return entry.keys("cite", sources, "source") if "cite" in entry.data else ()


def locate_file(name: str, event_folder: Path, root: Path, problems: Problems, path: Path, line: int) -> str | None:
    """The file an entry names: beside the event, else in content/media/; never outside
    the content folder, never fetched from elsewhere."""
    if _REMOTE.match(name):
        problems.add(path, line, f"remote image {shown(name)}: every reader's browser would fetch it from another "
                     "site; copy the file beside the event (or into content/media/) and name it")
        return None
    parts = Path(name).parts
    if not parts or Path(name).is_absolute() or ".." in parts or name.startswith("."):
        problems.add(path, line, f"{shown(name)} must be a file name beside the event or in content/media/, "
                     "without `..` or a leading `/`")
        return None
    top = os.path.realpath(root)
    for folder in (event_folder, root / MEDIA_FOLDER):
        candidate = folder / name
        if os.path.lexists(candidate):
            real = os.path.realpath(candidate)
            if not real.startswith(top + os.sep):
                problems.add(path, line, f"{shown(name)} leads outside the content folder; copy the file in")
                return None
            return str(candidate)
    problems.add(path, line, f"`{name}` was not found beside the event ({event_folder}) or in {root / MEDIA_FOLDER}")
    return None


def body_images(event: Event, problems: Problems) -> None:
    """Each Markdown image names a figure of `media` (where its credit is given)."""
    names = {figure.name for figure in event.figures if figure.kind == "image"}
    for section in event.sections.values():
        for image in section.images:
            if image.name not in names:
                problems.add(event.path, image.line, f"`{image.name}` is shown in the text but not listed under "
                             "`media:` with its credit; add it there (`- image: …` with `alt` and `credit`)")


def section_images(images: tuple[BodyImage, ...], lang: str) -> tuple[BodyImage, ...]:
    return tuple(dataclasses.replace(image, lang=lang) for image in images)


# --- inspecting the files ----------------------------------------------------------------

@dataclass
class Inspected:
    """One image file as last inspected: its stamp, and what Pillow found (or why it failed)."""

    stamp: FileStamp | None
    picture: Picture | None
    problem: str | None


def inspect_figure(figure: Figure, pictures: dict[str, Inspected], problems: Problems, path: str) -> Picture | None:
    """What Pillow finds in a figure's file: opened again only when the file changed."""
    hit = pictures.get(figure.file)
    if hit is None or hit.stamp is None or not hit.stamp.matches(figure.file):
        hit = pictures[figure.file] = _inspect(figure.file)
    if hit.problem is not None:
        problems.add(path, figure.line, f"`{figure.name}`: {hit.problem}")
    return hit.picture


def inspect_site(site: Site, pictures: dict[str, Inspected], sites: dict[str, tuple[Any, Any]], problems: Problems,
                 path: str) -> Site:
    """The site with its share image inspected (the same site while nothing changed)."""
    if site.share_image is None:
        return site
    picture = inspect_figure(site.share_image, pictures, problems, path)
    last = sites.get(path)
    if last is None or last[0] is not site or last[1].share_image.picture != picture:
        sites[path] = (site, dataclasses.replace(site, share_image=dataclasses.replace(site.share_image,
                                                                                       picture=picture)))
    return sites[path][1]


def inspect_media(event: Event, pictures: dict[str, Inspected], events: dict[str, tuple[Event, Event]],
                  problems: Problems) -> Event:
    """The event with each figure's `picture` filled in. An image file is opened again only
    when it changed (`pictures`, by file); while neither the parsed event nor its pictures
    changed, the event made last time comes back (`events`, by path): its pages stay current
    without a second look."""
    if not event.figures:
        return event
    found = [inspect_figure(figure, pictures, problems, event.path) for figure in event.figures]
    last = events.get(event.path)
    if last is not None and last[0] is event and [f.picture for f in last[1].figures] == found:
        return last[1]
    shown = iter(found)
    media = tuple(dataclasses.replace(item, picture=next(shown)) if isinstance(item, Figure) else item
                  for item in event.media)
    events[event.path] = (event, dataclasses.replace(event, media=media))
    return events[event.path][1]


def _inspect(file: str) -> Inspected:
    """Open an image with Pillow: its format, size and digest, or what is wrong with it."""
    from PIL import Image, UnidentifiedImageError

    stamp = FileStamp.of(file)
    if stamp is None:
        return Inspected(None, None, "not a readable file")
    if stamp.size > MAX_FILE_BYTES:
        return Inspected(stamp, None, f"the file is {stamp.size / 2**20:.0f} MB; at most "
                         f"{MAX_FILE_BYTES // 2**20} MB (export a smaller JPEG or PNG)")
    with open(file, "rb") as handle:
        data = handle.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of large images; the size is checked here
            image = Image.open(io.BytesIO(data))
            kind = FORMATS.get(image.format or "")
            if kind is None:
                return Inspected(stamp, None, f"{image.format} images are not supported; use JPEG, PNG, WebP or GIF")
            width, height = image.size
            if width * height > MAX_PIXELS:
                return Inspected(stamp, None, f"the image is {width} x {height} ({width * height / 1e6:.0f} "
                                 f"megapixels); at most {MAX_PIXELS // 1_000_000} (make it smaller first)")
            image.load()  # a truncated or corrupt file fails here, not in the middle of a build
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as err:
        return Inspected(stamp, None, f"not an image Pillow can read ({type(err).__name__}); "
                         "save it again as JPEG, PNG, WebP or GIF")
    if _orientation(image) in (5, 6, 7, 8):  # a phone photo taken upright is stored sideways
        width, height = height, width
    return Inspected(stamp, Picture(file, hashlib.sha256(data).hexdigest()[:16], width, height, kind), None)


def _orientation(image: Any) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except (ValueError, TypeError, OSError):
        return 1


# --- derivatives -------------------------------------------------------------------------

@dataclass(frozen=True)
class Variant:
    """One derivative of a picture: where it goes in the site and how it is made."""

    path: str  # site path, e.g. media/3f2a…-960.webp
    digest: str
    file: str  # the original
    width: int
    height: int
    format: str  # "avif", "webp", "jpeg", "png"

    @property
    def mime(self) -> str:
        return f"image/{self.format}"


def modern_formats() -> tuple[str, ...]:
    """The formats offered before the original's: AVIF where this Pillow can write it, WebP."""
    from PIL import features

    return (("avif",) if features.check("avif") else ()) + ("webp",)


def fallback_format(picture: Picture) -> str:
    """What browsers without the modern formats get: JPEG stays JPEG, the rest PNG."""
    return "jpeg" if picture.format == "jpeg" else "png"


def widths(picture: Picture) -> tuple[int, ...]:
    """The widths a picture is offered in: the standard ones below its own, and its own
    (at most the largest standard one); never enlarged."""
    largest = min(picture.width, WIDTHS[-1])
    return tuple(w for w in WIDTHS if w < largest) + (largest,)


def variants(picture: Picture) -> tuple[Variant, ...]:
    """Every derivative of a picture, modern formats first, each format from small to large."""
    found = []
    for kind in (*modern_formats(), fallback_format(picture)):
        for width in widths(picture):
            height = max(1, round(picture.height * width / picture.width))
            extension = "jpg" if kind == "jpeg" else kind
            found.append(Variant(urls.media(f"{picture.digest}-{width}.{extension}"), picture.digest, picture.file,
                                 width, height, kind))
    return tuple(found)


def encode(variant: Variant) -> bytes:
    """A derivative's bytes: the original turned upright, resized, and saved with no EXIF,
    XMP or text chunks (a phone photo's GPS position is never published); its colour
    profile is kept. The same input and Pillow give the same bytes."""
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Image.open(variant.file) as original:
            original.seek(0)  # an animated GIF shows its first frame
            icc = original.info.get("icc_profile")
            palette = original.mode == "P"
            image = ImageOps.exif_transpose(original.convert("RGBA" if _has_alpha(original) else "RGB"))
    if (image.width, image.height) != (variant.width, variant.height):
        image = image.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
    if variant.format == "jpeg" and image.mode != "RGB":
        image = image.convert("RGB")
    out = io.BytesIO()
    options: dict[str, Any] = {"icc_profile": icc} if icc else {}
    if variant.format == "avif":
        image.save(out, "AVIF", quality=55, speed=8, max_threads=1, **options)  # one thread: the same bytes anywhere
    elif variant.format == "webp":
        image.save(out, "WEBP", quality=78, method=4, **options)
    elif variant.format == "jpeg":
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True, **options)
    else:  # a chart drawn in few colours stays a small palette PNG
        if palette:
            image = image.quantize(256, Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT)
        image.save(out, "PNG", optimize=True, **options)
    return out.getvalue()


def _has_alpha(image: Any) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


class MediaCache:
    """Derivatives already encoded, by name (digest, width, format) and Pillow version: a
    warm build encodes nothing. On disk under the build cache; in memory without one."""

    def __init__(self, folder: Path | None, memory: dict[str, bytes]) -> None:
        from PIL import __version__ as pillow

        self.folder = folder / f"media-pillow-{pillow}" if folder is not None else None
        self.memory = memory

    def has(self, variant: Variant) -> bool:
        """Whether the derivative is encoded already (reading it costs no encoding)."""
        name = variant.path.rsplit("/", 1)[-1]
        return name in self.memory if self.folder is None else (self.folder / name).is_file()

    def get(self, variant: Variant) -> bytes:
        name = variant.path.rsplit("/", 1)[-1]
        if self.folder is None:
            if name not in self.memory:
                self.memory[name] = encode(variant)
            return self.memory[name]
        cached = self.folder / name
        try:
            return cached.read_bytes()
        except FileNotFoundError:
            pass
        data = encode(variant)
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{name}.{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, cached)
        return data
