"""An export whose chart pictures are all at hand renders its files in two processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from forking import CHILDREN, run_case

from briefing.export import split_jobs

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="forking is Linux-only here"
)

# The forking cases, run in a fresh interpreter (see forking.py).
SCENARIOS = r"""
import json, os, sys, threading
from dataclasses import replace
from pathlib import Path

import briefing.export
from briefing import cli, edits
from briefing.errors import BriefingError
from briefing.export import export
from briefing.library import load_library
from briefing.render import charts

""" + CHILDREN + r"""
def contents(folder):
    return {p.name: p.read_bytes().hex() for p in sorted(folder.iterdir())}

scenario, out = sys.argv[1], Path(sys.argv[2])
library = load_library()
brief = replace(edits.default_brief(library), languages=("ar", "en", "bi"))
parent = os.getpid()
report = {"safe": charts._fork_is_safe()}
briefing.export.worker_report = lambda: os.getpid()
real = briefing.export.render

def in_child(action):
    # Render as usual here; in the second process do ``action`` for a Word file.
    def render(document, fmt):
        if os.getpid() != parent and fmt == "docx":
            action()
        return real(document, fmt)
    briefing.export.render = render

if scenario == "same":
    steps = []
    os.environ["BRIEFING_EXPORT_PROCESSES"] = "1"
    export(brief, out / "serial", library=library)
    report["serial_workers"] = list(briefing.export.worker_reports)
    os.environ["BRIEFING_EXPORT_PROCESSES"] = "2"
    export(brief, out / "forked", library=library, verify=True,
           progress=lambda name, step, total: steps.append([name, step, total]))
    report["workers"] = [pid != parent for pid in briefing.export.worker_reports]
    report["same"] = contents(out / "serial") == contents(out / "forked")
    report["names"] = sorted(contents(out / "forked"))
    report["steps"] = steps
elif scenario == "bad-input":
    def fail():
        raise BriefingError("figure baku_port_capacity: the Word file refuses it")
    in_child(fail)
    try:
        export(brief, out / "failed", library=library)
    except BriefingError as exc:
        report["error"] = str(exc)
        report["type"] = type(exc).__name__
    report["written"] = sorted(p.name for p in out.rglob("*"))
elif scenario == "cli":
    def fail():
        raise BriefingError("figure baku_port_capacity: the Word file refuses it")
    in_child(fail)
    report["status"] = cli.main(["export", "--lang", "ar,en,bi", "--format", "pdf,docx",
                                 "--out", str(out / "cli"), "--quiet"])
    report["written"] = sorted(p.name for p in out.rglob("*"))
elif scenario == "bug":
    def fail():
        raise ZeroDivisionError("division by zero in the Word writer")
    in_child(fail)
    try:
        export(brief, out / "failed", library=library)
    except ZeroDivisionError as exc:
        report["error"] = str(exc)
elif scenario == "died":
    in_child(lambda: os._exit(3))
    steps = []
    export(brief, out / "died", library=library,
           progress=lambda name, step, total: steps.append(step))
    report["steps"] = steps
    briefing.export.render = real
    os.environ["BRIEFING_EXPORT_PROCESSES"] = "1"
    export(brief, out / "serial", library=library)
    report["same"] = contents(out / "serial") == contents(out / "died")
    report["count"] = len(contents(out / "died"))
elif scenario == "parent-fails":
    started = []
    def render(document, fmt):
        if os.getpid() == parent and fmt == "pdf":
            raise BriefingError("figure kz_oil_reserves: the PDF refuses it")
        return real(document, fmt)
    briefing.export.render = render
    try:
        export(brief, out / "failed", library=library)
    except BriefingError as exc:
        report["error"] = str(exc)
    report["written"] = sorted(p.name for p in out.rglob("*"))
