"""The one export entry point used by the command line and the GUI."""

from __future__ import annotations

import array
import gc
import marshal
import os
import pickle
import re
import signal
import struct
import sys
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextlib import suppress as contextlib_suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

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
from briefing.pipes import read_messages, write_all
from briefing.render import charts
from briefing.render.charts import (
    SIDE_CHART_KINDS,
    Item,
    _fork_is_safe,
    draw_ahead,
    pdf_chart_size,
)
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
    for fmt in formats:
        for document in documents:
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
    return start(document, fmt)()


def start(document: Document, fmt: str) -> Callable[[], bytes]:
    """Lay out ``document`` as ``fmt`` now and return what writes the file's bytes, which
    takes the chart pictures (``render`` in two steps)."""
    if fmt == "pdf":
        from briefing.render import load_platypus

        load_platypus()
        from briefing.render.pdf import finish_pdf, start_pdf

        drawn = start_pdf(document)
        return lambda: finish_pdf(drawn)
    from briefing.render.docx import finish_docx, start_docx

    written = start_docx(document)
    return lambda: finish_docx(written)


# Messages from the export's second process: kind, job number, payload length.
_MESSAGE = struct.Struct("!BIQ")
_STARTED, _RENDERED, _FAILED, _REPORT, _PICTURE, _NO_PICTURE, _SIBLING, _KEPT = range(8)

# A rough cost of rendering each file, relative to an English Word file, to order the
# queue of files two processes take from: a PDF is laid out line by line and embeds
# font subsets, a bilingual file holds both texts, Arabic is shaped.
_FORMAT_COST = {"pdf": 1.6, "docx": 1.0}
_LANG_COST = {"ar": 1.4, "en": 1.0, "bi": 1.8}

# Called in the second process when it starts, and when its files are done; what the
# latter returns (anything that pickles) is sent back and kept in ``worker_reports``
# (the benchmark's stage times).
worker_init: Callable[[], None] | None = None
worker_report: Callable[[], object] | None = None
worker_reports: list[object] = []


def _export_processes() -> int:
    """Return how many processes an export may render its files in (1 or 2).

    Two where forking is safe (see ``_fork_is_safe``) and a second processor is there;
    BRIEFING_EXPORT_PROCESSES=1 keeps everything in this process.
    """
    setting = os.environ.get("BRIEFING_EXPORT_PROCESSES", "")
    if setting.isdigit():
        wanted = int(setting)
    else:
        try:
            wanted = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            wanted = os.cpu_count() or 1
    return 2 if wanted > 1 and _fork_is_safe() else 1


def split_jobs(
    jobs: Sequence[tuple[OutputLang, Document, str]],
) -> tuple[list[int], list[int]]:
    """Return the job numbers this process renders first, and the queue of the others,
    which both processes take from, each its next file when it is free.

    With both formats, the PDF files stay here (the Word files need none of the fonts
    the PDF files parse and subset, which a second process would parse again), and the
    second process starts on the Word files; whichever process is free first takes the
    next one, so neither waits for the other. With one format every file is queued.
    The queue holds the costliest files first, so that the last one taken is short.
    """

    def cost(index: int) -> float:
        lang, _document, fmt = jobs[index]
        return _FORMAT_COST.get(fmt, 1.0) * _LANG_COST.get(lang, 1.0)

    formats = {fmt for _lang, _document, fmt in jobs}
    everything = range(len(jobs))
    here = [i for i in everything if jobs[i][2] == "pdf"] if formats == {"pdf", "docx"} else []
    queue = sorted((i for i in everything if i not in here), key=lambda i: (-cost(i), i))
    return here, queue


class _Queue:
    """Job numbers two processes take from, each exactly once: the bytes of a pipe whose
    writing end is closed before the second process starts (a one-byte read is atomic,
    and an empty pipe then reads as its end)."""

    def __init__(self, numbers: Sequence[int]) -> None:
        if any(not 0 <= number < 256 for number in numbers):
            raise ValueError("job numbers are single bytes")
        self.fd, writer = os.pipe()
        try:
            write_all(writer, bytes(numbers))
        finally:
            os.close(writer)

    def left(self) -> int:
        """Return how many job numbers are still in the queue."""
        import fcntl
        import termios

        count = array.array("i", [0])
        fcntl.ioctl(self.fd, termios.FIONREAD, count)
        return count[0]

    def take(self) -> int | None:
        data = os.read(self.fd, 1)
        return data[0] if data else None

    def close(self) -> None:
        os.close(self.fd)


