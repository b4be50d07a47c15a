"""The main window driven as a user would: typing, undo keys, files, prompts, sections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
)

from briefing import edits
from briefing.gui.mainwindow import MainWindow
from briefing.gui.models import ERROR_ROLE
from briefing.gui.section_dialog import SectionDialog
from briefing.gui.session import Session
from briefing.gui.settings import AppSettings
from briefing.store import load_brief


def test_typing_a_title_then_undo_and_redo_keys(window: MainWindow, qtbot: Any) -> None:
    editor = window.meta_editors["title"]["en"]
    window.tabs.setCurrentIndex(2)
    editor.setFocus()
    qtbot.keyClicks(editor, "Transit brief")
    assert window.session.brief.meta.title.en == "Transit brief"
    assert window.isWindowModified()
    assert window.session.undo_stack.count() == 1, "typing in one field is one undo step"
    # The keys reach the brief's undo stack, not the line edit's own history.
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.brief.meta.title.en == ""
    assert editor.text() == ""
    assert not window.isWindowModified()
    assert window.session.undo_stack.count() == 1
    shift_control = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(editor, Qt.Key.Key_Z, shift_control)
    assert editor.text() == "Transit brief"
    assert window.session.brief.meta.title.en == "Transit brief"
    window.undo_action.trigger()
    window.redo_action.trigger()
    assert editor.text() == "Transit brief"


def test_undo_shortcuts_are_the_usual_keys(window: MainWindow) -> None:
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [k.toString() for k in window.redo_action.shortcuts()]


def test_arabic_fields_are_right_to_left(window: MainWindow) -> None:
    arabic = window.meta_editors["title"]["ar"]
    english = window.meta_editors["title"]["en"]
    assert arabic.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert arabic.alignment() & Qt.AlignmentFlag.AlignRight
    assert english.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert arabic.placeholderText(), "the default title is shown while the field is empty"


def test_output_pickers_edit_the_brief(window: MainWindow, prompts: Any) -> None:
    window.language_boxes["en"].setChecked(True)
    assert window.session.brief.languages == ("ar", "en")
    window.language_boxes["ar"].setChecked(False)
    window.language_boxes["en"].setChecked(False)
    # The last language cannot go: refused with the command line's message.
    assert prompts.errors[-1][1] == "no language given (use ar, en or bi)"
    assert window.session.brief.languages == ("en",)
    assert window.language_boxes["en"].isChecked()
    combo = window.digits_combo
    combo.setCurrentIndex(combo.findData("arabic"))
    combo.activated.emit(combo.currentIndex())
    assert window.session.brief.digits == "arabic"
    templates = [window.template_combo.itemData(i) for i in range(window.template_combo.count())]
    assert "ministry" in templates
    other = next(t for t in templates if t != window.session.brief.template)
    window.template_combo.setCurrentIndex(templates.index(other))
    window.template_combo.activated.emit(templates.index(other))
    assert window.session.brief.template == other
    window.undo_action.trigger()
    assert window.template_combo.currentData() == "ministry"


def test_marking_uses_the_template_until_changed(window: MainWindow) -> None:
    assert window.session.brief.meta.marking is None
    assert not window.meta_editors["marking"]["en"].isEnabled()
    assert window.meta_editors["marking"]["en"].text() == "RESTRICTED"
    window.marking_check.setChecked(False)
    assert window.session.brief.meta.marking is not None
    assert window.meta_editors["marking"]["en"].isEnabled()
    editor = window.meta_editors["marking"]["en"]
    editor.setText("CONFIDENTIAL")
    editor.textEdited.emit("CONFIDENTIAL")
    assert window.session.brief.meta.marking.en == "CONFIDENTIAL"
    window.marking_check.setChecked(True)
    assert window.session.brief.meta.marking is None


def test_save_open_and_recent_files(
    window: MainWindow, prompts: Any, tmp_path: Path, settings: AppSettings
) -> None:
    window.session.apply("digits", edits.set_digits, "arabic")
    target = tmp_path / "first"
    prompts.files_to_save.append(target.with_suffix(".brief"))
    assert window.save_brief()
    saved = tmp_path / "first.brief"
    assert load_brief(saved).digits == "arabic"
    assert not window.isWindowModified()
    assert "first.brief" in window.windowTitle()
    assert settings.recent_files() == [str(saved.resolve())]

    window.new_brief()
    assert window.session.brief.digits == "latin" and window.session.path is None
    assert window.open_brief(saved)
    assert window.session.brief.digits == "arabic"
    assert window.session.path == saved

    bad = tmp_path / "broken.brief"
    bad.write_text("[]", encoding="utf-8")
    assert not window.open_brief(bad)
    assert prompts.errors[-1][1].startswith(str(bad))


def test_unsaved_changes_are_asked_about(window: MainWindow, prompts: Any, tmp_path: Path) -> None:
    window.language_boxes["en"].setChecked(True)
    prompts.save_answer = "cancel"
    window.new_brief()
    assert window.session.brief.languages == ("ar", "en"), "cancel keeps the brief"
    assert not window.close()
    assert window.isVisible()
    prompts.save_answer = "save"
    prompts.files_to_save.append(tmp_path / "kept.brief")
    assert window.close()
    assert load_brief(tmp_path / "kept.brief").languages == ("ar", "en")
    assert len(prompts.asked_save) == 3


def test_close_without_changes_asks_nothing(window: MainWindow, prompts: Any) -> None:
    assert window.close()
    assert prompts.asked_save == []
    assert window.autosaver is not None and window.autosaver.closed_cleanly()


def _fill_section_dialog(dialog: SectionDialog) -> int:
    dialog.set_field("title", "en", "Our position")
    dialog.set_field("title", "ar", "موقفنا")
    dialog.set_field("body", "en", "We support {fig:kz_exports_eu_share} of exports going west.")
    dialog.set_field("body", "ar", "ندعم توجيه {fig:kz_exports_eu_share} من الصادرات غرباً.")
    dialog.set_field("talking_points", "ar", "النقطة الأولى\nالنقطة الثانية")
    dialog.update_preview()
    assert dialog.problem() == ""
    dialog.accept()
    return int(dialog.result())


def test_add_edit_and_remove_own_section(window: MainWindow, monkeypatch: Any) -> None:
    previews: list[str] = []

    def run(dialog: SectionDialog) -> int:
        result = _fill_section_dialog(dialog)
        # The preview shows the figure phrase, right to left for Arabic.
        assert dialog.editors[("body", "ar")].layoutDirection() == Qt.LayoutDirection.RightToLeft
        dialog._set_preview_lang("ar")
        previews.append(dialog.preview.toPlainText())
        block = dialog.preview.document().firstBlock()
        assert block.textDirection() == Qt.LayoutDirection.RightToLeft
        return result

    monkeypatch.setattr(window, "run_dialog", run)
    window.add_section()
    brief = window.session.brief
    assert brief.sections[-1] == "our_position"
    section = brief.custom("our_position")
    assert section.title.ar == "موقفنا"
    assert len(section.talking_points) == 2
    assert "{fig:" not in previews[0] and "أكثر من 50" in previews[0]
    assert window.current_section_id() == "our_position"
    assert window.edit_section_button.isEnabled()

    def change_title(dialog: SectionDialog) -> int:
        assert dialog.id_edit.isReadOnly()
        dialog.set_field("title", "en", "Our revised position")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(window, "run_dialog", change_title)
    window.edit_section()
    assert window.session.brief.custom("our_position").title.en == "Our revised position"
    window.remove_section()
    assert window.session.brief.custom("our_position") is None
    window.undo_action.trigger()
    assert window.session.brief.custom("our_position").title.en == "Our revised position"


def test_section_dialog_refuses_bad_sections(window: MainWindow) -> None:
    dialog = window._section_dialog(None)
    dialog.set_field("body", "en", "Text citing {fig:no_such_figure}.")
    dialog.set_field("title", "en", "X")
    dialog.accept()
    assert dialog.result() == 0
    assert "no_such_figure" in dialog.error_label.text()
    dialog.set_field("title", "en", "")
    dialog.set_field("title", "ar", "")
    dialog.set_field("body", "en", "Fine text.")
    assert "title is empty" in dialog.problem()


def test_keyboard_reorder_of_sections(window: MainWindow) -> None:
    first, second = window.session.brief.sections[:2]
    window.select_section(first)
    window.move_down_action.trigger()
    assert window.session.brief.sections[:2] == (second, first)
    assert window.current_section_id() == first, "the moved section stays selected"
    window.move_up_action.trigger()
    assert window.session.brief.sections[:2] == (first, second)
    assert window.section_view.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove


def test_controls_have_accessible_names(window: MainWindow) -> None:
    missing = []
    for kind in (QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateEdit, QPlainTextEdit,
                 QAbstractItemView):
        for widget in window.findChildren(kind):
            parent = type(widget.parent()).__name__ if widget.parent() is not None else ""
            if parent in ("QSpinBox", "QDateEdit", "QComboBox", "QDoubleSpinBox",
                          "QComboBoxPrivateContainer", "QCalendarWidget"):
                continue  # the inner parts of spin boxes, combo boxes and calendars
            if isinstance(widget, QHeaderView) or widget.window() is not window:
                continue  # table headers, and popups that belong to combo boxes
            if not widget.accessibleName():
                missing.append(f"{type(widget).__name__} in {parent}")
    assert missing == []


def test_window_geometry_is_remembered(
    qtbot: Any, session: Session, settings: AppSettings, prompts: Any
) -> None:
    first = MainWindow(session, settings, prompts=prompts)
    first.preview_on_show = False
    qtbot.addWidget(first)
    first.show()
    first.resize(751, 533)
    qtbot.waitUntil(lambda: first.width() == 751)
    first.close()
    second = MainWindow(session, AppSettings(), prompts=prompts)
    second.preview_on_show = False
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (751, 533)


def test_figure_cell_editor_checks_as_you_type(window: MainWindow, qtbot: Any) -> None:
    window.tabs.setCurrentIndex(1)
    editor_widget = window.figure_editor
    table = editor_widget.table
    model = window.figure_model
    row = model.figure_ids.index("kz_exports_eu_share")
    index = model.index(row, model.column_of("value"))
    table.setCurrentIndex(index)
    table.edit(index)
    line = table.indexWidget(index) or table.focusWidget()
    assert isinstance(line, QLineEdit)
    assert line.placeholderText() == "from 0 to 100", "the allowed range is said up front"
    assert "from 0 to 100" in line.toolTip()
    line.selectAll()
    qtbot.keyClicks(line, "140")
    assert "background" in line.styleSheet(), "a bad value turns the editor red while typing"
    assert "140 is not allowed. Allowed: from 0 to 100." in editor_widget.message.text()
    qtbot.keyClick(line, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: bool(index.data(ERROR_ROLE)))
    assert session_value(window, "kz_exports_eu_share") is None, "the bad value was refused"
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#f8d7da"
    assert not editor_widget.message.isHidden()
    assert index.data() != "140", "the cell shows the brief's value again"
    # Selecting the row again keeps the message in view.
    table.selectRow(row)
    table.setCurrentIndex(index)
    assert "140" in editor_widget.message.text() and not editor_widget.message.isHidden()
    # Typing a good value is accepted and clears the red mark.
    table.edit(index)
    line = table.focusWidget()
    line.selectAll()
    qtbot.keyClicks(line, "55")
    assert line.styleSheet() == ""
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session_value(window, "kz_exports_eu_share") is not None)
    assert str(session_value(window, "kz_exports_eu_share")) == "55"
    assert editor_widget.message.isHidden()
    table.selectRow(row)
    editor_widget.reset_button.click()
    assert session_value(window, "kz_exports_eu_share") is None


def session_value(window: MainWindow, figure_id: str) -> Any:
    """Return the brief's own value of a figure, or None when it keeps the library's."""
    override = window.session.brief.override(figure_id)
    return None if override is None else override.value


def test_unticking_keeps_place_selection_and_focus(window: MainWindow, qtbot: Any) -> None:
    view = window.section_view
    model = window.section_model
    window.tabs.setCurrentIndex(0)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    before = model.section_ids()
    view.setCurrentIndex(model.index(1))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert before[1] not in window.session.brief.sections, "space unticks the row"
    assert model.section_ids() == before
    assert view.currentIndex().row() == 1 and view.hasFocus()
    assert window.down_button.isEnabled(), "an unticked row can still be moved"
    window.move_current_section(1)
    assert model.section_ids()[2] == before[1]
    assert view.currentIndex().row() == 2


def test_toolbar_buttons_have_icons_and_words(window: MainWindow) -> None:
    from PySide6.QtWidgets import QToolBar, QToolButton

    toolbar = window.findChild(QToolBar, "MainToolbar")
    assert toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    buttons = [b for b in toolbar.findChildren(QToolButton) if b.defaultAction() is not None
               and b.defaultAction().text()]
    assert len(buttons) >= 6
    for button in buttons:
        action = button.defaultAction()
        assert not action.icon().isNull(), action.text()
        assert action.text().strip(), "every icon has its word beside it"


def test_preview_opens_in_the_interface_language(
    qtbot: Any, session: Any, settings: Any, prompts: Any
) -> None:
    from briefing import edits

    session.apply("languages", edits.set_languages, ("ar", "en"))
    for lang in ("en", "ar"):
        main = MainWindow(session, settings, prompts=prompts, ui_lang=lang)
        qtbot.addWidget(main)
        assert main.preview_controller.lang == lang
        assert main.preview_pane.lang_buttons[lang].isChecked()
        main.preview_controller.enabled = False
