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


def _fonts(data: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in done.stdout.splitlines()[2:]]


def test_the_preview_embeds_fonts_whole_and_reads_as_the_export(
    session: Session, tmp_path: Path
) -> None:
    import threading

    from briefing.export import build_documents, render
    from briefing.gui.workers import render_preview_pdf
    from briefing.templates import load_template
    from briefing.text.embed import whole_fonts

    preview = render_preview_pdf(session.brief, session.library, "ar")
    document = build_documents(session.brief, ["ar"], load_template(session.brief.template),
                               session.library)["ar"]
    exported: list[bytes] = []
    with whole_fonts():  # set on this thread only: an export on another one still subsets
        worker = threading.Thread(target=lambda: exported.append(render(document, "pdf")))
        worker.start()
        worker.join()
    # name, type..., emb, sub, uni: the preview's fonts are whole, the export's subsets.
    shown = _fonts(preview, tmp_path)
    assert shown and {row[-4] for row in shown} == {"no"}
    assert {row[-4] for row in _fonts(exported[0], tmp_path)} == {"yes"}
    assert _text(preview, tmp_path) == _text(exported[0], tmp_path)


def test_after_the_first_preview_the_chart_drawing_is_loaded_off_the_window(
    session: Session, monkeypatch: Any
) -> None:
    import threading

    from briefing.gui import workers

    warmed: list[tuple[object, str, str]] = []
    done = threading.Event()

    def warm(brief: object, library: object, lang: str) -> None:
        warmed.append((brief, lang, threading.current_thread().name))
        done.set()
        raise RuntimeError("a failed warm-up is only logged")

    monkeypatch.setattr(workers, "WARM_CHARTS_AFTER_S", 0.0)
    monkeypatch.setattr(workers, "prewarm_chart_drawing", warm)
    early = EarlyPreview()
    early.render(session.brief, session.library, "ar")
    data = early.take(session.brief, "ar")
    assert data is not None and data.startswith(b"%PDF")
    assert done.wait(60)
    assert warmed == [(session.brief, "ar", "early-preview")]


def test_the_warm_up_draws_the_first_chart_at_the_size_the_preview_shows_it(
    session: Session, monkeypatch: Any
) -> None:
    import threading

    from briefing.gui import workers
    from briefing.render import chart_drawing

    drawn: list[tuple[str, str]] = []
    here = threading.current_thread()

    def draw(data: Any, _template: object, size: str) -> bytes:
        if threading.current_thread() is here:  # not an earlier test's warm-up
            drawn.append((data.id, size))
        return b""

    monkeypatch.setattr(chart_drawing, "draw_png", draw)
    for lang in ("en", "bi"):
        workers.prewarm_chart_drawing(session.brief, session.library, lang)
    (first_en, first_bi) = drawn
    assert first_en[0] == first_bi[0]  # the brief's first chart, once per call
    assert first_bi[1] == "half"  # bilingual columns show charts at half size
