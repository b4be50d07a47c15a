"""Chart pictures for the renderers: cached by content, drawn ahead by forked processes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import signal
import struct
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from briefing.chartdata import ChartData
from briefing.diskcache import DiskCache
from briefing.errors import BriefingError
from briefing.pipes import read_messages, write_all
from briefing.templates import Template

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Picture sizes in centimetres (width, height): "full" spans the text column,
# "half" fits one column of a bilingual page or two charts side by side.
CHART_SIZES_CM: dict[str, tuple[float, float]] = {"full": (16.0, 8.5), "half": (8.0, 6.5)}

# Print resolution: sharp text and rules on paper. A 16 cm chart is 1512 pixels wide and
# takes about 50 ms to draw; at 200 dpi it would take a tenth less, and 200 dpi suffices
# for office printing of text from 8 pt, but tick labels and notes here are 7.5 pt.
DPI = 240

# Bump when the drawing changes so that pictures cached on disk are redrawn.
RENDER_VERSION = "2"


# A chart's height follows its content: a progress bar is one track with its labels,
# and a frame of the common height would leave most of the picture blank.
KIND_HEIGHTS_CM: dict[str, dict[str, float]] = {"progress": {"full": 3.6, "half": 3.7}}


def chart_size_cm(kind: str, size: str) -> tuple[float, float]:
    """Return the picture's (width, height) in cm for a chart kind at ``size``."""
    width, height = CHART_SIZES_CM[size]
    return width, KIND_HEIGHTS_CM.get(kind, {}).get(size, height)


# Chart kinds small enough to stand beside the text of a one-language PDF brief.
SIDE_CHART_KINDS = frozenset({"donut", "progress"})


def pdf_chart_size(kind: str, lang: str) -> str:
    """Return the picture size ("full" or "half") a chart of ``kind`` takes in a PDF."""
    return "half" if lang == "bi" or kind in SIDE_CHART_KINDS else "full"


MEMORY_CACHE_SIZE = 128

# Folder of resources/ holding pictures drawn ahead for the library's own figures, in every
# shipped template, language and digit style (``python -m briefing.chart_cache``).
SHIPPED_CACHE_FOLDER = "chart-cache"

# Pictures kept in the disk cache (about 50 KB each); older ones are deleted.
DISK_CACHE_FILES = 400

# Fewer new charts than this are drawn in process by ``render_charts_parallel``: with the
# pictures needed at once, a worker pool would not pay off.
PARALLEL_MIN_CHARTS = 4

# At most this many pictures are handed to the drawing processes at a time (their work
# list is written into a pipe before they start, four bytes an item).
MAX_DRAWN_AHEAD = 4096

Item = tuple[ChartData, Template, str]


class DrawingCancelled(BriefingError):
    """Raised for a picture the drawing processes had when the export gave up on them."""


_lock = threading.RLock()
_memory_cache: OrderedDict[str, bytes] = OrderedDict()
_stats = {"draws": 0, "parallel_draws": 0, "memory_hits": 0, "disk_hits": 0}
# Draws a chart in a process kept for it (the app's), or returns None to draw it here.
_remote_drawer: Callable[[ChartData, Template, str], bytes | None] | None = None


def set_remote_drawer(
    drawer: Callable[[ChartData, Template, str], bytes | None] | None,
) -> None:
    """Let ``render_chart_png`` ask ``drawer`` for the charts it has to draw (None: stop)."""
    global _remote_drawer
    _remote_drawer = drawer


# During an export whose second process draws the missing pictures (see export.py):
# the picture of a key that process was asked for, waited for (None: it will not come),
# and whether a picture is still to come from it.
_awaited: Callable[[str], bytes | None] | None = None
_coming: Callable[[str], bool] | None = None


def await_pictures(
    wait: Callable[[str], bytes | None] | None, coming: Callable[[str], bool] | None = None
) -> None:
    """Let ``render_chart_png`` wait through ``wait`` for pictures another process draws,
    ``coming`` telling whether a picture is still to come from it (None: stop)."""
    global _awaited, _coming
    _awaited, _coming = wait, coming


