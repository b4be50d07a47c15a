"""Autosave to the user data folder and the recovery offer after a crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefing import edits
from briefing.gui.app import AppController
from briefing.gui.autosave import Autosaver
from briefing.gui.session import Session
from briefing.gui.settings import AppSettings, data_dir
from briefing.library import Library
from briefing.store import load_brief

MakeController = Callable[[], AppController]  # the make_controller fixture


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
    # While the first window runs, its lock keeps its journal out of anyone's hands.
    assert Autosaver(Session(library), folder).pending_recovery() is None
    # The process dies here: the lock is released without finish(), as a dead process's is.
    assert run.lock is not None
    run.lock.unlock()
    run.lock = None
    recovery = Autosaver(Session(library), folder).pending_recovery()
    assert recovery is not None
    assert recovery.brief == first.brief
    assert recovery.original_path == tmp_path / "work.brief"
    assert recovery.saved_at
    recovery.release()

    run.start()
    run.finish()
    assert run.closed_cleanly()
    assert list(folder.iterdir()) == []
    assert Autosaver(Session(library), folder).pending_recovery() is None


def test_every_edit_is_journalled_within_a_second(
    session: Session, autosaver: Autosaver, qtbot: Any
) -> None:
    autosaver.start()
    session.apply("title", edits.set_meta_text, "title", "en", "Typed a moment ago")
    assert not autosaver.brief_file.exists(), "written after a short pause, not on each key"
    qtbot.waitUntil(autosaver.brief_file.exists, timeout=1000)
    assert load_brief(autosaver.brief_file).meta.title.en == "Typed a moment ago"
    session.apply("title", edits.set_meta_text, "title", "en", "Typed again")
    qtbot.waitUntil(
        lambda: load_brief(autosaver.brief_file).meta.title.en == "Typed again", timeout=1000
    )
    assert not [p for p in autosaver.journal_dir.iterdir() if p.suffix == ".tmp"]
    autosaver.finish()


def _start_up(make_controller: MakeController, qtbot: Any) -> AppController:
    """Start the app as at launch: a new controller, its window, then the recovery offer."""
    controller = make_controller()
    qtbot.addWidget(controller.build_window())
    controller.offer_recovery()
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
    make_controller: MakeController, qtbot: Any, library: Library, prompts: Any
) -> None:
    crashed = _crash_with_brief(library)
    controller = _start_up(make_controller, qtbot)
    window = controller.window
    assert window is not None
    assert len(prompts.asked_recover) == 1
    assert controller.session.brief == crashed.brief
    assert controller.session.is_modified()
    assert window.isWindowModified()
    assert window.meta_editors["title"]["ar"].text() == "موجز لم يُحفظ"
    # Re-written at once, so that a second crash cannot lose it.
    assert load_brief(controller.autosaver.brief_file) == crashed.brief
    controller.autosaver.timer.stop()


def test_declined_recovery_is_dropped(
    make_controller: MakeController, qtbot: Any, library: Library, prompts: Any
) -> None:
    _crash_with_brief(library)
    prompts.recover_answer = False
    controller = _start_up(make_controller, qtbot)
    assert len(prompts.asked_recover) == 1
    assert controller.session.brief.digits == "latin"
    assert not controller.session.is_modified()
    assert not controller.autosaver.brief_file.exists()
    controller.autosaver.timer.stop()
    # A clean start after a clean exit asks nothing.
    controller.autosaver.finish()
    again = _start_up(make_controller, qtbot)
    assert len(prompts.asked_recover) == 1
    again.autosaver.timer.stop()


def _crashed_journal(library: Library, title: str) -> Path:
    """Leave a journal as a killed window does: written, its lock no longer held."""
    session = Session(library)
    autosaver = Autosaver(session, data_dir() / "autosave")
    autosaver.start()
    session.apply("title", edits.set_meta_text, "title", "en", title)
    assert autosaver.save_now()
    autosaver.timer.stop()
    assert autosaver.lock is not None
    autosaver.lock.unlock()
    return autosaver.journal_dir


def test_recovery_is_kept_until_the_brief_is_saved(
    make_controller: MakeController, qtbot: Any, library: Library, tmp_path: Path
) -> None:
    journal = _crashed_journal(library, "Recovered title")
    controller = _start_up(make_controller, qtbot)
    assert controller.session.brief.meta.title.en == "Recovered title"
    # The recovered journal is still on disk, now this window's own.
    assert controller.autosaver.journal_dir == journal
    assert load_brief(journal / "journal.brief").meta.title.en == "Recovered title"
    controller.session.save(tmp_path / "kept.brief")
    controller.autosaver.save_now()
    assert not (journal / "journal.brief").exists()
    controller.autosaver.finish()


def test_each_crashed_window_offers_its_own_recovery(
    make_controller: MakeController, qtbot: Any, library: Library, prompts: Any
) -> None:
    first = _crashed_journal(library, "First window")
    second = _crashed_journal(library, "Second window")
    controller = _start_up(make_controller, qtbot)
    assert len(prompts.asked_recover) == 1
    taken = controller.session.brief.meta.title.en
    assert taken in {"First window", "Second window"}
    controller.autosaver.finish()
    # The other journal was left untouched and is offered at the next start.
    again = _start_up(make_controller, qtbot)
    assert len(prompts.asked_recover) == 2
    assert {taken, again.session.brief.meta.title.en} == {"First window", "Second window"}
    again.autosaver.finish()
    assert not first.exists() and not second.exists(), "both gone once each window closed"


def test_a_second_window_never_touches_a_live_journal(
    make_controller: MakeController, qtbot: Any, library: Library, prompts: Any
) -> None:
    live = Session(library)
    live_saver = Autosaver(live, data_dir() / "autosave")
    live_saver.start()
    live.apply("title", edits.set_meta_text, "title", "en", "Still being edited")
    assert live_saver.save_now()
    controller = _start_up(make_controller, qtbot)
    assert prompts.asked_recover == [], "a running window did not crash"
    controller.autosaver.finish()
    assert load_brief(live_saver.brief_file).meta.title.en == "Still being edited"
    live_saver.finish()


def test_declined_recovery_removes_only_that_journal(
    make_controller: MakeController, qtbot: Any, library: Library, prompts: Any
) -> None:
    journal = _crashed_journal(library, "Not wanted")
    prompts.recover_answer = False
    controller = _start_up(make_controller, qtbot)
    assert not journal.exists()
    assert controller.autosaver.lock is not None
    controller.autosaver.finish()
