"""Where an export's time goes, by stage (``make bench`` prints it; run in a fresh process).

``python -m briefing.bench_stages OUT`` imports what an export needs, timing that, then
exports ``--lang ar,en,bi --format pdf,docx`` into OUT with the stage functions wrapped:
each stage is charged only the time its own functions spend outside any other stage's
(nested calls go to the inner stage), on whichever thread they run, and in the second
process an export forks to render its Word files (whose times it sends back). It prints
one JSON line of seconds per stage summed over both processes, the same per process
(``here`` and ``worker``), ``wall`` for the export and the chart and subset counters.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (stage, module, attribute): a dotted attribute names a method of a class.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("fonts", "briefing.text.fonts", "register_font_file"),
    ("fonts", "briefing.text.fonts", "font_book"),
    ("fonts", "briefing.text.fonts", "arabic_leading"),
    ("fonts", "briefing.text.fonts", "ink_extent"),
    ("fonts", "briefing.text.fonts", "mark_lift"),
    ("fonts", "briefing.render.docx_fonts", "embed_fonts"),
    ("shaping", "briefing.text.shaping", "reshape"),
    ("shaping", "briefing.text.shaping", "normalize"),
    ("shaping", "briefing.text.bidi", "reorder_line"),
    ("shaping", "briefing.text.layout", "prepare_word"),
    ("layout", "briefing.text.layout", "layout_text"),
    ("layout", "briefing.text.layout", "measure_text"),
    ("charts", "briefing.render.charts", "render_chart_png"),
    ("charts", "briefing.export", "_load_drawing"),
    ("document", "briefing.export", "build_documents"),
    ("PDF", "briefing.render.pdf", "render_pdf"),
    ("PDF", "briefing.render.pdf", "start_pdf"),
    ("PDF", "briefing.render.pdf", "finish_pdf"),
    ("Word", "briefing.render.docx", "render_docx"),
    ("Word", "briefing.render.docx", "start_docx"),
    ("Word", "briefing.render.docx", "finish_docx"),
    ("writing", "briefing.atomic", "StagedFiles.add"),
    ("writing", "briefing.atomic", "StagedFiles.commit"),
)
ORDER = ("imports", "fonts", "shaping", "layout", "charts", "document", "PDF", "Word", "writing")

_spent: dict[str, float] = defaultdict(float)
_local = threading.local()


def _timed(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        stack: list[list[Any]] = _local.__dict__.setdefault("stack", [])
        now = time.perf_counter()
        if stack:  # the enclosing stage stops counting while this one runs
            outer = stack[-1]
            _spent[outer[0]] += now - outer[1]
        stack.append([stage, now])
        try:
            return function(*args, **kwargs)
        finally:
            end = time.perf_counter()
            _spent[stage] += end - stack.pop()[1]
            if stack:
                stack[-1][1] = end

    return wrapper


def _wrap_all() -> None:
    """Wrap every stage function, where it is defined and wherever it was imported."""
    import importlib

    for stage, module_name, attribute in STAGES:
        module = importlib.import_module(module_name)
        if "." in attribute:
            owner_name, method = attribute.split(".")
            owner = getattr(module, owner_name)
            setattr(owner, method, _timed(stage, getattr(owner, method)))
            continue
        original = getattr(module, attribute)
        wrapped = _timed(stage, original)
        for loaded in list(sys.modules.values()):
            if getattr(loaded, "__name__", "").startswith("briefing") and (
                getattr(loaded, attribute, None) is original
            ):
                setattr(loaded, attribute, wrapped)


def main(argv: list[str]) -> int:
    out = Path(argv[0])
    start = time.perf_counter()
    import briefing.export  # what the command line loads for an export
    from briefing.render import load_platypus

    load_platypus()  # as the export does before loading the PDF renderer
    import briefing.render.docx
    import briefing.render.pdf

    _spent["imports"] = time.perf_counter() - start
    _wrap_all()
    from briefing.edits import default_brief, set_figure_value
    from briefing.export import export
    from briefing.library import load_library
    from briefing.render import charts, font_subsets

    begin = time.perf_counter()
    library = load_library()
    # The second process counts from nothing (what it inherited is this one's) and
    # sends its times back.
    briefing.export.worker_init = _spent.clear
    briefing.export.worker_report = lambda: dict(_spent)
    brief = default_brief(library)
    for setting in argv[1:]:  # FIGURE=VALUE: a first run after editing figures
        figure, _sep, value = setting.partition("=")
        brief = set_figure_value(brief, library, figure, value)
    export(brief, out, ["ar", "en", "bi"], ["pdf", "docx"], library=library)
    wall = time.perf_counter() - begin
    here = {stage: _spent.get(stage, 0.0) for stage in ORDER}
    worker: dict[str, float] = {stage: 0.0 for stage in ORDER}
    for times in briefing.export.worker_reports:
        assert isinstance(times, dict)
        for stage in ORDER:
            worker[stage] += float(times.get(stage, 0.0))
    report: dict[str, Any] = {stage: round(here[stage] + worker[stage], 4) for stage in ORDER}
    report["here"] = {stage: round(value, 4) for stage, value in here.items()}
    report["worker"] = {stage: round(value, 4) for stage, value in worker.items()}
    report["processes"] = 1 + len(briefing.export.worker_reports)
    report["wall"] = round(wall, 4)
    report["charts_cache"] = charts.cache_info()
    report["subsets_cache"] = font_subsets.cache_info()
    from briefing.text import embed, kept_layouts, shaping

    # What this process made itself rather than read kept or shipped (a first run of the
    # library's brief should make next to nothing; the forked Word process is not counted).
    report["made"] = {
        "layouts": kept_layouts.cache_info()["made"],
        "shaped": shaping.cache_info()["shaped"],
        "pdf_subsets": embed.cache_info()["made"],
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
