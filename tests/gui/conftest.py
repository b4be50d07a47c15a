"""Fixtures for the desktop app: private settings and data, a session, a window, fake prompts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from briefing.gui.app import AppController
from briefing.gui.autosave import Autosaver
from briefing.gui.i18n import install_language
from briefing.gui.mainwindow import MainWindow
from briefing.gui.session import Session
from briefing.gui.settings import AppSettings, data_dir
from briefing.library import Library


class FakePrompts:
    """Answers the window's questions at once and records every message and question."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.save_answer = "discard"
        self.recover_answer = True
        self.asked_save: list[str] = []
        self.asked_recover: list[str] = []
        self.files_to_open: list[Path] = []
        self.files_to_save: list[Path] = []
        self.folders: list[Path] = []
        self.opened_urls: list[QUrl] = []
        self.replace_answer = False
        self.asked_replace: list[list[str]] = []

    def ask_save_changes(self, name: str) -> str:
        self.asked_save.append(name)
        return self.save_answer

    def ask_recover(self, saved_at: str) -> bool:
        self.asked_recover.append(saved_at)
        return self.recover_answer

    def ask_replace(self, names: list[str]) -> bool:
        self.asked_replace.append(names)
        return self.replace_answer

    def error(self, title: str, message: str) -> None:
        self.errors.append((title, message))

    def open_file(self, folder: str) -> Path | None:
        return self.files_to_open.pop(0) if self.files_to_open else None

    def save_file(self, suggested: str) -> Path | None:
        return self.files_to_save.pop(0) if self.files_to_save else None

    def choose_folder(self, folder: str) -> Path | None:
        return self.folders.pop(0) if self.folders else None

    def choose_image(self, folder: str) -> Path | None:
        return None

    def open_url(self, url: QUrl) -> bool:
        self.opened_urls.append(url)
        return True


@pytest.fixture(autouse=True)
def private_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep settings, autosave and user templates of every test in its own folder."""
    folder = tmp_path / "userdata"
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(folder))
    monkeypatch.setenv("BRIEFING_USER_TEMPLATES", str(folder / "templates"))
    return folder


@pytest.fixture(autouse=True)
def english_interface(qapp: QApplication) -> Iterator[None]:
    """Start and end every test with the English, left-to-right interface."""
    install_language(qapp, "en")
    yield
    install_language(qapp, "en")


@pytest.fixture
def prompts() -> FakePrompts:
    """Return prompts that never open a modal dialog."""
    return FakePrompts()


@pytest.fixture
def session(qapp: QApplication, library: Library) -> Session:
    """Return a session holding a fresh brief."""
    return Session(library)


@pytest.fixture
def settings(private_data: Path) -> AppSettings:
    """Return settings stored in the test's private folder."""
    return AppSettings()


@pytest.fixture
def autosaver(session: Session, private_data: Path) -> Autosaver:
    """Return an autosaver writing to the test's private folder (timer not started)."""
    return Autosaver(session, data_dir() / "autosave")


@pytest.fixture
def make_controller(
    qapp: QApplication, library: Library, prompts: FakePrompts
) -> Callable[[], AppController]:
    """Return a maker of app controllers, each over a fresh session with its own autosaver in
    the test's private folder, asking ``prompts``, with no preview when a window shows."""

    def make() -> AppController:
        session = Session(library)
        controller = AppController(
            qapp, session, AppSettings(), Autosaver(session, data_dir() / "autosave"),
            prompts_factory=lambda _parent: prompts,  # type: ignore[arg-type,return-value]
        )
        controller.preview_on_show = False
        return controller

    return make


@pytest.fixture
def window(
    qtbot: Any, session: Session, settings: AppSettings, autosaver: Autosaver, prompts: FakePrompts
) -> Iterator[MainWindow]:
    """Return a shown main window whose questions are answered by ``prompts``."""
    main = MainWindow(session, settings, autosaver, prompts=prompts,  # type: ignore[arg-type]
                      preview_debounce_ms=50)
    qtbot.addWidget(main)
    main.preview_on_show = False
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.preview_controller.enabled = False
    main.preview_controller.timer.stop()
    main.preview_controller.wait()
