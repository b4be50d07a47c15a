"""A .brief opened while the app runs goes to the running app, in a new window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from briefing import edits
from briefing.gui.session import Session
from briefing.gui.settings import data_dir
from briefing.gui.single_instance import (
    InstanceServer,
    connect_handler,
    hand_to_running,
    server_name,
)
from briefing.library import Library

ROOT = Path(__file__).resolve().parents[2]


def _brief_file(library: Library, folder: Path, title: str) -> Path:
    session = Session(library)
    session.apply("title", edits.set_meta_text, "title", "en", title)
    return session.save(folder / "handed.brief")


def test_no_running_app_means_nothing_is_handed(private_data: Path, tmp_path: Path) -> None:
    assert not hand_to_running(server_name(private_data), [tmp_path / "x.brief"])


def test_a_second_start_hands_its_brief_to_the_running_app(
    qapp: QApplication, make_controller: Any, qtbot: Any, library: Library, tmp_path: Path
) -> None:
    controller = make_controller()
    window = controller.build_window()
    qtbot.addWidget(window)
    controller.autosaver.start()
    server = InstanceServer(server_name(data_dir()), qapp)
    assert server.listen()
    connect_handler(server, controller.open_in_new_window)
    brief = _brief_file(library, tmp_path, "Opened by double-click")
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), str(brief)],
            env=env, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        qtbot.waitUntil(lambda: len(controller.others) == 1, timeout=5000)
        other = controller.others[0]
        assert other.window is not None and other.window.isVisible()
        assert other.session.path == brief.resolve()
        assert other.window.meta_editors["title"]["en"].text() == "Opened by double-click"
        # The first window keeps its own brief and journal.
        assert controller.session.path is None
        assert other.autosaver.journal_dir != controller.autosaver.journal_dir
    finally:
        server.close()
        for c in [controller, *controller.others]:
            c.autosaver.finish()
        for c in controller.others:
            if c.window is not None:
                c.window.deleteLater()
