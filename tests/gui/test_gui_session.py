"""The session: undo/redo of snapshots, merged keystrokes, save and open, the modified flag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefing import edits
from briefing.errors import BriefingError
from briefing.gui.session import Session
from briefing.store import load_brief


def test_every_edit_undoes_and_redoes(session: Session) -> None:
    start = session.brief
    session.apply("digits", edits.set_digits, "arabic")
    session.apply("languages", edits.set_languages, ("ar", "en"))
    after = session.brief
    assert after.digits == "arabic" and after.languages == ("ar", "en")
    session.undo_stack.undo()
    assert session.brief.languages == start.languages and session.brief.digits == "arabic"
    session.undo_stack.undo()
    assert session.brief == start
    session.undo_stack.redo()
    session.undo_stack.redo()
    assert session.brief == after


def test_no_op_edits_are_not_pushed(session: Session) -> None:
    assert not session.apply("digits", edits.set_digits, session.brief.digits)
    assert session.undo_stack.count() == 0
    assert not session.is_modified()


def test_failed_edit_raises_and_changes_nothing(session: Session) -> None:
    before = session.brief
    with pytest.raises(BriefingError, match="no language given"):
        session.apply("languages", edits.set_languages, ())
    assert session.brief == before
    assert session.undo_stack.count() == 0


def test_typing_in_one_field_is_one_undo_step(session: Session) -> None:
    start = session.brief
    for text in ("B", "Br", "Bri", "Brief"):
        session.apply("title", edits.set_meta_text, "title", "en", text, merge_key="t.en")
    session.apply("title", edits.set_meta_text, "title", "ar", "م", merge_key="t.ar")
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    assert session.brief.meta.title.en == "Brief" and session.brief.meta.title.ar == ""
    session.undo_stack.undo()
    assert session.brief == start


def test_signals_report_changes(session: Session, qtbot: Any) -> None:
    with qtbot.waitSignal(session.briefChanged), qtbot.waitSignal(session.modifiedChanged) as b:
        session.apply("digits", edits.set_digits, "arabic")
    assert b.args == [True]
    with qtbot.waitSignal(session.modifiedChanged) as b:
        session.undo_stack.undo()
    assert b.args == [False]


def test_save_and_open_round_trip(session: Session, tmp_path: Path, library: Any) -> None:
    session.apply("title", edits.set_meta_text, "title", "ar", "موجز عن الممر الأوسط")
    session.apply("value", edits.set_figure_value, library, "kz_oil_reserves", "4.6")
    assert session.is_modified()
    path = session.save(tmp_path / "mine.brief")
    assert not session.is_modified()
    assert session.path == path
    assert load_brief(path) == session.brief
    saved = session.brief

    other = Session(library)
    other.open(path)
    assert other.brief == saved
    assert other.path == path and not other.is_modified()
    assert other.undo_stack.count() == 0
    # Undoing back to the saved state counts as unmodified again.
    session.apply("digits", edits.set_digits, "arabic")
    assert session.is_modified()
    session.undo_stack.undo()
    assert not session.is_modified()


def test_open_reports_the_file_and_problem(session: Session, tmp_path: Path) -> None:
    bad = tmp_path / "bad.brief"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(BriefingError, match=r"bad\.brief: not valid JSON"):
        session.open(bad)
    assert session.path is None


def test_recovered_brief_counts_as_modified(session: Session, library: Any) -> None:
    brief = edits.set_digits(session.brief, "arabic")
    session.reset(brief, None, modified=True)
    assert session.is_modified()
    assert session.undo_stack.count() == 0
