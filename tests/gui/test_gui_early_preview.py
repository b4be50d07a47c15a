"""The first preview starts before the window: on a thread, or in a forked process."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from briefing.gui.session import Session
from briefing.gui.workers import EarlyPreview, ForkedPreview, render_preview_pdf


def _text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "preview.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout


def test_a_thread_renders_the_first_preview_for_its_brief_only(
    session: Session, tmp_path: Path
) -> None:
    early = EarlyPreview()
    early.render(session.brief, session.library, "en")
    assert early.take(session.brief, "ar") is None  # another language: render as usual
    data = early.take(session.brief, "en")
    assert data is not None and data.startswith(b"%PDF")
    assert early.take(session.brief, "en") is None  # once only
    assert "Azerbaijan" in _text(data, tmp_path)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_process_renders_the_same_pages(session: Session, tmp_path: Path) -> None:
    early = ForkedPreview()
    early.render(session.brief, session.library, "ar")
    data = early.take(session.brief, "ar")
    assert data is not None
    assert _text(data, tmp_path) == _text(
        render_preview_pdf(session.brief, session.library, "ar"), tmp_path
    )
    with pytest.raises(ChildProcessError):
        os.waitpid(early.pid, os.WNOHANG)  # reaped


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_preview_for_another_brief_is_dropped(session: Session) -> None:
    early = ForkedPreview()
    early.render(session.brief, session.library, "ar")
    other = session.new_brief()
    assert early.take(other, "ar") is None
    early._reap()  # the process ends although its PDF was never read
    with pytest.raises(ChildProcessError):
        os.waitpid(early.pid, os.WNOHANG)


def test_the_first_preview_job_takes_the_early_pdf(qtbot: Any, session: Session) -> None:
    from briefing.gui.preview import PreviewController

    controller = PreviewController(session, "en", debounce_ms=10)
    early = EarlyPreview()
    early.render(session.brief, session.library, "en")
    controller.early = early
    with qtbot.waitSignal(controller.ready, timeout=60000) as ready:
        controller.refresh_now()
    assert ready.args[0].startswith(b"%PDF")
    assert controller.early is None and early._taken
    controller.wait()
