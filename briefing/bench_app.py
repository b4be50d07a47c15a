"""Benchmark of the desktop app's preview latency (a benchmark: it prints, it asserts nothing).

Starts the real app (``briefing.gui.app.main``) in a new process on the offscreen platform,
with a private data folder, and reads two figures from it:

- window shown -> first preview page displayed: from the main window's first paint to the
  first paint of the preview after its page picture has been rendered;
- figure edit -> updated preview displayed: a value typed into the figure table (through the
  table's model, as the editor commits it) until the preview has painted the re-rendered
  page, debounce included; the median over several edits, alternating a figure only the
  text uses and one a chart plots (whose chart is redrawn).

``python -m briefing.bench_app`` runs it alone; ``briefing.bench`` prints it with the rest.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

TARGETS = {"first_preview_ms": 500.0, "edit_ms": 300.0}
EDITS = 8
# (figure id, value maker): values differ in every run so that no chart comes from a cache.
EDITED = (
    ("kz_oil_reserves", lambda n: f"{30 + n % 9}.{n % 10}"),
    ("baku_port_capacity", lambda n: f"{15 + n % 5}.{(n * 3) % 10}"),
)


def _child(run: int) -> None:
    """Run the app in this process and print the measures as one JSON line."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    marks: dict[str, Any] = {"edits": []}
    state: dict[str, Any] = {"window": None, "phase": "first", "rendered": False,
                             "loaded": False, "edit_start": 0.0, "step": 0}

    def finish() -> None:
        print("BENCH " + json.dumps(marks), flush=True)
        window = state["window"]
        if window is not None:
            window.session.undo_stack.setClean()
            window.close()
        app.exit(0)

    def next_edit() -> None:
        window = state["window"]
        step = state["step"]
        if step >= EDITS:
            finish()
            return
        figure_id, value = EDITED[step % len(EDITED)]
        model = window.figure_model
        from briefing.gui.models import FIGURE_COLUMNS

        row = model.figure_ids.index(figure_id)
        index = model.index(row, FIGURE_COLUMNS.index("value"))
        number = run * EDITS + step + 1
        current = Decimal(model.text(row, index.column()))
        while Decimal(value(number)) == current:  # an edit must change the value
            number += 101
        state.update(phase="edit", rendered=False, loaded=False, edit_start=time.monotonic())
        if not model.setData(index, value(number)):
            marks["error"] = f"edit of {figure_id} refused"
            finish()

    def page_rendered(*_args: Any) -> None:
        if state["loaded"]:
            state["rendered"] = True

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            kind = event.type()
            if kind == QEvent.Type.Show and type(watched).__name__ == "MainWindow" \
                    and state["window"] is None:
                state["window"] = watched
                pane = watched.preview_pane  # type: ignore[attr-defined]
                from PySide6.QtPdf import QPdfPageRenderer

                for renderer in pane.view.findChildren(QPdfPageRenderer):
                    renderer.pageRendered.connect(page_rendered)
                pane.controller.ready.connect(lambda _data: state.update(loaded=True))
                pane.view.viewport().installEventFilter(self)
            elif kind == QEvent.Type.Paint and isinstance(watched, QWidget):
                window = state["window"]
                if window is not None and "window_shown" not in marks \
                        and watched.window() is window:
                    marks["window_shown"] = time.monotonic()
                if window is not None and state["rendered"] and \
                        watched is window.preview_pane.view.viewport():
                    state.update(rendered=False, loaded=False)
                    now = time.monotonic()
                    if state["phase"] == "first":
                        marks["first_preview"] = now
                    else:
                        marks["edits"].append((now - state["edit_start"]) * 1000)
                        state["step"] += 1
                    state["phase"] = "idle"
                    QTimer.singleShot(400, next_edit)  # an editor pauses between entries
            return False

    watch = Watch()
    app.installEventFilter(watch)
    QTimer.singleShot(120000, finish)  # never hang the benchmark
    from briefing.gui.app import main

    main(["briefing-app"])


def run_app_bench(runs: int = 3) -> dict[str, float]:
    """Return the medians over ``runs`` new app processes (milliseconds)."""
    firsts, shown, edits = [], [], []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-app-") as tmp:
        for run in range(runs):
            env = os.environ.copy()
            env.setdefault("QT_QPA_PLATFORM", "offscreen")
            env["BRIEFING_DATA_DIR"] = str(Path(tmp) / f"data-{run}")
            env["BRIEFING_USER_TEMPLATES"] = str(Path(tmp) / f"data-{run}" / "templates")
            env["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")  # kept between runs, as a user's
            start = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "briefing.bench_app", "--child", str(run)],
                capture_output=True, text=True, env=env, timeout=300, check=False,
            )
            lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
            if not lines:
                raise RuntimeError(f"the app gave no measures: {done.stderr.strip()[-300:]}")
            marks = json.loads(lines[-1][6:])
            if "error" in marks or "first_preview" not in marks:
                raise RuntimeError(marks.get("error", "the first preview never showed"))
            firsts.append((marks["first_preview"] - marks["window_shown"]) * 1000)
            shown.append((marks["window_shown"] - start) * 1000)
            edits.extend(marks["edits"])
    return {
        "process_to_window_ms": statistics.median(shown),
        "first_preview_ms": statistics.median(firsts),
        "first_preview_max_ms": max(firsts),
        "edit_ms": statistics.median(edits),
        "edit_max_ms": max(edits),
        "edits": float(len(edits)),
    }


def print_app_bench(runs: int = 3) -> None:
    """Print the app's preview latencies against their targets (one line each)."""

    def line(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        print(f"{label:<62} {value:>12}  {target:<10} {verdict}".rstrip(), flush=True)

    try:
        result = run_app_bench(runs)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        line("app: window shown -> first preview page displayed", "n/a", "<= 500 ms",
             None)
        print(f"  ({exc})", flush=True)
        return
    line("app: process start -> window shown (first paint)",
         f"{result['process_to_window_ms']:.0f} ms")
    line("app: window shown -> first preview page displayed",
         f"{result['first_preview_ms']:.0f} ms", "<= 500 ms",
         result["first_preview_ms"] <= TARGETS["first_preview_ms"])
    line(f"  slowest of {runs} starts", f"{result['first_preview_max_ms']:.0f} ms")
    line("app: figure edit -> updated preview displayed (median)",
         f"{result['edit_ms']:.0f} ms", "<= 300 ms", result["edit_ms"] <= TARGETS["edit_ms"])
    line(f"  slowest of {int(result['edits'])} edits", f"{result['edit_max_ms']:.0f} ms")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]))
    else:
        print_app_bench(int(os.environ.get("BRIEFING_BENCH_RUNS", "3")))
