"""The Arabic interface: compiled translation, mirrored layout, language chosen in settings."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from briefing import edits
from briefing.gui.i18n import install_language, translation_file
from briefing.gui.settings import AppSettings
from briefing.gui.settings_dialog import SettingsDialog
from briefing.library import Library
from briefing.resources import as_path, resource


def test_every_message_has_an_arabic_translation() -> None:
    ts_file = as_path(resource("i18n", "briefing_ar.ts"))
    root = ET.parse(ts_file).getroot()
    assert root.get("language") == "ar"
    messages = list(root.iter("message"))
    assert len(messages) > 200
    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation").get("type") == "unfinished"
                  or not (m.findtext("translation") or "").strip()]
    assert unfinished == []
    qm_file = Path(translation_file("ar"))
    assert qm_file.stat().st_mtime >= ts_file.stat().st_mtime - 1, "the .qm is older than the .ts"


def test_arabic_interface_is_translated_and_mirrored(qapp: QApplication) -> None:
    assert install_language(qapp, "ar")
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert QCoreApplication.translate("MainWindow", "&File") == "ملف"
    # Qt's own buttons come from Qt's Arabic translation.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") != "Cancel"
    assert install_language(qapp, "en")
    assert qapp.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_settings_dialog_keeps_the_choice(settings: AppSettings) -> None:
    assert settings.ui_language_choice() == "system"
    dialog = SettingsDialog(settings)
    dialog.choose("ar")
    dialog.store()
    assert AppSettings().ui_language_choice() == "ar"
    assert AppSettings().ui_language() == "ar"
    dialog.deleteLater()


def test_switching_language_rebuilds_the_window_around_the_same_brief(
    qapp: QApplication, make_controller: Any, qtbot: Any, library: Library, prompts: Any,
    monkeypatch: Any,
) -> None:
    controller = make_controller()
    session = controller.session
    controller.ui_lang = "en"
    first = controller.build_window()
    qtbot.addWidget(first)
    session.apply("title", edits.set_meta_text, "title", "ar", "عنوان")
    assert first.menuBar().actions()[0].text() == "&File"

    def choose_arabic(dialog: SettingsDialog) -> int:
        dialog.choose("ar")
        return 1

    monkeypatch.setattr(first, "run_dialog", choose_arabic)
    first.open_settings()
    second = controller.window
    assert second is not None and second is not first
    qtbot.addWidget(second)
    assert not first.isVisible()
    assert prompts.asked_save == [], "rebuilding the window asks nothing"
    assert qapp.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert second.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert second.menuBar().actions()[0].text() == "ملف"
    assert second.tabs.tabText(0) == "الأقسام"
    # The brief and its undo history carried over.
    assert second.meta_editors["title"]["ar"].text() == "عنوان"
    assert session.undo_stack.canUndo()
    second.undo_action.trigger()
    assert second.meta_editors["title"]["ar"].text() == ""
    # Section titles follow the interface language.
    assert second.section_model.index(0).data() == library.sections[0].title.ar
    controller.autosaver.timer.stop()
