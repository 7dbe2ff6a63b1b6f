"""Interface strings: one table per language in `templates/strings/<lang>.yaml`."""

from __future__ import annotations

import functools
import re
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .dates import DateWords


def shown_language(texts: dict[str, str], lang: str, languages: tuple[str, ...]) -> str:
    """Which language's text a `lang` page shows: its own, else the first of the site's
    languages that has one (the page then marks it with `lang`)."""
    return lang if lang in texts else next(code for code in (*languages, *texts) if code in texts)


@functools.cache
def open_graph_locale(lang: str) -> str:
    """`ko_KR`, `en_US`: Open Graph wants a territory; CLDR's likely subtags give the usual one."""
    likely = get_global("likely_subtags").get(lang.replace("-", "_"), lang.replace("-", "_"))
    locale = Locale.parse(likely)
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language


_CODE = re.compile(r"^[a-z]{2,3}$")


@functools.cache
def known_language(code: str) -> bool:
    """A language CLDR has data for, named by its bare code (ko, en, ja, zh, ar): it is also
    the language's folder in every URL."""
    if not _CODE.match(code):
        return False
    try:
        Locale.parse(code)
    except (ValueError, LookupError, UnknownLocaleError):
        return False
    return True


@functools.cache
def text_direction(lang: str) -> str:
    """`rtl` for a language CLDR writes right to left (ar, he, fa), else `ltr`."""
    return "rtl" if Locale.parse(lang).character_order == "right-to-left" else "ltr"


def counted(strings: dict[str, str], lang: str, key: str, n: int, **fields: object) -> str:
    """`strings[key]` filled in for `n` things, in the plural form CLDR gives `n` in `lang`:
    `key_one` where the table has it ("1 event"), else `key` ("{n} events")."""
    form = Locale.parse(lang).plural_form(n)
    return strings.get(f"{key}_{form}", strings[key]).format(n=n, **fields)


def date_words(strings: dict[str, str], home: ZoneInfo | None = None, local: ZoneInfo | None = None) -> DateWords:
    """How one language writes dates: its words from its table, the readers' `home` zone and the site's `local` one."""
    return DateWords(strings["about"], strings["local_time"], strings["home_time"], home, local)


def language_name(code: str, in_lang: str) -> str:
    """A language's name in another language, from CLDR (`zh` in Korean is 중국어)."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(in_lang) or code
    except (ValueError, LookupError):
        return code
