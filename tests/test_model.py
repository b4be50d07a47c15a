"""The frozen model: immutability, parsing numbers and ids, validation messages."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from briefing.errors import BriefingError
from briefing.library import Library
from briefing.model import (
    Brief,
    BriefMeta,
    Figure,
    LocalText,
    Section,
    check_digits,
    check_formats,
    check_id,
    check_languages,
    parse_decimal,
    split_paragraphs,
    validate_figure,
)


def test_model_objects_are_frozen(library: Library) -> None:
    figure = library.figures["kz_oil_reserves"]
    section = library.sections[0]
    for obj, attribute, value in [
        (figure, "value", Decimal(5)),
        (section, "title", LocalText()),
        (Brief(), "sections", ()),
        (BriefMeta(), "reference", "x"),
        (LocalText(ar="a"), "ar", "b"),
        (library.units["percent"], "factor", Decimal(2)),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, attribute, value)
    # Collections inside are tuples, so they cannot be changed in place either.
    assert isinstance(section.talking_points, tuple)
    assert isinstance(Brief().figure_overrides, tuple)


def test_with_value_returns_a_checked_copy(library: Library) -> None:
    figure = library.figures["baku_port_capacity"]
    changed = figure.with_value(Decimal(18))
    assert changed.value == 18 and figure.value == 15
    assert changed.unit == figure.unit and changed.source == figure.source
    with pytest.raises(BriefingError, match=r"figure baku_port_capacity: value 1001 is above"):
        figure.with_value(Decimal(1001))
    with pytest.raises(BriefingError, match=r"figure baku_port_capacity: value -2 is below"):
        figure.with_value(Decimal(-2))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.4", "4.4"),
        (" 365 ", "365"),
        ("٤٫٤", "4.4"),
        ("١٬٦٢٥", "1625"),
        ("۱۲", "12"),  # Persian digits, as some keyboards type them
        ("1_000", "1000"),
        (7, "7"),
        (1.625, "1.625"),
        (Decimal("2.50"), "2.50"),
    ],
)
def test_parse_decimal_accepts_western_and_arabic_input(text: object, expected: str) -> None:
    assert parse_decimal(text, "value") == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abc", r"figure x: 'abc' is not a number"),
        ("", r"figure x: '' is not a number"),
        ("4ر4", r"figure x: '4ر4' is not a number"),
        ("1,5", r"figure x: '1,5' is not a number"),
        ("NaN", r"figure x: 'NaN' is not a finite number"),
        ("Infinity", r"figure x: 'Infinity' is not a finite number"),
        (True, r"figure x: True is not a number"),
        (None, r"figure x: None is not a number"),
        ([1], r"figure x: \[1\] is not a number"),
    ],
)
def test_parse_decimal_names_what_and_value(text: object, expected: str) -> None:
    with pytest.raises(BriefingError, match=f"^{expected}$"):
        parse_decimal(text, "figure x")


@pytest.mark.parametrize("good", ["a", "kz_oil_reserves", "x1", "a" * 64])
def test_good_ids(good: str) -> None:
    assert check_id("section", good) == good


@pytest.mark.parametrize("bad", ["", "1abc", "Abc", "a-b", "a b", "é", "a" * 65, "_a"])
def test_bad_ids_are_named(bad: str) -> None:
    with pytest.raises(BriefingError, match=rf"^section id {bad!r} is not valid"):
        check_id("section", bad)


def test_check_languages_formats_digits() -> None:
    assert check_languages(["ar", "bi", "ar", "en"]) == ("ar", "bi", "en")
    assert check_formats(["docx", "pdf", "docx"]) == ("docx", "pdf")
    assert check_digits("arabic") == "arabic"
    with pytest.raises(BriefingError, match=r"unknown language 'fr' \(use ar, en or bi\)"):
        check_languages(["ar", "fr"])
    with pytest.raises(BriefingError, match=r"no language given"):
        check_languages([])
    with pytest.raises(BriefingError, match=r"unknown format 'odt' \(use pdf or docx\)"):
        check_formats(["odt"])
    with pytest.raises(BriefingError, match=r"no format given"):
        check_formats([])
    with pytest.raises(BriefingError, match=r"unknown digit style 'hindi' \(use latin or arabic\)"):
        check_digits("hindi")


def test_validate_figure_names_the_field_and_value(library: Library) -> None:
    base = library.figures["kz_exports_eu_share"]
    cases = [
        (dataclasses.replace(base, unit="furlongs"),
         r"kz_exports_eu_share: unknown unit 'furlongs'"),
        (dataclasses.replace(base, qualifier="nearly"), r"unknown qualifier 'nearly'"),
        (dataclasses.replace(base, kind="ratio"), r"unknown kind 'ratio'"),
        (dataclasses.replace(base, label=LocalText()), r"kz_exports_eu_share: the label is empty"),
        (dataclasses.replace(base, minimum=Decimal(60), maximum=Decimal(40)),
         r"minimum 60 is above maximum 40"),
        (dataclasses.replace(base, value=Decimal(101), maximum=None),
         r"a share must be 0 to 100, got 101"),
        (dataclasses.replace(base, id="EU share"), r"figure id 'EU share' is not valid"),
    ]
    for figure, expected in cases:
        with pytest.raises(BriefingError, match=expected):
            validate_figure(figure, library.units)
    validate_figure(base, library.units)


def test_local_text_fallback() -> None:
    only_en = LocalText(en="Port")
    assert only_en.get("ar") == "Port"
    assert only_en.get("ar", fallback=False) == ""
    assert LocalText(ar="ميناء", en="Port").get("ar") == "ميناء"
    assert LocalText(ar=" ", en="").is_empty()
    assert not only_en.is_empty()
    assert only_en.to_dict() == {"ar": "", "en": "Port"}


def test_split_paragraphs() -> None:
    text = "First line\nstill first.\n\n  \nSecond.\r\n\r\nThird\u00a0one.\n"
    assert split_paragraphs(text) == ["First line still first.", "Second.", "Third\u00a0one."]
    assert split_paragraphs("") == []
    assert split_paragraphs("\n\n\n") == []


def test_section_cites_figures_in_order_of_first_use() -> None:
    section = Section(
        id="s",
        title=LocalText(ar="ع", en="T"),
        body=LocalText(ar="{fig:b} و{val:a}", en="{fig:b} and {val:a} and {fig:b}"),
        talking_points=(LocalText(ar="{fig:c}", en="{fig:c}"),),
    )
    assert section.cited_figures() == ["b", "a", "c"]


def test_brief_lookups(library: Library) -> None:
    oil = library.figures["kz_oil_reserves"].with_value(Decimal(5))
    mine = Section(id="mine", title=LocalText(en="Mine"), body=LocalText(en="Text"), custom=True)
    brief = Brief(figure_overrides=(oil,), custom_sections=(mine,))
    assert brief.override("kz_oil_reserves") == oil
    assert brief.override("kz_gas_reserves") is None
    assert brief.custom("mine") == mine
    assert brief.custom("middle_corridor") is None


def test_figures_compare_by_value(library: Library) -> None:
    """Equal figures compare equal, so resetting an edit to the shipped value drops it."""
    oil = library.figures["kz_oil_reserves"]
    assert oil.with_value(Decimal("4.40")) == oil
    rebuilt = Figure(**{f.name: getattr(oil, f.name) for f in dataclasses.fields(oil)})
    assert rebuilt == oil and hash(rebuilt) == hash(oil)