def picture_coming(data: ChartData, template: Template, size: str) -> bool:
    """Return True when the picture is not at hand yet but another process is drawing it
    (a renderer may then write the rest of its file and take the picture last)."""
    if _coming is None or size not in CHART_SIZES_CM:
        return False
    key = cache_key(data, template, size)
    return _lookup(key) is None and _coming(key)


def keep_picture(key: str, png: bytes, drawn: bool = False) -> None:
    """Keep in memory a picture another process drew (and has stored on disk); ``drawn``
    counts it among this process's draws (drawn for it elsewhere, as ``draw_ahead``
    counts its processes' pictures)."""
    with _lock:
        _remember(key, png)
        if drawn:
            _stats["draws"] += 1
            _stats["parallel_draws"] += 1


def cached_picture(key: str) -> bytes | None:
    """Return the picture of ``key`` from memory or disk, or None."""
    return _lookup(key)


def missing_pictures(items: Iterable[Item]) -> list[tuple[str, Item]]:
    """Return ``(key, item)`` for each distinct picture of ``items`` neither in memory nor
    on disk, in order; sizes that do not exist are left to ``render_chart_png`` to refuse."""
    found: dict[str, Item] = {}
    for item in items:
        data, template, size = item
        if size not in CHART_SIZES_CM:
            continue
        key = cache_key(data, template, size)
        if key not in found and _lookup(key) is None:
            found[key] = item
    return list(found.items())


def has_remote_drawer() -> bool:
    """Return True when charts are drawn by a process kept for them."""
    return _remote_drawer is not None


# -- public interface -----------------------------------------------------------------------


def render_chart_png(data: ChartData, template: Template, size: str = "full") -> bytes:
    """Return the chart as PNG bytes at ``size`` ("full" or "half"), drawn once per content.

    Inside ``draw_ahead`` a picture the drawing processes have in hand is waited for
    instead of drawn here.
    """
    if size not in CHART_SIZES_CM:
        raise BriefingError(f"chart {data.id}: unknown size {size!r} (use full or half)")
    key = cache_key(data, template, size)
    png = _lookup(key)
    if png is None and _awaited is not None:
        png = _awaited(key)
    if png is None:
        png = _from_drawing_processes(key)
    if png is None and _remote_drawer is not None:
        png = _remote_drawer(data, template, size)
        if png is not None:
            with _lock:
                _stats["draws"] += 1
            _store(key, png)
    if png is None:
        from briefing.render.chart_drawing import draw_png

        png = draw_png(data, template, size)
        with _lock:
            _stats["draws"] += 1
        _store(key, png)
    return png


def chart_picture(data: ChartData, template: Template, size: str = "full") -> Callable[[], bytes]:
    """Return a function giving the chart's PNG (``render_chart_png``), for a renderer that
    lays out its pages first and takes its pictures only when it writes the file (the
    PDF): during an export the pictures are meanwhile drawn by ``draw_ahead``'s processes.

    (Drawing on a thread of this process instead gains nothing: matplotlib holds the
    interpreter lock nearly all the time, and sharing it slowed the text layout down.)
    """
    if size not in CHART_SIZES_CM:
        raise BriefingError(f"chart {data.id}: unknown size {size!r} (use full or half)")
    return lambda: render_chart_png(data, template, size)


def chart_figure(
    data: ChartData, template: Template, size: str = "full"
) -> AbstractContextManager[Figure]:
    """Return a context yielding the chart laid out on a matplotlib Figure (Agg canvas).

    The renderers only need ``render_chart_png``; tests look at the figure's texts.
    """
    from briefing.render.chart_drawing import chart_figure as lay_out

    return lay_out(data, template, size)


def render_charts_parallel(items: Iterable[Item], workers: int | None = None) -> list[bytes]:
    """Return the PNGs of many ``(data, template, size)`` items, in order.

    Identical and cached charts are drawn once; several new ones are drawn by forked
    processes (see ``draw_ahead``), fewer than PARALLEL_MIN_CHARTS in this process.
    """
    items = list(items)
    for data, _template, size in items:
        if size not in CHART_SIZES_CM:
            raise BriefingError(f"chart {data.id}: unknown size {size!r} (use full or half)")
    with draw_ahead(workers, minimum=PARALLEL_MIN_CHARTS) as ahead:
        ahead.submit(items)
        return [render_chart_png(*item) for item in items]


