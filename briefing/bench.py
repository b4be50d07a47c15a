"""Benchmarks printed as figures (``make bench``); tests never time anything.

Each figure is the median of several runs measured in this one process, and the
comparisons are ratios of runs made side by side, so that a busy machine slows both
sides alike.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BRIEFING_BENCH_RUNS", "3"))
TARGETS = {
    "ratio": 1.0,
    "peak_mb": 400.0,
    "warm_ms": 150.0,
    "window_s": 1.5,
    "paragraphs_400_s": 20.0,
}


def _run_child(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Return (wall seconds, peak resident MB) of one child process run to completion."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or os.environ.copy()
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(command)}\n"
                         f"{stderr}")
    return elapsed, usage.ru_maxrss / 1024.0


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _fmt(label: str, value: str, target: str = "", verdict: str = "") -> None:
    print(f"{label:<58} {value:>14}  {target:<12} {verdict}")


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def bench_cold_export_vs_office(work: Path) -> dict[str, float]:
    """Time the cold six-document export and LibreOffice converting one brief, in turn."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    ours, office, peaks, ratios = [], [], [], []
    export_cmd = [
        sys.executable, "-m", "briefing.cli", "export", "--lang", "ar,en,bi",
        "--format", "pdf,docx", "--out", str(work / "six"), "--quiet",
    ]
    env = os.environ.copy()
    env["BRIEFING_CHART_CACHE"] = "off"  # cold: no chart picture from an earlier run
    # One warm-up of each so that both sides start with the OS file cache filled.
    _run_child(export_cmd, env)
    profile = work / "office-profile"
    office_cmd = [
        soffice or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
        "--convert-to", "pdf", "--outdir", str(work / "office"),
        str(work / "six" / "brief-ar.docx"),
    ]
    if soffice:
        _run_child(office_cmd)
    for _ in range(RUNS):
        seconds, peak = _run_child(export_cmd, env)
        ours.append(seconds)
        peaks.append(peak)
        if soffice:
            office_seconds, _ = _run_child(office_cmd)
            office.append(office_seconds)
            ratios.append(seconds / office_seconds)
    result = {"ours_s": _median(ours), "peak_mb": max(peaks)}
    if soffice:
        result |= {"office_s": _median(office), "ratio": _median(ratios)}
    return result


def bench_warm_rerender() -> float:
    """Return the median milliseconds to re-render one language's PDF after a figure edit."""
    from briefing.document import build_document
    from briefing.edits import default_brief, set_figure_value
    from briefing.library import load_library
    from briefing.render.pdf import render_pdf
    from briefing.templates import load_template

    library = load_library()
    template = load_template("ministry")
    brief = default_brief(library)
    render_pdf(build_document(brief, library, template, "ar"))  # warm: fonts, caches
    times = []
    for step in range(max(RUNS, 5)):
        edited = set_figure_value(brief, library, "baku_port_capacity", str(16 + step))
        start = time.perf_counter()
        render_pdf(build_document(edited, library, template, "ar"))
        times.append((time.perf_counter() - start) * 1000)
    return _median(times)


def bench_window() -> float:
    """Return the median seconds from process start until the main window is shown."""
    code = (
        "import time; t0 = time.perf_counter();"
        "from briefing.gui.app import time_to_window;"
        "print(time_to_window(t0))"
    )
    times = []
    env = os.environ.copy()
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for _ in range(RUNS):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        ).stdout.strip().splitlines()
        interpreter = time.perf_counter() - start
        shown = float(out[-1]) if out else interpreter
        times.append(shown)
    return _median(times)


def _section_file(folder: Path, paragraphs: int) -> Path:
    ar = "تتركز العلاقات الاقتصادية بين أذربيجان وكازاخستان في قطاعي النقل العابر والطاقة "
    ar += "(COP29)."
    en = "Economic relations between Azerbaijan and Kazakhstan centre on transit and energy (COP29)."
    body_ar = "\n\n".join(f"{ar} {i}" for i in range(paragraphs))
    body_en = "\n\n".join(f"{en} {i}" for i in range(paragraphs))
    path = folder / f"long_{paragraphs}.toml"
    path.write_text(
        f'id = "long_{paragraphs}"\n[title]\nar = "قسم طويل"\nen = "Long section"\n'
        f'[body]\nar = """{body_ar}"""\nen = """{body_en}"""\n',
        encoding="utf-8",
    )
    return path


def bench_paragraphs(work: Path) -> dict[int, float]:
    """Return the export seconds (ar PDF + docx) of a custom section of N paragraphs."""
    result = {}
    for count in (100, 200, 400):
        path = _section_file(work, count)
        command = [
            sys.executable, "-m", "briefing.cli", "export", "--lang", "ar", "--format",
            "pdf,docx", "--sections", f"long_{count}", "--add-section", str(path),
            "--out", str(work / f"long{count}"), "--quiet",
        ]
        result[count] = _median([_run_child(command)[0] for _ in range(RUNS)])
    return result


def main() -> int:
    """Run every benchmark and print the figures against their targets."""
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        work = Path(tmp)
        print(f"Briefing benchmarks — median of {RUNS} runs on {os.cpu_count()} cores\n")
        cold = bench_cold_export_vs_office(work)
        _fmt("cold export: ar,en,bi x pdf,docx (6 documents)", f"{cold['ours_s']:.2f} s")
        if "office_s" in cold:
            _fmt("LibreOffice: convert one brief (docx -> pdf)", f"{cold['office_s']:.2f} s")
            _fmt("ratio: six-document export / one LibreOffice conversion",
                 f"{cold['ratio']:.2f}", "<= 1.0", _verdict(cold["ratio"] <= TARGETS["ratio"]))
        _fmt("peak memory of the six-document export", f"{cold['peak_mb']:.0f} MB", "<= 400 MB",
             _verdict(cold["peak_mb"] <= TARGETS["peak_mb"]))
        warm = bench_warm_rerender()
        _fmt("warm re-render of the Arabic PDF after one figure edit", f"{warm:.0f} ms",
             "< 150 ms", _verdict(warm < TARGETS["warm_ms"]))
        try:
            window = bench_window()
        except (subprocess.CalledProcessError, ImportError) as exc:
            _fmt("app start until the window shows", "n/a", "< 1.5 s", f"({exc})")
        else:
            _fmt("app start until the window shows", f"{window:.2f} s", "< 1.5 s",
                 _verdict(window < TARGETS["window_s"]))
        sizes = bench_paragraphs(work)
        for count, seconds in sizes.items():
            _fmt(f"export of a custom section of {count} paragraphs (ar pdf+docx)",
                 f"{seconds:.2f} s")
        growth = sizes[400] / sizes[200] if sizes[200] else 0.0
        _fmt("growth 200 -> 400 paragraphs (linear = 2.0)", f"{growth:.2f}", "~2.0",
             _verdict(growth < 2.6))
        _fmt("400 paragraphs", f"{sizes[400]:.2f} s", "< 20 s",
             _verdict(sizes[400] < TARGETS["paragraphs_400_s"]))
    return 0



if __name__ == "__main__":
    sys.exit(main())
