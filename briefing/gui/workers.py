"""Background jobs: preview rendering and export run off the GUI thread."""

from __future__ import annotations

import logging
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from briefing.errors import BriefingError
from briefing.library import Library
from briefing.model import Brief

log = logging.getLogger(__name__)

# Seconds after the first preview is rendered before the chart drawing is loaded.
WARM_CHARTS_AFTER_S = 0.3
# The chart drawing's imports, loaded one by one before it (see ``prewarm_chart_drawing``).
CHART_IMPORT_STEPS = (
    "numpy",
    "PIL.Image",
    "matplotlib",
    "matplotlib.font_manager",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.offsetbox",
    "briefing.render.chart_drawing",
)

# Set while no preview render runs: warming up waits on it between steps, so that an edit's
# render never shares the interpreter with matplotlib's loading (it made that edit's preview
# come 0.5-1 s late when the edit came right after the first preview).
_renders_idle = threading.Event()
_renders_idle.set()
_renders_running = 0
_renders_lock = threading.Lock()


def _render_started() -> None:
    global _renders_running
    with _renders_lock:
        _renders_running += 1
        _renders_idle.clear()


def _render_ended() -> None:
    global _renders_running
    with _renders_lock:
        _renders_running -= 1
        if _renders_running <= 0:
            _renders_running = 0
            _renders_idle.set()


def _wait_for_idle_renders(timeout: float = 30.0) -> None:
    """Wait until no preview render runs (at most ``timeout`` seconds)."""
    _renders_idle.wait(timeout)


def describe_failure(exc: BaseException) -> str:
    """Return the one-line message shown for a failure (BriefingError text as the CLI prints)."""
    if isinstance(exc, BriefingError):
        return str(exc)
    # Anything else is a bug; the details go to the log, the user gets one line.
    log.error("unexpected failure:\n%s", "".join(traceback.format_exception(exc)))
    return f"unexpected error: {type(exc).__name__}: {exc}"


class PreviewSignals(QObject):
    """Signals of a preview job: (generation, pdf bytes) or (generation, message)."""

    done = Signal(int, bytes)
    failed = Signal(int, str)


def render_preview_pdf(brief: Brief, library: Library, lang: str) -> bytes:
    """Return the PDF of the brief in ``lang``, built exactly as an export would build it."""
    from briefing.export import build_documents, check_brief, render
    from briefing.model import check_languages
    from briefing.templates import load_template
    from briefing.text.embed import whole_fonts

    (output_lang,) = check_languages([lang])
    template = load_template(brief.template)
    check_brief(brief, library)
    document = build_documents(brief, [output_lang], template, library)[output_lang]
    with whole_fonts():  # shown, not kept: no font is cut down to the glyphs used
        return render(document, "pdf")


def prewarm_renderer(template_id: str = "ministry") -> None:
    """Import the PDF renderer and read the template's fonts, so that a first preview finds
    them ready: registering a font and measuring its ink parse the whole font file."""
    from briefing.export import build_documents, render  # noqa: F401
    from briefing.render import pdf  # noqa: F401
    from briefing.templates import load_template
    from briefing.text.fonts import FontSet, font_book, ink_extent
    from briefing.text.shaping import hb_font

    fonts = load_template(template_id).fonts
    book = font_book(FontSet(fonts.arabic, fonts.latin))
    for face in (fonts.arabic, fonts.latin):
        for path in (face.regular, face.bold):
            ink_extent(str(path))
            hb_font(str(path))
    book.placeholder(False)


def prewarm_chart_drawing(brief: Brief, library: Library, lang: str) -> None:
    """Draw the first chart of ``brief`` in ``lang`` once, keeping nothing, so that the first
    edit of a charted figure finds matplotlib and the chart fonts loaded: in the app every
    chart is drawn in its own process (no drawing process is forked beside Qt's threads),
    and loading them there made that edit's preview wait about 0.7 s more than the others.

    Each import and the drawing wait while a preview render runs, so that an edit made
    meanwhile is rendered at full speed.
    """
    import importlib

    from briefing.gui import chart_server

    server = chart_server.current
    for name in CHART_IMPORT_STEPS if server is None else ():
        _wait_for_idle_renders()
        importlib.import_module(name)
    _wait_for_idle_renders()
    from briefing.document import Chart, Parallel
    from briefing.export import build_documents
    from briefing.model import check_languages
    from briefing.render.charts import pdf_chart_size
    from briefing.templates import load_template

    (output_lang,) = check_languages([lang])
    template = load_template(brief.template)
    document = build_documents(brief, [output_lang], template, library)[output_lang]
    blocks = list(document.blocks)
    while blocks:
        block = blocks.pop(0)
        if isinstance(block, Parallel):
            blocks[:0] = [*block.ar, *block.en]
        elif isinstance(block, Chart):
            _wait_for_idle_renders()
            if server is not None and server.alive:
                # Drawn by the app's drawing process, which this loads; this one never
                # needs matplotlib.
                server.draw(block.data, template, pdf_chart_size(block.data.kind, output_lang))
                return
            from briefing.render.chart_drawing import draw_png

            draw_png(block.data, template, pdf_chart_size(block.data.kind, output_lang))
            return


