"""Charts drawn ahead by forked processes during an export; pictures taken when written."""

from __future__ import annotations

import io
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from forking import CHILDREN, run_case
from PIL import Image

from briefing import edits
from briefing.chartdata import ChartData, resolve_chart
from briefing.document import build_document
from briefing.errors import BriefingError
from briefing.export import chart_pictures, render
from briefing.library import Library
from briefing.model import Brief, LocalText
from briefing.render import charts
from briefing.render import docx as docx_renderer
from briefing.render.chart_drawing import encode_png
from briefing.templates import Template, load_template

LANGUAGES = ("ar", "en", "bi")


@pytest.fixture
def template() -> Template:
    return load_template("ministry")


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Draw every picture: no disk cache and an empty memory cache, before and after."""
    monkeypatch.setenv("BRIEFING_CHART_CACHE", "off")
    charts.clear_cache()
    yield
    charts.clear_cache()


def charted_brief(library: Library) -> Brief:
    """Return the default brief in every language (all five charts, half and full size)."""
    return replace(edits.default_brief(library), languages=LANGUAGES)


def data_for(library: Library, chart_id: str, lang: str) -> ChartData:
    return resolve_chart(library.charts[chart_id], library.figures, library.units, lang, "latin",
                         "source")


def expected_pictures(library: Library) -> int:
    """Return how many pictures the default brief (every chart) in all three languages takes:
    each chart in Arabic and in English, a small one at half size only, any other at full
    size in its language's own brief and at half size in the bilingual one."""
    kinds = [chart.kind for chart in library.charts.values()]
    return sum(2 * (1 if kind in charts.SIDE_CHART_KINDS else 2) for kind in kinds)


# The forking cases, run in a fresh interpreter (see forking.py).
SCENARIOS = r"""
import json, os, sys, threading
from dataclasses import replace
from pathlib import Path

import briefing.export
from briefing import edits
from briefing.chartdata import resolve_chart
from briefing.errors import BriefingError
from briefing.export import export
from briefing.library import load_library
from briefing.render import charts
from briefing.render import docx as docx_renderer
from briefing.templates import load_template

""" + CHILDREN + r"""
def threads():
    return [t.name for t in threading.enumerate() if t.name in ("chart-pictures", "export-pdf")]

scenario, out = sys.argv[1], Path(sys.argv[2])
library = load_library()
brief = replace(edits.default_brief(library), languages=("ar", "en", "bi"))
report = {"safe": charts._fork_is_safe()}
charts.configure_shipped_cache(None)  # every picture is drawn, none found shipped
if scenario == "ahead":
    # Every picture a renderer asks for, in this process and in the export's second one.
    import briefing.render.docx
    asked_log = out / "asked.txt"
    real_png = charts.render_chart_png
    def asking(data, template, size="full"):
        with open(asked_log, "a", encoding="utf-8") as log:
            log.write(charts.picture_name(data, template, size) + "\n")
        return real_png(data, template, size)
    charts.render_chart_png = briefing.render.docx.render_chart_png = asking
    # Files in one process (with two, the second draws the pictures: see the export
    # process tests), charts drawn ahead by two others.
    os.environ["BRIEFING_EXPORT_PROCESSES"] = "1"
    os.environ["BRIEFING_CHART_WORKERS"] = "2"
    ahead = export(brief, out / "ahead", library=library)
    report |= {"info": charts.cache_info(), "children": children(), "threads": threads()}
    report["asked"] = sorted(set(asked_log.read_text(encoding="utf-8").split()))
    asked_log.unlink()
    charts.clear_cache()
    os.environ["BRIEFING_CHART_WORKERS"] = "1"
    here = export(brief, out / "here", library=library)
    report["here"] = charts.cache_info()
    report["same"] = [
        (a.name, a.read_bytes() == b.read_bytes()) for a, b in zip(ahead.paths, here.paths)
    ]
elif scenario == "failure":
    real = briefing.export.render
    def failing(document, fmt):
        real(document, fmt)
        raise RuntimeError("renderer bug")
    briefing.export.render = failing
    try:
        export(brief, out / "failed", library=library)
    except RuntimeError as exc:
        report["error"] = str(exc)
    report |= {"children": children(), "threads": threads(),
               "written": sorted(p.name for p in out.rglob("*"))}
elif scenario == "refused":
    try:
        export(brief, out, template="no-such-template", library=library)
    except BriefingError as exc:
        report["error"] = str(exc)
    report["children"] = children()
elif scenario == "broken-chart":
    template = load_template("ministry")
    good = [
        (resolve_chart(library.charts["baku_port"], library.figures, library.units, lang,
                       "latin", "source"), template, "half")
        for lang in ("ar", "en")
    ]
    broken = replace(good[0][0], kind="radar")
    with charts.draw_ahead(2) as ahead:
        ahead.submit([*good, (broken, template, "half")])
        report["active"] = ahead.active
        pictures = [charts.render_chart_png(*item) for item in good]
        try:
            charts.render_chart_png(broken, template, "half")
        except BriefingError as exc:
            report["error"] = str(exc)
    report["children"] = children()
    report["parallel"] = charts.cache_info()["parallel_draws"]
    charts.clear_cache()
    report["same"] = pictures == [charts.render_chart_png(*item) for item in good]
print(json.dumps(report))
"""


