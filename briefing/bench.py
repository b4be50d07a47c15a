"""Benchmarks printed as figures (``make bench``); tests never time anything.

Each figure is the median of several runs on this machine, and the comparison with
LibreOffice is the median of ratios of runs made one after the other, so that a busy
machine slows both sides alike. Memory is the peak of the proportional set size (PSS)
summed over the export process and every worker it starts, sampled while it runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from briefing.bench_stages import ORDER as STAGE_ORDER

RUNS = int(os.environ.get("BRIEFING_BENCH_RUNS", "3"))
TARGETS = {
    "first_ratio": 1.0,
    "again_ratio": 0.6,
    "peak_mb": 400.0,
    "warm_ms": 150.0,
    "window_s": 1.5,
    "paragraphs_400_s": 20.0,
}
SIZES = (100, 200, 400)


@dataclass(frozen=True)
class ChildRun:
    """What one child process cost: wall time, its own peak RSS, and its tree's peak PSS."""

    seconds: float
    peak_rss_mb: float
    peak_tree_mb: float


class _TreeSampler(threading.Thread):
    """Sample the summed PSS of a process and its descendants until told to stop."""

    def __init__(self, root: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval = interval
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(self.root)))
            self.done.wait(self.interval)


def _tree(root: int) -> list[int]:
    """Return ``root`` and every process below it (through /proc's children lists)."""
    pids = [root]
    for pid in pids:  # grows while it is walked
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                    pids += [int(child) for child in handle.read().split()]
        except OSError:
            continue  # gone already, or no children list on this kernel
    return pids


def _pss_kb(pid: int) -> int:
    """Return a process's proportional set size in kB (shared pages split among sharers)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _run_child(
    command: list[str], env: dict[str, str] | None = None, sample: bool = False
) -> ChildRun:
    """Run a command to completion and return what it cost; stop the benchmark if it fails.

    ``sample`` also samples the memory of its process tree (``peak_tree_mb``; 0 without).
    The sampling reads every process's page tables 50 times a second, which costs a
    timed run a tenth of a second or more on two processors: timed runs go unsampled.
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or os.environ.copy()
    )
    sampler = _TreeSampler(process.pid)
    if sample:
        sampler.start()
    assert process.stderr is not None
    stderr = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    sampler.done.set()
    if sample:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(
            f"benchmark command failed ({process.returncode}): {' '.join(command)}\n{stderr}"
        )
    return ChildRun(elapsed, usage.ru_maxrss / 1024.0, sampler.peak_kb / 1024.0)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _fmt(label: str, value: str, target: str = "", verdict: str = "") -> None:
    print(f"{label:<62} {value:>12}  {target:<10} {verdict}".rstrip(), flush=True)


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def _export_env(work: Path, cache: Path) -> dict[str, str]:
    """Return the environment of an export whose user cache folders are under ``cache``
    (platformdirs and matplotlib follow XDG_CACHE_HOME), user data in ``work``."""
    env = os.environ.copy()
    env.pop("BRIEFING_CHART_CACHE", None)
    env.pop("MPLCONFIGDIR", None)
    env["XDG_CACHE_HOME"] = str(cache)
    env["BRIEFING_DATA_DIR"] = str(work / "userdata")
    _compiled(env, work)
    return env


def _compiled(env: dict[str, str], work: Path) -> None:
    """Let the child keep the program's compiled modules, as an installed copy has them.

    An installer byte-compiles the package; a source tree run with bytecode writing
    turned off would instead compile every module of the program on each start. The
    compiled files go to a folder of the benchmark's own, filled by the warm-up runs.
    """
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")


def _export_cmd(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "briefing.cli", "export", "--lang", "ar,en,bi",
        "--format", "pdf,docx", "--out", str(out), "--quiet", *extra,
    ]


# The figure the "edited" first run changes: the port of Baku's capacity, which one chart
# plots and paragraphs cite, so that chart is drawn and those paragraphs are laid out.
EDITED_FIGURE = "baku_port_capacity=17"


