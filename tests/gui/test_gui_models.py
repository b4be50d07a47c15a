"""Item models without widgets: the section list (check, reorder, drop) and the figure table."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from briefing import edits
from briefing.gui.models import (
    CUSTOM_ROLE,
    ERROR_BACKGROUND,
    ERROR_ROLE,
    ID_ROLE,
    FigureTableModel,
    SectionListModel,
)
from briefing.gui.session import Session
from briefing.model import LocalText, Section

CHECKED = Qt.CheckState.Checked
UNCHECKED = Qt.CheckState.Unchecked

M = TypeVar("M")


def _tester(model: Any) -> QAbstractItemModelTester:
    return QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Fatal
    )


def _tested(model: M) -> Iterator[M]:
    """Yield ``model`` with Qt's model tester checking it until the test ends."""
    tester = _tester(model)
    yield model
    del tester


@pytest.fixture
def section_list(session: Session) -> Iterator[SectionListModel]:
    yield from _tested(SectionListModel(session))


@pytest.fixture
def figure_table(session: Session) -> Iterator[FigureTableModel]:
    yield from _tested(FigureTableModel(session))


def _ids(model: SectionListModel) -> list[str]:
    return [model.index(r).data(ID_ROLE) for r in range(model.rowCount())]


def test_section_rows_follow_the_brief_then_the_rest(
    session: Session, section_list: SectionListModel
) -> None:
    model = section_list
    library_ids = list(session.library.section_ids())
    assert _ids(model) == library_ids
    assert all(model.index(r).data(Qt.ItemDataRole.CheckStateRole) == CHECKED
               for r in range(model.rowCount()))
    title = session.library.sections[0].title.en
    assert model.index(0).data() == title
    arabic = SectionListModel(session, ui_lang="ar")
    assert arabic.index(0).data() == session.library.sections[0].title.ar


def test_unchecking_leaves_a_section_out_and_undo_brings_it_back(
    session: Session, section_list: SectionListModel
) -> None:
    model = section_list
    before = _ids(model)
    second = before[1]
    assert model.setData(model.index(1), UNCHECKED.value, Qt.ItemDataRole.CheckStateRole)
    assert second not in session.brief.sections
    # The left-out section keeps its place, unchecked and greyed.
    assert _ids(model) == before
    assert model.index(1).data(Qt.ItemDataRole.CheckStateRole) == UNCHECKED
    assert model.index(1).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(0).data(Qt.ItemDataRole.ForegroundRole) is None
    session.undo_stack.undo()
    assert session.brief.sections[1] == second
    assert model.index(1).data(Qt.ItemDataRole.CheckStateRole) == CHECKED
    # Ticking again puts it back into the brief where it is shown.
    model.setData(model.index(1), UNCHECKED, Qt.ItemDataRole.CheckStateRole)
    model.setData(model.index(1), CHECKED, Qt.ItemDataRole.CheckStateRole)
    assert session.brief.sections[1] == second
    assert _ids(model) == before


def test_unticked_rows_can_be_moved(session: Session, section_list: SectionListModel) -> None:
    model = section_list
    before = _ids(model)
    second = before[1]
    model.setData(model.index(1), UNCHECKED, Qt.ItemDataRole.CheckStateRole)
    sections = session.brief.sections
    assert model.move_row(1, 1)
    assert _ids(model)[2] == second
    assert model.index(2).data(Qt.ItemDataRole.CheckStateRole) == UNCHECKED
    assert session.brief.sections == sections, "moving a left-out row changes no content"
    model.setData(model.index(2), CHECKED, Qt.ItemDataRole.CheckStateRole)
    assert session.brief.sections.index(second) == 2


def test_moving_rows_reorders_the_brief(session: Session, section_list: SectionListModel) -> None:
    model = section_list
    first, second, third = _ids(model)[:3]
    assert model.move_row(0, 1)
    assert session.brief.sections[:3] == (second, first, third)
    assert not model.move_row(0, -1), "the first row cannot move up"
    assert model.move_ids([third], 0)
    assert session.brief.sections[:3] == (third, second, first)
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.brief.sections[:3] == (first, second, third)


