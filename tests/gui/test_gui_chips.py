"""Figure chips in the section editor: shown as boxes, atomic, undoable, stored as placeholders."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QListWidget, QMenu, QTextEdit

from briefing.gui.chips import OBJECT_CHAR, ChipTextEdit
from briefing.gui.i18n import install_language
from briefing.gui.mainwindow import MainWindow
from briefing.gui.section_dialog import SectionDialog
from briefing.library import Library
from briefing.model import PLACEHOLDER, LocalText, Section

# Showing a dialog or a menu on the offscreen platform logs what that platform cannot do.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)"
)

BODY_EN = ("Kazakhstan holds {fig:kz_oil_reserves} of oil;\u00a0the port handles "
           "{fig:baku_port_capacity}{fig:baku_port_capacity} and {val:kz_gas_reserves}.\n\n"
           "A second paragraph.")
BODY_AR = ("تملك كازاخستان {fig:kz_oil_reserves} من النفط، "
           "وتبلغ سعة الميناء {fig:baku_port_capacity}.")
TITLE_EN = "Our view on {fig:kz_oil_reserves}"


def _section() -> Section:
    return Section(
        id="our_view",
        title=LocalText(ar="رأينا في {fig:kz_oil_reserves}", en=TITLE_EN),
        body=LocalText(ar=BODY_AR, en=BODY_EN),
        key_point=LocalText(ar="", en="Reserves: {val:kz_oil_reserves}."),
        talking_points=(LocalText(ar="نقطة {fig:kz_fdi_total}", en="Point {fig:kz_fdi_total}"),),
        charts=(),
        custom=True,
    )


@pytest.fixture
def dialog(qtbot: Any, library: Library) -> SectionDialog:
    shown = SectionDialog(library, dict(library.figures), "latin", lambda _s: None, set(),
                          section=_section())
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _visible_texts(dialog: SectionDialog) -> list[str]:
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.isVisibleTo(dialog)]
    texts += [w.toPlainText() for w in dialog.findChildren(QTextEdit)]
    for combo in dialog.findChildren(QComboBox):
        texts += [combo.itemText(i) for i in range(combo.count())]
    for listing in dialog.findChildren(QListWidget):
        texts += [listing.item(i).text() for i in range(listing.count())]
    return texts


def test_a_loaded_section_shows_chips_not_placeholders(dialog: SectionDialog) -> None:
    section = _section()
    stored = {
        ("title", "en"): section.title.en, ("title", "ar"): section.title.ar,
        ("body", "en"): section.body.en, ("body", "ar"): section.body.ar,
        ("key_point", "en"): section.key_point.en,
        ("talking_points", "en"): section.talking_points[0].en,
    }
    for key, text in stored.items():
        editor = dialog.editors[key]
        shown = editor.toPlainText()
        assert "{fig:" not in shown and "{val:" not in shown, key
        assert shown.count(OBJECT_CHAR) == len(PLACEHOLDER.findall(text)), key
        assert editor.chip_ids() == [m.group(2) for m in PLACEHOLDER.finditer(text)]
        assert editor.stored_text() == text, key  # the no-break space too
    for text in _visible_texts(dialog):
        assert "{fig:" not in text and "{val:" not in text, text
    assert dialog.section() == _section()


def test_a_chip_shows_label_and_value_as_a_drawn_box(dialog: SectionDialog) -> None:
    editor = dialog.editors[("body", "en")]
    chip = dialog.chip_text("kz_oil_reserves", "fig", "en")
    assert chip.label == "Kazakhstan oil reserves" and chip.value == "4.4 billion tonnes"
    assert "kz_oil_reserves" in chip.tooltip and "Source:" in chip.tooltip
    arabic = dialog.chip_text("kz_oil_reserves", "fig", "ar")
    assert arabic.label == chip.label and "مليار" in arabic.value  # the Arabic brief's value
    # The chip is a box of its own, as wide as its caption, filled with the chip colour.
    start = editor.toPlainText().index(OBJECT_CHAR)
    cursor = QTextCursor(editor.document())
    cursor.setPosition(start)
    before = editor.cursorRect(cursor)
    cursor.setPosition(start + 1)
    after = editor.cursorRect(cursor)
    assert after.left() - before.left() > editor.fontMetrics().horizontalAdvance(chip.label)
    image = editor.viewport().grab().toImage()
    y = before.center().y()
    fill = QColor("#dcebfb").rgb()
    assert sum(image.pixel(x, y) == fill for x in range(before.left(), after.left())) > 20
    middle = QPoint((before.left() + after.left()) // 2, y)
    assert editor.chip_at(middle) == "kz_oil_reserves"


def test_the_cursor_steps_over_a_chip_as_one_character(qtbot: Any, dialog: SectionDialog) -> None:
    editor = dialog.editors[("body", "en")]
    editor.setFocus()
    start = editor.toPlainText().index(OBJECT_CHAR)
    cursor = editor.textCursor()
    cursor.setPosition(start)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert editor.textCursor().selectedText() == OBJECT_CHAR
    assert editor.textCursor().position() == start + 1


def test_typing_around_a_chip_and_deleting_it_round_trip(
    qtbot: Any, dialog: SectionDialog
) -> None:
    editor = dialog.editors[("title", "en")]
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " today")
    assert editor.stored_text() == TITLE_EN + " today"
    # Before the chip: after "Our view on ".
    cursor = editor.textCursor()
    cursor.setPosition(len("Our view on "))
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "the ")
    assert editor.stored_text() == "Our view on the {fig:kz_oil_reserves} today"
    # After the chip, Backspace removes the whole chip and nothing else.
    cursor.setPosition(len("Our view on the ") + 1)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.stored_text() == "Our view on the  today"
    assert editor.toPlainText().count(OBJECT_CHAR) == 0
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.stored_text() == "Our view on the {fig:kz_oil_reserves} today"
    assert dialog.section().title.en == "Our view on the {fig:kz_oil_reserves} today"
    # A one-line field takes no line break.
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "\n" not in editor.stored_text()


def test_deleting_a_chip_in_arabic_text(qtbot: Any, dialog: SectionDialog) -> None:
    editor = dialog.editors[("body", "ar")]
    editor.setFocus()
    text = editor.toPlainText()
    first = text.index(OBJECT_CHAR)
    cursor = editor.textCursor()
    cursor.setPosition(first)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.stored_text() == BODY_AR.replace("{fig:kz_oil_reserves}", "", 1)
    editor.undo()
    assert editor.stored_text() == BODY_AR


def test_chips_sit_right_to_left_in_arabic_text(dialog: SectionDialog) -> None:
    editor = dialog.editors[("body", "ar")]
    assert editor.document().firstBlock().textDirection() == Qt.LayoutDirection.RightToLeft
    chip = editor.toPlainText().index(OBJECT_CHAR)
    cursor = QTextCursor(editor.document())
    x = []
    for position in (0, chip, chip + 1):  # start of the line, before and after the chip
        cursor.setPosition(position)
        x.append(editor.cursorRect(cursor).center().x())
    # Read from the right: the first words, then the chip to their left, then what follows.
    assert x[0] > x[1] > x[2], x
    assert x[0] > editor.viewport().width() * 0.8


def test_inserting_a_figure_from_the_figure_box(qtbot: Any, dialog: SectionDialog) -> None:
    editor = dialog.editors[("key_point", "ar")]
    editor.setFocus()
    qtbot.waitUntil(lambda: dialog._last_editor is editor)
    editor.insertPlainText("قدرة ")  # the test keyboard types ASCII only
    combo = dialog.figure_combo
    index = combo.findData("kz_green_capacity") if combo.findData("kz_green_capacity") > 0 \
        else 1
    figure_id = combo.itemData(index)
    label = combo.itemText(index)
    assert "{" not in label and label == dialog.figures[figure_id].label.en
    combo.activated.emit(index)
    assert editor.stored_text() == "قدرة {fig:" + figure_id + "}"
    assert dialog.section().key_point.ar == "قدرة {fig:" + figure_id + "}"


def test_inserting_a_figure_with_ctrl_space(qtbot: Any, dialog: SectionDialog) -> None:
    editor = dialog.editors[("body", "en")]
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(m.isVisible() for m in editor.findChildren(QMenu)))
    menu = next(m for m in editor.findChildren(QMenu) if m.isVisible())
    labels = [a.text() for a in menu.actions()]
    assert len(labels) == len(dialog.figures) and not any("{" in t for t in labels)
    action = next(a for a in menu.actions() if a.data() == "kz_fdi_total")
    assert action.text() == dialog.figures["kz_fdi_total"].label.en
    action.trigger()
    menu.close()
    assert editor.stored_text() == BODY_EN + "{fig:kz_fdi_total}"
    editor.undo()
    assert editor.stored_text() == BODY_EN


def test_paste_makes_chips_and_copy_keeps_them(qtbot: Any, dialog: SectionDialog) -> None:
    editor = dialog.editors[("talking_points", "en")]
    editor.set_stored_text("")
    pasted = QMimeData()
    pasted.setText("See {fig:kz_oil_reserves}.")
    editor.insertFromMimeData(pasted)
    assert editor.stored_text() == "See {fig:kz_oil_reserves}."
    assert "{fig:" not in editor.toPlainText()
    editor.selectAll()
    copied = editor.createMimeDataFromSelection()
    assert copied.text() == "See 4.4 billion tonnes."  # as the brief reads, for other programs
    other = dialog.editors[("talking_points", "ar")]
    other.set_stored_text("")
    other.insertFromMimeData(copied)
    assert other.stored_text() == "See {fig:kz_oil_reserves}."


def test_an_unknown_figure_is_a_warning_chip(qtbot: Any, library: Library) -> None:
    editor = ChipTextEdit(
        lambda fid, kind, lang: SectionDialog.chip_text(_Holder(library), fid, kind, lang),  # type: ignore[arg-type]
        lambda: [], "en",
    )
    qtbot.addWidget(editor)
    editor.set_stored_text("Text citing {fig:no_such_figure}.")
    assert editor.stored_text() == "Text citing {fig:no_such_figure}."
    chip = editor.describe("no_such_figure", "fig", "en")
    assert not chip.known and "no_such_figure" in chip.tooltip


class _Holder:
    """The attributes ``SectionDialog.chip_text`` reads."""

    def __init__(self, library: Library) -> None:
        self.figures = dict(library.figures)
        self.library = library
        self.digits = "latin"
        self.ui_lang = "en"

    def tr(self, text: str) -> str:
        return text


def test_arabic_interface_labels_chips_in_arabic(qtbot: Any, qapp: QApplication,
                                                 library: Library) -> None:
    install_language(qapp, "ar")
    shown = SectionDialog(library, dict(library.figures), "latin", lambda _s: None, set(),
                          section=_section(), ui_lang="ar")
    qtbot.addWidget(shown)
    chip = shown.chip_text("kz_oil_reserves", "fig", "en")
    assert chip.label == library.figures["kz_oil_reserves"].label.ar
    assert chip.value == "4.4 billion tonnes"
    assert chip.caption.startswith("\u2068" + chip.label)
    offered = dict(shown.figure_offer())
    assert offered["kz_oil_reserves"] == chip.label


def test_the_section_list_writes_figures_out(window: MainWindow, monkeypatch: Any) -> None:
    def run(dialog: SectionDialog) -> int:
        dialog.set_field("title", "en", TITLE_EN)
        dialog.set_field("title", "ar", "رأينا")
        dialog.set_field("body", "en", "Text.")
        dialog.set_field("body", "ar", "نص.")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(window, "run_dialog", run)
    window.add_section()
    section_id = window.session.brief.sections[-1]
    assert window.session.brief.custom(section_id).title.en == TITLE_EN
    model = window.section_model
    index = model.index(model.row_of(section_id))
    assert index.data() == "Our view on 4.4 billion tonnes"
    assert "{fig:" not in index.data(Qt.ItemDataRole.ToolTipRole)


def test_a_chip_tooltip_names_the_figure_and_its_source(
    qtbot: Any, dialog: SectionDialog
) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    editor = dialog.editors[("body", "en")]
    start = editor.toPlainText().index(OBJECT_CHAR)
    cursor = QTextCursor(editor.document())
    cursor.setPosition(start)
    left = editor.cursorRect(cursor)
    cursor.setPosition(start + 1)
    right = editor.cursorRect(cursor)
    inside = editor.viewport().mapTo(
        editor, QPoint((left.left() + right.left()) // 2, left.center().y())
    )
    editor.event(QHelpEvent(QEvent.Type.ToolTip, inside, editor.mapToGlobal(inside)))
    qtbot.waitUntil(QToolTip.isVisible)
    figure = dialog.figures["kz_oil_reserves"]
    assert "kz_oil_reserves" in QToolTip.text()
    assert figure.source.en in QToolTip.text()
    QToolTip.hideText()
