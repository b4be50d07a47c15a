"""Chart data follows the figures: values, qualified labels, remainders, and the pipeline."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from briefing.chartdata import ChartData, resolve_chart, shown_value
from briefing.document import Chart, Document, Paragraph, Parallel, Table, build_document
from briefing.edits import default_brief, set_figure_value
from briefing.errors import BriefingError
from briefing.library import Library, parse_chart
from briefing.model import Brief, Lang
from briefing.templates import load_template


def chart(library: Library, chart_id: str, lang: Lang, digits: str = "latin") -> ChartData:
    return resolve_chart(
        library.charts[chart_id], library.figures, library.units, lang, digits, "source"
    )


def charts_of(document: Document) -> dict[tuple[str, Lang], Chart]:
    """Return the document's chart blocks by (chart id, language), bilingual ones included."""
    found: dict[tuple[str, Lang], Chart] = {}
    for block in document.blocks:
        inner = (*block.ar, *block.en) if isinstance(block, Parallel) else (block,)
        for item in inner:
            if isinstance(item, Chart):
                found[(item.data.id, item.lang)] = item
    return found


def texts_of(document: Document, lang: Lang) -> tuple[list[str], list[tuple[str, ...]]]:
    """Return the paragraphs and the key-figures rows of one language of a document."""
    paragraphs: list[str] = []
    rows: list[tuple[str, ...]] = []
    for block in document.blocks:
        inner = (*block.ar, *block.en) if isinstance(block, Parallel) else (block,)
        for item in inner:
            if isinstance(item, Paragraph) and item.lang == lang:
                paragraphs.append(item.text)
            if isinstance(item, Table) and item.lang == lang and item.role == "key_figures":
                rows += list(item.rows)
    return paragraphs, rows


def test_the_five_stories_are_charted(library: Library) -> None:
    ids = set(library.charts)
    assert {"baku_port", "btk_railway", "az_green_capacity", "kz_renewables_target"} <= ids
    assert "eu_export_share" in ids
    used = {chart_id for section in library.sections for chart_id in section.charts}
    assert ids <= used, f"charts no section shows: {ids - used}"


def test_port_of_baku_shows_the_exact_figures(library: Library) -> None:
    data = chart(library, "baku_port", "en")
    assert data.values == (1.625, 15.0, 25.0)
    assert data.value_labels == ("1.625 million tonnes", "15 million tonnes", "25 million tonnes")
    arabic = chart(library, "baku_port", "ar", "arabic")
    assert arabic.value_labels == ("١٫٦٢٥ مليون طن", "١٥ مليون طن", "٢٥ مليون طن")
    assert arabic.categories[0].startswith("أكتاو")


def test_btk_rate_is_annualised_and_marked_as_an_estimate(library: Library) -> None:
    data = chart(library, "btk_railway", "en")
    assert data.values[0] == pytest.approx(0.25)
    assert data.values[1] == pytest.approx(0.25 / 7 * 12)
    assert data.values[2] == pytest.approx(5.0)
    # The derived rate is an estimate: two significant digits, no false precision.
    assert data.value_labels == (
        "0.25 million tonnes",
        "about 0.43 million tonnes",
        "5 million tonnes",
    )
    assert chart(library, "btk_railway", "ar").value_labels[1] == "نحو 0.43 مليون طن"
    # The unit agrees with the number as in the prose: 5 ملايين طن, not 5 مليون طن.
    assert chart(library, "btk_railway", "ar", "arabic").value_labels[2] == "٥ ملايين طن"


def test_green_capacity_keeps_both_qualifiers(library: Library) -> None:
    english = chart(library, "az_green_capacity", "en")
    assert english.maximum_label == "at least 7 gigawatts"
    assert english.value_labels == ("more than 70%", "less than 30%")
    assert english.roles == ("share", "remainder")
    assert english.values == pytest.approx((4.9, 2.1))
    arabic = chart(library, "az_green_capacity", "ar", "arabic")
    assert arabic.maximum_label == "٧ غيغاواطات على الأقل"
    assert arabic.value_labels == ("أكثر من ٧٠٪", "أقل من ٣٠٪")
    assert arabic.maximum_name == library.figures["az_green_capacity"].label.ar


def test_shares_of_a_whole_get_a_remainder(library: Library) -> None:
    target = chart(library, "kz_renewables_target", "en")
    assert target.values == (50.0, 50.0)
    assert target.value_labels == ("50%", "50%")
    assert target.categories[1] == "Other sources"
    exports = chart(library, "eu_export_share", "ar")
    assert exports.value_labels == ("أكثر من 50٪", "أقل من 50٪")
    assert exports.qualifiers == ("more_than", "more_than")


