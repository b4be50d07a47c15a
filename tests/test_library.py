"""The content library: every figure of the dispatch, sections, charts, users' section files."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from briefing.errors import BriefingError
from briefing.library import (
    Library,
    check_chart,
    load_section_file,
    parse_chart,
    parse_figure,
    parse_section,
    parse_units,
)
from briefing.model import PLACEHOLDER, Lang, Section
from briefing.numbers import figure_number, figure_phrase
from briefing.resources import resource

SOURCE_EN = "AZERTAC, Baku, 20 October 2025"
DISPATCH_DATE = date(2025, 10, 20)

# Every number of the AZERTAC dispatch (Baku, 20 October 2025), in the units it states:
# id -> (value, unit, qualifier).
DISPATCH_FIGURES: dict[str, tuple[str, str, str]] = {
    "kz_oil_reserves": ("4.4", "billion_tonnes", ""),
    "kz_gas_reserves": ("3.8", "trillion_m3", ""),
    "kz_exports_eu_share": ("50", "percent", "more_than"),
    "kz_fdi_total": ("365", "billion_usd", "more_than"),
    "aktau_baku_cargo_last_year": ("1.625", "million_tonnes", ""),
    "baku_port_capacity": ("15", "million_tonnes", ""),
    "baku_port_capacity_expandable": ("25", "million_tonnes", ""),
    "btk_cargo_seven_months": ("250", "thousand_tonnes", ""),
    "btk_period_months": ("7", "months", ""),
    "btk_annual_capacity": ("5", "million_tonnes", ""),
    "kz_renewables_target_share": ("50", "percent", ""),
    "kz_renewables_target_year": ("2050", "year", ""),
    "az_green_capacity": ("7", "gigawatts", "at_least"),
    "az_green_export_share": ("70", "percent", "more_than"),
    "az_green_horizon_years": ("5", "years", ""),
}

# Sentences of the dispatch as the Arabic sections must read once figures are filled in
# (Western digits, a real decimal point instead of the dispatch's letter ر).
DISPATCH_SENTENCES_AR = {
    "kazakhstan_resources": [
        "4.4 مليارات طن من النفط و3.8 تريليونات متر مكعب من الغاز",
        "أكثر من 50 في المائة من صادرات البلد",
        "أكثر من 365 مليار دولار من الاستثمار المباشر",
    ],
    "port_of_baku": [
        "بين ميناء أكتاو وميناء باكو 1.625 مليون طن",
        "سعة مناولة البضائع في ميناء باكو 15 مليون طن ويمكن زيادتها إلى 25 مليون طن",
    ],
    "btk_railway": [
        "تم نقل 250 ألف طن من البضائع",
        "ارتفعت سعة النقل السنوية إلى 5 ملايين طن بعد التحديث",
    ],
    "kazakhstan_renewables": ["50 في المائة من حصة الطاقة المتجددة", "حتى عام 2050م"],
    "azerbaijan_green_exports": [
        "أكثر من 70 في المائة من قدرتها على إنتاج الطاقة الخضراء التي تبلغ 7 غيغاواطات على الأقل",
    ],
}

DISPATCH_SENTENCES_EN = {
    "kazakhstan_resources": [
        "4.4 billion tonnes of oil and 3.8 trillion cubic metres of gas",
        "more than 50 percent of the country's exports",
        "more than 365 billion US dollars in direct investment",
    ],
    "port_of_baku": ["1.625 million tonnes", "15 million tonnes", "increased to 25 million tonnes"],
    "btk_railway": ["250 thousand tonnes of cargo", "raised to 5 million tonnes"],
    "kazakhstan_renewables": ["to 50 percent by 2050"],
    "azerbaijan_green_exports": ["more than 70 percent", "at least 7 gigawatts"],
}


def fill(text: str, library: Library, lang: Lang, digits: str = "latin") -> str:
    """Return ``text`` with its figure placeholders written out, as a brief shows them."""

    def replace(match: re.Match[str]) -> str:
        figure = library.figures[match.group(2)]
        if match.group(1) == "val":
            return figure_number(figure, lang, digits)  # type: ignore[arg-type]
        return figure_phrase(figure, library.units[figure.unit], lang, digits)  # type: ignore[arg-type]

    return PLACEHOLDER.sub(replace, text)


def section_texts(section: Section, lang: Lang) -> list[str]:
    """Return every text of a section in one language."""
    texts = [section.title.get(lang, False), section.body.get(lang, False)]
    texts.append(section.key_point.get(lang, False))
    texts += [point.get(lang, False) for point in section.talking_points]
    return texts


# -- the shipped figures -----------------------------------------------------------------------


def test_every_dispatch_figure_is_in_the_library(library: Library) -> None:
    assert set(DISPATCH_FIGURES) <= set(library.figures)


@pytest.mark.parametrize("figure_id", sorted(DISPATCH_FIGURES))
def test_dispatch_figure_value_unit_qualifier_source(library: Library, figure_id: str) -> None:
    value, unit, qualifier = DISPATCH_FIGURES[figure_id]
    figure = library.figures[figure_id]
    assert figure.value == Decimal(value)
    assert figure.unit == unit
    assert figure.qualifier == qualifier
    assert figure.source.en == SOURCE_EN
    assert "أذرتاج" in figure.source.ar and "باكو" in figure.source.ar
    assert figure.as_of == DISPATCH_DATE
    assert figure.label.ar.strip() and figure.label.en.strip()
    assert re.search("[\u0600-\u06ff]", figure.label.ar), "Arabic label must be Arabic"
    assert not re.search("[\u0600-\u06ff]", figure.label.en), "English label must be Latin"


def test_every_figure_has_sensible_bounds(library: Library) -> None:
    for figure in library.figures.values():
        assert figure.minimum is not None and figure.maximum is not None, figure.id
        assert figure.minimum >= 0, figure.id
        assert figure.minimum <= figure.value <= figure.maximum, figure.id
        # Loose enough for an update, tight enough to catch a slip of units (x1000).
        assert figure.maximum <= 1000 * max(figure.value, 1), figure.id
        if figure.kind == "share":
            assert figure.maximum <= 100, figure.id


def test_every_figure_unit_has_words_in_both_languages(library: Library) -> None:
    for figure in library.figures.values():
        unit = library.units[figure.unit]
        forms_ar, forms_en = dict(unit.ar), dict(unit.en)
        assert set(forms_ar) >= {"zero", "one", "two", "few", "many", "other", "short"}, unit.id
        assert set(forms_en) >= {"one", "other", "short"}, unit.id
        if figure.kind != "year":
            assert all(forms_ar.values()) and all(forms_en.values()), unit.id


def test_every_figure_is_cited_somewhere(library: Library) -> None:
    cited = {figure_id for section in library.sections for figure_id in section.cited_figures()}
    for chart in library.charts.values():
        cited |= {item.figure for item in chart.items}
        cited |= {ref for item in chart.items for ref in (item.per, item.times) if ref}
    assert set(library.figures) <= cited


# -- sections --------------------------------------------------------------------------------


def test_sections_in_library_order_with_both_languages(library: Library) -> None:
    assert library.section_ids() == (
        "middle_corridor",
        "kazakhstan_resources",
        "port_of_baku",
        "btk_railway",
        "kazakhstan_renewables",
        "cop29_agreement",
        "azerbaijan_green_exports",
        "conclusion",
    )
    for section in library.sections:
        assert not section.custom
        for lang in ("ar", "en"):
            assert section.title.get(lang, False).strip(), (section.id, lang)
            assert section.paragraphs(lang), (section.id, lang)  # type: ignore[arg-type]
        assert re.search("[\u0600-\u06ff]", section.body.ar)
        assert not re.search("[\u0600-\u06ff]", section.body.en), section.id


def test_both_languages_cite_the_same_figures(library: Library) -> None:
    for section in library.sections:
        pairs = [(section.title.ar, section.title.en), (section.body.ar, section.body.en)]
        pairs.append((section.key_point.ar, section.key_point.en))
        pairs += [(point.ar, point.en) for point in section.talking_points]
        for ar, en in pairs:
            ids_ar = sorted(m.group(2) for m in PLACEHOLDER.finditer(ar))
            ids_en = sorted(m.group(2) for m in PLACEHOLDER.finditer(en))
            assert ids_ar == ids_en, (section.id, ar[:40])


@pytest.mark.parametrize("section_id", sorted(DISPATCH_SENTENCES_AR))
def test_sections_read_as_the_dispatch(library: Library, section_id: str) -> None:
    section = library.section(section_id)
    assert section is not None
    arabic = fill(section.body.ar, library, "ar")
    for sentence in DISPATCH_SENTENCES_AR[section_id]:
        assert sentence in arabic
    english = fill(section.body.en, library, "en")
    for sentence in DISPATCH_SENTENCES_EN[section_id]:
        assert sentence in english


def test_section_texts_hold_no_raw_dispatch_numbers(library: Library) -> None:
    """Numbers live in figures so that an edit reaches every text; prose has none of its own."""
    allowed = {"COP29", "الكوب29", "29th"}
    for section in library.sections:
        for lang in ("ar", "en"):
            for text in section_texts(section, lang):  # type: ignore[arg-type]
                bare = PLACEHOLDER.sub("", text)
                for word in re.findall(r"\S*[0-9٠-٩]\S*", bare):
                    assert word.strip("()\"“”.,") in allowed, (section.id, lang, word)


def test_arabic_indic_digits_reach_every_number(library: Library) -> None:
    section = library.section("kazakhstan_resources")
    assert section is not None
    text = fill(section.body.ar, library, "ar", "arabic")
    assert "٤٫٤ مليارات طن" in text and "أكثر من ٣٦٥ مليار دولار" in text
    assert not re.search("[0-9]", text)


def test_charts_refer_to_known_figures_in_matching_units(library: Library) -> None:
    assert set(library.charts) == {
        "baku_port", "btk_railway", "az_green_capacity", "kz_renewables_target", "eu_export_share",
    }
    for section in library.sections:
        assert set(section.charts) <= set(library.charts)
    for chart in library.charts.values():
        check_chart(chart, library.figures, library.units, "charts.toml")
        assert chart.title.ar and chart.title.en


def test_bundled_fonts_and_licences_are_shipped() -> None:
    fonts = resource("fonts")
    names = {item.name for item in fonts.iterdir()}
    assert {"Amiri-Regular.ttf", "Amiri-Bold.ttf", "OFL-Amiri.txt", "OFL-Noto.txt"} <= names
    assert {"NotoNaskhArabic-Regular.ttf", "NotoSans-Regular.ttf", "NotoSerif-Regular.ttf"} <= names
    assert fonts.joinpath("Amiri-Regular.ttf").read_bytes()[:4] in (b"\x00\x01\x00\x00", b"OTTO")


# -- users' section files ---------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """
id = "my_note"
[title]
ar = "ملاحظة"
en = "A note"
[body]
ar = "نص الملاحظة."
en = "The note's text."
"""


def test_minimal_user_section_is_accepted(tmp_path: Path, library: Library) -> None:
    section = load_section_file(write(tmp_path, MINIMAL), library)
    assert section.id == "my_note"
    assert section.custom
    assert section.title.ar == "ملاحظة" and section.body.en == "The note's text."
    assert section.talking_points == () and section.charts == ()


def test_user_section_may_cite_figures_and_charts(tmp_path: Path, library: Library) -> None:
    text = MINIMAL.replace(
        'en = "The note\'s text."', 'en = "Reserves: {fig:kz_oil_reserves}."'
    ).replace('id = "my_note"', 'id = "my_note"\ncharts = ["baku_port"]')
    section = load_section_file(write(tmp_path, text), library)
    assert section.cited_figures() == ["kz_oil_reserves"]
    assert fill(section.body.en, library, "en") == "Reserves: 4.4 billion tonnes."
    assert section.charts == ("baku_port",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('id = "x"\n[title\nar = "a"', r"invalid TOML: .*line 2"),
        (MINIMAL.replace('id = "my_note"', ""), r"key 'id' is missing"),
        (MINIMAL.replace('id = "my_note"', 'id = "My Note"'), r"section id 'My Note' is not valid"),
        (MINIMAL.replace('id = "my_note"', 'id = "middle_corridor"'),
         r"section id 'middle_corridor' is already used by the library"),
        (MINIMAL.replace('id = "my_note"', 'id = "my_note"\ncolour = "red"'),
         r"key 'colour' is not known here"),
        (MINIMAL.split("[body]")[0], r"key 'body' is missing"),
        ('id = "my_note"\ntitle = 5\nbody = "b"', r"key 'title' must be a table with ar and en"),
        ('id = "my_note"\ntitle = {ar = 5}\nbody = "b"', r"key 'title.ar' must be a string"),
        ('id = "my_note"\ntitle = {fr = "t"}\nbody = "b"', r"unknown language 'fr'"),
        ('id = "my_note"\ntitle = {ar = " ", en = ""}\nbody = "b"', r"key 'title' is empty"),
        (MINIMAL.replace("The note's text.", "{fig:kz_coal}"), r"unknown figure 'kz_coal'"),
        (MINIMAL.replace('id = "my_note"', 'id = "my_note"\ncharts = ["pie"]'),
         r"unknown chart 'pie'"),
        (MINIMAL.replace('id = "my_note"', 'id = "my_note"\ncharts = "baku_port"'),
         r"key 'charts' must be a list of strings"),
        ("talking_points = 3\n" + MINIMAL, r"key 'talking_points' must be a list"),
    ],
)
def test_bad_user_section_names_file_and_problem(
    tmp_path: Path, library: Library, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(BriefingError, match=expected) as caught:
        load_section_file(path, library)
    message = str(caught.value)
    assert str(path) in message
    assert "\n" not in message


def test_unreadable_section_files(tmp_path: Path, library: Library) -> None:
    with pytest.raises(BriefingError, match=r"missing\.toml: file not found"):
        load_section_file(tmp_path / "missing.toml", library)
    with pytest.raises(BriefingError, match=r"is a folder"):
        load_section_file(tmp_path, library)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('id = "caf\xe9"'.encode("latin-1"))
    with pytest.raises(BriefingError, match=r"latin1\.toml: not UTF-8"):
        load_section_file(latin1, library)


def test_toml_error_gives_the_line_number(tmp_path: Path, library: Library) -> None:
    text = MINIMAL.replace('en = "A note"', 'en = "A note')
    broken_line = text.splitlines().index('en = "A note') + 1
    with pytest.raises(BriefingError, match=rf"line {broken_line}\b"):
        load_section_file(write(tmp_path, text), library)


def test_byte_order_mark_is_tolerated(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert load_section_file(path, library).id == "my_note"


def test_string_talking_points_serve_both_languages() -> None:
    data = tomllib.loads('talking_points = ["COP29"]\n' + MINIMAL)
    section = parse_section(data, "inline", custom=True)
    assert section.talking_points[0].ar == section.talking_points[0].en == "COP29"


# -- figures, units and charts defined in TOML ---------------------------------------------------


FIGURE = """
value = 4.4
unit = "billion_tonnes"
kind = "quantity"
min = 0
max = 100
as_of = 2025-10-20
label = { ar = "النفط", en = "Oil" }
source = { en = "AZERTAC", ar = "أذرتاج" }
"""


def parse(text: str, library: Library, figure_id: str = "oil") -> object:
    return parse_figure(figure_id, tomllib.loads(text), "figures.toml", library.units)


def test_figure_from_toml(library: Library) -> None:
    figure = parse(FIGURE, library)
    assert figure.value == Decimal("4.4")  # type: ignore[attr-defined]
    assert figure.as_of == DISPATCH_DATE  # type: ignore[attr-defined]
    string_date = parse(FIGURE.replace("as_of = 2025-10-20", 'as_of = "2025-10-20"'), library)
    assert string_date.as_of == DISPATCH_DATE  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("value = 4.4", 'value = "lots"'), r"\[oil\]: key 'value' must be a number, not 'lots'"),
        (("value = 4.4", "value = true"), r"key 'value' must be a number"),
        (("value = 4.4", "value = nan"), r"key 'value' must be a number"),
        (("value = 4.4", "value = 140"), r"figure oil: value 140 is above its maximum 100"),
        (("value = 4.4", "value = -1"), r"figure oil: value -1 is below its minimum 0"),
        (('unit = "billion_tonnes"', 'unit = "barrels"'), r"figure oil: unknown unit 'barrels'"),
        (('kind = "quantity"', 'qualifier = "roughly"'), r"unknown qualifier 'roughly'"),
        (('kind = "quantity"', 'kind = "mass"'), r"unknown kind 'mass'"),
        (("min = 0", "min = 200"), r"minimum 200 is above maximum 100"),
        (("as_of = 2025-10-20", 'as_of = "20/10/2025"'), r"key 'as_of' must be a date"),
        (('label = { ar = "النفط", en = "Oil" }', 'label = { ar = "", en = "" }'),
         r"key 'label' is empty"),
        (('label = { ar = "النفط", en = "Oil" }', ""), r"key 'label' is missing"),
        (("min = 0", "minimum = 0"), r"key 'minimum' is not known here"),
    ],
)
def test_bad_figure_names_key_and_value(
    library: Library, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in FIGURE
    with pytest.raises(BriefingError, match=expected) as caught:
        parse(FIGURE.replace(old, new), library)
    assert str(caught.value).startswith("figures.toml: ")


def test_share_and_year_kinds_are_checked(library: Library) -> None:
    share = FIGURE.replace('unit = "billion_tonnes"', 'unit = "percent"')
    share = share.replace('kind = "quantity"', 'kind = "share"').replace("max = 100", "max = 500")
    with pytest.raises(BriefingError, match=r"a share must be 0 to 100, got 120"):
        parse(share.replace("value = 4.4", "value = 120"), library)
    year = FIGURE.replace('unit = "billion_tonnes"', 'unit = "year"')
    year = year.replace('kind = "quantity"', 'kind = "year"').replace("max = 100", "max = 3000")
    with pytest.raises(BriefingError, match=r"a year must be a whole number, got 2050.5"):
        parse(year.replace("value = 4.4", "value = 2050.5"), library)
    with pytest.raises(BriefingError, match=r"figure id 'Oil' is not valid"):
        parse(FIGURE, library, figure_id="Oil")


def test_units_need_both_languages() -> None:
    good = tomllib.loads('[kt]\ndimension = "mass"\nfactor = 1e3\n[kt.ar]\nother = "ألف طن"\n'
                        '[kt.en]\nother = "kt"\n')
    assert parse_units(good, "units.toml")["kt"].factor == Decimal("1000.0")
    with pytest.raises(BriefingError, match=r"units.toml: \[kt\]: key 'en' is missing"):
        parse_units(tomllib.loads('[kt]\n[kt.ar]\nother = "ألف طن"\n'), "units.toml")
    with pytest.raises(BriefingError, match=r"\[kt.ar\] key 'other' must be a string"):
        parse_units(tomllib.loads("[kt]\n[kt.ar]\nother = 1\n[kt.en]\n"), "units.toml")


def test_bad_charts_are_named(library: Library) -> None:
    with pytest.raises(BriefingError, match=r"\[pie\] kind 'pie3d' is not known"):
        parse_chart("pie", {"kind": "pie3d", "title": "t", "unit": "percent", "items": []}, "c")
    with pytest.raises(BriefingError, match=r"\[pie\] key 'items' must be a non-empty list"):
        parse_chart("pie", {"kind": "donut", "title": "t", "unit": "percent", "items": []}, "c")
    chart = parse_chart(
        "mix",
        {"kind": "bar", "title": "t", "unit": "percent",
         "items": [{"figure": "kz_oil_reserves"}]},
        "c",
    )
    with pytest.raises(BriefingError, match=r"plots kz_oil_reserves \(mass\) on a share scale"):
        check_chart(chart, library.figures, library.units, "c")
    ghost = parse_chart(
        "ghost",
        {"kind": "bar", "title": "t", "unit": "percent", "items": [{"figure": "nope"}]},
        "c",
    )
    with pytest.raises(BriefingError, match=r"chart ghost refers to unknown figure 'nope'"):
        check_chart(ghost, library.figures, library.units, "c")