class DrawingAhead:
    """What ``draw_ahead`` yields: ``submit`` the pictures to draw, once."""

    def __init__(
        self, processes: _DrawingProcesses | None, minimum: int, workers: int = 0
    ) -> None:
        self.processes = processes
        self.minimum = max(minimum, 1)
        self.workers = workers  # processes to start on submit (0: none)

    @property
    def active(self) -> bool:
        """Return True when other processes draw (False: charts are drawn as asked)."""
        return self.processes is not None

    @property
    def drawing(self) -> bool:
        """Return True when other processes draw pictures that were submitted."""
        return self.processes is not None and bool(self.processes.keys)

    def cancel(self) -> None:
        """Give up on the pictures (the export failed): stop the processes, and make
        ``render_chart_png`` raise ``DrawingCancelled`` for the pictures they had, instead
        of drawing them here."""
        if self.processes is not None:
            self.processes.cancel()

    def submit(self, items: Iterable[Item]) -> None:
        """Have the new pictures among ``items`` drawn, the first ones first."""
        global _drawing_ahead
        if self.processes is None and not self.workers:
            return
        # A picture of an unknown size is refused with a clear message when asked for.
        jobs = dict(missing_pictures(items)[:MAX_DRAWN_AHEAD])
        if len(jobs) < self.minimum:
            jobs = {}
        if self.processes is None:
            workers, self.workers = self.workers, 0
            if not jobs or not _fork_is_safe():
                return  # every picture is at hand: no process is started at all
            with _lock:
                if _drawing_ahead is not None:
                    return  # another block draws: these are drawn as asked for
            # Forked with no lock held (and, as forking is safe here, no other thread).
            try:
                self.processes = _DrawingProcesses(workers)
            except OSError:
                return  # no process to spare: everything is drawn here instead
            with _lock:
                _drawing_ahead = self.processes
        self.processes.submit(list(jobs), list(jobs.values()))


@contextmanager
def draw_ahead(workers: int | None = None, minimum: int = 1) -> Iterator[DrawingAhead]:
    """Yield a handle whose ``submit`` starts processes that draw the charts not at hand
    while the caller goes on working.

    The processes start loading matplotlib (half a second) as soon as the pictures are
    submitted and some are neither in memory nor on disk; with every picture at hand none
    is started. Inside the block ``render_chart_png`` hands over a submitted picture as
    soon as it is drawn (waiting for it if need be) instead of drawing it, so an export
    lays out and writes text here while its charts are drawn on the other processors,
    and this process never loads matplotlib. The first process forks the others once
    matplotlib is loaded, so it is loaded only once. The pictures are the same bytes as
    drawn here.

    Nothing is started where forking is not safe (see ``_fork_is_safe``), when another
    block is drawing, or with ``workers`` (default: the number of processors, at most 4,
    or BRIEFING_CHART_WORKERS) of 1; then, and for fewer than ``minimum`` new pictures,
    charts are drawn as they are asked for. Leaving the block stops the processes if
    they are still drawing and waits for them, whatever happened inside.
    """
    global _drawing_ahead
    wanted = workers if workers is not None else _default_workers()
    ahead = DrawingAhead(None, minimum, wanted if wanted > 1 and _fork_is_safe() else 0)
    try:
        yield ahead
    finally:
        processes = ahead.processes
        ahead.workers = 0
        if processes is not None:
            with _lock:
                if _drawing_ahead is processes:
                    _drawing_ahead = None
            processes.close()
            # Pictures drawn but not asked for (yet) are kept like any other.
            for key, png in processes.unclaimed().items():
                with _lock:
                    _stats["draws"] += 1
                    _stats["parallel_draws"] += 1
                _store(key, png)


def _default_workers() -> int:
    setting = os.environ.get("BRIEFING_CHART_WORKERS", "")
    if setting.isdigit():
        return max(1, int(setting))
    return min(os.cpu_count() or 1, 4)


