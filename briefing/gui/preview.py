"""Live preview: debounced PDF rendering in a worker, shown page by page with QtPdf."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QLocale,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.session import Session
from briefing.gui.workers import EarlyPreview, PreviewJob

# Short enough that an edit shows within 0.3 s with the render; a burst of keys still makes
# one render, and a render asked for while another runs starts only once, with the newest.
DEBOUNCE_MS = 130
# An edit after this long without one is rendered at once (on the next turn of the event
# loop, so that the signals of one action still make one render): the delay only serves to
# merge the edits of a burst, and a lone edit after a pause is not part of one. Typing is
# faster than this, so keys typed in a row still wait for the delay.
IDLE_S = 0.4
# Fixed zoom steps (fractions of 100 %); Ctrl+wheel and Ctrl+± move between them.
ZOOM_STEPS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


def initial_preview_lang(languages: tuple[str, ...] | list[str], ui_lang: str) -> str:
    """Return the language a new window previews: the interface's when the brief has it."""
    return ui_lang if ui_lang in languages else (languages[0] if languages else "ar")


class PreviewController(QObject):
    """Turns brief changes into preview PDFs, newest wins.

    Edits restart a short timer; when it fires, one job renders the current brief. While a
    job runs, further requests wait, and only the newest is started afterwards. A result
    whose generation is not the newest request is dropped.
    """

    started = Signal()
    ready = Signal(bytes)
    failed = Signal(str)

    def __init__(
        self, session: Session, lang: str = "ar", debounce_ms: int = DEBOUNCE_MS, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.lang = lang
        self.pool = QThreadPool(self)
        # One render at a time: the machine may be small and only the newest result counts.
        self.pool.setMaxThreadCount(1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(debounce_ms)
        self.debounce_ms = debounce_ms
        self._last_request = float("-inf")
        self.timer.timeout.connect(self._start)
        self.generation = 0
        self.running = False
        self._pending = False
        self._jobs: dict[int, PreviewJob] = {}
        self.enabled = True
        # The first preview, when the app started rendering it before the window showed.
        self.early: EarlyPreview | None = None
        session.briefChanged.connect(self.schedule)

    @Slot()
    def schedule(self) -> None:
        """Ask for a new preview after the debounce delay (restarting it on every edit), or
        at once when this is the first request after a pause."""
        self.generation += 1
        now = time.monotonic()
        idle = now - self._last_request >= IDLE_S
        self._last_request = now
        if self.enabled:
            self.timer.start(0 if idle and not self.timer.isActive() else self.debounce_ms)

    def set_lang(self, lang: str) -> None:
        """Switch the previewed language (ar, en or bi) and render it soon."""
        if lang != self.lang:
            self.lang = lang
            self.schedule()

    def refresh_now(self) -> None:
        """Render without waiting for the debounce delay (unless previews are switched off)."""
        self.generation += 1
        self.timer.stop()
        if self.enabled:
            self._start()

    @Slot()
    def _start(self) -> None:
        if self.running:
            self._pending = True
            return
        self.running = True
        self._pending = False
        job = PreviewJob(self.generation, self.session.brief, self.session.library, self.lang,
                         early=self.early)
        self.early = None
        job.signals.done.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        self._jobs[job.generation] = job
        self.started.emit()
        self.pool.start(job)

    def _finish(self, generation: int) -> bool:
        """Forget a finished job; return True when its result is still the newest."""
        self._jobs.pop(generation, None)
        self.running = False
        current = generation == self.generation
        # A newer request is waiting: start it now unless its debounce timer will.
        if (self._pending or not current) and not self.timer.isActive():
            self._start()
        return current

    @Slot(int, bytes)
    def _on_done(self, generation: int, data: bytes) -> None:
        if self._finish(generation):
            self.ready.emit(data)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if self._finish(generation):
            self.failed.emit(message)

    def wait(self, msecs: int = 60000) -> bool:
        """Block until running jobs finish (used when closing and by tests)."""
        return self.pool.waitForDone(msecs)


class PreviewPane(QWidget):
    """The exported pages as they will print: page navigation and a language switch."""

    langChanged = Signal(str)

    def __init__(self, controller: PreviewController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._bytes = QByteArray()
        self.pages_loaded = 0

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setAccessibleName(self.tr("Preview of the exported pages"))
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.view.setStyleSheet("QPdfView { background: #8a8f96; }")

        self.lang_group = QButtonGroup(self)
        self.lang_buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for code, text, tip in (
            ("ar", self.tr("Arabic"), self.tr("Preview the Arabic brief")),
            ("en", self.tr("English"), self.tr("Preview the English brief")),
            ("bi", self.tr("Bilingual"), self.tr("Preview the bilingual brief")),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setCheckable(True)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setChecked(code == controller.lang)
            self.lang_group.addButton(button)
            self.lang_buttons[code] = button
            button.toggled.connect(lambda on, c=code: on and self._choose_lang(c))
            bar.addWidget(button)
        bar.addStretch(1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Preview status"))
        bar.addWidget(self.status)
        bar.addStretch(1)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("◀")
        self.previous_button.setToolTip(self.tr("Previous page (Page Up)"))
        self.previous_button.setAccessibleName(self.tr("Previous page"))
        self.previous_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.page_spin = QSpinBox(self)
        self.page_spin.setMinimum(1)
        self.page_spin.setMaximum(1)
        self.page_spin.setAccessibleName(self.tr("Page number"))
        self.page_spin.valueChanged.connect(lambda value: self.go_to(value - 1))
        self.page_count_label = QLabel(self)
        self.next_button = QToolButton(self)
        self.next_button.setText("▶")
        self.next_button.setToolTip(self.tr("Next page (Page Down)"))
        self.next_button.setAccessibleName(self.tr("Next page"))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        # The arrows point the way pages turn on screen, whatever the interface direction.
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            self.previous_button.setText("▶")
            self.next_button.setText("◀")
        for widget in (self.previous_button, self.page_spin, self.page_count_label,
                       self.next_button):
            bar.addWidget(widget)
        self.zoom_combo = QComboBox(self)
        self.zoom_combo.setAccessibleName(self.tr("Zoom"))
        self.zoom_combo.setToolTip(self.tr("Zoom (Ctrl+wheel, Ctrl++ and Ctrl+-)"))
        self.zoom_combo.addItem(self.tr("Fit page"), "page")
        self.zoom_combo.addItem(self.tr("Fit width"), "width")
        for step in ZOOM_STEPS:
            self.zoom_combo.addItem(QLocale().toString(round(step * 100)) + " %", step)
        self.zoom_combo.currentIndexChanged.connect(
            lambda _i: self.set_zoom(self.zoom_combo.currentData())
        )
        bar.addWidget(self.zoom_combo)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #842029;")
        self.message.hide()
        layout.addWidget(self.message)

        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self.view,
                  lambda: self.go_to(self.current_page() - 1))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self.view,
                  lambda: self.go_to(self.current_page() + 1))
        for keys in (QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")):
            QShortcut(QKeySequence(keys), self, lambda: self.zoom_step(1))
        QShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut), self, lambda: self.zoom_step(-1))
        self.view.viewport().installEventFilter(self)

        controller.started.connect(self._on_started)
        controller.ready.connect(self.show_pdf)
        controller.failed.connect(self.show_error)
        self._update_navigation()

    # -- zoom ----------------------------------------------------------------------------------
    def zoom(self) -> str | float:
        """Return "page", "width" or the zoom factor shown."""
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.FitInView:
            return "page"
        if mode == QPdfView.ZoomMode.FitToWidth:
            return "width"
        return float(self.view.zoomFactor())

    def set_zoom(self, zoom: str | float) -> None:
        """Fit the page, fit the width, or show at a factor (0.5 to 4)."""
        if zoom == "page":
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        elif zoom == "width":
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        else:
            factor = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], float(zoom)))
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(factor)
            zoom = factor
        found = self.zoom_combo.findData(zoom)
        self.zoom_combo.blockSignals(True)
        if found >= 0:
            self.zoom_combo.setCurrentIndex(found)
        self.zoom_combo.blockSignals(False)

    def zoom_step(self, direction: int) -> None:
        """Zoom one step in (direction > 0) or out from what is shown."""
        current = self.zoom()
        if isinstance(current, str):
            current = float(self.view.zoomFactor()) if self.view.zoomFactor() > 0 else 1.0
        if direction > 0:
            bigger = [z for z in ZOOM_STEPS if z > current + 1e-6]
            self.set_zoom(bigger[0] if bigger else ZOOM_STEPS[-1])
        else:
            smaller = [z for z in ZOOM_STEPS if z < current - 1e-6]
            self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+wheel zooms the preview."""
        if event.type() == QEvent.Type.Wheel and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier  # type: ignore[attr-defined]
        ):
            delta = event.angleDelta().y()  # type: ignore[attr-defined]
            if delta:
                self.zoom_step(1 if delta > 0 else -1)
            return True
        return super().eventFilter(watched, event)

    def _choose_lang(self, code: str) -> None:
        self.controller.set_lang(code)
        self.langChanged.emit(code)

    def set_lang(self, code: str) -> None:
        """Select the previewed language without emitting a second request."""
        button = self.lang_buttons.get(code)
        if button is not None and not button.isChecked():
            button.setChecked(True)

    def show_languages(self, languages: tuple[str, ...] | list[str]) -> None:
        """Offer only the brief's output languages."""
        for code, button in self.lang_buttons.items():
            button.setVisible(code in languages)

    def current_page(self) -> int:
        """Return the zero-based page shown."""
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        """Show page ``page`` (zero-based), clamped to the document."""
        count = self.document.pageCount()
        if count <= 0:
            return
        page = max(0, min(page, count - 1))
        if page != self.current_page():
            self.view.pageNavigator().jump(page, self.view.pageNavigator().currentLocation())
        self._update_navigation()

    @Slot()
    def _on_started(self) -> None:
        self.status.setText(self.tr("Updating…"))

    @Slot(bytes)
    def show_pdf(self, data: bytes) -> None:
        """Load new pages, keeping the page, zoom and scroll position the reader was on."""
        page = self.current_page()
        zoom = self.zoom()
        bars = (self.view.horizontalScrollBar(), self.view.verticalScrollBar())
        positions = [bar.value() for bar in bars]
        self.message.hide()
        self.status.setText("")
        old_buffer = self._buffer
        self._bytes = QByteArray(data)
        buffer = QBuffer(self)
        buffer.setData(self._bytes)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        self._buffer = buffer
        if old_buffer is not None:
            old_buffer.close()
            old_buffer.deleteLater()
        self.pages_loaded = self.document.pageCount()
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(1, self.pages_loaded))
        self.page_spin.blockSignals(False)
        self.view.pageNavigator().jump(0, self.view.pageNavigator().currentLocation())
        self.go_to(page)
        self.set_zoom(zoom)
        # The new pages have the old size: put the view back where the reader was.
        for bar, value in zip(bars, positions, strict=True):
            bar.setValue(value)
        QTimer.singleShot(0, lambda: [b.setValue(v) for b, v in zip(bars, positions, strict=True)])
        self._update_navigation()

    @Slot(str)
    def show_error(self, message: str) -> None:
        """Say why the preview could not be made; the last good pages stay visible."""
        self.status.setText(self.tr("Preview not updated"))
        self.message.setText(message)
        self.message.show()

    def _update_navigation(self) -> None:
        count = self.document.pageCount()
        page = self.current_page()
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)
        self.page_spin.setEnabled(count > 0)
        # QLocale writes the count in the interface's digits, as the page spin box does.
        self.page_count_label.setText(self.tr("of {0}").format(QLocale().toString(count)))
        self.previous_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(count > 0 and page < count - 1)
