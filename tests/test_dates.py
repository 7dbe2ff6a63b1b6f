"""The date rules, as tables: parsing YAML's values, periods, and display in both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from yeonpyo.dates import DateWords, When, display, end_of, korea_display, machine_value, parse_when, parse_zone
from yeonpyo.yamlio import load_yaml
from yeonpyo.problems import Problems
from pathlib import Path

LA = parse_zone("America/Los_Angeles")
SEOUL = parse_zone("Asia/Seoul")
KO = DateWords("약", "현지시간", "한국시간")
EN = DateWords("about", "local time", "Korea time")


@pytest.mark.parametrize("value, expected", [
    (2017, When(2017)),
    ("2017", When(2017)),
    ("2023-11", When(2023, 11)),
    ("2023-11-17", When(2023, 11, 17)),
    ("2023-11-17 12:23", When(2023, 11, 17, 12, 23)),
    ("2023-11-17T09:05", When(2023, 11, 17, 9, 5)),
    (dt.date(2023, 11, 17), When(2023, 11, 17)),
])
def test_parse_when_accepts_the_four_precisions(value, expected):
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
    ("2023-11-17 12:23", "en", False, "Fri, Nov 17, 2023, 12:23 PM PST"),
    ("2023-11-17 00:05", "ko", False, "2023년 11월 17일 (금) 오전 12:05 (현지시간)"),
    ("2023-07-17 12:23", "en", False, "Mon, Jul 17, 2023, 12:23 PM PDT"),
    ("2023-11-17 12:00", "ko", True, "2023년 11월 17일 (금) 약 오후 12:00 (현지시간)"),
    ("2023-11-17 12:00", "en", True, "Fri, Nov 17, 2023, about 12:00 PM PST"),
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


def test_korea_time_is_shown_beside_minute_precision_only():
    fired = parse_when("2023-11-17 12:23")
    assert korea_display(fired, LA, "ko", KO) == "한국시간 11월 18일 (토) 오전 5:23"
    assert korea_display(fired, LA, "en", EN) is None
    assert korea_display(parse_when("2023-11-17"), LA, "ko", KO) is None
    assert korea_display(fired, SEOUL, "ko", KO) is None
    assert display(fired, SEOUL, "ko", KO) == "2023년 11월 17일 (금) 오후 12:23 (한국시간)"


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
])
def test_a_period_ends_after_its_whole_stated_span(raw, expected):
    assert end_of(parse_when(raw), LA) == expected


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "PST8PDT/x", 5])
def test_unknown_zones_are_refused(name):
    with pytest.raises(ValueError):
        parse_zone(name)