class _Files:
    """The files of one export, rendered in one lane, two threads or two processes.

    With charts drawn by other processes, a lane often waits for a picture; the other
    lane then lays out its own document meanwhile instead of the processor idling.
    The PDF and Word renderers share no state but the chart cache, which is locked.
    With every picture at hand, the files are split between this process and one forked
    from it (where forking is safe), which sends the bytes back through a pipe.
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
        self.announced: set[str] = set()  # files the second process began
        self.siblings: list[int] = []  # the drawing process the second one forked

    def render(
        self, two_lanes: bool, processes: int = 1, draw: Sequence[tuple[str, Item]] = ()
    ) -> None:
        """Render every file; raise the first failure (after both lanes have stopped).

        With two processes, the second first draws the pictures ``draw`` (key, item),
        sending each here as it is done, then takes files from the queue.
        """
        if processes > 1 and len(self.jobs) > 1:
            here, queue = split_jobs(self.jobs)
            if queue:
                self._render_forked(here, queue, draw)
                return
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

    def _keep(self, name: str, data: bytes, problems: list[str]) -> None:
        with self.lock:
            self.problems[name] = problems
            self.data[name] = data

    def _begin(self, name: str) -> None:
        with self.lock:
            step = self.started
            self.started += 1
        if self.progress:
            self.progress(name, step, len(self.jobs))

    def _render_one(
        self, lang: OutputLang, document: Document, fmt: str
    ) -> tuple[bytes, list[str]]:
        return self._checked(lang, document, fmt, render(document, fmt))

    def _finish_one(
        self, lang: OutputLang, document: Document, fmt: str
    ) -> Callable[[], tuple[bytes, list[str]]]:
        """Start rendering a file whose pictures another process still draws; return
        what finishes it (taking the pictures then, see ``start``)."""
        finish = start(document, fmt)
        return lambda: self._checked(lang, document, fmt, finish())

    def _checked(
        self, lang: OutputLang, document: Document, fmt: str, data: bytes
    ) -> tuple[bytes, list[str]]:
        """Return a rendered file with what reading it back found (PDF, when verifying)."""
        problems: list[str] = []
        if self.verify and fmt == "pdf":
            from briefing.verify import verify_pdf

            name = f"{self.stem}-{lang}.{fmt}"
            problems = [f"{name}: {p}" for p in verify_pdf(data, document)]
        return data, problems

    def _lane(
        self,
        jobs: Iterable[tuple[OutputLang, Document, str]],
        catch: bool,
        announced: frozenset[str] = frozenset(),
        defer: Callable[[], bool] = lambda: False,
    ) -> None:
        """Render ``jobs``; each started while ``defer()`` is true is finished once it
        is false, before the next job is taken (its pictures were being drawn elsewhere
        meanwhile; a job of a queue the other process takes from is then left to it)."""
        try:
            later: list[tuple[str, Callable[[], tuple[bytes, list[str]]]]] = []
            remaining = iter(jobs)
            while True:
                if later and not defer():
                    for name, finish in later:
                        if self.stop.is_set():
                            return
                        self._keep(name, *finish())
                    later.clear()
                job = next(remaining, None)
                if job is None or self.stop.is_set():
                    break  # done, or the other lane failed
                lang, document, fmt = job
                name = f"{self.stem}-{lang}.{fmt}"
                if name not in announced:
                    self._begin(name)
                if defer():
                    later.append((name, self._finish_one(lang, document, fmt)))
                    continue
                self._keep(name, *self._render_one(lang, document, fmt))
            for name, finish in later:
                if self.stop.is_set():
                    return
                self._keep(name, *finish())
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

    # -- two processes --------------------------------------------------------------------

    def _render_forked(
        self, here: list[int], queue: list[int], draw: Sequence[tuple[str, Item]]
    ) -> None:
        """Render the jobs ``here`` in this process, and with a forked one those of
        ``queue``, each process taking the next when it is free; the forked one first
        draws the pictures ``draw``.

        A failure on either side stops the other and is raised here as it was raised
        (the same error, one line); files the second process did not send because it
        died without a word are rendered here, so a lost process costs time, not files.
        """
        # With pictures to draw, the second process starts at once, loading the drawing
        # library while this one loads the renderers: drawing is the longest road of
        # such an export. With none, the renderers are loaded first, for both.
        early = bool(draw)
        if not early:
            _load_shared(self.jobs)
        jobs = _Queue(queue)
        read_fd, write_fd = os.pipe()
        # A second pipe for the pictures a sibling of the second process draws (it forks
        # one to draw half of them when there are several).
        sibling_read, sibling_write = os.pipe()
        # The child starts with the stop signals blocked so that none interrupts it
        # before it has set how it handles them; its objects are left out of the
        # collector's scans (copying no page just to mark it visited).
        gc.freeze()
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        finally:
            if pid != 0:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
                gc.unfreeze()
        if pid == 0:
            os.close(read_fd)
            os.close(sibling_read)
            self._child(jobs, draw, write_fd, sibling_write)
        os.close(write_fd)
        os.close(sibling_write)
        if pid < 0:  # no process to spare: render everything here
            os.close(read_fd)
            os.close(sibling_read)
            jobs.close()
            self._lane(self.jobs, catch=False)
            return
        pictures = _Pictures(key for key, _item in draw)
        readers = [
            threading.Thread(
                target=self._receive, args=(fd, pictures, last), name="export-worker",
                daemon=True,
            )
            for fd, last in ((read_fd, True), (sibling_read, False))
        ]
        for reader in readers:
            reader.start()
        if early:
            _load_shared(self.jobs)
        charts.await_pictures(pictures.wait, pictures.coming)

        def mine() -> Iterator[tuple[OutputLang, Document, str]]:
            yield from (self.jobs[index] for index in here)
            while (index := jobs.take()) is not None:
                yield self.jobs[index]
                if pictures.drawing() and jobs.left() == 1:
                    # The second process, drawing now, will be free before this one has
                    # finished the files it started: the last file is left to it.
                    return

        try:
            self._lane(mine(), catch=True, defer=pictures.drawing)
        finally:
            if self.failure is not None:
                for process in (pid, *self.siblings):
                    with contextlib_suppress(ProcessLookupError):
                        os.kill(process, signal.SIGKILL)
            for reader in readers:
                reader.join()
            charts.await_pictures(None)
            jobs.close()
            with contextlib_suppress(ChildProcessError):
                os.waitpid(pid, 0)
        if self.failure is not None:
            raise self.failure
        missing = [job for job, name in zip(self.jobs, self.names, strict=True)
                   if name not in self.data]
        # Files the second process had begun were announced then: not a second time.
        self._lane(missing, catch=False, announced=frozenset(self.announced))

    def _receive(self, fd: int, pictures: _Pictures, last: bool) -> None:
        """Collect what the second process (``last``) or its drawing sibling sends until
        it ends (what it did not finish is done here)."""
        try:
            self._receive_all(fd, pictures)
        finally:
            if last:
                pictures.close()  # a picture not sent by now is drawn here

    def _receive_all(self, fd: int, pictures: _Pictures) -> None:
        for (kind, index, _length), payload in read_messages(fd, _MESSAGE):
            if kind == _PICTURE:
                key, png = pickle.loads(payload)  # from our own child
                pictures.arrived(key, png)
            elif kind == _NO_PICTURE:
                pictures.arrived(payload.decode("ascii"), None)
            elif kind == _SIBLING:
                self.siblings.append(index)
            elif kind == _STARTED:
                self.announced.add(self.names[index])
                self._begin(self.names[index])
            elif kind == _RENDERED:
                data, problems = pickle.loads(payload)  # from our own child
                self._keep(self.names[index], data, problems)
            elif kind == _FAILED:
                with self.lock:
                    self.failure = self.failure or pickle.loads(payload)
                self.stop.set()
            elif kind == _REPORT:
                worker_reports.append(pickle.loads(payload))
            elif kind == _KEPT:
                _adopt_kept(payload)

    def _child(
        self, jobs: _Queue, draw: Sequence[tuple[str, Item]], fd: int, sibling_fd: int
    ) -> NoReturn:
        """Run the second process: draw the pictures ``draw`` and send each, then render
        files from the queue ``jobs`` and send each, then end.

        With several pictures, once matplotlib is loaded it forks a sibling that draws
        every other one and sends it through ``sibling_fd``. It ignores Ctrl-C (its parent
        handles it and ends it) and never returns: it ends with ``os._exit``, so nothing
        of the parent (exit handlers, buffered output, a test runner) runs twice.
        """
        status = 1
        sibling = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
            self.progress = None
            if worker_init is not None:
                worker_init()
            mine = list(draw)
            if len(draw) > 1:
                _load_drawing()  # once, for the sibling too

                # The sibling sends each picture to the parent and to this process,
                # which renders files with them too.
                from_sibling, to_here = os.pipe()
                try:
                    sibling = os.fork()
                except OSError:
                    sibling = -1
                if sibling == 0:
                    os.close(fd)
                    os.close(from_sibling)
                    _draw_and_send(draw[1::2], sibling_fd, to_here)
                    os._exit(0)
                os.close(to_here)
                if sibling > 0:
                    _send(fd, _SIBLING, sibling, b"")
                    mine = list(draw[0::2])
            os.close(sibling_fd)
            _draw_and_send(mine, fd)
            if sibling > 0:
                for (kind, _index, _length), payload in read_messages(from_sibling, _MESSAGE):
                    if kind == _PICTURE:
                        charts.keep_picture(*pickle.loads(payload))
            elif len(draw) > 1:
                os.close(from_sibling)
            kept = _kept_mark()
            try:
                while (index := jobs.take()) is not None:
                    _send(fd, _STARTED, index, b"")
                    data, problems = self._render_one(*self.jobs[index])
                    message = pickle.dumps((data, problems), protocol=pickle.HIGHEST_PROTOCOL)
                    _send(fd, _RENDERED, index, message)
            except BaseException as exc:  # sent back and raised by the parent
                _send(fd, _FAILED, 0, _picklable_error(exc))
            else:
                status = 0
                # What this process laid out and shaped is written to the user's cache
                # by the parent, with its own (one writer, nothing lost).
                _send(fd, _KEPT, 0, _kept_since(kept))
            if worker_report is not None:
                _send(fd, _REPORT, 0, pickle.dumps(worker_report()))
            if sibling > 0:
                with contextlib_suppress(ChildProcessError):
                    os.waitpid(sibling, 0)
        except BaseException:
            pass
        finally:
            os._exit(status)


def _load_drawing() -> None:
    """Load matplotlib and the chart drawing code."""
    from briefing.render import chart_drawing  # noqa: F401


def _draw_and_send(draw: Sequence[tuple[str, Item]], *fds: int) -> None:
    """Draw each picture of ``draw`` and send it through each of ``fds`` (or that it
    failed: it is then drawn, and its error raised, where it is asked for)."""
    for key, item in draw:
        try:
            message = (_PICTURE, pickle.dumps((key, charts.render_chart_png(*item))))
        except Exception:
            message = (_NO_PICTURE, key.encode("ascii"))
        for fd in fds:
            _send(fd, message[0], 0, message[1])


class _Pictures:
    """The pictures the second process of an export draws, as they arrive: a renderer
    here asking for one waits for it, until that process has sent it or ended."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.pending = set(keys)
        self.changed = threading.Condition()

    def arrived(self, key: str, png: bytes | None) -> None:
        if png is not None:
            charts.keep_picture(key, png, drawn=True)
        with self.changed:
            self.pending.discard(key)
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.pending.clear()
            self.changed.notify_all()

    def drawing(self) -> bool:
        """Return True while pictures are still to come."""
        with self.changed:
            return bool(self.pending)

    def coming(self, key: str) -> bool:
        with self.changed:
            return key in self.pending

    def wait(self, key: str) -> bytes | None:
        """Return the picture of ``key`` once it has come (None: it will not come)."""
        with self.changed:
            self.changed.wait_for(lambda: key not in self.pending)
        return charts.cached_picture(key)