def test_drag_and_drop_moves_the_dragged_section(
    session: Session, section_list: SectionListModel
) -> None:
    model = section_list
    order = _ids(model)
    data = model.mimeData([model.index(0)])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    # Dropped between rows 2 and 3: it lands after the old rows 1 and 2.
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex()) is False
    assert list(session.brief.sections[:3]) == [order[1], order[2], order[0]]
    # Dropped past the end.
    data = model.mimeData([model.index(0)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert session.brief.sections[-1] == order[1]
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, 0, 0, QModelIndex())


def test_list_view_moves_keep_the_moved_row_tracked(
    session: Session, section_list: SectionListModel
) -> None:
    model = section_list
    order = _ids(model)
    tracked = QPersistentModelIndex(model.index(1))
    # What QListView calls for an internal drag: row 1 before row 4.
    assert model.moveRow(QModelIndex(), 1, QModelIndex(), 4)
    assert list(session.brief.sections[:4]) == [order[0], order[2], order[3], order[1]]
    assert tracked.isValid() and tracked.row() == 3, "the dragged row stays selected"
    assert tracked.data(ID_ROLE) == order[1]
    assert not model.moveRow(QModelIndex(), 99, QModelIndex(), 0)


def test_own_sections_are_listed_and_marked(
    session: Session, section_list: SectionListModel
) -> None:
    model = section_list
    mine = Section(id="my_note", title=LocalText(ar="ملاحظتي", en="My note"),
                   body=LocalText(ar="نص", en="Text"))
    session.apply("add", edits.add_custom_section, session.library, mine)
    row = model.row_of("my_note")
    assert row == len(session.library.sections)
    assert model.index(row).data(CUSTOM_ROLE) is True
    assert model.index(row).data() == "My note"
    assert model.index(0).data(CUSTOM_ROLE) is False
    session.apply("remove", edits.remove_custom_section, "my_note")
    assert model.row_of("my_note") == -1


def _row(model: FigureTableModel, figure_id: str) -> int:
    return model.figure_ids.index(figure_id)


def test_figure_value_edit_changes_the_brief(
    session: Session, figure_table: FigureTableModel
) -> None:
    model = figure_table
    figure_id = "kz_oil_reserves"
    row, column = _row(model, figure_id), model.column_of("value")
    index = model.index(row, column)
    assert index.data(Qt.ItemDataRole.EditRole) == str(session.library.figures[figure_id].value)
    # Arabic-Indic digits with the Arabic decimal separator are understood.
    assert model.setData(index, "٥٫٢")
    assert session.brief.override(figure_id).value == Decimal("5.2")
    assert index.data() == "5.2"
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None  # marked as changed
    session.undo_stack.undo()
    assert session.brief.override(figure_id) is None
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None


def test_bad_value_is_refused_marked_red_and_explained(
    session: Session, figure_table: FigureTableModel, qtbot: Any
) -> None:
    model = figure_table
    figure_id = "kz_exports_eu_share"
    row, column = _row(model, figure_id), model.column_of("value")
    index = model.index(row, column)
    before = session.brief
    with qtbot.waitSignal(model.rejected) as blocker:
        assert not model.setData(index, "140")
    message = blocker.args[0]
    label = session.library.figures[figure_id].label.en
    assert message.startswith(label) and "140" in message and "from 0 to 100" in message
    assert figure_id not in message, "the user sees the figure's label, not its id"
    assert session.brief == before, "a refused value must not reach the brief"
    assert session.undo_stack.count() == 0
    # The cell shows the brief's value again; the message keeps what was typed.
    assert index.data() == model.display(row, column) != "140"
    assert index.data(ERROR_ROLE) == message
    assert index.data(Qt.ItemDataRole.ToolTipRole) == message
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert model.validate(row, column, "abc") == (
        f"{label}: \u201cabc\u201d is not a number. Allowed: from 0 to 100."
    )
    assert model.validate(row, column, "40") == ""
    # A good value clears the mark.
    assert model.setData(index, "40")
    assert index.data(ERROR_ROLE) == ""
    assert session.brief.override(figure_id).value == Decimal(40)


def test_text_columns_follow_the_chosen_language(
    session: Session, figure_table: FigureTableModel
) -> None:
    model = figure_table
    figure_id = "kz_oil_reserves"
    row, column = _row(model, figure_id), model.column_of("label")
    model.set_text_lang("ar")
    original = session.library.figures[figure_id]
    assert model.index(row, column).data() == original.label.ar
    alignment = model.index(row, column).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight.value
    assert model.setData(model.index(row, column), "احتياطي النفط")
    changed = session.brief.override(figure_id)
    assert changed.label == LocalText(ar="احتياطي النفط", en=original.label.en)
    model.set_text_lang("en")
    assert model.index(row, column).data() == original.label.en


def test_unit_qualifier_and_date_are_checked(
    session: Session, figure_table: FigureTableModel
) -> None:
    model = figure_table
    figure_id = "kz_oil_reserves"
    row = _row(model, figure_id)
    unit = model.index(row, model.column_of("unit"))
    assert "million_tonnes" in model.unit_choices(row)
    assert "percent" not in model.unit_choices(row)
    assert not model.setData(unit, "percent")
    assert "percent" in unit.data(ERROR_ROLE)
    assert model.setData(unit, "million_tonnes")
    assert session.brief.override(figure_id).unit == "million_tonnes"
    qualifier = model.index(row, model.column_of("qualifier"))
    assert model.setData(qualifier, "about")
    assert qualifier.data() == "about"
    as_of = model.index(row, model.column_of("as_of"))
    assert not model.setData(as_of, "20/10/2025")
    assert "2025-10-20" in as_of.data(ERROR_ROLE)
    assert model.setData(as_of, "2025-11-01")
    assert session.brief.override(figure_id).as_of.isoformat() == "2025-11-01"


def test_reset_puts_figures_back_in_one_step(
    session: Session, figure_table: FigureTableModel
) -> None:
    model = figure_table
    value = model.column_of("value")
    rows = [_row(model, "kz_oil_reserves"), _row(model, "kz_gas_reserves")]
    model.setData(model.index(rows[0], value), "9")
    model.setData(model.index(rows[1], value), "8")
    model.setData(model.index(rows[1], value), "-1")  # refused, marked red
    assert len(session.brief.figure_overrides) == 2
    assert model.errors
    assert model.reset_rows(rows)
    assert session.brief.figure_overrides == ()
    assert not model.errors
    session.undo_stack.undo()
    assert len(session.brief.figure_overrides) == 2


def test_decimal_comma_and_arabic_digits_are_accepted(
    session: Session, figure_table: FigureTableModel
) -> None:
    model = figure_table
    figure_id = "kz_exports_eu_share"
    row, column = _row(model, figure_id), model.column_of("value")
    index = model.index(row, column)
    for typed, expected in [("4,4", "4.4"), ("\u0664\u066b\u0664", "4.4"),
                            ("\u0664\u060c\u0665", "4.5"), (" 12.5 ", "12.5")]:
        assert model.validate(row, column, typed) == "", typed
        assert model.setData(index, typed), typed
        assert session.brief.override(figure_id).value == Decimal(expected), typed
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "from 0 to 100" in tip and figure_id not in tip, "a label, not an internal id"
    assert model.allowed_range(row) == "from 0 to 100"


def test_figure_messages_speak_arabic_in_the_arabic_interface(
    session: Session, qapp: Any
) -> None:
    from briefing.gui.i18n import install_language

    install_language(qapp, "ar")
    try:
        model = FigureTableModel(session, ui_lang="ar")
        figure_id = "kz_exports_eu_share"
        row, column = _row(model, figure_id), model.column_of("value")
        message = model.validate(row, column, "abc")
        label = session.library.figures[figure_id].label.ar
        assert message.startswith(label)
        assert "is not a number" not in message and "ليس رقمًا" in message
        assert "من 0 إلى 100" in message
    finally:
        install_language(qapp, "en")
