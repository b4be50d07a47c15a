"""A .brief handed to the running app by the desktop (macOS Finder) opens in the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from briefing import edits
from briefing.library import Library
from briefing.store import save_brief


def test_file_open_event_opens_the_brief(
    qapp: QApplication, make_controller: Any, qtbot: Any, library: Library, prompts: Any,
    tmp_path: Path,
) -> None:
    brief = edits.set_digits(edits.default_brief(library), "arabic")
    path = tmp_path / "from-finder.brief"
    save_brief(brief, path)
    controller = make_controller()
    session = controller.session
    qapp.installEventFilter(controller)
    try:
        window = controller.build_window()
        qtbot.addWidget(window)
        assert session.brief.digits == "latin"
        QApplication.sendEvent(qapp, QFileOpenEvent(str(path)))
        assert session.brief.digits == "arabic"
        assert not prompts.errors
    finally:
        qapp.removeEventFilter(controller)
        controller.autosaver.timer.stop()
