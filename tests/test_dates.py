"""The date rules, as tables: parsing YAML's values, periods, and display in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from yeonpyo.dates import (
    DateWords,
    When,
    display,
    end_of,
    home_display,
    local_time_problem,
    machine_value,
    parse_when,
    parse_zone,
    start_of,
)
from yeonpyo.problems import Problems
from yeonpyo.yamlio import load_yaml

LA = parse_zone("America/Los_Angeles")
SEOUL = parse_zone("Asia/Seoul")
NEW_YORK = parse_zone("America/New_York")
KO = DateWords("약", "현지시간", "한국시간", SEOUL, LA)
EN = DateWords("about", "", "Korea time", None, LA)
NNBSP = "\u202f"  # CLDR puts a narrow no-break space before AM/PM in English


@pytest.mark.parametrize("value, expected", [
    (2017, When(2017)),
    ("2017", When(2017)),
    ("2023-11", When(2023, 11)),
    ("2023-11-17", When(2023, 11, 17)),
    ("2023-11-17 12:23", When(2023, 11, 17, 12, 23)),
    ("2023-11-17T09:05", When(2023, 11, 17, 9, 5)),
    ("2023-11-20 morning", When(2023, 11, 20, period="morning")),
    ("2023-11-19 night", When(2023, 11, 19, period="night")),
    ("2024-11-03 01:30 -07:00", When(2024, 11, 3, 1, 30, offset=-420)),
    ("2024-11-03 01:30 +0530", When(2024, 11, 3, 1, 30, offset=330)),
    (dt.date(2023, 11, 17), When(2023, 11, 17)),
])
def test_parse_when_accepts_the_five_precisions(value, expected):
    assert parse_when(value) == expected


@pytest.mark.parametrize("value, fragment", [
    ("2023-02-30", "not a real date"),
    ("2023-13", "not a real date"),
    ("2023-11-17 25:00", "not a real date"),
    ("12:23", "not a date"),
    (743, "not a date"),
    (True, "not a date"),
    ("17 Nov 2023", "not a date"),
    ("", "not a date"),
    ("2023-11-20 noon", "not a date"),
    ("2023-11 morning", "not a date"),
    ("9999-12-31", "outside the years"),
    ("0001-01-01", "outside the years"),
    ("2023-11-17 12:00 +19:00", "at most 18 hours"),
    ("x" * 5000, "is not a date"),
])
def test_parse_when_rejects_with_a_reason(value, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_when(value)


@pytest.mark.parametrize("yaml_text, expected", [
    ("d: 2023-11-17", "2023-11-17"),     # PyYAML alone would make a datetime.date
    ("d: 2023", 2023),
    ("d: 2023-11", "2023-11"),
    ("d: 2023-11-17 12:23", "2023-11-17 12:23"),
    ("d: 12:23", "12:23"),               # PyYAML alone: the base-60 integer 743
    ("d: 2023-02-30", "2023-02-30"),     # PyYAML alone: ValueError from safe_load
])
def test_yaml_keeps_dates_for_the_date_rules(yaml_text, expected):
    assert load_yaml(yaml_text, Path("x.yaml"), Problems())["d"] == expected


@pytest.mark.parametrize("raw, lang, approximate, expected", [
    ("2023-11-17 12:23", "ko", False, "2023년 11월 17일 (금) 오후 12:23 (현지시간)"),
    ("2023-11-17 12:23", "en", False, f"Fri, Nov 17, 2023, 12:23{NNBSP}PM PST"),
    ("2023-11-17 00:05", "ko", False, "2023년 11월 17일 (금) 오전 12:05 (현지시간)"),
    ("2023-07-17 12:23", "en", False, f"Mon, Jul 17, 2023, 12:23{NNBSP}PM PDT"),
    ("2023-11-17 12:00", "ko", True, "2023년 11월 17일 (금) 약 오후 12:00 (현지시간)"),
    ("2023-11-17 12:00", "en", True, f"Fri, Nov 17, 2023, about 12:00{NNBSP}PM PST"),
    ("2023-11-20 morning", "en", False, "Mon, Nov 20, 2023, morning PST"),
    ("2023-11-20 morning", "ko", False, "2023년 11월 20일 (월) 오전 (현지시간)"),
    ("2023-11-20 afternoon", "ko", False, "2023년 11월 20일 (월) 오후 (현지시간)"),
    ("2023-11-20 evening", "en", False, "Mon, Nov 20, 2023, evening PST"),
    ("2023-11-19 night", "ko", False, "2023년 11월 19일 (일) 밤 (현지시간)"),
    ("2023-11-17", "ko", False, "2023년 11월 17일 (금)"),
    ("2023-11-17", "en", False, "Fri, Nov 17, 2023"),
    ("2023-11-17", "en", True, "about Fri, Nov 17, 2023"),
    ("2023-11", "ko", False, "2023년 11월"),
    ("2023-11", "en", False, "November 2023"),
    ("2017", "ko", False, "2017년"),
    ("2017", "en", False, "2017"),
    ("2017", "ko", True, "약 2017년"),
])
def test_display_respects_precision_and_language(raw, lang, approximate, expected):
    words = KO if lang == "ko" else EN
    assert display(parse_when(raw), LA, lang, words, approximate) == expected


def test_home_time_is_shown_beside_minute_precision_only():
    fired = parse_when("2023-11-17 12:23")
    assert home_display(fired, LA, "ko", KO) == "한국시간 11월 18일 (토) 오전 5:23"
    assert home_display(fired, LA, "en", EN) is None
    assert home_display(parse_when("2023-11-17"), LA, "ko", KO) is None
    assert home_display(parse_when("2023-11-20 morning"), LA, "ko", KO) is None
    assert home_display(fired, SEOUL, "ko", KO) is None
    assert display(fired, SEOUL, "ko", KO) == "2023년 11월 17일 (금) 오후 12:23 (한국시간)"


@pytest.mark.parametrize("zone, lang, expected", [
    (LA, "ko", "오후 7:09 (현지시간)"),           # the site's zone: local time
    (NEW_YORK, "ko", "오후 7:09 (미 동부 시간)"),  # elsewhere: the zone is named, never "local time"
    (SEOUL, "ko", "오후 7:09 (한국시간)"),
    (LA, "en", f"7:09{NNBSP}PM PST"),
    (NEW_YORK, "en", f"7:09{NNBSP}PM EST"),
    (SEOUL, "en", f"7:09{NNBSP}PM KST"),            # the zone database's abbreviation, never +0900
])
def test_every_time_names_its_zone(zone, lang, expected):
    assert display(parse_when("2023-11-17 19:09"), zone, lang, KO if lang == "ko" else EN).endswith(expected)


@pytest.mark.parametrize("raw, problem", [
    ("2024-03-10 02:30", "2024-03-10 02:30 does not exist in America/Los_Angeles (the clocks skip it); check the time"),
    ("2024-11-03 01:30", "2024-11-03 01:30 happens twice in America/Los_Angeles (the clocks go back); add the offset, "
                         "`2024-11-03 01:30 -07:00` or `-08:00`"),
    ("2024-11-03 01:30 -05:00", "2024-11-03 01:30 in America/Los_Angeles is at UTC-07:00 or -08:00, not -05:00"),
    ("2023-11-17 09:00 -07:00", "2023-11-17 09:00 in America/Los_Angeles is at UTC-08:00, not -07:00"),
    ("2024-11-03 01:30 -07:00", None),
    ("2024-11-03 01:30 -08:00", None),
    ("2024-03-10 02:30 -08:00", "2024-03-10 02:30 does not exist"),
    ("2023-11-17 12:23", None),
    ("2024-03-10", None),
])
def test_local_times_that_do_not_name_one_instant_are_refused(raw, problem):
    found = local_time_problem(parse_when(raw), LA)
    assert found == problem or (problem is not None and found is not None and found.startswith(problem))


def test_a_stated_offset_picks_the_reading_of_a_repeated_hour():
    first, second = parse_when("2024-11-03 01:30 -07:00"), parse_when("2024-11-03 01:30 -08:00")
    assert start_of(second, LA).timestamp() - start_of(first, LA).timestamp() == 3600
    assert end_of(second, LA).timestamp() - start_of(second, LA).timestamp() == 60
    assert display(second, LA, "en", EN).endswith("PST") and display(first, LA, "en", EN).endswith("PDT")


@pytest.mark.parametrize("raw, expected", [
    ("2023-11-17 12:23", "2023-11-17T12:23-08:00"),
    ("2023-07-17 12:23", "2023-07-17T12:23-07:00"),
    ("2023-11-17", "2023-11-17"),
    ("2023-11", "2023-11"),
    ("2017", "2017"),
])
def test_machine_value_keeps_the_stated_value_with_offset(raw, expected):
    assert machine_value(parse_when(raw), LA) == expected


@pytest.mark.parametrize("raw, expected", [
    ("2023", dt.datetime(2024, 1, 1, tzinfo=LA)),
    ("2023-12", dt.datetime(2024, 1, 1, tzinfo=LA)),
    ("2024-02", dt.datetime(2024, 3, 1, tzinfo=LA)),
    ("2023-11-21", dt.datetime(2023, 11, 22, tzinfo=LA)),
    ("2023-11-21 22:00", dt.datetime(2023, 11, 21, 22, 1, tzinfo=LA)),
    ("2023-11-20 morning", dt.datetime(2023, 11, 20, 12, tzinfo=LA)),
    ("2023-11-20 evening", dt.datetime(2023, 11, 20, 21, tzinfo=LA)),
    ("2023-11-20 night", dt.datetime(2023, 11, 21, 0, tzinfo=LA)),
])
def test_a_period_ends_after_its_whole_stated_span(raw, expected):
    assert end_of(parse_when(raw), LA) == expected


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "PST8PDT/x", 5, "localtime", "posixrules", "Factory",
                                  "posix/Asia/Seoul", "asia/seoul", "../../etc/passwd"])
def test_unknown_zones_are_refused(name):
    with pytest.raises(ValueError):
        parse_zone(name)