def scenario(name: str, folder: Path) -> dict[str, Any]:
    """Run one forking scenario in a fresh interpreter and return what it reports."""
    return run_case(SCENARIOS, name, folder)[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking is Linux-only here")
def test_an_export_draws_its_charts_ahead_with_the_same_bytes(
    tmp_path: Path, library: Library
) -> None:
    report = scenario("ahead", tmp_path)
    # Every picture the renderers asked for had been drawn by the other processes: the
    # list of pictures an export needs matches what the PDF and Word renderers ask.
    info = report["info"]
    assert len(report["asked"]) == expected_pictures(library), report["asked"]
    # None drawn late (here) nor in vain (drawn ahead but never asked for).
    assert info["draws"] == info["parallel_draws"] == len(report["asked"]), info
    assert report["children"] == [], "a drawing process was left behind"
    assert report["threads"] == []
    assert report["here"]["parallel_draws"] == 0
    # With no process to draw ahead, each picture is drawn here when it is asked for.
    assert report["here"]["draws"] == len(report["asked"])
    assert len(report["same"]) == 6
    assert all(same for _name, same in report["same"]), report["same"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking is Linux-only here")
def test_a_failed_export_stops_and_reaps_its_drawing_processes(tmp_path: Path) -> None:
    report = scenario("failure", tmp_path)
    assert report["error"] == "renderer bug"
    assert report["children"] == [] and report["threads"] == []
    assert report["written"] == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking is Linux-only here")
def test_a_refused_brief_leaves_no_process(tmp_path: Path) -> None:
    report = scenario("refused", tmp_path)
    assert "no-such-template" in report["error"]
    assert report["children"] == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking is Linux-only here")
def test_a_chart_failing_in_a_drawing_process_fails_here_with_its_message(
    tmp_path: Path,
) -> None:
    report = scenario("broken-chart", tmp_path)
    assert report["active"]
    assert re.search(r"baku_port.*kind 'radar'", report["error"]), report["error"]
    assert report["parallel"] == 2  # the good two came from the other processes
    assert report["children"] == []
    assert report["same"]


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork here")
def test_a_forked_process_opens_its_own_font_files(library: Library, template: Template) -> None:
    """A font object read through a file position shared with the parent process gives
    "failed to load glyph" in one of them: a child must not use the parent's."""
    import os

    from briefing.render import chart_drawing

    chart_drawing.draw_png(data_for(library, "btk_railway", "ar"), template, "half")
    assert chart_drawing._faces, "the drawing kept no font object: the test sees nothing"
    pid = os.fork()
    if pid == 0:
        os._exit(0 if not chart_drawing._faces else 1)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child kept the parent's font objects"


def test_nothing_is_forked_from_a_second_thread(library: Library, template: Template) -> None:
    seen: list[bool] = []

    def export_in_thread() -> None:
        with charts.draw_ahead(2) as ahead:
            ahead.submit([(data_for(library, "btk_railway", "en"), template, "half")])
            seen.append(ahead.active)

    worker = threading.Thread(target=export_in_thread)
    worker.start()
    worker.join()
    assert seen == [False]


def test_the_pictures_an_export_needs_follow_each_renderers_sizes(
    library: Library, template: Template
) -> None:
    brief = charted_brief(library)
    documents = [build_document(brief, library, template, lang) for lang in LANGUAGES]
    wanted = chart_pictures(documents, ("pdf", "docx"))
    sizes = {(data.id, data.lang, size) for data, _template, size in wanted}
    for chart_id, chart in library.charts.items():
        for lang in ("ar", "en"):
            # A small chart stands beside the text at half size in every file; any other
            # is full size in its language's own brief and half size in the bilingual one.
            assert (chart_id, lang, "half") in sizes
            small = chart.kind in charts.SIDE_CHART_KINDS
            assert ((chart_id, lang, "full") in sizes) is not small, (chart_id, lang)
    assert len(sizes) == expected_pictures(library)


def test_a_pdf_takes_its_pictures_when_it_writes_the_file(
    library: Library, template: Template
) -> None:
    data = data_for(library, "eu_export_share", "ar")
    later = charts.chart_picture(data, template, "full")
    assert charts.cache_info()["draws"] == 0, "drawn before it was asked for"
    png = later()
    assert charts.cache_info()["draws"] == 1
    charts.clear_cache()
    assert png == charts.render_chart_png(data, template, "full")
    broken = replace(data_for(library, "baku_port", "en"), kind="radar")
    with pytest.raises(BriefingError, match=r"baku_port.*kind 'radar'"):
        charts.chart_picture(broken, template, "half")()


@pytest.mark.parametrize(("width", "height"), [(1, 1), (5, 7), (64, 3)])
@pytest.mark.parametrize("channels", [3, 4])
def test_pictures_are_lossless_png_with_their_resolution(
    width: int, height: int, channels: int
) -> None:
    rng = np.random.default_rng(width * height)
    pixels = rng.integers(0, 256, (height, width, channels), np.uint8)
    png = encode_png(pixels, charts.DPI)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGB" and image.size == (width, height)
    assert np.array_equal(np.asarray(image), pixels[:, :, :3])  # the alpha left out
    assert image.info["dpi"] == pytest.approx((charts.DPI, charts.DPI), abs=0.01)
    assert png == encode_png(pixels.copy(), charts.DPI)


def test_the_renderers_ask_for_the_pictures_an_export_draws_ahead(
    library: Library, template: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sections cut to their first paragraph (or none), so that small charts also stand
    # alone, with no paragraph to stand beside.
    sections = []
    for number, section_id in enumerate(library.section_ids()):
        section = library.section(section_id)
        assert section is not None
        keep = 0 if number % 2 else 1
        body = LocalText(
            "\n\n".join(section.body.ar.split("\n\n")[:keep]),
            "\n\n".join(section.body.en.split("\n\n")[:keep]),
        )
        sections.append(replace(section, id=f"{section_id}_short", body=body))
    brief = replace(
        charted_brief(library),
        custom_sections=tuple(sections),
        sections=tuple(section.id for section in sections),
    )
    documents = [build_document(brief, library, template, lang) for lang in LANGUAGES]
    wanted = {
        charts.picture_name(*item) for item in chart_pictures(documents, ("pdf", "docx"))
    }
    asked: set[str] = set()
    real = charts.render_chart_png

    def asking(data: ChartData, template: Template, size: str = "full") -> bytes:
        asked.add(charts.picture_name(data, template, size))
        return real(data, template, size)

    monkeypatch.setattr(charts, "render_chart_png", asking)
    monkeypatch.setattr(docx_renderer, "render_chart_png", asking)
    for document in documents:
        for fmt in ("pdf", "docx"):
            assert render(document, fmt)
    assert asked and asked == wanted