def _load_shared(jobs: Sequence[tuple[OutputLang, Document, str]]) -> None:
    """Load, before forking, what the renderers of both processes use: the renderers
    (either process may take a Word file from the queue), the text layout (the Word
    writer measures table cells with it), the documents' fonts and their kept shaped
    runs, so that neither process loads them a second time."""
    from briefing.render import font_subsets
    from briefing.text import FontSet
    from briefing.text.fonts import arabic_scale, font_book

    font_subsets.fonttools_version()
    if any(fmt == "pdf" for _lang, _document, fmt in jobs):
        from briefing.render import load_platypus

        load_platypus()
        import briefing.render.pdf
    if any(fmt == "docx" for _lang, _document, fmt in jobs):
        import briefing.render.docx  # noqa: F401
    from briefing.text import kept_layouts, shaping

    for fonts in {(d.template.fonts.arabic, d.template.fonts.latin) for _l, d, _f in jobs}:
        font_set = FontSet(*fonts)
        font_book(font_set)
        arabic_scale(font_set)
        kept_layouts.kept(font_set)  # the Word writer measures table cells with them
        for face in fonts:
            for path in (face.regular, face.bold):
                shaping.keep_runs_of(str(path))


def _kept_mark() -> tuple[dict[str, int], dict[str, int]]:
    """Return where the kept layouts and shaped runs stand (see ``_kept_since``)."""
    from briefing.text import kept_layouts, shaping

    return kept_layouts.added_mark(), shaping.added_mark()


