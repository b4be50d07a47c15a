"""Live preview: edits re-render the pages off the GUI thread; stale results are dropped."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from briefing import edits
from briefing.gui import workers
from briefing.gui.mainwindow import MainWindow
from briefing.gui.preview import PreviewController
from briefing.gui.session import Session
from briefing.gui.settings import AppSettings
from briefing.library import Library
from briefing.model import Brief


def _all_text(window: MainWindow) -> str:
    document = window.preview_pane.document
    text = " ".join(document.getAllText(page).text() for page in range(document.pageCount()))
    return " ".join(text.split())  # lines are wrapped wherever the layout put them


@pytest.fixture
def live_window(
    qtbot: Any, session: Session, settings: AppSettings, prompts: Any
) -> Iterator[MainWindow]:
    """Return a shown window whose preview renders for real, in English to keep text simple."""
    session.apply("languages", edits.set_languages, ("en",))
    session.undo_stack.clear()
    main = MainWindow(session, settings, prompts=prompts, preview_debounce_ms=100)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.preview_controller.ready, timeout=120_000):
        main.show()
    yield main
    main.preview_controller.enabled = False
    main.preview_controller.wait()


@pytest.mark.slow
def test_an_edit_refreshes_the_pages(live_window: MainWindow, qtbot: Any, library: Library) -> None:
    window = live_window
    assert window.preview_controller.lang == "en"
    assert window.preview_pane.document.pageCount() >= 2
    assert "4.4 billion tonnes" in _all_text(window)
    # Typing a value in the figure table re-renders the pages with it.
    model = window.figure_model
    index = model.index(model.figure_ids.index("kz_oil_reserves"), model.column_of("value"))
    with qtbot.waitSignal(window.preview_controller.ready, timeout=120_000):
        assert model.setData(index, "4.7")
    text = _all_text(window)
    assert "4.7 billion tonnes" in text and "4.4 billion tonnes" not in text
    # Undo re-renders too.
    with qtbot.waitSignal(window.preview_controller.ready, timeout=120_000):
        window.undo_action.trigger()
    assert "4.4 billion tonnes" in _all_text(window)


@pytest.mark.slow
def test_pages_can_be_turned_and_the_language_switched(
    live_window: MainWindow, qtbot: Any
) -> None:
    pane = live_window.preview_pane
    count = pane.document.pageCount()
    pane.next_button.click()
    assert pane.current_page() == 1
    assert pane.page_spin.value() == 2
    pane.go_to(count + 5)
    assert pane.current_page() == count - 1
    assert not pane.next_button.isEnabled()
    pane.page_spin.setValue(1)
    assert pane.current_page() == 0
    assert not pane.previous_button.isEnabled()
    with qtbot.waitSignal(live_window.preview_controller.ready, timeout=120_000):
        pane.lang_buttons["ar"].click()
    assert live_window.preview_controller.lang == "ar"
    # The Arabic brief's first page carries its Arabic key-points heading.
    first_page = pane.document.getAllText(0).text()
    assert "النقاط الرئيسية" in first_page


def test_a_brief_that_cannot_be_rendered_says_why(
    window: MainWindow, qtbot: Any, session: Session
) -> None:
    window.preview_controller.enabled = True
    with qtbot.waitSignal(window.preview_controller.failed, timeout=60_000) as blocker:
        session.apply("none", edits.set_sections, ())
    assert blocker.args == ["the brief has no sections selected"]
    assert window.preview_pane.message.text() == "the brief has no sections selected"
    assert not window.preview_pane.message.isHidden()


def test_rapid_edits_render_once_and_only_the_newest_is_shown(
    session: Session, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []
    first_started = threading.Event()

    def slow_render(brief: Brief, library: Library, lang: str) -> bytes:
        # Stands in for the PDF renderer: records which brief it was given and takes a while.
        rendered.append(brief.meta.reference)
        first_started.set()
        time.sleep(0.3)
        return brief.meta.reference.encode("utf-8")

    monkeypatch.setattr(workers, "render_preview_pdf", slow_render)
    controller = PreviewController(session, "en", debounce_ms=80)
    shown: list[bytes] = []
    controller.ready.connect(shown.append)
    for text in ("r1", "r12", "r123"):
        session.apply("ref", edits.set_meta, reference=text)
    qtbot.waitUntil(lambda: shown == [b"r123"], timeout=5000)
    assert rendered == ["r123"], "edits inside the debounce delay make one render"

    # An edit while a render runs: that render's result is stale and dropped.
    session.apply("ref", edits.set_meta, reference="a")
    qtbot.waitUntil(first_started.is_set, timeout=5000)
    first_started.clear()
    qtbot.waitUntil(lambda: rendered[-1] == "a", timeout=5000)
    session.apply("ref", edits.set_meta, reference="b")
    qtbot.waitUntil(lambda: shown[-1] == b"b", timeout=5000)
    assert b"a" not in shown
    assert rendered == ["r123", "a", "b"]
    controller.wait()


@pytest.mark.slow
def test_preview_zooms_and_keeps_zoom_page_and_position_on_re_render(
    live_window: MainWindow, qtbot: Any
) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    window = live_window
    window.resize(1000, 700)
    pane = window.preview_pane
    assert pane.zoom() == "page"
    pane.zoom_combo.setCurrentIndex(pane.zoom_combo.findData("width"))
    assert pane.zoom() == "width"
    pane.set_zoom(2.0)
    assert pane.zoom() == 2.0 and pane.zoom_combo.currentText().startswith("200")
    pane.zoom_step(1)
    assert pane.zoom() == 3.0
    pane.zoom_step(-1)
    pane.zoom_step(-1)
    assert pane.zoom() == 1.5
    pane.set_zoom(9)
    assert pane.zoom() == 4.0, "400 % is the largest"
    pane.set_zoom(0.1)
    assert pane.zoom() == 0.5, "50 % is the smallest"
    # Ctrl+wheel zooms in.
    viewport = pane.view.viewport()
    wheel = QWheelEvent(
        QPointF(50, 50), QPointF(viewport.mapToGlobal(QPoint(50, 50))), QPoint(0, 0),
        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(viewport, wheel)
    assert pane.zoom() == 0.75
    # A re-render keeps zoom, page and scroll position.
    pane.set_zoom(2.0)
    pane.go_to(1)
    qtbot.waitUntil(lambda: pane.view.verticalScrollBar().maximum() > 100)
    bar = pane.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    where = bar.value()
    model = window.figure_model
    index = model.index(model.figure_ids.index("kz_oil_reserves"), model.column_of("value"))
    with qtbot.waitSignal(window.preview_controller.ready, timeout=120_000):
        assert model.setData(index, "4.7")
    qtbot.waitUntil(lambda: bar.value() == where, timeout=3000)
    assert pane.zoom() == 2.0 and pane.current_page() == 1