@pytest.mark.parametrize(
    ("value", "shown", "qualifier"),
    [
        ("1.625", "1.625", ""),
        ("0.42857142857", "0.429", ""),
        ("0.42857142857", "0.43", "about"),
        ("12345.6", "12000", "about"),
        ("1.625", "1.6", "about"),
        ("7", "7", ""),
        ("12345.6", "12346", ""),
        ("0", "0", ""),
        ("2.50", "2.5", ""),
    ],
)
def test_shown_value_keeps_given_figures_and_rounds_derived_ones(
    value: str, shown: str, qualifier: str
) -> None:
    assert shown_value(Decimal(value), qualifier) == Decimal(shown)


def test_parts_larger_than_the_whole_are_refused(library: Library) -> None:
    spec = parse_chart(
        "too_much",
        {
            "kind": "donut",
            "unit": "percent",
            "title": {"en": "Too much"},
            "items": [{"figure": "kz_exports_eu_share"}, {"figure": "az_green_export_share"}],
        },
        "test.toml",
    )
    with pytest.raises(BriefingError, match=r"too_much.*more than the whole"):
        resolve_chart(spec, library.figures, library.units, "en", "latin", "")


def test_key_changes_with_every_drawn_field(library: Library) -> None:
    data = chart(library, "baku_port", "en")
    assert data.key() == chart(library, "baku_port", "en").key()
    assert replace(data, value_labels=("a", "b", "c")).key() != data.key()
    assert replace(data, maximum_name="x").key() != data.key()
    assert replace(data, qualifiers=("about", "", "")).key() != data.key()


# -- through the real pipeline ------------------------------------------------------------


def edited(library: Library, figure_id: str, value: str) -> tuple[Brief, Brief]:
    brief = default_brief(library)
    return brief, set_figure_value(brief, library, figure_id, value)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_figure_edit_reaches_prose_table_and_chart(library: Library, lang: Lang) -> None:
    template = load_template("ministry")
    before_brief, after_brief = edited(library, "baku_port_capacity", "18")
    before = build_document(before_brief, library, template, lang)
    after = build_document(after_brief, library, template, lang)
    old = charts_of(before)[("baku_port", lang)].data
    new = charts_of(after)[("baku_port", lang)].data
    assert old.values == (1.625, 15.0, 25.0)
    assert new.values == (1.625, 18.0, 25.0)
    unit = "million tonnes" if lang == "en" else "مليون طن"
    assert new.value_labels[1] == f"18 {unit}"
    assert charts_of(after)[("baku_port", lang)].alt != charts_of(before)[("baku_port", lang)].alt
    old_paragraphs, old_rows = texts_of(before, lang)
    new_paragraphs, new_rows = texts_of(after, lang)
    changed = [text for text in new_paragraphs if text not in old_paragraphs]
    assert changed and all("18" in text for text in changed)
    label = library.figures["baku_port_capacity"].label.get(lang)
    assert [row[1] for row in old_rows if row[0] == label] == ["15"]
    assert [row[1] for row in new_rows if row[0] == label] == ["18"]


def test_a_period_edit_changes_the_derived_rate_in_both_languages(library: Library) -> None:
    template = load_template("ministry")
    _, after_brief = edited(library, "btk_period_months", "5")
    document = build_document(after_brief, library, template, "bi")
    found = charts_of(document)
    for lang in ("ar", "en"):
        data = found[("btk_railway", lang)].data
        assert data.values[1] == pytest.approx(0.25 / 5 * 12)
    assert found[("btk_railway", "en")].data.value_labels[1] == "about 0.6 million tonnes"
    assert found[("btk_railway", "en")].data.categories[0] == "Carried in 5\u00a0months"
    assert "5" in found[("btk_railway", "ar")].data.categories[0]


@pytest.mark.parametrize(("lang", "digits"), [("ar", "arabic"), ("ar", "latin"), ("en", "latin")])
def test_chart_values_read_as_the_prose_writes_the_figure(
    library: Library, lang: Lang, digits: str
) -> None:
    """A bar that plots a figure as given is labelled with the prose's own phrase."""
    from briefing.numbers import figure_phrase, localize_text

    checked = 0
    for spec in library.charts.values():
        if spec.kind not in ("bar", "barh"):
            continue
        data = chart(library, spec.id, lang, digits)
        for item, label in zip(spec.items, data.value_labels, strict=True):
            figure = library.figures[item.figure]
            if item.per or item.times or item.scale != 1 or figure.unit != spec.unit:
                continue
            phrase = figure_phrase(figure, library.units[figure.unit], lang, digits)  # type: ignore[arg-type]
            assert label == localize_text(phrase, lang, digits), (spec.id, item.figure)  # type: ignore[arg-type]
            checked += 1
    assert checked >= 4
