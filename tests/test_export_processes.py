"""An export whose chart pictures are all at hand renders its files in two processes."""

from __future__ import annotations

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


def test_the_files_are_split_with_work_on_both_sides() -> None:
    jobs = [(lang, None, fmt) for lang in ("ar", "en", "bi") for fmt in ("pdf", "docx")]
    here, there = split_jobs(jobs)  # type: ignore[arg-type]
    # Word files to the second process; the PDF files stay together, where their fonts
    # are parsed and subset once (a first PDF costs the Word process more than it evens).
    assert [f"{jobs[i][0]}.{jobs[i][2]}" for i in here] == ["ar.pdf", "en.pdf", "bi.pdf"]
    assert [f"{jobs[i][0]}.{jobs[i][2]}" for i in there] == ["ar.docx", "en.docx", "bi.docx"]
    # With one Word file, the cheapest PDF file still joins it to even the lanes.
    one_word = [job for job in jobs if job[2] == "pdf" or job[0] == "en"]
    here, there = split_jobs(one_word)  # type: ignore[arg-type]
    assert [f"{one_word[i][0]}.{one_word[i][2]}" for i in here] == ["ar.pdf", "bi.pdf"]
    assert [f"{one_word[i][0]}.{one_word[i][2]}" for i in there] == ["en.pdf", "en.docx"]
    pdf = [job for job in jobs if job[2] == "pdf"]
    here, there = split_jobs(pdf)  # type: ignore[arg-type]
    assert [pdf[i][0] for i in here] == ["bi"]  # the largest alone, the two others together
    assert [pdf[i][0] for i in there] == ["ar", "en"]
    assert split_jobs(jobs[:1]) == ([0], [])  # type: ignore[arg-type]


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
