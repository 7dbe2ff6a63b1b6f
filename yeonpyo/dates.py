"""The date rules: parsing the five precisions, instants in a time zone, and CLDR display.

Every date a reader sees is formatted here through Babel (never the process locale), so the
output is the same on every machine; Babel is pinned in pyproject.toml for the same reason.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.dates import format_datetime, get_period_id, get_timezone_name, match_skeleton

from .problems import shown

_CALENDAR = ZoneInfo("UTC")  # a calendar date without a time is the same in every zone
PRECISIONS = ("year", "month", "day", "period", "minute")
# Parts of a day for times the sources give only roughly ("Monday morning"): the hours each
# covers in the event's zone, and an hour inside it from which CLDR names it in each language
# (morning -> "morning" / "오전").
DAY_PERIODS = {"morning": (6, 12), "afternoon": (12, 18), "evening": (18, 21), "night": (21, 24)}
_PERIOD_SAMPLE = {"morning": 9, "afternoon": 15, "evening": 19, "night": 22}
YEARS = (1000, 9998)  # within these, every instant converts to any zone and back
_FORM = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T](?:(\d{1,2}):(\d{2})(?:\s*([+-])(\d{2}):?(\d{2}))?"
                   r"|(morning|afternoon|evening|night)))?)?)?$")
_FORMS_HINT = ("use YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DD HH:MM or a part of the day such as "
               "YYYY-MM-DD morning (afternoon, evening, night)")
# CLDR skeletons per precision; the time of day follows the house style.
_SKELETONS = {"year": "y", "month": "yMMMM", "day": "yMMMEd"}
_PLAIN_SKELETONS = {"year": "y", "month": "yMMMM", "day": "yMMMd", "period": "yMMMd", "minute": "yMMMd"}


@functools.cache
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
    """A date known to year, month, day, part of a day or minute precision, as the author wrote it.

    `offset` (minutes east of UTC) is given only where the author stated it, to say which of
    the two readings of a local time repeated when clocks go back is meant."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    period: str | None = None  # a key of DAY_PERIODS
    offset: int | None = None

    @property
    def precision(self) -> str:
        """The finest field given: 'year', 'month', 'day', 'period' or 'minute'."""
        if self.minute is not None:
            return "minute"
        if self.period is not None:
            return "period"
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def sort_key(self) -> tuple[int, int, int, int, int]:
        """Calendar order ignoring zones, a missing field before any given one."""
        hour = DAY_PERIODS[self.period][0] if self.period else self.hour
        return (self.year, self.month or 0, self.day or 0, -1 if hour is None else hour, self.minute or 0)

    @property
    def precision_rank(self) -> int:
        """0 for a year … 3 for a minute: coarser periods sort first on a tie."""
        return PRECISIONS.index(self.precision)


def parse_when(value: object) -> When:
    """Normalise what YAML gave (int, str, date) into a `When`; ValueError names the fault."""
    if isinstance(value, dt.datetime):
        value = value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, dt.date):
        value = value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"{shown(value)} is not a date; {_FORMS_HINT}")
    match = _FORM.match(str(value).strip())
    if not match:
        raise ValueError(f"{shown(value)} is not a date; {_FORMS_HINT}")
    *numbers, sign, offset_hours, offset_minutes, period = match.groups()
    year = int(numbers[0])  # the pattern requires it
    month, day, hour, minute = (int(g) if g is not None else None for g in numbers[1:])
    try:
        dt.datetime(year, month or 1, day or 1, hour or 0, minute or 0)
    except ValueError as err:
        raise ValueError(f"{shown(value)} is not a real date ({err})") from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"the year {year} is outside the years this site can show ({YEARS[0]}-{YEARS[1]})")
    offset = None
    if sign:
        offset = (1 if sign == "+" else -1) * (int(offset_hours) * 60 + int(offset_minutes))
        if abs(offset) > 18 * 60:
            raise ValueError(f"{shown(value)}: a UTC offset is at most 18 hours")
    return When(year, month, day, hour, minute, period, offset)




