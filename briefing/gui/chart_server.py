"""A chart drawing process kept warm beside the app.

Forked when the app starts (before Qt or any other thread runs), it loads matplotlib when
it is asked for its first chart (the app asks for one once the first preview is shown, so
that the loading does not compete with that preview) on the other processor, and then
draws the charts the previews ask for, one at a time. The app's own interpreter never
loads matplotlib, so a first edit of a charted figure neither waits for that loading in
the app nor shares the interpreter lock with it. Where the process cannot be had, or dies,
or fails a chart, the chart is drawn in the app's process as before (which reports any
real failure).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
import threading

from briefing.chartdata import ChartData
from briefing.pipes import write_all
from briefing.templates import Template

_LENGTH = struct.Struct("!Q")
_RESULT = struct.Struct("!BQ")  # status (0 drawn, 1 failed), payload length


# Seconds the app waits for a chart before giving up on the process and drawing it itself.
DRAW_TIMEOUT_S = 30.0


def _read_exact(fd: int, size: int, timeout: float | None = None) -> bytes:
    chunks: list[bytes] = []
    while size:
        if timeout is not None and not select.select([fd], [], [], timeout)[0]:
            raise EOFError("the chart drawing process does not answer")
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            raise EOFError("the chart drawing process is gone")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _serve(requests: int, results: int) -> None:
    """Draw each (data, template, size) request until the app closes its pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the app ends this process by its pipe
    while True:
        try:
            (length,) = _LENGTH.unpack(_read_exact(requests, _LENGTH.size))
            data, template, size = pickle.loads(_read_exact(requests, length))
        except (EOFError, OSError):
            return
        try:
            from briefing.render.chart_drawing import draw_png

            status, payload = 0, draw_png(data, template, size)
        except Exception as exc:  # the app draws it itself and reports the failure
            status, payload = 1, str(exc).encode("utf-8", "replace")
        try:
            write_all(results, _RESULT.pack(status, len(payload)) + payload)
        except OSError:
            return


class ChartServer:
    """The app's end of the drawing process: ``draw`` sends a chart and waits for its PNG."""

    def __init__(self) -> None:
        request_read, request_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the drawing process
            code = 0
            try:
                os.close(request_write)
                os.close(result_read)
                _serve(request_read, result_write)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(request_read)
        os.close(result_write)
        self.pid = pid
        self._requests: int | None = request_write
        self._results: int | None = result_read
        self._lock = threading.Lock()

    @property
    def alive(self) -> bool:
        """Return True while the process can be asked for charts."""
        return self._requests is not None

    def draw(self, data: ChartData, template: Template, size: str) -> bytes | None:
        """Return the chart's PNG drawn by the process, or None to draw it here instead."""
        with self._lock:
            if self._requests is None or self._results is None:
                return None
            try:
                message = pickle.dumps((data, template, size), protocol=pickle.HIGHEST_PROTOCOL)
                write_all(self._requests, _LENGTH.pack(len(message)) + message)
                head = _read_exact(self._results, _RESULT.size, DRAW_TIMEOUT_S)
                status, length = _RESULT.unpack(head)
                payload = _read_exact(self._results, length, DRAW_TIMEOUT_S)
            except (OSError, EOFError, pickle.PickleError, TypeError, AttributeError):
                self._close_locked()
                return None
        return payload if status == 0 else None

    def close(self) -> None:
        """End the process (it leaves when its pipe closes) and reap it."""
        with self._lock:
            self._close_locked()

    def _close_locked(self) -> None:
        if self._requests is None and self._results is None:
            return  # closed and reaped already: its process id may belong to another now
        for fd in (self._requests, self._results):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._requests = self._results = None
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)  # it keeps nothing; it may be stuck, or stopped
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)


def start_chart_server() -> ChartServer | None:
    """Fork the drawing process and let the chart pictures use it; None where it cannot be
    (not Linux, or another thread already runs: a fork could inherit a held lock)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") \
            or threading.active_count() != 1:
        return None
    from briefing.render import charts

    try:
        server = ChartServer()
    except OSError:
        return None
    charts.set_remote_drawer(server.draw)
    global current
    current = server
    return server


# The app's drawing process, once started.
current: ChartServer | None = None
