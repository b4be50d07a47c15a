"""The one export entry point used by the command line and the GUI."""

from __future__ import annotations

import gc
import os
import re
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefing.atomic import StagedFiles
from briefing.chartdata import ChartData
from briefing.document import (
    Block,
    Chart,
    Document,
    Parallel,
    brief_key,
    build_document,
    effective_figures,
    selected_sections,
)
from briefing.errors import BriefingError
from briefing.library import Library, load_library, with_section_figures
from briefing.model import (
    Brief,
    OutputLang,
    check_formats,
    check_languages,
    check_marking,
    marking_warnings,
    relation_problems,
    validate_figure,
)
from briefing.render.charts import SIDE_CHART_KINDS, draw_ahead, pdf_chart_size
from briefing.templates import Template, load_template

Progress = Callable[[str, int, int], None]


class OverwriteRefused(BriefingError):
    """An export would replace files another brief made."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        super().__init__(
            f"{paths[0]} belongs to another brief; not replaced "
            f"({len(paths)} file{'s' if len(paths) > 1 else ''}; use --force to replace)"
        )


@dataclass
class ExportResult:
    """What an export wrote, and what the read-back check found (empty when all is well)."""

    paths: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_brief(brief: Brief, library: Library) -> None:
    """Raise the first problem in a brief: unknown sections or figures, values out of range."""
    library = with_section_figures(library, brief.custom_sections)
    selected_sections(brief, library)
    for figure in effective_figures(brief, library).values():
        # Overrides come from .brief files that may have been edited by hand: check
        # qualifier, kind and label too, and keep the unit's dimension so charts still scale.
        validate_figure(figure, library.units)
        shipped_unit = library.units[library.figures[figure.id].unit]
        if library.units[figure.unit].dimension != shipped_unit.dimension:
            raise BriefingError(
                f"figure {figure.id}: unit {figure.unit!r} measures "
                f"{library.units[figure.unit].dimension}, not {shipped_unit.dimension}"
            )
    problems = relation_problems(
        effective_figures(brief, library), library.figures, library.units
    )
    if problems:
        raise BriefingError(problems[0])
    for section in brief.custom_sections:
        for chart_id in section.charts:
            if chart_id not in library.charts:
                raise BriefingError(f"section {section.id} names unknown chart {chart_id!r}")
    if not brief.sections:
        raise BriefingError("the brief has no sections selected")


# Allocations between two collections of the youngest objects while exporting (Python's
# default is 700). An export makes many small objects that live until it ends: with the
# default, Python scans them some 270 times an export, a tenth of a second or two for
# nothing; cycles are still collected, only less often.
EXPORT_GC_THRESHOLD = 10_000

_gc_lock = threading.Lock()
_gc_exports = 0  # exports running now
_gc_thresholds = gc.get_threshold()  # as they were before the first of them started


@contextmanager
def _few_collections() -> Iterator[None]:
    """Raise the garbage collector's first threshold for the time of an export.

    Exports may run at the same time on different threads: the first to start saves the
    thresholds and the last to finish restores them.
    """
    global _gc_exports, _gc_thresholds
    with _gc_lock:
        if _gc_exports == 0:
            _gc_thresholds = gc.get_threshold()
            first, *older = _gc_thresholds
            gc.set_threshold(max(first, EXPORT_GC_THRESHOLD), *older)
        _gc_exports += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_exports -= 1
            if _gc_exports == 0:
                gc.set_threshold(*_gc_thresholds)


def check_output_folder(out_dir: Path) -> None:
    """Raise if ``out_dir`` cannot hold the exports (under a file, not writable …)."""
    if str(out_dir).strip() == "" or "\0" in str(out_dir):
        raise BriefingError(f"output folder {str(out_dir)!r} is not a valid path")
    probe = Path(out_dir)
    try:
        while not probe.exists():
            if probe.parent == probe:
                break
            probe = probe.parent
    except OSError as exc:  # a name too long for the file system, a loop of links …
        raise BriefingError(f"output folder {out_dir} is not usable: {exc.strerror}") from None
    if probe.exists() and not probe.is_dir():
        raise BriefingError(f"output folder {out_dir} is under a file ({probe}), not a folder")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise BriefingError(f"output folder {out_dir} is not writable")


_KEY_PATTERN = re.compile(rb"briefing-brief:[0-9a-f]{20}")


def brief_key_of_file(path: Path) -> str | None:
    """Return the brief mark an exported PDF or Word file carries, or None."""
    try:
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                data = archive.read("docProps/core.xml")
        else:
            data = path.read_bytes()
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    match = _KEY_PATTERN.search(data)
    return match.group().decode("ascii") if match else None


_UNSAFE = re.compile(r"[^\w]+", re.UNICODE)
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
             *(f"lpt{n}" for n in range(1, 10))}


def file_stem(brief: Brief | None) -> str:
    """Return the start of a brief's file names: its reference, else its title, as a slug.

    Letters and digits of any script are kept (an Arabic title stays Arabic); everything
    Windows or macOS would refuse or misread becomes '-'. An untitled brief is "brief".
    """
    if brief is None:
        return "brief"
    meta = brief.meta
    source = meta.reference.strip() or meta.title.en.strip() or meta.title.ar.strip()
    slug = _UNSAFE.sub("-", unicodedata.normalize("NFC", source).casefold().replace("_", "-"))
    slug = slug.strip("-.")[:60].strip("-.")
    if not slug or slug in _RESERVED:
        return "brief"
    return slug


def export_names(
    languages: Sequence[str], formats: Sequence[str], brief: Brief | None = None
) -> list[str]:
    """Return the file names an export of these languages and formats writes."""
    stem = file_stem(brief)
    return [f"{stem}-{lang}.{fmt}" for lang in languages for fmt in formats]


def check_overwrites(out_dir: Path, names: Sequence[str], key: str) -> list[Path]:
    """Return the files in ``out_dir`` that an export would replace and another brief made."""
    foreign = []
    for name in names:
        path = out_dir / name
        if path.is_file():
            found = brief_key_of_file(path)
            if found is not None and found != key:
                foreign.append(path)
    return foreign


def build_documents(
    brief: Brief, languages: Sequence[OutputLang], template: Template, library: Library
) -> dict[OutputLang, Document]:
    """Return the document of each output language."""
    return {lang: build_document(brief, library, template, lang) for lang in languages}


def chart_pictures(
    documents: Sequence[Document], formats: Sequence[str]
) -> list[tuple[ChartData, Template, str]]:
    """Return the chart pictures rendering ``documents`` in ``formats`` asks for, in order.

    The PDF of a bilingual brief sets every chart at half size, and a one-language PDF
    its small charts (beside the text); the Word file does so inside its two-column rows.
    (A wrong guess here costs time, never a wrong picture: a picture not drawn ahead is
    drawn when it is asked for.)
    """
    wanted: list[tuple[ChartData, Template, str]] = []
    for document in documents:
        for fmt in formats:
            for block in document.blocks:
                for data in _charts_in((block,)):
                    if fmt == "pdf":
                        size = pdf_chart_size(data.kind, document.lang)
                    else:
                        # Word: half size inside a bilingual row and beside text.
                        small = data.kind in SIDE_CHART_KINDS
                        size = "half" if isinstance(block, Parallel) or small else "full"
                    wanted.append((data, document.template, size))
    return wanted


def _charts_in(blocks: Sequence[Block]) -> Iterator[ChartData]:
    """Yield the data of every chart in ``blocks``, bilingual rows included."""
    for block in blocks:
        if isinstance(block, Parallel):
            yield from _charts_in((*block.ar, *block.en))
        elif isinstance(block, Chart):
            yield block.data


def render(document: Document, fmt: str) -> bytes:
    """Return the bytes of ``document`` rendered as ``fmt`` ("pdf" or "docx")."""
    if fmt == "pdf":
        from briefing.render.pdf import render_pdf

        return render_pdf(document)
    from briefing.render.docx import render_docx

    return render_docx(document)


class _Files:
    """The files of one export, rendered in one lane or two (PDF on a thread, Word here).

    With charts drawn by other processes, a lane often waits for a picture; the other
    lane then lays out its own document meanwhile instead of the processor idling.
    The PDF and Word renderers share no state but the chart cache, which is locked.
    """

    def __init__(
        self,
        documents: dict[OutputLang, Document],
        formats: Sequence[str],
        verify: bool,
        progress: Progress | None,
        on_failure: Callable[[], None] = lambda: None,
        stem: str = "brief",
    ) -> None:
        self.on_failure = on_failure
        self.stem = stem
        self.jobs = [(lang, doc, fmt) for lang, doc in documents.items() for fmt in formats]
        self.names = [f"{stem}-{lang}.{fmt}" for lang, _doc, fmt in self.jobs]
        self.verify = verify
        self.progress = progress
        self.data: dict[str, bytes] = {}
        self.problems: dict[str, list[str]] = {name: [] for name in self.names}
        self.lock = threading.Lock()
        self.started = 0
        self.stop = threading.Event()
        self.failure: BaseException | None = None

    def render(self, two_lanes: bool) -> None:
        """Render every file; raise the first failure (after both lanes have stopped)."""
        if not two_lanes:
            self._lane(self.jobs, catch=False)
            return
        pdf = [job for job in self.jobs if job[2] == "pdf"]
        thread = threading.Thread(target=self._lane, args=(pdf, True), name="export-pdf")
        thread.start()
        try:
            self._lane([job for job in self.jobs if job[2] != "pdf"], catch=True)
        finally:
            thread.join()
        if self.failure is not None:
            raise self.failure

    def _lane(self, jobs: list[tuple[OutputLang, Document, str]], catch: bool) -> None:
        try:
            for lang, document, fmt in jobs:
                if self.stop.is_set():
                    return  # the other lane failed
                name = f"{self.stem}-{lang}.{fmt}"
                with self.lock:
                    step = self.started
                    self.started += 1
                if self.progress:
                    self.progress(name, step, len(self.jobs))
                data = render(document, fmt)
                if self.verify and fmt == "pdf":
                    from briefing.verify import verify_pdf

                    self.problems[name] = [f"{name}: {p}" for p in verify_pdf(data, document)]
                with self.lock:
                    self.data[name] = data
        except BaseException as exc:
            if not catch:
                raise
            with self.lock:
                first = self.failure is None
                self.failure = self.failure or exc
            self.stop.set()
            if first:
                # The other lane may be waiting for a picture: release it at once rather
                # than have it draw the picture itself for a file that will not be written.
                self.on_failure()


def export(
    brief: Brief,
    out_dir: Path,
    languages: Sequence[str] | None = None,
    formats: Sequence[str] = ("pdf", "docx"),
    template: str | None = None,
    verify: bool = False,
    progress: Progress | None = None,
    library: Library | None = None,
    force: bool = False,
) -> ExportResult:
    """Render the brief in every language and format into ``out_dir``, all or nothing.

    Files are named ``<reference or title>-<lang>.<format>`` (``brief-…`` when
    untitled). Everything is rendered in memory first
    and published with renames at the end, so a failure leaves the folder as it was.
    """
    library = with_section_figures(library or load_library(), brief.custom_sections)
    langs = check_languages(list(languages) if languages else list(brief.languages))
    fmts = check_formats(list(formats))
    result = ExportResult()
    # Charts are drawn by other processes while the text is laid out here; they start
    # loading their drawing library now, while the template is read.
    with _few_collections(), draw_ahead() as charts_ahead:
        tmpl = load_template(template or brief.template)
        check_brief(brief, library)
        marking = brief.meta.marking if brief.meta.marking is not None else tmpl.marking
        where = "marking" if brief.meta.marking is not None else f"template {tmpl.id}: marking"
        check_marking(marking, where)
        result.warnings = marking_warnings(marking, where)
        out_dir = Path(out_dir)
        check_output_folder(out_dir)
        documents = build_documents(brief, langs, tmpl, library)
        names = export_names(list(documents), fmts, brief)
        foreign = [] if force else check_overwrites(out_dir, names, brief_key(brief))
        if foreign:
            raise OverwriteRefused(foreign)
        charts_ahead.submit(chart_pictures(list(documents.values()), fmts))
        files = _Files(documents, fmts, verify, progress, on_failure=charts_ahead.cancel,
                       stem=file_stem(brief))
        files.render(two_lanes=charts_ahead.drawing and len(fmts) > 1)
    outputs = [(name, files.data[name]) for name in files.names]
    result.problems = [problem for name in files.names for problem in files.problems[name]]
    total = len(outputs)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with StagedFiles(out_dir) as staged:
            for name, data in outputs:
                staged.add(name, data)
            result.paths = staged.commit()
    except OSError as exc:
        # A failed rename names the export it would have replaced (a folder in its way …).
        where = exc.filename2 or out_dir
        raise BriefingError(f"cannot write to {where}: {exc.strerror or exc}") from None
    if progress:
        progress("done", total, total)
    return result