def _kept_since(mark: tuple[dict[str, int], dict[str, int]]) -> bytes:
    """Return the layouts and shaped runs added since ``mark``, packed."""
    from briefing.text import kept_layouts, shaping

    return marshal.dumps((kept_layouts.added_entries(mark[0]), shaping.added_runs(mark[1])))


def _adopt_kept(payload: bytes) -> None:
    """Keep the layouts and shaped runs the second process sent (``_kept_since``)."""
    from briefing.text import kept_layouts, shaping

    layouts, runs = marshal.loads(payload)  # from our own child
    kept_layouts.adopt_entries(layouts)
    shaping.adopt_runs(runs)


def _send(fd: int, kind: int, index: int, payload: bytes) -> None:
    write_all(fd, _MESSAGE.pack(kind, index, len(payload)) + payload)


def _picklable_error(exc: BaseException) -> bytes:
    """Return ``exc`` pickled so that it unpickles as the same error with the same message,
    else as a BriefingError (or RuntimeError, for a fault of the program) saying the same."""
    try:
        message = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
        back = pickle.loads(message)
        if type(back) is type(exc) and str(back) == str(exc):
            return message
    except Exception:
        pass
    if isinstance(exc, BriefingError):
        return pickle.dumps(BriefingError(str(exc)))
    return pickle.dumps(RuntimeError(f"{type(exc).__name__}: {exc}"))


