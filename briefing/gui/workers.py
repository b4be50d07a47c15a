"""Background jobs: preview rendering and export run off the GUI thread."""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Signal

from briefing.errors import BriefingError
from briefing.library import Library
from briefing.model import Brief

log = logging.getLogger(__name__)


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


class ForkedPreview:
    """The first preview, rendered by a forked process while this one starts Qt and the window.

    A thread here shares one interpreter lock with the window being built, so on a machine
    of two or more cores the first page is ready sooner when another process renders it.
    The process is forked before the brief is known and imports the renderer meanwhile;
    ``render`` sends it the brief, the library and the language through a pipe, and it
    sends back the PDF (or nothing, when it failed: this process then renders as usual and
    reports the failure). This process also imports the renderer on a thread meanwhile,
    for the renders after the first.
    """

    def __init__(self) -> None:
        self._brief: Brief | None = None
        self._lang = ""
        self._taken = False
        self._sent = False
        request_read, self._request = os.pipe()
        self._answer, answer_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the preview process: never returns
            os.close(self._request)
            os.close(self._answer)
            _preview_process(request_read, answer_write)
        os.close(request_read)
        os.close(answer_write)
        self._warm = threading.Thread(target=_prewarm_quietly, name="prewarm", daemon=True)
        self._warm.start()

    @staticmethod
    def possible() -> bool:
        """Return True where forking is safe: Linux, with no other Python thread running."""
        return (
            sys.platform.startswith("linux")
            and hasattr(os, "fork")
            and threading.current_thread() is threading.main_thread()
            and threading.active_count() == 1
            and os.environ.get("BRIEFING_PREVIEW_FORK", "1") != "0"
        )

    def render(self, brief: Brief, library: Library, lang: str) -> None:
        """Send the brief to the preview process."""
        self._brief, self._lang = brief, lang
        try:
            message = pickle.dumps((brief, library, lang), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(self._request, "wb") as pipe:
                pipe.write(message)
            self._sent = True
        except (OSError, pickle.PicklingError):
            log.debug("the preview process could not be asked", exc_info=True)
            self._brief = None

    def cancel(self) -> None:
        """Drop the preview process's work: it ends on its own, and is reaped meanwhile."""
        if self._taken:
            return
        self._taken = True
        if not self._sent:
            self._sent = True
            with contextlib.suppress(OSError):
                os.close(self._request)
        with contextlib.suppress(OSError):
            os.close(self._answer)  # a PDF still being written meets a closed pipe
        threading.Thread(target=self._reap, name="preview-reaper", daemon=True).start()

    def _reap(self) -> None:
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)

    def _collect(self) -> bytes:
        data = bytearray()
        try:
            while chunk := os.read(self._answer, 1 << 20):
                data += chunk
        except OSError:
            data.clear()
        finally:
            with contextlib.suppress(OSError):
                os.close(self._answer)
            self._reap()
        return bytes(data)

    def take(self, brief: Brief, lang: str, timeout: float = 120.0) -> bytes | None:
        """Return the PDF made for ``brief`` in ``lang`` (once), else None.

        Asked for another brief or language (a recovered brief, say), it drops its work.
        """
        if self._taken:
            return None
        if self._brief is not brief or self._lang != lang:
            self.cancel()
            return None
        self._taken = True
        data = self._collect()
        self._warm.join(timeout)  # the next render finds the renderer ready here too
        return data if data.startswith(b"%PDF") else None


def _prewarm_quietly() -> None:
    try:
        prewarm_renderer()
    except Exception:  # a real render reports the same failure to the user
        log.debug("prewarming the renderer failed", exc_info=True)


def _preview_process(request: int, answer: int) -> None:
    """Render the brief sent on ``request`` and write the PDF to ``answer``; then end.

    Ends with ``os._exit``: nothing of the parent (Qt, exit handlers, buffers) runs twice.
    """
    status = 1
    try:
        _prewarm_quietly()
        message = bytearray()
        while chunk := os.read(request, 1 << 20):
            message += chunk
        os.close(request)
        if message:
            brief, library, lang = pickle.loads(message)  # written by our own parent
            data = render_preview_pdf(brief, library, lang)
            view = memoryview(data)
            while view:
                view = view[os.write(answer, view):]
        status = 0
    except BaseException:
        status = 1
    finally:
        with contextlib.suppress(OSError):
            os.close(answer)
        os._exit(status)


def start_early_preview() -> EarlyPreview | ForkedPreview:
    """Start the first preview's work: in a forked process where that is safe, else a thread."""
    if ForkedPreview.possible():
        try:
            return ForkedPreview()
        except OSError:
            log.debug("no preview process", exc_info=True)
    return EarlyPreview()


class PreviewJob(QRunnable):
    """Render one preview PDF; the result carries the generation it was asked for."""

    def __init__(
        self, generation: int, brief: Brief, library: Library, lang: str,
        early: EarlyPreview | ForkedPreview | None = None,
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
        try:
            data = self.early.take(self.brief, self.lang) if self.early is not None else None
            if data is None:
                data = render_preview_pdf(self.brief, self.library, self.lang)
        except Exception as exc:  # every failure must reach the GUI thread
            self.signals.failed.emit(self.generation, describe_failure(exc))
            return
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