class EarlyPreview:
    """The first preview, rendered on a thread while the window is still being built.

    Started before the brief is known, it imports the renderer meanwhile; ``render`` then
    hands it the brief. A preview job asking for the same brief in the same language takes
    its result (waiting for it) instead of rendering again; anything else renders as usual.
    """

    def __init__(self) -> None:
        self._asked = threading.Event()
        self._done = threading.Event()
        self._brief: Brief | None = None
        self._library: Library | None = None
        self._lang = ""
        self._result: bytes | None = None
        self._error: BaseException | None = None
        self._taken = False
        self._thread = threading.Thread(target=self._run, name="early-preview", daemon=True)
        self._thread.start()

    def render(self, brief: Brief, library: Library, lang: str) -> None:
        """Render ``brief`` in ``lang`` as soon as the renderer is ready."""
        self._brief, self._library, self._lang = brief, library, lang
        self._asked.set()

    def cancel(self) -> None:
        """Give up: no brief will come (the thread ends once its imports are done)."""
        self._asked.set()

    def _run(self) -> None:
        try:
            prewarm_renderer()
        except Exception:  # a real render reports the same failure to the user
            log.debug("prewarming the renderer failed", exc_info=True)
        self._asked.wait()
        try:
            if self._brief is not None and self._library is not None:
                self._result = render_preview_pdf(self._brief, self._library, self._lang)
        except Exception as exc:
            self._error = exc
        finally:
            self._done.set()
        if self._brief is not None and self._library is not None and self._error is None:
            # Once the window has painted the first page (the drawing competes with it for
            # the processor), not before.
            time.sleep(WARM_CHARTS_AFTER_S)
            try:
                prewarm_chart_drawing(self._brief, self._library, self._lang)
            except Exception:  # an edit's render reports any real failure to the user
                log.debug("prewarming the chart drawing failed", exc_info=True)

    def take(self, brief: Brief, lang: str, timeout: float = 120.0) -> bytes | None:
        """Return the early PDF if it was made for ``brief`` in ``lang`` (once), else None.

        Raises what the early render raised, as rendering again would.
        """
        if self._taken or self._brief is not brief or self._lang != lang:
            return None
        self._taken = True
        if not self._done.wait(timeout):
            return None
        if self._error is not None:
            raise self._error
        return self._result


class PreviewJob(QRunnable):
    """Render one preview PDF; the result carries the generation it was asked for."""

    def __init__(
        self, generation: int, brief: Brief, library: Library, lang: str,
        early: EarlyPreview | None = None,
    ) -> None:
        super().__init__()
        self.early = early
        self.generation = generation
        self.brief = brief
        self.library = library
        self.lang = lang
        self.signals = PreviewSignals()
        self.setAutoDelete(True)

    def run(self) -> None:
        """Render, then report the bytes or a one-line failure."""
        _render_started()
        try:
            data = self.early.take(self.brief, self.lang) if self.early is not None else None
            if data is None:
                data = render_preview_pdf(self.brief, self.library, self.lang)
        except Exception as exc:  # every failure must reach the GUI thread
            self.signals.failed.emit(self.generation, describe_failure(exc))
            return
        finally:
            _render_ended()
        self.signals.done.emit(self.generation, data)


class ExportSignals(QObject):
    """Signals of an export job."""

    progress = Signal(str, int, int)
    done = Signal(list, list)
    failed = Signal(str)


class ExportJob(QRunnable):
    """Run ``briefing.export.export`` with the same arguments the command line passes."""

    def __init__(
        self,
        brief: Brief,
        library: Library,
        out_dir: Path,
        languages: list[str],
        formats: list[str],
        template: str | None = None,
        force: bool = False,
    ) -> None:
        super().__init__()
        self.force = force
        self.brief = brief
        self.library = library
        self.out_dir = Path(out_dir)
        self.languages = languages
        self.formats = formats
        self.template = template
        self.signals = ExportSignals()
        self.setAutoDelete(True)

    def run(self) -> None:
        """Export, reporting progress per file, then the written paths or the error."""
        from briefing.export import export

        def progress(name: str, step: int, total: int) -> None:
            self.signals.progress.emit(name, step, total)

        try:
            result: Any = export(
                self.brief,
                self.out_dir,
                languages=self.languages,
                formats=self.formats,
                template=self.template,
                progress=progress,
                library=self.library,
                force=self.force,
            )
        except Exception as exc:  # every failure must reach the GUI thread
            self.signals.failed.emit(describe_failure(exc))
            return
        self.signals.done.emit([str(p) for p in result.paths], list(result.problems))