def bench_first_and_again_vs_office(work: Path) -> dict[str, float]:
    """Time the six-document export in a new process with an empty user cache (first), and
    again with the cache it left (again), and a first run of the brief with one charted
    figure edited (edited), each paired with LibreOffice converting one brief.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    export_cmd = _export_cmd(work / "six")
    edited_cmd = _export_cmd(work / "edited", "--set", EDITED_FIGURE)
    office_cmd = [
        soffice or "soffice", f"-env:UserInstallation=file://{work / 'office-profile'}",
        "--headless", "--convert-to", "pdf", "--outdir", str(work / "office"),
        str(work / "six" / "brief-ar.docx"),
    ]
    # One warm-up of each, so that both start with the file cache filled and LibreOffice
    # with its profile created (as on any desk where it has been opened once).
    _run_child(export_cmd, _export_env(work, work / "cache-warmup"))
    if soffice:
        _run_child(office_cmd)
    runs: dict[str, list[ChildRun]] = {"first": [], "again": [], "edited": []}
    office: list[float] = []
    ratios: dict[str, list[float]] = {"first": [], "again": [], "edited": []}
    for index in range(RUNS):
        cache = work / f"cache-{index}"
        shutil.rmtree(cache, ignore_errors=True)
        for kind in ("first", "again", "edited"):
            if kind == "edited":
                run = _run_child(edited_cmd, _export_env(work, work / f"cache-edited-{index}"))
            else:
                run = _run_child(export_cmd, _export_env(work, cache))
            runs[kind].append(run)
            if soffice:
                office_seconds = _run_child(office_cmd).seconds
                office.append(office_seconds)
                ratios[kind].append(run.seconds / office_seconds)
    # The memory, in runs of their own: a first run, then again, then an edited one.
    shutil.rmtree(work / "cache-memory", ignore_errors=True)
    shutil.rmtree(work / "cache-memory-edited", ignore_errors=True)
    sampled = [
        _run_child(export_cmd, _export_env(work, work / "cache-memory"), sample=True),
        _run_child(export_cmd, _export_env(work, work / "cache-memory"), sample=True),
        _run_child(edited_cmd, _export_env(work, work / "cache-memory-edited"), sample=True),
    ]
    every = runs["first"] + runs["again"] + runs["edited"]
    result = {
        "first_s": _median([run.seconds for run in runs["first"]]),
        "again_s": _median([run.seconds for run in runs["again"]]),
        "edited_s": _median([run.seconds for run in runs["edited"]]),
        "peak_mb": max(run.peak_tree_mb for run in sampled),
        "rss_mb": max(run.peak_rss_mb for run in every + sampled),
    }
    if soffice:
        result |= {
            "office_s": _median(office),
            "first_ratio": _median(ratios["first"]),
            "again_ratio": _median(ratios["again"]),
            "edited_ratio": _median(ratios["edited"]),
        }
    return result


def bench_stages(work: Path) -> dict[str, dict[str, float]]:
    """Return the median seconds per stage of a first and an again export (new processes).

    Each stage is summed over the export's processes; ``here:STAGE`` and ``worker:STAGE``
    are the same for the export's own process and for the one it forks for Word files.
    """
    import json

    found: dict[str, list[dict[str, float]]] = {"first": [], "again": [], "edited": []}
    for index in range(RUNS):
        cache = work / f"stages-cache-{index}"
        for kind in ("first", "again", "edited"):
            command = [sys.executable, "-m", "briefing.bench_stages", str(work / "stages")]
            if kind == "edited":  # a first run with one charted figure edited
                cache = work / f"stages-cache-edited-{index}"
                command.append(EDITED_FIGURE)
            done = subprocess.run(
                command, capture_output=True, text=True, env=_export_env(work, cache),
                timeout=600, check=False,
            )
            if done.returncode != 0:
                raise SystemExit(f"stage breakdown failed: {done.stderr[-2000:]}")
            report = json.loads(done.stdout.strip().splitlines()[-1])
            times = {k: float(v) for k, v in report.items() if isinstance(v, (int, float))}
            times |= {f"made:{k}": float(v) for k, v in report.get("made", {}).items()}
            for side in ("here", "worker"):
                times |= {f"{side}:{k}": float(v) for k, v in report.get(side, {}).items()}
            found[kind].append(times)
    return {
        kind: {key: _median([run.get(key, 0.0) for run in runs]) for key in runs[0]}
        for kind, runs in found.items()
    }


def _copied_sections(folder: Path, copies: int) -> tuple[list[str], list[str]]:
    """Write ``copies`` renamed copies of every library section; return (files, all ids)."""
    import re

    from briefing.resources import as_path, resource

    sources = sorted(as_path(resource("content", "sections")).glob("*.toml"))
    files, ids = [], []
    for source in sources:
        text = source.read_text(encoding="utf-8")
        found = re.search(r'^id\s*=\s*"([^"]+)"', text, re.M)
        assert found is not None, source
        ids.append(found.group(1))
    originals = list(ids)
    for copy in range(1, copies):
        for source, section_id in zip(sources, originals, strict=True):
            new_id = f"{section_id}_copy{copy}"
            path = folder / f"{new_id}.toml"
            text = source.read_text(encoding="utf-8")
            path.write_text(text.replace(f'id = "{section_id}"', f'id = "{new_id}"', 1),
                            encoding="utf-8")
            files.append(str(path))
            ids.append(new_id)
    return files, ids


def bench_forty_sections(work: Path) -> dict[str, float]:
    """Time the full export of the library (8 sections) and of five times it (40 sections),
    with the user cache kept (the copies' charts are the library's, drawn once)."""
    folder = work / "forty"
    folder.mkdir(exist_ok=True)
    files, ids = _copied_sections(folder, 5)
    extra = [arg for file in files for arg in ("--add-section", file)]
    forty = _export_cmd(work / "forty-out", *extra, "--sections", ",".join(ids))
    eight = _export_cmd(work / "eight-out")
    env = _export_env(work, work / "forty-cache")
    _run_child(forty, env)
    small = [_run_child(eight, env) for _ in range(RUNS)]
    large = [_run_child(forty, env) for _ in range(RUNS)]
    return {
        "eight_s": _median([run.seconds for run in small]),
        "forty_s": _median([run.seconds for run in large]),
        "peak_mb": _run_child(forty, env, sample=True).peak_tree_mb,
    }


def bench_warm_rerender() -> dict[str, float]:
    """Return median milliseconds to rebuild and re-render the Arabic PDF after a figure edit.

    The edited figure (the port of Baku's capacity) is plotted by a chart, so the chart is
    redrawn too, as the preview must after such an edit: the disk cache of chart pictures
    is switched off here, or values drawn by an earlier run would come from it, and so
    are the pictures shipped for the library's own figures.
    """
    from briefing.document import build_document
    from briefing.edits import default_brief, set_figure_value
    from briefing.library import load_library
    from briefing.render.charts import cache_info, configure_disk_cache, configure_shipped_cache
    from briefing.render.pdf import render_pdf
    from briefing.templates import load_template

    configure_disk_cache(None)
    configure_shipped_cache(None)
    library = load_library()
    template = load_template("ministry")
    brief = default_brief(library)
    render_pdf(build_document(brief, library, template, "ar"))  # warm: fonts, caches
    total, build, charted, plain = [], [], [], []
    for step in range(max(RUNS, 5)):
        edited = set_figure_value(brief, library, "baku_port_capacity", str(16 + step))
        start = time.perf_counter()
        document = build_document(edited, library, template, "ar")
        built = time.perf_counter()
        render_pdf(document)
        done = time.perf_counter()
        build.append((built - start) * 1000)
        total.append((done - start) * 1000)
        charted.append((done - built) * 1000)
        # A figure no chart plots: the text changes, every chart comes from the cache.
        edited = set_figure_value(brief, library, "kz_oil_reserves", f"4.{step + 5}")
        start = time.perf_counter()
        render_pdf(build_document(edited, library, template, "ar"))
        plain.append((time.perf_counter() - start) * 1000)
    if cache_info()["draws"] < 1 + max(RUNS, 5):
        raise RuntimeError("the edited chart was not redrawn: the measure would be wrong")
    return {
        "total_ms": _median(total),
        "build_ms": _median(build),
        "render_ms": _median(charted),
        "uncharted_ms": _median(plain),
    }


WINDOW_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
                if type(watched.window()).__name__ == "MainWindow":
                    print(time.monotonic(), flush=True)
                    QApplication.instance().exit(0)
            return False

    app = QApplication(sys.argv)
    painted = FirstPaint()
    app.installEventFilter(painted)
    from briefing.gui.app import main
    sys.exit(main(["briefing-app"]))
    """
)


