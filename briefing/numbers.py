"""Figures to text per language: digits, separators, plural-agreeing units (CLDR via Babel)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from briefing.calendars import Calendar, MonthStyle, date_text
from briefing.model import DigitStyle, Figure, Lang, Unit

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# Qualifiers belong to the figure; Arabic puts "at least" after the quantity.
QUALIFIER_PATTERNS: dict[str, dict[str, str]] = {
    "": {"en": "{}", "ar": "{}"},
    "more_than": {"en": "more than {}", "ar": "أكثر من {}"},
    "at_least": {"en": "at least {}", "ar": "{} على الأقل"},
    "about": {"en": "about {}", "ar": "نحو {}"},
    "up_to": {"en": "up to {}", "ar": "ما يصل إلى {}"},
}

QUALIFIER_NAMES: dict[str, dict[str, str]] = {
    "": {"en": "exact", "ar": "دقيق"},
    "more_than": {"en": "more than", "ar": "أكثر من"},
    "at_least": {"en": "at least", "ar": "على الأقل"},
    "about": {"en": "about", "ar": "نحو"},
    "up_to": {"en": "up to", "ar": "حتى"},
}


def localize_digits(text: str, lang: Lang, digits: DigitStyle) -> str:
    """Return ``text`` with Western digits turned Arabic-Indic when the brief asks for them."""
    if lang == "ar" and digits == "arabic":
        return text.translate(ARABIC_INDIC)
    return text


# A word holding a Latin letter is a Latin word (COP29, BR-2025/117): its digits stay.
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"\S+")
# Separators inside a number written with Western digits, and the percent sign after one.
_DECIMAL_POINT = re.compile(r"(?<=[0-9])\.(?=[0-9])")
_GROUP_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_PERCENT = re.compile(r"(?<=[0-9])%")
# Superscript powers have no Arabic-Indic form: the units are written out instead.
_POWER_UNITS = (
    ("كم²", "كيلومتر مربع"),
    ("كم³", "كيلومتر مكعب"),
    ("م²", "متر مربع"),
    ("م³", "متر مكعب"),
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "٠١٢٣٤٥٦٧٨٩")


def localize_text(text: str, lang: Lang, digits: DigitStyle) -> str:
    """Return Arabic running text with every number in the brief's digits.

    With Arabic-Indic digits chosen, the Western digits of the Arabic words of ``text``
    ("الكوب29", "20 أكتوبر 2025", "45.5%") become Arabic-Indic with the Arabic decimal
    and thousands separators and percent sign; words with a Latin letter (COP29, a
    reference such as BR-2025/117) are Latin and keep theirs. A power written as a
    superscript ("م³") has no Arabic-Indic form, so the unit is written out. English
    text, and Arabic with Western digits, is returned as it is.
    """
    if lang != "ar" or digits != "arabic":
        return text

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        if _LATIN_LETTER.search(token):
            return token
        for short, long in _POWER_UNITS:
            token = token.replace(short, long)
        token = _DECIMAL_POINT.sub("\u066b", token)
        token = _GROUP_COMMA.sub("\u066c", token)
        token = _PERCENT.sub("\u066a", token)
        return token.translate(ARABIC_INDIC).translate(_SUPERSCRIPTS)

    return _WORD.sub(word, text)


def format_number(value: Decimal, lang: Lang, digits: DigitStyle, grouping: bool = True) -> str:
    """Return ``value`` with the separators and digits of the language and digit style.

    English uses CLDR ``en``; Arabic with Western digits uses CLDR ``ar`` (1,234.5);
    Arabic with Arabic-Indic digits uses the Arabic separators (١٬٢٣٤٫٥).
    """
    normalized = value.normalize() if value == value.to_integral_value() else value
    if normalized == normalized.to_integral_value():
        normalized = normalized.quantize(Decimal(1))
    if lang == "ar" and digits == "arabic":
        text = format_decimal(
            normalized,
            locale="ar",
            decimal_quantization=False,
            group_separator=grouping,
            numbering_system="arab",
        )
        return text.translate(ARABIC_INDIC)
    return format_decimal(
        normalized,
        locale="ar" if lang == "ar" else "en",
        decimal_quantization=False,
        group_separator=grouping,
    )


def arabic_plural_category(value: Decimal) -> str:
    """Return the CLDR Arabic plural category that governs the counted noun.

    Arabic agreement follows the integer part of the number as it is read aloud
    ("4.4 billion" is read "four point four" and takes the plural of 3–10).
    """
    n = int(abs(value)) % 100
    whole = int(abs(value))
    if whole == 0:
        return "zero"
    if whole == 1:
        return "one"
    if whole == 2:
        return "two"
    if 3 <= n <= 10:
        return "few"
    if 11 <= n <= 99:
        return "many"
    return "other"


def english_plural_category(value: Decimal) -> str:
    """Return ``one`` for exactly 1, else ``other``."""
    return "one" if value == 1 else "other"


def unit_words(unit: Unit, value: Decimal, lang: Lang) -> str:
    """Return the unit's words agreeing with ``value`` in ``lang``."""
    category = arabic_plural_category(value) if lang == "ar" else english_plural_category(value)
    return unit.form(lang, category)


def unit_short(unit: Unit, lang: Lang) -> str:
    """Return the unit's short label for tables and chart axes."""
    return unit.form(lang, "short") or unit.form(lang, "other")


def figure_number(figure: Figure, lang: Lang, digits: DigitStyle) -> str:
    """Return the figure's bare number (years without grouping)."""
    return format_number(figure.value, lang, digits, grouping=figure.kind != "year")


def figure_phrase(figure: Figure, unit: Unit, lang: Lang, digits: DigitStyle) -> str:
    """Return the figure as prose: qualifier, number and agreeing unit ("more than 50 percent").

    Documents join its words with no-break spaces (``tie``).
    """
    number = figure_number(figure, lang, digits)
    words = unit_words(unit, figure.value, lang)
    if unit.dimension == "share" and lang == "en" and words in ("%", ""):
        quantity = f"{number}%"
    else:
        quantity = f"{number} {words}".strip()
    return QUALIFIER_PATTERNS[figure.qualifier][lang].format(quantity)


def figure_value_cell(figure: Figure, lang: Lang, digits: DigitStyle) -> str:
    """Return the value as a table cell: qualifier and number, without the unit."""
    number = figure_number(figure, lang, digits)
    return QUALIFIER_PATTERNS[figure.qualifier][lang].format(number)


def figure_unit_cell(figure: Figure, unit: Unit, lang: Lang) -> str:
    """Return the unit as a table cell beside the value, agreeing with it ("7 | أشهر")."""
    return unit_words(unit, figure.value, lang) or unit_short(unit, lang)


_BESIDE_NUMBER = re.compile(r" (?=[0-9\u0660-\u0669])|(?<=[0-9\u0660-\u0669%\u066a]) ")


def tie(text: str) -> str:
    """Return ``text`` with no-break spaces on both sides of its number, so that a line
    never ends between the number and its unit, or between "more than" and the number
    ("more than\u00a050\u00a0percent"); the other words may still part."""
    return _BESIDE_NUMBER.sub("\u00a0", text)


def format_date(
    value: date | None,
    lang: Lang,
    digits: DigitStyle,
    calendar: Calendar = "gregorian",
    months: MonthStyle = "egyptian",
) -> str:
    """Return a long date ("20 October 2025", "20 أكتوبر 2025") in the brief's digits,
    calendar(s) and Arabic month-name style (see :mod:`briefing.calendars`)."""
    if value is None:
        return ""
    return localize_digits(date_text(value, lang, calendar, months), lang, digits)
