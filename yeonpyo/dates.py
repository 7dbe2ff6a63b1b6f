"""The date rules: parsing the four precisions, instants in a time zone, and CLDR display.

Every date a reader sees is formatted here through Babel (never the process locale), so the
output is the same on every machine; Babel is pinned in pyproject.toml for the same reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_datetime, match_skeleton

KOREA = ZoneInfo("Asia/Seoul")
PRECISIONS = ("year", "month", "day", "minute")
_FORM = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?)?)?$")
_FORMS_HINT = "use YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM"
# CLDR skeletons per precision; the time of day follows the house style.
_SKELETONS = {"year": "y", "month": "yMMMM", "day": "yMMMEd"}
_PLAIN_SKELETONS = {"year": "y", "month": "yMMMM", "day": "yMMMd", "minute": "yMMMd"}
_TIME_PATTERN = {"ko": "aaaa h:mm", "en": "h:mm a zzz"}


@functools.lru_cache(maxsize=None)
def _skeleton_pattern(skeleton: str, lang: str) -> str:
    """CLDR's pattern for a skeleton in a language (Babel's format_skeleton, resolved once)."""
    skeletons = Locale.parse(lang).datetime_skeletons
    if skeleton not in skeletons:
        skeleton = match_skeleton(skeleton, skeletons) or skeleton
    return str(skeletons[skeleton])


def load_locale(lang: str) -> None:
    """Read a language's CLDR data now (Babel reads it on first use, about 30 ms a language),
    so that processes forked after this share it instead of each reading it again."""
    Locale.parse(lang).datetime_skeletons  # noqa: B018 - the access loads the data


def format_skeleton(skeleton: str, moment: dt.datetime, locale: str) -> str:
    """A date in `locale` by CLDR skeleton, in the moment's own zone."""
    return format_datetime(moment, _skeleton_pattern(skeleton, locale), tzinfo=moment.tzinfo, locale=locale)


@dataclass(frozen=True, order=True)
class When:
    """A date known to year, month, day or minute precision, as the author wrote it."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None

    @property
    def precision(self) -> str:
        """The finest field given: 'year', 'month', 'day' or 'minute'."""
        if self.minute is not None:
            return "minute"
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def sort_key(self) -> tuple[int, int, int, int, int]:
        """Calendar order ignoring zones, a missing field before any given one."""
        return (self.year, self.month or 0, self.day or 0, -1 if self.hour is None else self.hour, self.minute or 0)

    @property
    def precision_rank(self) -> int:
        """0 for a year … 3 for a minute: coarser periods sort first on a tie."""
        return PRECISIONS.index(self.precision)


def parse_when(value: object) -> When:
    """Normalise what YAML gave (int, str, date) into a `When`; ValueError names the fault."""
    if isinstance(value, dt.datetime):
        return When(value.year, value.month, value.day, value.hour, value.minute)
    if isinstance(value, dt.date):
        return When(value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"`{value}` is not a date; {_FORMS_HINT}")
    match = _FORM.match(str(value).strip())
    if not match:
        raise ValueError(f"`{value}` is not a date; {_FORMS_HINT}")
    year, month, day, hour, minute = (int(g) if g is not None else None for g in match.groups())
    try:
        dt.datetime(year, month or 1, day or 1, hour or 0, minute or 0)
    except ValueError as err:
        raise ValueError(f"`{value}` is not a real date ({err})") from None
    return When(year, month, day, hour, minute)


def parse_zone(name: object) -> ZoneInfo:
    """An IANA zone such as `America/Los_Angeles`; ValueError for an unknown name."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"`{name}` is not a time zone name such as America/Los_Angeles")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone `{name}` (use an IANA name such as Asia/Seoul)") from None


def start_of(when: When, zone: ZoneInfo) -> dt.datetime:
    """The first instant of the period `when` names, in `zone`."""
    return dt.datetime(
        when.year, when.month or 1, when.day or 1, when.hour or 0, when.minute or 0, tzinfo=zone
    )


def end_of(when: When, zone: ZoneInfo) -> dt.datetime:
    """The instant just after the period `when` names (exclusive end), in `zone`."""
    start = start_of(when, zone)
    if when.precision == "minute":
        return start + dt.timedelta(minutes=1)
    if when.precision == "day":
        return dt.datetime.combine(start.date() + dt.timedelta(days=1), dt.time(), zone)
    if when.precision == "month":
        year, month = divmod(start.month, 12)
        return dt.datetime(start.year + year, month + 1, 1, tzinfo=zone)
    return dt.datetime(start.year + 1, 1, 1, tzinfo=zone)


def machine_value(when: When, zone: ZoneInfo) -> str:
    """The `<time datetime>` value: the stated period, with its UTC offset when timed."""
    if when.precision == "minute":
        return start_of(when, zone).isoformat(timespec="minutes")
    parts = [f"{when.year:04d}", f"{when.month:02d}" if when.month else "", f"{when.day:02d}" if when.day else ""]
    return "-".join(p for p in parts if p)


@dataclass(frozen=True)
class DateWords:
    """The few words a date needs besides CLDR's, from the language's UI strings."""

    about: str
    local_time: str
    korea_time: str


def display(when: When, zone: ZoneInfo, lang: str, words: DateWords, approximate: bool = False) -> str:
    """The reader-facing date in `lang`, at the precision given, with its zone when timed."""
    moment = start_of(when, zone)
    if when.precision != "minute":
        text = format_skeleton(_SKELETONS[when.precision], moment, locale=lang)
        return f"{words.about} {text}" if approximate else text
    day = format_skeleton("yMMMEd", moment, locale=lang)
    time = format_datetime(moment, _TIME_PATTERN[lang], tzinfo=zone, locale=lang)
    if approximate:
        time = f"{words.about} {time}"
    if lang == "ko":
        label = words.korea_time if zone.key == KOREA.key else words.local_time
        return f"{day} {time} ({label})"
    return f"{day}, {time}"


@functools.lru_cache(maxsize=4096)  # a source's date is shown under every event that cites it
def plain_display(when: When, lang: str) -> str:
    """A calendar date without weekday or time, for publication dates in a bibliography."""
    return format_skeleton(_PLAIN_SKELETONS[when.precision], start_of(when, KOREA), locale=lang)


def korea_display(when: When, zone: ZoneInfo, lang: str, words: DateWords) -> str | None:
    """Korea time beside a minute-precision time elsewhere, on Korean pages; else None."""
    if lang != "ko" or when.precision != "minute" or zone.key == KOREA.key:
        return None
    moment = start_of(when, zone).astimezone(KOREA)
    day = format_skeleton("MMMEd", moment, locale=lang)
    time = format_datetime(moment, _TIME_PATTERN[lang], tzinfo=KOREA, locale=lang)
    return f"{words.korea_time} {day} {time}"
