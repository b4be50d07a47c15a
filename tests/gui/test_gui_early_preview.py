"""The first preview starts on a thread before the window shows."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from briefing.gui.session import Session
from briefing.gui.workers import EarlyPreview


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
