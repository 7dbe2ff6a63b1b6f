"""The interface strings: counts in each language's plural forms."""

from __future__ import annotations

import pytest

from yeonpyo.i18n import counted


@pytest.mark.parametrize("lang, key, n, text", [
    ("en", "event_count", 0, "0 events"), ("en", "event_count", 1, "1 event"), ("en", "event_count", 2, "2 events"),
    ("en", "event_count", 21, "21 events"), ("en", "label_events", 1, "1 event"),
    ("ko", "event_count", 1, "사건 1건"), ("ko", "event_count", 2, "사건 2건"),
])
def test_counts_take_the_plural_form_of_the_language(strings, lang, key, n, text):
    assert counted(strings[lang], lang, key, n) == text


def test_other_fields_fill_in_beside_the_count(strings):
    assert counted(strings["en"], "en", "chart_bin", 1, period="May 2019") == "May 2019: 1 event"
