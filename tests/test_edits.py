"""Pure edit operations: each returns a new Brief and leaves its input as it was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import edits
from briefing.errors import BriefingError
from briefing.library import Library, load_library
from briefing.model import Brief, LocalText, Section

NOTE = Section(
    id="my_note",
    title=LocalText(ar="ملاحظة", en="Note"),
    body=LocalText(
        ar="تبلغ السعة {fig:baku_port_capacity}.", en="Capacity: {fig:baku_port_capacity}."
    ),
)


def test_default_brief_holds_every_section_in_library_order(library: Library) -> None:
    brief = edits.default_brief(library)
    assert brief.sections == library.section_ids()
    assert brief.figure_overrides == () and brief.custom_sections == ()
    assert brief.languages == ("ar",) and brief.digits == "latin" and brief.template == "ministry"


def test_section_selection_and_order(library: Library) -> None:
    brief = edits.default_brief(library)
    chosen = edits.set_sections(brief, ("port_of_baku", "middle_corridor", "port_of_baku"))
    assert chosen.sections == ("port_of_baku", "middle_corridor")
    without = edits.toggle_section(chosen, "port_of_baku", included=False)
    assert without.sections == ("middle_corridor",)
    again = edits.toggle_section(without, "conclusion", included=True)
    assert again.sections == ("middle_corridor", "conclusion")
    moved = edits.move_section(again, "conclusion", 0)
    assert moved.sections == ("conclusion", "middle_corridor")
    # An index past the end means "last".
    last = edits.move_section(again, "middle_corridor", 99)
    assert last.sections == ("conclusion", "middle_corridor")
    with pytest.raises(BriefingError, match=r"section 'btk_railway' is not in the brief"):
        edits.move_section(again, "btk_railway", 0)
    # Every step left the brief before it untouched.
    assert brief.sections == library.section_ids()
    assert chosen.sections == ("port_of_baku", "middle_corridor")


def test_set_figure_value_records_an_override(library: Library) -> None:
    brief = edits.default_brief(library)
    edited = edits.set_figure_value(brief, library, "baku_port_capacity", "١٨٫٥")
    override = edited.override("baku_port_capacity")
    assert override is not None and override.value == Decimal("18.5")
    assert override.unit == "million_tonnes" and override.source.en.startswith("AZERTAC")
    assert brief.figure_overrides == ()
    assert library.figures["baku_port_capacity"].value == 15
    twice = edits.set_figure_value(edited, library, "baku_port_capacity", 20)
    assert [f.value for f in twice.figure_overrides] == [Decimal(20)]


def test_setting_the_shipped_value_again_drops_the_override(library: Library) -> None:
    brief = edits.set_figure_value(edits.default_brief(library), library, "kz_oil_reserves", "5")
    back = edits.set_figure_value(brief, library, "kz_oil_reserves", "4.40")
    assert back.figure_overrides == ()
    assert edits.reset_figure(brief, "kz_oil_reserves").figure_overrides == ()


@pytest.mark.parametrize(
    ("figure_id", "value", "expected"),
    [
        ("kz_coal", "5", r"unknown figure 'kz_coal' \(known: .*kz_oil_reserves"),
        ("kz_oil_reserves", "five", r"figure kz_oil_reserves: 'five' is not a number"),
        ("kz_oil_reserves", "-1", r"figure kz_oil_reserves: value -1 is below its minimum 0"),
        ("kz_exports_eu_share", "101", r"figure kz_exports_eu_share: value 101 is above"),
        ("kz_renewables_target_year", "2050.5", r"a year must be a whole number, got 2050.5"),
        ("btk_period_months", "13", r"figure btk_period_months: value 13 is above its maximum 12"),
    ],
)
def test_bad_figure_values_are_named(
    library: Library, figure_id: str, value: str, expected: str
) -> None:
    with pytest.raises(BriefingError, match=expected):
        edits.set_figure_value(edits.default_brief(library), library, figure_id, value)


def test_custom_sections(library: Library) -> None:
    brief = edits.default_brief(library)
    added = edits.add_custom_section(brief, library, NOTE, index=2)
    assert added.sections[2] == "my_note"
    assert added.custom("my_note") is not None and added.custom("my_note").custom  # type: ignore[union-attr]
    updated = edits.update_custom_section(
        added, library, Section(id="my_note", title=LocalText(en="Renamed"), body=NOTE.body)
    )
    assert updated.custom("my_note").title.en == "Renamed"  # type: ignore[union-attr]
    assert updated.sections == added.sections
    removed = edits.remove_custom_section(updated, "my_note")
    assert removed.custom_sections == () and "my_note" not in removed.sections
    assert added.custom("my_note").title.en == "Note"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        (Section(id="conclusion", title=LocalText(en="T"), body=LocalText(en="B")),
         r"section id 'conclusion' is already used"),
        (Section(id="Bad-Id", title=LocalText(en="T"), body=LocalText(en="B")),
         r"section id 'Bad-Id' is not valid"),
        (Section(id="empty", title=LocalText(), body=LocalText(en="B")),
         r"section empty: the title is empty"),
        (Section(id="cites", title=LocalText(en="T"), body=LocalText(en="{fig:kz_coal}")),
         r"section cites cites unknown figure 'kz_coal'"),
        (Section(id="charts", title=LocalText(en="T"), body=LocalText(en="B"), charts=("pie",)),
         r"unknown chart 'pie'"),
    ],
)
def test_bad_custom_sections_are_named(library: Library, section: Section, expected: str) -> None:
    with pytest.raises(BriefingError, match=expected):
        edits.add_custom_section(edits.default_brief(library), library, section)


def test_custom_section_ids_are_unique_within_a_brief(library: Library) -> None:
    brief = edits.add_custom_section(edits.default_brief(library), library, NOTE)
    with pytest.raises(BriefingError, match=r"section id 'my_note' is already used"):
        edits.add_custom_section(brief, library, NOTE)
    with pytest.raises(BriefingError, match=r"section 'middle_corridor' is not one of your"):
        edits.remove_custom_section(brief, "middle_corridor")
    with pytest.raises(BriefingError, match=r"section 'other' is not one of your sections"):
        edits.update_custom_section(brief, library, Section(id="other", title=NOTE.title,
                                                            body=NOTE.body))


def test_meta_languages_digits_template(library: Library) -> None:
    brief = edits.default_brief(library)
    dated = edits.set_meta(brief, date=date(2025, 10, 20), reference="REF-1")
    assert dated.meta.date == date(2025, 10, 20) and dated.meta.reference == "REF-1"
    assert brief.meta.date is None
    with pytest.raises(BriefingError, match=r"unknown brief field"):
        edits.set_meta(brief, colour="red")
    assert edits.set_languages(brief, ("en", "bi")).languages == ("en", "bi")
    with pytest.raises(BriefingError, match=r"unknown language 'fr'"):
        edits.set_languages(brief, ("fr",))
    assert edits.set_digits(brief, "arabic").digits == "arabic"
    with pytest.raises(BriefingError, match=r"unknown digit style 'thai'"):
        edits.set_digits(brief, "thai")
    assert edits.set_template(brief, "plain").template == "plain"
    with pytest.raises(BriefingError, match=r"template id is empty"):
        edits.set_template(brief, "")


def test_set_figure_field_keeps_the_unit_dimension(library: Library) -> None:
    brief = edits.default_brief(library)
    kilo = edits.set_figure_field(brief, library, "btk_annual_capacity", "unit", "thousand_tonnes")
    assert kilo.override("btk_annual_capacity").unit == "thousand_tonnes"  # type: ignore[union-attr]
    with pytest.raises(BriefingError, match=r"unit 'percent' measures share, not mass"):
        edits.set_figure_field(brief, library, "btk_annual_capacity", "unit", "percent")
    with pytest.raises(BriefingError, match=r"unknown qualifier 'roughly'"):
        edits.set_figure_field(brief, library, "btk_annual_capacity", "qualifier", "roughly")
    labelled = edits.set_figure_field(brief, library, "btk_annual_capacity", "label_en", "BTK")
    assert labelled.override("btk_annual_capacity").label.en == "BTK"  # type: ignore[union-attr]
    dated = edits.set_figure_field(brief, library, "btk_annual_capacity", "as_of", "٢٠٢٥-١١-٠١")
    assert dated.override("btk_annual_capacity").as_of == date(2025, 11, 1)  # type: ignore[union-attr]
    with pytest.raises(BriefingError, match=r"'1 Nov' is not a date like 2025-10-20"):
        edits.set_figure_field(brief, library, "btk_annual_capacity", "as_of", "1 Nov")


# Random sequences of selection edits keep the brief consistent.
_OPS = st.lists(
    st.tuples(
        st.sampled_from(["toggle_on", "toggle_off", "move"]),
        st.sampled_from(load_library().section_ids()),
        st.integers(min_value=-3, max_value=12),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(_OPS)
def test_selection_edits_keep_sections_unique_and_known(ops: list[tuple[str, str, int]]) -> None:
    library = load_library()
    brief: Brief = edits.default_brief(library)
    history = [brief]
    for op, section_id, index in ops:
        if op == "move" and section_id in brief.sections:
            brief = edits.move_section(brief, section_id, index)
            assert brief.sections.index(section_id) == max(0, min(index, len(brief.sections) - 1))
        elif op == "toggle_on":
            brief = edits.toggle_section(brief, section_id, True)
            assert brief.sections[-1] == section_id
        elif op == "toggle_off":
            brief = edits.toggle_section(brief, section_id, False)
            assert section_id not in brief.sections
        history.append(brief)
        assert len(set(brief.sections)) == len(brief.sections)
        assert set(brief.sections) <= set(library.section_ids())
    # The snapshots an undo stack keeps are still what they were.
    assert history[0].sections == library.section_ids()
