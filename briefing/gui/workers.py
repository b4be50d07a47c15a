"""Background jobs: preview rendering and export run off the GUI thread."""

from __future__ import annotations

import logging
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

    (output_lang,) = check_languages([lang])
    template = load_template(brief.template)
    check_brief(brief, library)
    document = build_documents(brief, [output_lang], template, library)[output_lang]
    return render(document, "pdf")


class PreviewJob(QRunnable):
    """Render one preview PDF; the result carries the generation it was asked for."""

    def __init__(self, generation: int, brief: Brief, library: Library, lang: str) -> None:
        super().__init__()
        self.generation = generation
        self.brief = brief
        self.library = library
        self.lang = lang
        self.signals = PreviewSignals()
        self.setAutoDelete(True)

    def run(self) -> None:
        """Render, then report the bytes or a one-line failure."""
        try:
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