elif scenario in ("draws", "draw-fails", "dies-drawing"):
    # No picture at hand: the second process draws them, then takes files.
    charts.configure_disk_cache(None)
    charts.configure_shipped_cache(None)
    charts.clear_cache()
    os.environ["BRIEFING_EXPORT_PROCESSES"] = "2"
    drawing = sys.modules.get("briefing.render.chart_drawing")
    if scenario != "draws":
        import briefing.render.chart_drawing as drawing
        real_draw = drawing.draw_png
        failed = []
        def draw_png(data, template, size):
            if os.getpid() != parent and not failed:  # its first picture fails
                if scenario == "dies-drawing":
                    os._exit(3)
                failed.append(data.id)
                raise RuntimeError("the second process could not draw this once")
            return real_draw(data, template, size)
        drawing.draw_png = draw_png
    export(brief, out / "forked", library=library)
    report["workers"] = [pid != parent for pid in briefing.export.worker_reports]
    report["matplotlib_here"] = "matplotlib" in sys.modules
    info = charts.cache_info()
    report["draws_here"] = info["draws"] - info["parallel_draws"]
    report["drawn_there"] = info["parallel_draws"]
    charts.clear_cache()
    os.environ["BRIEFING_EXPORT_PROCESSES"] = "1"
    export(brief, out / "serial", library=library)
    report["same"] = contents(out / "serial") == contents(out / "forked")
    report["count"] = len(contents(out / "forked"))
elif scenario in ("kept-forked", "kept-again"):
    # Layouts and shaped runs made in either process are in the user's cache afterwards.
    from briefing.render import font_subsets
    from briefing.text import kept_layouts, shaping
    font_subsets.configure(disk=out / "cache", shipped=None)
    os.environ["BRIEFING_EXPORT_PROCESSES"] = "2" if scenario == "kept-forked" else "1"
    export(brief, out / scenario, library=library, force=True)
    report["workers"] = [pid != parent for pid in briefing.export.worker_reports]
    report["made"] = kept_layouts.cache_info()["made"]
    report["shaped"] = shaping.cache_info()["shaped"]
elif scenario == "thread":
    def run():
        export(brief, out / "thread", library=library)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    report["workers"] = list(briefing.export.worker_reports)
    report["count"] = len(contents(out / "thread"))