def local_time_problem(when: When, zone: ZoneInfo) -> str | None:
    """Why a minute-precision local time cannot name one instant in `zone`, or None.

    Clocks that spring forward skip an hour (2024-03-10 02:30 never happened in Los Angeles);
    clocks that fall back repeat one, and then only a stated offset (`01:30 -07:00`) says which."""
    if when.precision != "minute":
        return None
    naive = dt.datetime(when.year, when.month or 1, when.day or 1, when.hour or 0, when.minute or 0)
    readings = [naive.replace(tzinfo=zone, fold=fold) for fold in (0, 1)]  # a list: the two compare equal
    real = [moment for moment in readings
            if moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == naive]
    if not real:
        return f"{naive:%Y-%m-%d %H:%M} does not exist in {zone.key} (the clocks skip it); check the time"
    offsets = list(dict.fromkeys(_minutes(moment.utcoffset()) for moment in real))  # the earlier reading first
    if when.offset is not None:
        valid = offsets
        if when.offset not in valid:
            return (f"{naive:%Y-%m-%d %H:%M} in {zone.key} is at UTC{' or '.join(map(_offset_text, valid))}, "
                    f"not {_offset_text(when.offset)}")
    elif len(offsets) > 1:
        return (f"{naive:%Y-%m-%d %H:%M} happens twice in {zone.key} (the clocks go back); add the offset, "
                f"`{naive:%Y-%m-%d %H:%M} {_offset_text(offsets[0])}` or `{_offset_text(offsets[1])}`")
    return None