def bench_window(work: Path) -> float:
    """Return the median seconds from starting the app's process to its window's first paint.

    The clock starts before the process is created (interpreter start and imports count)
    and stops when the first widget of the main window paints; both sides read the same
    system-wide monotonic clock.
    """
    times = []
    for run in range(RUNS):
        env = os.environ.copy()
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        _compiled(env, work)
        env["BRIEFING_DATA_DIR"] = str(work / f"window-{run}")  # no settings, no recovery
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", WINDOW_SCRIPT], capture_output=True, text=True, env=env,
            timeout=300, check=False,
        )
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            raise RuntimeError(f"the app did not show its window: {done.stderr.strip()[-300:]}")
        times.append(float(lines[-1]) - start)
    return _median(times)


def _section_file(folder: Path, paragraphs: int) -> Path:
    """Write a section of ``paragraphs`` paragraphs (Arabic and English) and return its path."""
    ar = "تتركز العلاقات الاقتصادية بين أذربيجان وكازاخستان في قطاعي النقل العابر والطاقة "
    ar += "(COP29)."
    en = "Economic relations between Azerbaijan and Kazakhstan centre on transit and energy "
    en += "(COP29)."
    body_ar = "\n\n".join(f"{ar} {i}" for i in range(paragraphs))
    body_en = "\n\n".join(f"{en} {i}" for i in range(paragraphs))
    path = folder / f"long_{paragraphs}.toml"
    path.write_text(
        f'id = "long_{paragraphs}"\n[title]\nar = "قسم طويل"\nen = "Long section"\n'
        f'[body]\nar = """{body_ar}"""\nen = """{body_en}"""\n',
        encoding="utf-8",
    )
    return path