def _render_all(
    brief: Brief,
    out_dir: Path,
    langs: Sequence[OutputLang],
    fmts: Sequence[str],
    template: str | None,
    verify: bool,
    progress: Progress | None,
    library: Library,
    force: bool,
    result: ExportResult,
) -> _Files:
    """Check the brief, build its documents and render every file in memory."""
    # Charts are drawn by other processes while the text is laid out here; they start
    # loading their drawing library now, while the template is read.
    with draw_ahead() as charts_ahead:
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
        files = _Files(documents, fmts, verify, progress, on_failure=charts_ahead.cancel,
                       stem=file_stem(brief))
        pictures = chart_pictures(list(documents.values()), fmts)
        processes = _export_processes() if len(files.jobs) > 1 else 1
        draw: list[tuple[str, Item]] = []
        if processes > 1:
            # The second process draws the pictures not at hand, then takes files from
            # the queue: the text is laid out here meanwhile, and no third process
            # competes for the two processors.
            draw = charts.missing_pictures(pictures)
        else:
            charts_ahead.submit(pictures)
        drawing = charts_ahead.drawing
        if drawing:
            files.render(two_lanes=len(fmts) > 1)
    if not drawing:
        # With no other thread, the files can be split with a forked process.
        files.render(two_lanes=False, processes=processes, draw=draw)
    return files


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
    out_dir = Path(out_dir)
    with _few_collections():
        files = _render_all(brief, out_dir, langs, fmts, template, verify, progress, library,
                            force, result)
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
    # Runs shaped for the first time are kept for the next export (a new process, say).
    shaping = sys.modules.get("briefing.text.shaping")
    if shaping is not None:
        shaping.save_kept_runs()
    layouts = sys.modules.get("briefing.text.kept_layouts")
    if layouts is not None:
        layouts.save_kept_layouts()
    if progress:
        progress("done", total, total)
    return result