report["children"] = children()
report["threads"] = [t.name for t in threading.enumerate() if t.name == "export-worker"]
print(json.dumps(report))
"""


def scenario(name: str, folder: Path) -> tuple[dict[str, Any], str]:
    """Run one case in a fresh interpreter; return its report and what it wrote to stderr."""
    report, stderr = run_case(SCENARIOS, name, folder)
    assert report["children"] == [], "a process was left behind"
    assert report["threads"] == [], "a receiving thread was left behind"
    return report, stderr


def test_two_processes_write_the_bytes_one_writes(tmp_path: Path) -> None:
    report, _ = scenario("same", tmp_path)
    assert report["serial_workers"] == []  # one process when told so
    assert report["workers"] == [True], "no second process rendered"
    assert report["same"]
    assert report["names"] == [f"brief-{lang}.{fmt}" for lang in ("ar", "bi", "en")
                               for fmt in ("docx", "pdf")]
    steps = report["steps"]
    # Each file is announced once, numbered 0..5 of 6, then the end.
    assert steps[-1] == ["done", 6, 6]
    assert sorted(step for _name, step, _total in steps[:-1]) == list(range(6))
    assert sorted(name for name, _step, _total in steps[:-1]) == report["names"]
    assert {total for _name, _step, total in steps} == {6}


def test_bad_input_found_in_the_second_process_is_the_same_error(tmp_path: Path) -> None:
    report, stderr = scenario("bad-input", tmp_path)
    assert report["error"] == "figure baku_port_capacity: the Word file refuses it"
    assert report["type"] == "BriefingError"
    assert report["written"] == []
    assert "Traceback" not in stderr


def test_the_command_line_reports_it_in_one_line(tmp_path: Path) -> None:
    report, stderr = scenario("cli", tmp_path)
    assert report["status"] == 2
    assert stderr.strip() == "error: figure baku_port_capacity: the Word file refuses it"
    assert report["written"] == []


def test_a_fault_in_the_second_process_keeps_its_type_and_message(tmp_path: Path) -> None:
    report, stderr = scenario("bug", tmp_path)
    assert report["error"] == "division by zero in the Word writer"
    assert "Traceback" not in stderr


def test_files_a_dead_second_process_did_not_send_are_rendered_here(tmp_path: Path) -> None:
    report, _ = scenario("died", tmp_path)
    assert report["count"] == 6
    assert report["steps"][-1] == 6
    assert sorted(report["steps"][:-1]) == list(range(6))  # each file announced once
    assert report["same"]


def test_a_failure_here_stops_the_second_process(tmp_path: Path) -> None:
    report, _ = scenario("parent-fails", tmp_path)
    assert report["error"] == "figure kz_oil_reserves: the PDF refuses it"
    assert report["written"] == []


def test_an_export_on_a_second_thread_stays_in_its_process(tmp_path: Path) -> None:
    report, _ = scenario("thread", tmp_path)
    assert report["workers"] == []
    assert report["count"] == 6


def test_the_second_process_draws_the_missing_pictures_then_takes_files(
    tmp_path: Path,
) -> None:
    report, _ = scenario("draws", tmp_path)
    assert report["workers"] == [True]
    # Every picture came from the second process: this one never loaded the drawing
    # library, and the files are the bytes one process writes drawing them itself.
    assert report["matplotlib_here"] is False
    assert report["draws_here"] == 0
    assert report["drawn_there"] > 0  # counted among the export's draws
    assert report["same"]
    assert report["count"] == 6


def test_a_picture_the_second_process_cannot_draw_is_drawn_here(tmp_path: Path) -> None:
    report, stderr = scenario("draw-fails", tmp_path)
    assert report["draws_here"] > 0
    assert report["same"]
    assert "Traceback" not in stderr


def test_a_second_process_dying_while_drawing_costs_no_file(tmp_path: Path) -> None:
    report, _ = scenario("dies-drawing", tmp_path)
    assert report["draws_here"] > 0
    assert report["same"]
    assert report["count"] == 6


def test_the_pdf_files_stay_here_and_the_rest_are_queued_costliest_first() -> None:
    jobs = [(lang, None, fmt) for lang in ("ar", "en", "bi") for fmt in ("pdf", "docx")]
    here, queue = split_jobs(jobs)  # type: ignore[arg-type]
    named = [f"{jobs[i][0]}.{jobs[i][2]}" for i in here]
    # The PDF files stay together, where their fonts are parsed and subset once; the
    # Word files are queued, the bilingual (longest) first, so the last taken is short.
    assert named == ["ar.pdf", "en.pdf", "bi.pdf"]
    assert [f"{jobs[i][0]}.{jobs[i][2]}" for i in queue] == ["bi.docx", "ar.docx", "en.docx"]
    pdf = [job for job in jobs if job[2] == "pdf"]
    here, queue = split_jobs(pdf)  # type: ignore[arg-type]
    assert here == []  # one format: every file is queued, for whichever process is free
    assert [pdf[i][0] for i in queue] == ["bi", "ar", "en"]


def test_the_queue_gives_each_job_once_across_processes(tmp_path: Path) -> None:
    from briefing.export import _Queue

    out = tmp_path / "taken"
    queue = _Queue(list(range(200)))
    pid = os.fork()
    if pid == 0:  # the child takes what it can and writes what it took
        taken = []
        while (number := queue.take()) is not None:
            taken.append(number)
        out.write_text(",".join(map(str, taken)))
        os._exit(0)
    mine = []
    while (number := queue.take()) is not None:
        mine.append(number)
    os.waitpid(pid, 0)
    queue.close()
    theirs = [int(n) for n in out.read_text().split(",") if n]
    assert sorted(mine + theirs) == list(range(200))


def test_reportlab_address_pattern_is_compiled_when_first_used() -> None:
    probe = (
        "import re, sys\n"
        "from briefing.render import load_platypus\n"
        "load_platypus()\n"
        "from reportlab.platypus import paragraph\n"
        "lazy = paragraph.uri_pat\n"
        "print(type(lazy).__name__, re.compile.__module__ == 're')\n"
        "real = re.compile(*lazy._source)\n"
        "for text in ('https://example.org/a?b', 'mailto:x', 'http://[::1]:80/', 'no'):\n"
        "    print(bool(lazy.match(text)) == bool(real.match(text)))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.split()
    assert lines[0] == "_PatternOnFirstUse"
    assert lines[1:] == ["True"] * 5


def test_what_the_second_process_lays_out_and_shapes_is_kept_for_the_next_export(
    tmp_path: Path,
) -> None:
    forked, _ = scenario("kept-forked", tmp_path)
    assert forked["workers"] == [True]
    assert forked["made"] > 0 and forked["shaped"] > 0
    # A new process, the same brief: every paragraph laid out and every run shaped in
    # either process before is read back, none is made again.
    again, _ = scenario("kept-again", tmp_path)
    assert again["workers"] == []
    assert again["made"] == 0
    assert again["shaped"] == 0