def bench_paragraphs(work: Path) -> dict[int, dict[str, float]]:
    """Return, per size, the command-line export seconds (ar PDF + Word) and the render seconds.

    The command line includes starting Python and importing; the render time (measured in
    this process, build + PDF + Word) shows how the work itself grows with the length.
    """
    from briefing.edits import add_custom_section, default_brief, set_sections
    from briefing.export import build_documents, render
    from briefing.library import load_library, load_section_file
    from briefing.templates import load_template

    library = load_library()
    template = load_template("ministry")
    result: dict[int, dict[str, float]] = {}
    for count in SIZES:
        path = _section_file(work, count)
        command = [
            sys.executable, "-m", "briefing.cli", "export", "--lang", "ar", "--format",
            "pdf,docx", "--sections", f"long_{count}", "--add-section", str(path),
            "--out", str(work / f"long{count}"), "--quiet",
        ]
        cli = _median([_run_child(command).seconds for _ in range(RUNS)])
        section = load_section_file(path, library)
        brief = set_sections(add_custom_section(default_brief(library), library, section),
                             (section.id,))
        renders = []
        for _ in range(RUNS):
            start = time.perf_counter()
            document = build_documents(brief, ("ar",), template, library)["ar"]
            render(document, "pdf")
            render(document, "docx")
            renders.append(time.perf_counter() - start)
        result[count] = {"cli_s": cli, "render_s": _median(renders)}
    return result