def _minutes(delta: dt.timedelta | None) -> int:
    return int((delta or dt.timedelta()).total_seconds() // 60)


def _offset_text(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# Names that zoneinfo may find on a machine but that are not zones of a place: they mean
# whatever the build machine is set to, or nothing.
_NOT_ZONES = {"localtime", "posixrules", "Factory"}


@functools.lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(name for name in available_timezones()
                     if name not in _NOT_ZONES and not name.startswith(("posix/", "right/")))


def parse_zone(name: object) -> ZoneInfo:
    """An IANA zone such as `America/Los_Angeles`; ValueError for an unknown name."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{shown(name)} is not a time zone name such as America/Los_Angeles")
    if name.strip() not in _zone_names():
        raise ValueError(f"unknown time zone {shown(name)} (use an IANA name such as Asia/Seoul)")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {shown(name)} (use an IANA name such as Asia/Seoul)") from None


def start_of(when: When, zone: ZoneInfo) -> dt.datetime:
    """The first instant of the period `when` names, in `zone` (for a local time that
    happens twice, the reading its stated offset names)."""
    hour = DAY_PERIODS[when.period][0] if when.period else when.hour or 0
    moment = dt.datetime(when.year, when.month or 1, when.day or 1, hour, when.minute or 0, tzinfo=zone)
    if when.offset is not None and _minutes(moment.utcoffset()) != when.offset:
        moment = moment.replace(fold=1)
    return moment


def end_of(when: When, zone: ZoneInfo) -> dt.datetime:
    """The instant just after the period `when` names (exclusive end), in `zone`."""
    start = start_of(when, zone)
    if when.precision == "minute":  # through UTC: arithmetic within a zone ignores which reading `fold` names
        return (start.astimezone(dt.UTC) + dt.timedelta(minutes=1)).astimezone(zone)
    if when.precision == "period":
        last = DAY_PERIODS[when.period][1]  # type: ignore[index]
        day = start.date() + dt.timedelta(days=last // 24)
        return dt.datetime.combine(day, dt.time(last % 24), zone)
    if when.precision == "day":
        return dt.datetime.combine(start.date() + dt.timedelta(days=1), dt.time(), zone)
    if when.precision == "month":
        year, month = divmod(start.month, 12)
        return dt.datetime(start.year + year, month + 1, 1, tzinfo=zone)
    return dt.datetime(start.year + 1, 1, 1, tzinfo=zone)


def machine_value(when: When, zone: ZoneInfo) -> str:
    """The `<time datetime>` value: the stated day, month or year, or a time with its UTC
    offset (none for an old local mean time, whose offset has seconds HTML cannot write)."""
    if when.precision == "minute":
        moment = start_of(when, zone)
        offset = moment.utcoffset() or dt.timedelta()
        return (moment.isoformat(timespec="minutes") if not offset.total_seconds() % 60
                else moment.replace(tzinfo=None).isoformat(timespec="minutes"))
    parts = [f"{when.year:04d}", f"{when.month:02d}" if when.month else "", f"{when.day:02d}" if when.day else ""]
    return "-".join(p for p in parts if p)


def instant(when: When, zone: ZoneInfo) -> float:
    """The first instant of `when` in `zone` as POSIX seconds: what orders events across zones."""
    return start_of(when, zone).timestamp()


@dataclass(frozen=True)
class DateWords:
    """How one language's pages write dates: the words CLDR lacks, from the UI strings, and
    the zones they name with a word instead of the zone's name.

    `home` is the readers' zone (Korean readers: Asia/Seoul), named `home_time` ("한국시간")
    and shown beside a time elsewhere; `local` is the site's zone, named `local_time`
    ("현지시간") where the language has such a word (English names every zone: "PST")."""

    about: str
    local_time: str
    home_time: str
    home: ZoneInfo | None = None
    local: ZoneInfo | None = None


def display(when: When, zone: ZoneInfo, lang: str, words: DateWords, approximate: bool = False) -> str:
    """The reader-facing date in `lang`, at the precision given, with its zone when timed."""
    moment = start_of(when, zone)
    if when.precision == "period":  # a part of the day is as local as a time: its zone is named too
        day = format_skeleton("yMMMEd", moment, locale=lang)
        return _date_and_time(day, _with_zone(day_period_name(when.period, lang), moment, lang, words), lang)  # type: ignore[arg-type]
    if when.precision != "minute":
        text = format_skeleton(_SKELETONS[when.precision], moment, locale=lang)
        return f"{words.about} {text}" if approximate else text
    day = format_skeleton("yMMMEd", moment, locale=lang)
    time = _time(moment, lang)
    if approximate:
        time = f"{words.about} {time}"
    return _date_and_time(day, _with_zone(time, moment, lang, words), lang)


def _date_and_time(day: str, time: str, lang: str) -> str:
    """A date and a time joined as CLDR joins them in `lang` ("Fri, Nov 17, 2023, 12:23 PM")."""
    return str(Locale.parse(lang).datetime_formats["medium"]).replace("{1}", day).replace("{0}", time)


def _time(moment: dt.datetime, lang: str) -> str:
    """CLDR's short time of day, with the wide name of AM/PM (Korean's abbreviated one is "PM", its wide one 오후)."""
    return format_datetime(moment, _time_pattern(lang), tzinfo=moment.tzinfo, locale=lang)


@functools.cache
def _time_pattern(lang: str) -> str:
    return re.sub(r"(?<!a)a(?!a)", "aaaa", str(Locale.parse(lang).time_formats["short"]))


def _with_zone(time: str, moment: dt.datetime, lang: str, words: DateWords) -> str:
    """A time of day with its zone named: by a word ("현지시간", "한국시간") where the
    language has one for that zone, else by the zone's abbreviation or name."""
    key = moment.tzinfo.key  # type: ignore[union-attr]
    if words.home is not None and key == words.home.key and words.home_time:
        return f"{time} ({words.home_time})"
    if words.local is not None and key == words.local.key and words.local_time:
        return f"{time} ({words.local_time})"
    name = zone_name(moment, lang)
    return f"{time} {name}" if _is_abbreviation(name) else f"{time} ({name})"


def zone_name(moment: dt.datetime, lang: str) -> str:
    """How `lang` names the zone of `moment`: CLDR's abbreviation where it has one (PST),
    else for English the zone database's (KST), else CLDR's name of the zone ("미 동부 시간")."""
    short = get_timezone_name(moment, "short", locale=lang)
    if _is_abbreviation(short):
        return short
    abbreviation = moment.tzname() or ""
    if lang.split("-")[0] == "en" and _is_abbreviation(abbreviation):
        return abbreviation
    return get_timezone_name(moment, "long", locale=lang, zone_variant="generic")


def _is_abbreviation(name: str) -> bool:
    return 2 <= len(name) <= 5 and name.isascii() and name.isalpha() and name.isupper()


def day_period_name(period: str, lang: str) -> str:
    """CLDR's stand-alone name for a part of the day in `lang` ("morning", "오전")."""
    locale = Locale.parse(lang)
    cldr = get_period_id(dt.time(_PERIOD_SAMPLE[period]), type="selection", locale=locale)
    return str(locale.day_periods["stand-alone"]["wide"][cldr])


@functools.lru_cache(maxsize=4096)  # a source's date is shown under every event that cites it
def plain_display(when: When, lang: str) -> str:
    """A calendar date without weekday or time, for publication dates in a bibliography."""
    return format_skeleton(_PLAIN_SKELETONS[when.precision], start_of(when, _CALENDAR), locale=lang)


def home_display(when: When, zone: ZoneInfo, lang: str, words: DateWords) -> str | None:
    """The readers' own time beside a minute-precision time elsewhere ("한국시간 11월 18일
    (토) 오전 5:23"), for languages whose pages name a home zone; else None."""
    home = words.home
    if home is None or when.precision != "minute" or zone.key == home.key:
        return None
    moment = start_of(when, zone).astimezone(home)
    day = format_skeleton("MMMEd", moment, locale=lang)
    return f"{words.home_time} {day} {_time(moment, lang)}"
