"""Numbers per language: digits, separators, years, plural agreement and qualifiers."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.library import Library
from briefing.model import Lang, parse_decimal
from briefing.numbers import (
    arabic_plural_category,
    english_plural_category,
    figure_number,
    figure_phrase,
    figure_value_cell,
    format_date,
    format_number,
    localize_digits,
    unit_short,
    unit_words,
)

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ARABIC_DECIMAL = "\u066b"  # ٫
ARABIC_GROUP = "\u066c"  # ٬


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        ("1234567.85", "en", "latin", "1,234,567.85"),
        ("1234567.85", "ar", "latin", "1,234,567.85"),
        ("1234567.85", "ar", "arabic", "١٬٢٣٤٬٥٦٧٫٨٥"),
        ("4.4", "ar", "arabic", "٤٫٤"),
        ("3.8", "ar", "latin", "3.8"),
        ("1.625", "ar", "arabic", "١٫٦٢٥"),
        ("0.5", "en", "latin", "0.5"),
        ("365", "ar", "arabic", "٣٦٥"),
        ("1000", "en", "latin", "1,000"),
        # English ignores the Arabic digit style.
        ("1000", "en", "arabic", "1,000"),
    ],
)
def test_format_number_per_language_and_digit_style(
    value: str, lang: Lang, digits: str, expected: str
) -> None:
    assert format_number(Decimal(value), lang, digits, grouping=True) == expected  # type: ignore[arg-type]


def test_format_number_drops_meaningless_trailing_zeros() -> None:
    assert format_number(Decimal("4.40"), "en", "latin") == "4.4"
    assert format_number(Decimal("15.0"), "ar", "arabic") == "١٥"
    assert format_number(Decimal("1E+3"), "en", "latin") == "1,000"


def test_years_are_written_without_grouping(library: Library) -> None:
    year = library.figures["kz_renewables_target_year"]
    assert figure_number(year, "en", "latin") == "2050"
    assert figure_number(year, "ar", "latin") == "2050"
    assert figure_number(year, "ar", "arabic") == "٢٠٥٠"
    # A quantity of the same size is grouped.
    assert format_number(Decimal(2050), "en", "latin") == "2,050"


def test_dates_in_both_languages_and_digit_styles() -> None:
    day = date(2025, 10, 20)
    assert format_date(day, "en", "latin") == "20 October 2025"
    assert format_date(day, "ar", "latin") == "20 أكتوبر 2025"
    assert format_date(day, "ar", "arabic") == "٢٠ أكتوبر ٢٠٢٥"
    assert format_date(None, "ar", "arabic") == ""


def test_localize_digits_only_touches_arabic_with_arabic_digits() -> None:
    assert localize_digits("COP29, 2050", "ar", "arabic") == "COP٢٩, ٢٠٥٠"
    assert localize_digits("2050", "ar", "latin") == "2050"
    assert localize_digits("2050", "en", "arabic") == "2050"


@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False))
def test_arabic_indic_numbers_read_back_to_the_same_value(value: Decimal) -> None:
    text = format_number(value, "ar", "arabic")
    assert not re.search(r"[0-9.,]", text), text
    assert "ر" not in text
    assert parse_decimal(text, "round trip") == value


@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False))
def test_western_numbers_read_back_to_the_same_value(value: Decimal) -> None:
    for lang in ("ar", "en"):
        text = format_number(value, lang, "latin")  # type: ignore[arg-type]
        assert re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?", text), text
        assert parse_decimal(text.replace(",", ""), "round trip") == value


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("0", "zero"),
        ("0.5", "zero"),
        ("1", "one"),
        ("1.625", "one"),
        ("2", "two"),
        ("3", "few"),
        ("4.4", "few"),
        ("10", "few"),
        ("11", "many"),
        ("15", "many"),
        ("99", "many"),
        ("100", "other"),
        ("102", "other"),
        ("103", "few"),
        ("250", "many"),
        ("365", "many"),
        ("1000", "other"),
    ],
)
def test_arabic_plural_category(value: str, category: str) -> None:
    assert arabic_plural_category(Decimal(value)) == category


def test_english_plural_category() -> None:
    assert english_plural_category(Decimal(1)) == "one"
    assert english_plural_category(Decimal("1.0")) == "one"
    assert english_plural_category(Decimal("1.5")) == "other"
    assert english_plural_category(Decimal(0)) == "other"


@pytest.mark.parametrize(
    ("figure_id", "latin", "arabic"),
    [
        ("kz_oil_reserves", "4.4 مليارات طن", "٤٫٤ مليارات طن"),
        ("kz_gas_reserves", "3.8 تريليونات متر مكعب", "٣٫٨ تريليونات متر مكعب"),
        ("kz_exports_eu_share", "أكثر من 50 في المائة", "أكثر من ٥٠ في المائة"),
        ("kz_fdi_total", "أكثر من 365 مليار دولار", "أكثر من ٣٦٥ مليار دولار"),
        ("aktau_baku_cargo_last_year", "1.625 مليون طن", "١٫٦٢٥ مليون طن"),
        ("baku_port_capacity", "15 مليون طن", "١٥ مليون طن"),
        ("baku_port_capacity_expandable", "25 مليون طن", "٢٥ مليون طن"),
        ("btk_cargo_seven_months", "250 ألف طن", "٢٥٠ ألف طن"),
        ("btk_annual_capacity", "5 ملايين طن", "٥ ملايين طن"),
        ("kz_renewables_target_share", "50 في المائة", "٥٠ في المائة"),
        ("az_green_capacity", "7 غيغاواطات على الأقل", "٧ غيغاواطات على الأقل"),
        ("az_green_export_share", "أكثر من 70 في المائة", "أكثر من ٧٠ في المائة"),
        ("btk_period_months", "7 أشهر", "٧ أشهر"),
        ("az_green_horizon_years", "5 سنوات", "٥ سنوات"),
    ],
)
def test_arabic_phrases_agree_with_their_numbers(
    library: Library, figure_id: str, latin: str, arabic: str
) -> None:
    figure = library.figures[figure_id]
    unit = library.units[figure.unit]
    assert figure_phrase(figure, unit, "ar", "latin") == latin
    assert figure_phrase(figure, unit, "ar", "arabic") == arabic


@pytest.mark.parametrize(
    ("figure_id", "expected"),
    [
        ("kz_oil_reserves", "4.4 billion tonnes"),
        ("kz_gas_reserves", "3.8 trillion cubic metres"),
        ("kz_exports_eu_share", "more than 50 percent"),
        ("kz_fdi_total", "more than 365 billion US dollars"),
        ("aktau_baku_cargo_last_year", "1.625 million tonnes"),
        ("baku_port_capacity", "15 million tonnes"),
        ("btk_cargo_seven_months", "250 thousand tonnes"),
        ("btk_annual_capacity", "5 million tonnes"),
        ("az_green_capacity", "at least 7 gigawatts"),
        ("az_green_export_share", "more than 70 percent"),
        ("btk_period_months", "7 months"),
        ("kz_renewables_target_year", "2050"),
    ],
)
def test_english_phrases(library: Library, figure_id: str, expected: str) -> None:
    figure = library.figures[figure_id]
    assert figure_phrase(figure, library.units[figure.unit], "en", "latin") == expected


def test_plural_follows_an_edited_value(library: Library) -> None:
    """The unit agrees with the number the user typed, not the shipped one."""
    oil = library.figures["kz_oil_reserves"]
    unit = library.units[oil.unit]
    expected = {
        "1": "1 مليار طن",
        "2": "2 مليار طن",
        "3": "3 مليارات طن",
        "12": "12 مليار طن",
        "150": "150 مليار طن",
    }
    for value, phrase in expected.items():
        assert figure_phrase(oil.with_value(Decimal(value)), unit, "ar", "latin") == phrase
    green = library.figures["az_green_capacity"]
    one_gw = green.with_value(Decimal(1))
    assert figure_phrase(one_gw, library.units[green.unit], "en", "latin") == "at least 1 gigawatt"


def test_qualifiers_appear_in_both_languages(library: Library) -> None:
    qualified = [f for f in library.figures.values() if f.qualifier]
    assert {f.qualifier for f in qualified} == {"more_than", "at_least"}
    markers = {"more_than": ("more than", "أكثر من"), "at_least": ("at least", "على الأقل")}
    for figure in qualified:
        unit = library.units[figure.unit]
        english, arabic = markers[figure.qualifier]
        assert english in figure_phrase(figure, unit, "en", "latin"), figure.id
        for digits in ("latin", "arabic"):
            assert arabic in figure_phrase(figure, unit, "ar", digits), figure.id  # type: ignore[arg-type]
            assert arabic in figure_value_cell(figure, "ar", digits), figure.id  # type: ignore[arg-type]
        assert english in figure_value_cell(figure, "en", "latin"), figure.id


def test_every_qualifier_is_worded_in_both_languages(library: Library) -> None:
    base = library.figures["kz_fdi_total"]
    unit = library.units[base.unit]
    phrases = {
        qualifier: (
            figure_phrase(replace(base, qualifier=qualifier), unit, "en", "latin"),
            figure_phrase(replace(base, qualifier=qualifier), unit, "ar", "latin"),
        )
        for qualifier in ("", "more_than", "at_least", "about", "up_to")
    }
    assert phrases[""] == ("365 billion US dollars", "365 مليار دولار")
    assert phrases["about"] == ("about 365 billion US dollars", "نحو 365 مليار دولار")
    assert phrases["up_to"] == ("up to 365 billion US dollars", "ما يصل إلى 365 مليار دولار")
    assert len(set(phrases.values())) == 5


def test_value_cells_and_short_units(library: Library) -> None:
    share = library.figures["kz_exports_eu_share"]
    assert figure_value_cell(share, "ar", "arabic") == "أكثر من ٥٠"
    assert figure_value_cell(share, "en", "latin") == "more than 50"
    assert unit_short(library.units["percent"], "en") == "%"
    assert unit_short(library.units["percent"], "ar") == "٪"
    assert unit_short(library.units["million_tonnes"], "en") == "million tonnes"


def test_unit_words_fall_back_to_other() -> None:
    from briefing.model import Unit

    unit = Unit(
        id="widgets", dimension="count", factor=Decimal(1),
        ar=(("other", "قطعة"),), en=(("one", "widget"), ("other", "widgets")),
    )
    assert unit_words(unit, Decimal(4), "ar") == "قطعة"
    assert unit_words(unit, Decimal(1), "en") == "widget"
    assert unit_words(unit, Decimal(4), "en") == "widgets"


def test_no_number_in_the_library_uses_the_letter_ra_as_decimal(library: Library) -> None:
    """The dispatch writes 4ر4; the product must write a real separator."""
    for figure in library.figures.values():
        unit = library.units[figure.unit]
        for lang in ("ar", "en"):
            for digits in ("latin", "arabic"):
                text = figure_phrase(figure, unit, lang, digits)  # type: ignore[arg-type]
                assert not re.search(r"[0-9٠-٩]ر[0-9٠-٩]", text), text