def main() -> int:
    """Run every benchmark and print the figures against their targets."""
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        work = Path(tmp)
        print(f"Briefing benchmarks: median of {RUNS} runs on {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}\n", flush=True)
        cold = bench_first_and_again_vs_office(work)
        _fmt("export ar,en,bi x pdf,docx (6 documents): first run, empty user cache",
             f"{cold['first_s']:.2f} s")
        _fmt("  first run after editing one charted figure, empty user cache",
             f"{cold['edited_s']:.2f} s")
        _fmt("  again, new process, user cache kept", f"{cold['again_s']:.2f} s")
        if "office_s" in cold:
            _fmt("LibreOffice headless: one Word brief (brief-ar.docx) to PDF",
                 f"{cold['office_s']:.2f} s")
            _fmt("ratio first run / one LibreOffice conversion", f"{cold['first_ratio']:.2f}",
                 "<= 1.0", _verdict(cold["first_ratio"] <= TARGETS["first_ratio"]))
            _fmt("ratio first run after one charted figure edit / one conversion",
                 f"{cold['edited_ratio']:.2f}", "<= 1.0",
                 _verdict(cold["edited_ratio"] <= TARGETS["first_ratio"]))
            _fmt("ratio again / one LibreOffice conversion", f"{cold['again_ratio']:.2f}",
                 "<= 0.6", _verdict(cold["again_ratio"] <= TARGETS["again_ratio"]))
        else:
            _fmt("LibreOffice headless", "not found")
        _fmt("peak memory of the export, all its processes (PSS)", f"{cold['peak_mb']:.0f} MB",
             "<= 400 MB", _verdict(cold["peak_mb"] <= TARGETS["peak_mb"]))
        _fmt("  largest single process (peak RSS)", f"{cold['rss_mb']:.0f} MB")
        stages = bench_stages(work)
        print("stage breakdown, seconds, first / again / first after the charted edit (all "
              "processes; this process | the forked one):", flush=True)
        runs = ("first", "again", "edited")
        for stage in STAGE_ORDER:
            sides = " | ".join(
                "/".join(f"{stages[run].get(f'{side}:{stage}', 0.0):.2f}" for run in runs)
                for side in ("here", "worker")
            )
            _fmt(f"  {stage:<9} ({sides})", " / ".join(f"{stages[run][stage]:.2f}" for run in runs))
        _fmt("  wall (the export, after imports)",
             " / ".join(f"{stages[run]['wall']:.2f}" for run in runs))
        _fmt("  processes rendering", f"{stages['again'].get('processes', 1):.0f}")
        made = " / ".join(
            "-".join(f"{stages[run].get(f'made:{kind}', 0):.0f}" for run in runs)
            for kind in ("layouts", "shaped", "pdf_subsets")
        )
        _fmt("  this process made, first-again-edited: layouts / shaped runs / PDF subsets", made)
        forty = bench_forty_sections(work)
        growth = forty["forty_s"] / forty["eight_s"] if forty["eight_s"] else 0.0
        _fmt("export of the library, 8 sections (6 documents)", f"{forty['eight_s']:.2f} s")
        _fmt("export of 40 sections (the library five times)", f"{forty['forty_s']:.2f} s")
        _fmt("  40 sections / 8 sections", f"{growth:.2f}", "<= 5.0", _verdict(growth <= 5.0))
        _fmt("  peak memory of the 40-section export, all processes (PSS)",
             f"{forty['peak_mb']:.0f} MB", "<= 400 MB",
             _verdict(forty["peak_mb"] <= TARGETS["peak_mb"]))
        warm = bench_warm_rerender()
        _fmt("warm re-render of the Arabic PDF after one figure edit", f"{warm['total_ms']:.0f} ms",
             "< 150 ms", _verdict(warm["total_ms"] < TARGETS["warm_ms"]))
        _fmt("  of which building the document", f"{warm['build_ms']:.0f} ms")
        _fmt("  of which the PDF (with the edited chart redrawn)", f"{warm['render_ms']:.0f} ms")
        _fmt("  same, after editing a figure no chart plots", f"{warm['uncharted_ms']:.0f} ms")
        try:
            window = bench_window(work)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            _fmt("app start until the window shows", "n/a", "< 1.5 s", f"({exc})")
        else:
            _fmt("app start until the window shows (first paint)", f"{window:.2f} s", "< 1.5 s",
                 _verdict(window < TARGETS["window_s"]))
        from briefing.bench_app import print_app_bench  # the app's preview latencies

        print_app_bench(RUNS)
        sizes = bench_paragraphs(work)
        for count, figures in sizes.items():
            _fmt(f"custom section of {count} paragraphs: ar pdf+docx, command line",
                 f"{figures['cli_s']:.2f} s")
            _fmt("  render only (build + PDF + Word, in process)",
                 f"{figures['render_s']:.2f} s")
        small, large = sizes[SIZES[1]]["render_s"], sizes[SIZES[2]]["render_s"]
        growth = large / small if small else 0.0
        _fmt(f"render growth {SIZES[1]} -> {SIZES[2]} paragraphs (linear = 2.0)", f"{growth:.2f}",
             "~2.0", _verdict(growth < 2.5))
        _fmt(f"{SIZES[2]} paragraphs, command line", f"{sizes[SIZES[2]]['cli_s']:.2f} s", "< 20 s",
             _verdict(sizes[SIZES[2]]["cli_s"] < TARGETS["paragraphs_400_s"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