def _fork_is_safe() -> bool:
    """Return True where a forked process cannot inherit a lock held by other Python code.

    That is on Linux, from the main thread, with no other Python thread running (a GUI
    exporting in a worker thread draws in process instead).
    """
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


def cache_key(data: ChartData, template: Template, size: str) -> str:
    """Return a hash of everything that decides the picture's pixels."""
    fonts = template.fonts
    parts: list[Any] = [
        RENDER_VERSION,
        matplotlib_version(),
        _code_fingerprint(),
        data.key(),
        size,
        CHART_SIZES_CM[size],
        DPI,
        template.chart_palette,
        tuple(sorted(template.colours.items())),
        [
            _font_identity(p)
            for face in (fonts.arabic, fonts.latin)
            for p in (face.regular, face.bold)
        ],
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def picture_name(data: ChartData, template: Template, size: str) -> str:
    """Return a name for the picture, the same wherever the program is installed.

    A file may name a picture before it is drawn; unlike ``cache_key`` this does not
    depend on font file dates or the program's code, so the same brief gives the same
    file on every machine.
    """
    fonts = template.fonts
    parts = [
        data.key(),
        size,
        template.chart_palette,
        tuple(sorted(template.colours.items())),
        [face.family for face in (fonts.arabic, fonts.latin)],
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def cache_info() -> dict[str, int]:
    """Return counters: real ``draws`` (``parallel_draws`` of them in other processes),
    ``memory_hits``, ``disk_hits`` and the memory cache's ``size``."""
    with _lock:
        return {**_stats, "size": len(_memory_cache)}


def clear_cache(reset_counters: bool = True) -> None:
    """Forget the pictures held in memory (the disk cache is left alone)."""
    with _lock:
        _memory_cache.clear()
        if reset_counters:
            for name in _stats:
                _stats[name] = 0


def configure_disk_cache(folder: Path | bool | None) -> None:
    """Set the disk cache folder: a path, ``None`` to turn it off, ``True`` for the default."""
    _disk.configure_user(folder)


# -- drawing in other processes -------------------------------------------------------------

# Each picture goes back as: item index, status (0 drawn, 1 failed), payload length, payload.
_HEADER = struct.Struct("!IBI")
_TICKET = struct.Struct("!I")

_drawing_ahead: _DrawingProcesses | None = None


def _from_drawing_processes(key: str) -> bytes | None:
    """Return the picture of ``key`` from the drawing processes (waiting for it), or None
    when they were not asked for it or could not draw it."""
    with _lock:
        drawing = _drawing_ahead
    png, first = drawing.claim(key) if drawing is not None else (None, False)
    if png is not None and first:  # the other lane of an export may claim it too
        with _lock:
            _stats["draws"] += 1
            _stats["parallel_draws"] += 1
        _store(key, png)
    return png


class _DrawingProcesses:
    """Forked processes drawing charts, and the threads here receiving their pictures.

    One process is forked at once; it loads matplotlib, waits for the list of items,
    registers their fonts and forks the others, so that all share one loaded copy. Each
    takes the next item number from a shared pipe (the earliest needed first) and sends
    the picture back on its own pipe.
    """

    def __init__(self, processes: int) -> None:
        self.keys: list[str] = []
        self.positions: dict[str, int] = {}
        self.pictures: dict[str, bytes] = {}
        self.claimed: set[str] = set()
        self.finished: set[str] = set()  # drawn or failed
        self.cancelled = False
        self.reaped = False
        self.open_pipes = processes
        self.changed = threading.Condition()
        fds: list[int] = []
        self.pid = -1
        try:
            work_out, work_in = os.pipe()
            fds += [work_out, work_in]
            pictures: list[tuple[int, int]] = []
            for _ in range(processes):
                pipe = os.pipe()
                fds += pipe
                pictures.append(pipe)
            # The child starts with the stop signals blocked, so that none can interrupt
            # it before it has set how it handles them (see _drawing_process).
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
            try:
                self.pid = os.fork()
            finally:
                if self.pid != 0:
                    signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        except OSError:
            for fd in fds:
                os.close(fd)
            raise
        if self.pid == 0:
            os.close(work_in)
            for read, _ in pictures:
                os.close(read)
            _drawing_process(work_out, [write for _, write in pictures])
        self.work: int | None = work_in
        self.readers: list[threading.Thread] = []
        try:
            os.close(work_out)
            for _, write in pictures:
                os.close(write)
            for read, _ in pictures:
                reader = threading.Thread(
                    target=self._receive, args=(read,), name="chart-pictures", daemon=True
                )
                reader.start()
                self.readers.append(reader)
        except BaseException:  # interrupted half-way: leave no process behind
            self.close()
            raise

    def cancel(self) -> None:
        """Stop drawing: end the processes and release whoever waits for a picture."""
        with self.changed:
            self.cancelled = True
            self.changed.notify_all()
        self.close()

    def submit(self, keys: list[str], items: list[Item]) -> None:
        """Send the items to draw (an empty list lets the processes end at once)."""
        if self.work is None:
            return
        with self.changed:
            self.keys = keys
            self.positions = {key: index for index, key in enumerate(keys)}
        try:
            if items:
                message = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
                write_all(self.work, struct.pack("!Q", len(message)) + message)
        except OSError:
            pass  # the process is gone: every picture is drawn here instead
        finally:
            os.close(self.work)
            self.work = None
        if not items:
            # Every picture is cached: stop the process now rather than let it load
            # matplotlib (and on a first run scan the system's fonts) on a shared processor.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)

    def _receive(self, fd: int) -> None:
        """Collect the pictures arriving on one pipe until its process ends."""
        try:
            for (index, status, _length), payload in read_messages(fd, _HEADER):
                with self.changed:
                    if index >= len(self.keys):
                        break
                    key = self.keys[index]
                    if status == 0:
                        self.pictures[key] = payload
                    self.finished.add(key)
                    self.changed.notify_all()
        finally:
            with self.changed:
                self.open_pipes -= 1
                self.changed.notify_all()

    def has(self, key: str) -> bool:
        """Return True when ``key`` was submitted to these processes."""
        with self.changed:
            return key in self.positions

    def claim(self, key: str) -> tuple[bytes | None, bool]:
        """Return the picture of ``key`` once drawn, and whether this is its first claim.

        The picture is None if it is not one of ours or failed (it is then drawn in this
        process, which reports a real error properly).
        """
        with self.changed:
            if key not in self.positions:
                return None, False
            while key not in self.finished and self.open_pipes and not self.cancelled:
                self.changed.wait()
            if self.cancelled:
                raise DrawingCancelled(f"chart picture {key[:12]}: the export was stopped")
            png = self.pictures.get(key)
            first = png is not None and key not in self.claimed
            if first:
                self.claimed.add(key)
            return png, first

    def unclaimed(self) -> dict[str, bytes]:
        """Return the pictures drawn but never claimed."""
        with self.changed:
            return {k: v for k, v in self.pictures.items() if k not in self.claimed}

    def close(self) -> None:
        """Stop the processes if they still have work, wait for them and for the readers.

        Safe to call more than once, and from the thread of either lane of an export.
        """
        with self.changed:
            if self.reaped:
                return
            self.reaped = True
            # With nothing submitted, it may still be loading matplotlib: no need to wait.
            busy = self.open_pipes > 0 and (not self.keys or len(self.finished) < len(self.keys))
            work, self.work = self.work, None
        if work is not None:
            os.close(work)  # nothing was submitted (a brief refused, say)
            busy = True  # it may still be loading matplotlib: no need to wait for that
        if busy or self.cancelled:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)  # it stops and reaps the others
        with contextlib.suppress(ChildProcessError):  # reaped already (by a test harness)
            os.waitpid(self.pid, 0)
        for reader in self.readers:
            if reader is not threading.current_thread():
                reader.join()


class _Stopped(Exception):
    """Raised in the first drawing process when it finds that the export asked it to stop."""


_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def _stop_requested() -> bool:
    """Return True when the parent has asked the first drawing process to stop."""
    return signal.SIGTERM in signal.sigpending()


def _drawing_process(work: int, outputs: list[int]) -> NoReturn:
    """Run the first drawing process: load matplotlib, read the items, fork the others,
    draw, and reap them.

    No signal ever interrupts its Python code (which is its parent's code up the stack):
    it ignores Ctrl-C, which its parent handles, and the parent stops it with SIGTERM.
    Until the other processes exist, SIGTERM simply ends it; from then on SIGTERM is
    blocked and looked for between pictures, so that the others are always reaped.
    Never returns: the process ends with ``os._exit`` so that nothing of the parent (its
    exit handlers, buffered output, a test runner) runs twice.
    """
    status = 1
    others: list[int] = []
    try:
        # Both stop signals arrive blocked (see _DrawingProcesses); set their handling first.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        # Each process draws on one thread: no numerical library thread pools to fork.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = "1"
        from briefing.render import chart_drawing

        items = _read_items(work)
        os.close(work)
        for data, template, _size in items:
            chart_drawing.prepare_fonts(template, data.lang)
        used = outputs[: max(1, min(len(outputs), len(items)))]
        for output in outputs[len(used) :]:
            os.close(output)
        tickets, tickets_in = os.pipe()
        write_all(tickets_in, b"".join(_TICKET.pack(index) for index in range(len(items))))
        os.close(tickets_in)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        still_open = list(used[1:])  # pipes of processes not forked yet
        for output in used[1:]:
            if _stop_requested():
                raise _Stopped
            pid = os.fork()
            if pid == 0:
                _drawing_sibling(items, tickets, output, [used[0], *still_open])
            others.append(pid)
            os.close(output)
            still_open.remove(output)
        _draw_tickets(items, tickets, used[0], stoppable=True)
        status = 0
    except BaseException:  # the parent draws whatever is missing itself
        pass
    finally:
        try:
            for pid in others:
                if status:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
        finally:
            os._exit(status)


def _read_items(work: int) -> list[Item]:
    """Return the items the parent sends (none if it closes the pipe without sending)."""
    with open(work, "rb", closefd=False) as stream:
        size = stream.read(8)
        if len(size) < 8:
            return []
        (length,) = struct.unpack("!Q", size)
        message = stream.read(length)
    if len(message) < length:
        return []
    items: list[Item] = pickle.loads(message)  # written by our own parent
    return items


def _drawing_sibling(items: list[Item], tickets: int, output: int, outputs: list[int]) -> NoReturn:
    """Run a drawing process forked by the first one: draw until the tickets run out.

    ``outputs`` are the picture pipes open in the first process; all but this one's own
    are closed here, so that each pipe ends when its own process does.
    """
    status = 1
    try:
        for fd in outputs:
            if fd != output:
                os.close(fd)
        _draw_tickets(items, tickets, output)
        status = 0
    except BaseException:  # the parent draws whatever is missing itself
        pass
    finally:
        os._exit(status)


def _draw_tickets(items: list[Item], tickets: int, output: int, stoppable: bool = False) -> None:
    """Draw the items whose numbers this process takes from ``tickets``; send each back.

    When ``stoppable``, a stop asked for by the parent ends the loop between pictures.
    """
    from briefing.render.chart_drawing import draw_png

    while True:
        if stoppable and _stop_requested():
            raise _Stopped
        # Tickets are whole four-byte records and every reader takes four bytes at a time.
        ticket = os.read(tickets, _TICKET.size)
        if len(ticket) < _TICKET.size:
            return
        (index,) = _TICKET.unpack(ticket)
        try:
            payload, status = draw_png(*items[index]), 0
        except Exception:  # the parent draws it again and reports the error itself
            payload, status = b"", 1
        write_all(output, _HEADER.pack(index, status, len(payload)) + payload)


# -- caching helpers ------------------------------------------------------------------------


def _lookup(key: str) -> bytes | None:
    """Return a cached picture from memory or disk (promoting it to memory), or None."""
    with _lock:
        cached = _memory_cache.get(key)
        if cached is not None:
            _memory_cache.move_to_end(key)
            _stats["memory_hits"] += 1
            return cached
    png = _disk.read(key)
    if png is not None:
        with _lock:
            _stats["disk_hits"] += 1
            _remember(key, png)
    return png


def _store(key: str, png: bytes) -> None:
    """Keep a freshly drawn picture in memory and on disk."""
    with _lock:
        _remember(key, png)
    _disk.write(key, png, DISK_CACHE_FILES)


def _remember(key: str, png: bytes) -> None:
    _memory_cache[key] = png
    _memory_cache.move_to_end(key)
    while len(_memory_cache) > MEMORY_CACHE_SIZE:
        _memory_cache.popitem(last=False)


_fingerprint: str | None = None
_mpl_version: str | None = None


def _code_fingerprint() -> str:
    """Return a hash of the drawing and number-formatting code, so that a changed program
    never reuses pictures cached on disk by an older one."""
    global _fingerprint
    if _fingerprint is None:
        from briefing import numbers

        here = Path(__file__)
        digest = hashlib.sha256()
        # Not this module: its caching code draws nothing (its sizes and DPI are in the key).
        drawing = (here.with_name("chart_drawing.py"), here.with_name("mpl_quick.py"))
        for source in (*drawing, Path(numbers.__file__)):
            try:
                digest.update(source.read_bytes())
            except OSError:
                digest.update(RENDER_VERSION.encode())
        _fingerprint = digest.hexdigest()[:16]
    return _fingerprint


# matplotlib's list of its own fonts, shipped for the matplotlib it was made with:
# resources/matplotlib/<matplotlib version>/fontlist-v<list version>.json (see mpl_quick).
SHIPPED_FONT_LISTS = "matplotlib"


def shipped_font_lists(version: str) -> Path:
    """Return the folder of the font lists shipped for matplotlib ``version``."""
    from briefing.resources import as_path, resource

    return as_path(resource(SHIPPED_FONT_LISTS, version))


def matplotlib_version() -> str:
    """Return matplotlib's version without importing it (that takes half a second)."""
    global _mpl_version
    if _mpl_version is None:
        loaded = sys.modules.get("matplotlib")
        version = getattr(loaded, "__version__", None)
        if version is None:
            from importlib.util import find_spec

            spec = find_spec("matplotlib")
            origin = Path(spec.origin) if spec is not None and spec.origin else None
            version = "unknown"
            if origin is not None:
                try:
                    text = origin.with_name("_version.py").read_text(encoding="utf-8")
                    found = re.search(r"""^(?:__)?version(?:__)?\s*=\s*['"]([^'"]+)""", text, re.M)
                    version = found.group(1) if found else repr(_file_identity(origin))
                except OSError:
                    version = repr(_file_identity(origin))
        _mpl_version = version
    return _mpl_version


_font_digests: dict[tuple[str, int, int], str] = {}


def _font_identity(path: Path) -> tuple[str, str]:
    """Return a font file's name and a hash of its bytes: the same wherever the program is
    installed (so pictures shipped with it match), and changed when the file is replaced."""
    identity = _file_identity(path)
    with _lock:
        digest = _font_digests.get(identity)
    if digest is None:
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
        except OSError:
            digest = "missing"
        with _lock:
            _font_digests[identity] = digest
    return (Path(path).name, digest)


def _file_identity(path: Path) -> tuple[str, int, int]:
    """Return a font file's path, size and modification time (a replaced file redraws)."""
    try:
        status = Path(path).stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), status.st_size, status.st_mtime_ns)


def configure_shipped_cache(folder: Path | bool | None) -> None:
    """Set the read-only folder of pictures shipped with the program (``None``: none)."""
    _disk.configure_shipped(folder)


def _is_whole_png(png: bytes) -> bool:
    """A cached file is trusted only if it is a whole PNG (ends with the IEND chunk)."""
    return png.startswith(b"\x89PNG") and png.endswith(b"IEND\xaeB`\x82")


# The user's cache, else the pictures shipped with the program (the library's charts
# with its own figures).
_disk = DiskCache("charts", SHIPPED_CACHE_FOLDER, ".png", _is_whole_png)
