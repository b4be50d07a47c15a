"""Autosave to the user data folder and the recovery offer after a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from briefing import edits
from briefing.gui.app import AppController
from briefing.gui.autosave import Autosaver
from briefing.gui.session import Session
from briefing.gui.settings import AppSettings, data_dir
from briefing.library import Library
from briefing.store import load_brief


def test_data_folder_follows_the_environment(private_data: Path) -> None:
    assert data_dir() == private_data
    assert Path(AppSettings().store.fileName()).is_relative_to(private_data)


def test_only_unsaved_changes_are_autosaved(
    session: Session, autosaver: Autosaver, tmp_path: Path
) -> None:
    autosaver.start()
    assert not autosaver.save_now(), "an unchanged brief needs no autosave"
    assert not autosaver.brief_file.exists()
    session.apply("title", edits.set_meta_text, "title", "ar", "موجز")
    assert autosaver.save_now()
    assert load_brief(autosaver.brief_file) == session.brief
    assert not autosaver.save_now(), "nothing changed since the last autosave"
    session.save(tmp_path / "saved.brief")
    autosaver.save_now()
    assert not autosaver.brief_file.exists(), "a saved brief leaves no autosave behind"


def test_the_timer_autosaves(session: Session, qtbot: Any, private_data: Path) -> None:
    autosaver = Autosaver(session, private_data / "autosave", interval_ms=50)
    autosaver.start()
    session.apply("digits", edits.set_digits, "arabic")
    qtbot.waitUntil(autosaver.brief_file.exists, timeout=3000)
    assert load_brief(autosaver.brief_file).digits == "arabic"
    autosaver.timer.stop()


def test_crash_leaves_a_recovery_and_a_clean_exit_does_not(
    library: Library, private_data: Path, tmp_path: Path
) -> None:
    folder = private_data / "autosave"
    first = Session(library)
    run = Autosaver(first, folder)
    run.start()
    first.apply("title", edits.set_meta_text, "title", "en", "Before the crash")
    first.save(tmp_path / "work.brief")
    first.apply("title", edits.set_meta_text, "title", "en", "Typed after saving")
    run.save_now()
    # The process dies here: no finish(), so no clean-exit marker.
    recovery = Autosaver(Session(library), folder).pending_recovery()
    assert recovery is not None
    assert recovery.brief == first.brief
    assert recovery.original_path == tmp_path / "work.brief"
    assert recovery.saved_at

    run.finish()
    assert (folder / "clean-exit").exists()
    assert Autosaver(Session(library), folder).pending_recovery() is None


def _controller(qapp: QApplication, library: Library, prompts: Any) -> AppController:
    session = Session(library)
    controller = AppController(
        qapp, session, AppSettings(), Autosaver(session, data_dir() / "autosave"),
        prompts_factory=lambda _parent: prompts,  # type: ignore[arg-type,return-value]
    )
    controller.preview_on_show = False
    return controller


def _crash_with_brief(library: Library) -> Session:
    crashed = Session(library)
    autosaver = Autosaver(crashed, data_dir() / "autosave")
    autosaver.start()
    crashed.apply("digits", edits.set_digits, "arabic")
    crashed.apply("title", edits.set_meta_text, "title", "ar", "موجز لم يُحفظ")
    assert autosaver.save_now()
    autosaver.timer.stop()
    return crashed


def test_start_up_offers_the_autosaved_brief(
    qapp: QApplication, qtbot: Any, library: Library, prompts: Any
) -> None:
    crashed = _crash_with_brief(library)
    controller = _controller(qapp, library, prompts)
    window = controller.build_window()
    qtbot.addWidget(window)
    controller.offer_recovery()
    assert len(prompts.asked_recover) == 1
    assert controller.session.brief == crashed.brief
    assert controller.session.is_modified()
    assert window.isWindowModified()
    assert window.meta_editors["title"]["ar"].text() == "موجز لم يُحفظ"
    # Re-written at once, so that a second crash cannot lose it.
    assert load_brief(controller.autosaver.brief_file) == crashed.brief
    controller.autosaver.timer.stop()


def test_declined_recovery_is_dropped(
    qapp: QApplication, qtbot: Any, library: Library, prompts: Any
) -> None:
    _crash_with_brief(library)
    prompts.recover_answer = False
    controller = _controller(qapp, library, prompts)
    window = controller.build_window()
    qtbot.addWidget(window)
    controller.offer_recovery()
    assert len(prompts.asked_recover) == 1
    assert controller.session.brief.digits == "latin"
    assert not controller.session.is_modified()
    assert not controller.autosaver.brief_file.exists()
    controller.autosaver.timer.stop()
    # A clean start after a clean exit asks nothing.
    controller.autosaver.finish()
    again = _controller(qapp, library, prompts)
    again_window = again.build_window()
    qtbot.addWidget(again_window)
    again.offer_recovery()
    assert len(prompts.asked_recover) == 1
    again.autosaver.timer.stop()
