"""Charts in the PDF leave no holes: read from the pages' pictures, drawing and text layer.

Every shipped template in ar, en and bi is exported with the library's default brief;
the pages are rendered to grey pixels, the chart pictures found in the content streams
and the words placed with pdftotext -bbox.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image
from readback import drawn_pictures, pdf_boxes, tagged

from briefing import edits
from briefing.export import export
from briefing.library import Library, load_library
from briefing.templates import load_template

pytestmark = pytest.mark.slow

SHIPPED = ("ministry", "minimal", "bilingual")
LANGS = ("ar", "en", "bi")
DPI = 30
MAX_EMPTY_FOOT = 0.20  # share of a page's body left empty at its foot before a chart
CM = 72 / 2.54


@dataclass(frozen=True)
class Box:
    page: int
    left: float
    top: float  # points from the top of the page
    right: float
    bottom: float


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def exported(library: Library, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the PDF of every template and language, by "template-lang"."""
    brief = edits.default_brief(library)
    out = tmp_path_factory.mktemp("placement")
    files = {}
    for template in SHIPPED:
        folder = out / template
        result = export(brief, folder, list(LANGS), ("pdf",), template=template, library=library)
        for path in result.paths:
            lang = path.stem.rsplit("-", 1)[1]
            files[f"{template}-{lang}"] = path
    return files


def empty_feet(pdf: Path, template: str) -> list[float]:
    """Return, page by page, the share of the body under its last inked row."""
    page = load_template(template).page
    pixels_per_mm = DPI / 25.4
    folder = pdf.parent / f"{pdf.stem}-pages"
    folder.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(pdf), str(folder / "p")], check=True)
    feet = []
    for picture in sorted(folder.glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[1])):
        grey = np.asarray(Image.open(picture))
        top = round(float(page.margin_top_mm) * pixels_per_mm)
        bottom = grey.shape[0] - round(float(page.margin_bottom_mm) * pixels_per_mm)
        inked = np.where((grey[top:bottom] < 230).any(axis=1))[0]
        body = bottom - top
        feet.append((body - 1 - inked[-1]) / body if len(inked) else 1.0)
    return feet


def chart_boxes(pdf: Path) -> list[Box]:
    """Return where each chart picture is drawn (logos and rules are smaller)."""
    boxes = []
    for number, height, _name, matrix in drawn_pictures(pdf):
        width, tall = matrix[0, 0], matrix[1, 1]
        x, y = matrix[2, 0], matrix[2, 1]
        if width > 4 * CM and tall > 2 * CM:
            boxes.append(Box(number, x, height - y - tall, x + width, height - y))
    return boxes


def words(pdf: Path) -> list[Box]:
    """Return the box of every word of the text layer."""
    return [box for box, _text in _words_with_text(pdf)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("template", SHIPPED)
def test_no_page_foot_is_left_empty_for_a_chart(
    exported: dict[str, Path], template: str, lang: str
) -> None:
    pdf = exported[f"{template}-{lang}"]
    feet = empty_feet(pdf, template)
    body_top = float(load_template(template).page.margin_top_mm) / 25.4 * 72
    starts = {box.page for box in chart_boxes(pdf) if box.top < body_top + 3 * CM}
    holes = [
        (number, round(foot, 2))
        for number, foot in enumerate(feet[:-1], start=1)
        if foot > MAX_EMPTY_FOOT and number + 1 in starts
    ]
    assert not holes, f"pages left empty at the foot before a chart moved on: {holes}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("template", SHIPPED)
def test_every_chart_has_its_caption_under_it_on_the_same_page(
    exported: dict[str, Path], template: str, lang: str
) -> None:
    pdf = exported[f"{template}-{lang}"]
    charts = chart_boxes(pdf)
    assert len(charts) >= 5
    text = words(pdf)
    for chart in charts:
        under = [
            word
            for word in text
            if word.page == chart.page
            and chart.bottom - 1 <= word.top <= chart.bottom + 18
            and word.left < chart.right
            and word.right > chart.left
        ]
        assert under, f"page {chart.page}: a chart with no caption under it"


@pytest.mark.parametrize("template", SHIPPED)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_small_charts_stand_beside_the_text(
    exported: dict[str, Path], template: str, lang: str
) -> None:
    _beside(exported[f"{template}-{lang}"], lang)


@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (soffice)")
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_word_small_charts_stand_beside_the_text_with_their_captions(
    library: Library, tmp_path: Path, lang: str
) -> None:
    brief = edits.default_brief(library)
    result = export(brief, tmp_path, [lang], ("docx",), template="ministry", library=library)
    (source,) = result.paths
    profile = tmp_path / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )
    pdf = tmp_path / f"{source.stem}.pdf"
    _beside(pdf, lang)
    text = words(pdf)
    for chart in chart_boxes(pdf):
        assert any(
            word.page == chart.page and chart.bottom - 1 <= word.top <= chart.bottom + 24
            for word in text
        ), f"page {chart.page}: a chart with no caption under it"


def _beside(pdf: Path, lang: str) -> None:
    with pikepdf.open(pdf) as document:
        middle = float(document.pages[0].mediabox[2]) / 2
    text = words(pdf)
    beside = 0
    for chart in chart_boxes(pdf):
        if chart.right - chart.left > 10 * CM:
            continue  # a full-width chart: bars
        # Arabic sets the chart on the left and its text on the right; English the reverse.
        assert (chart.right < middle + CM) if lang == "ar" else (chart.left > middle - CM)
        level = [
            word
            for word in text
            if word.page == chart.page
            and chart.top < (word.top + word.bottom) / 2 < chart.bottom
            and (word.left > chart.right if lang == "ar" else word.right < chart.left)
        ]
        beside += bool(level)
    # (A chart floated past its text to the next page may stand alone there.)
    assert beside >= 1, "the small charts stand alone instead of beside their text"


@pytest.mark.parametrize("template", SHIPPED)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_no_small_chart_stands_alone_off_centre(
    exported: dict[str, Path], template: str, lang: str
) -> None:
    pdf = exported[f"{template}-{lang}"]
    with pikepdf.open(pdf) as document:
        middle = float(document.pages[0].mediabox[2]) / 2
    text = words(pdf)
    for chart in chart_boxes(pdf):
        if chart.right - chart.left > 10 * CM:
            continue
        centred = abs((chart.left + chart.right) / 2 - middle) < CM
        beside = any(
            word.page == chart.page
            and chart.top < (word.top + word.bottom) / 2 < chart.bottom
            and (word.right < chart.left or word.left > chart.right)
            for word in text
        )
        assert beside or centred, f"page {chart.page}: a small chart alone at one side"


def _words_with_text(pdf: Path) -> list[tuple[Box, str]]:
    """Return the box and text of every word of the text layer, in pdftotext's order."""
    found = []
    for number, page in enumerate(tagged(pdf_boxes(pdf, "-bbox"), "page"), start=1):
        for word in tagged(page, "word"):
            left, top, right, bottom = (
                float(word.get(key, 0)) for key in ("xMin", "yMin", "xMax", "yMax")
            )
            found.append((Box(number, left, top, right, bottom), word.text or ""))
    return found


@pytest.mark.parametrize("lang", ["en", "bi"])
@pytest.mark.parametrize("template", SHIPPED)
def test_no_page_ends_with_a_section_heading(
    exported: dict[str, Path], library: Library, template: str, lang: str
) -> None:
    from briefing.document import build_document

    brief = edits.default_brief(library)
    document = build_document(brief, library, load_template(template), "en")
    headings = [
        f"{block.number} {block.text}" if block.number else block.text
        for block in document.blocks
        if type(block).__name__ == "Heading"
    ]
    assert len(headings) >= 8
    pdf = exported[f"{template}-{lang}"]
    page = load_template(template).page
    with pikepdf.open(pdf) as opened:
        width, height = (float(v) for v in opened.pages[0].mediabox[2:4])
    foot = height - float(page.margin_bottom_mm) / 25.4 * 72
    body = [
        (box, text)
        for box, text in _words_with_text(pdf)
        if box.bottom < foot and (lang == "en" or box.right < width / 2)
    ]
    pages = sorted({box.page for box, _ in body})
    for number in pages[:-1]:
        on_page = [(box, text) for box, text in body if box.page == number]
        lowest = max(box.bottom for box, _ in on_page)
        line = " ".join(
            text
            for box, text in sorted(on_page, key=lambda item: item[0].left)
            if box.bottom > lowest - 4
        )
        ends = [h for h in headings if line and len(line.split()) >= 2 and line in h]
        assert not ends, f"page {number} ends with the heading {ends[0]!r}"


@pytest.mark.parametrize("template", SHIPPED)
@pytest.mark.parametrize("lang", ["en"])
def test_text_beside_a_small_chart_is_justified(
    exported: dict[str, Path], template: str, lang: str
) -> None:
    """Lines beside a small chart end at one edge, as the body's do. A paragraph's last
    line keeps its natural width, and so does an English line whose spaces would have
    to stretch past about twice their width (the body's rule), which the narrow measure
    makes more frequent: such a line keeps its spaces natural."""
    pdf = exported[f"{template}-{lang}"]
    lines = _lines(pdf)
    inner: list[tuple[_Line, bool]] = []  # lines other than a paragraph's last, flush or not
    last: list[_Line] = []
    for chart in chart_boxes(pdf):
        if chart.right - chart.left > 10 * CM:
            continue  # a full-width chart: bars
        beside = sorted(
            (
                line
                for line in lines
                if line.page == chart.page
                and chart.top - 2 < line.top < chart.bottom
                and (line.left > chart.right if lang == "ar" else line.right < chart.left)
            ),
            key=lambda line: line.top,
        )
        if len(beside) < 3:
            continue  # a chart floated on alone
        step = min(b.top - a.top for a, b in pairwise(beside))
        # Where lines end: the left edge in Arabic, the right edge in English.
        ends = [line.left if lang == "ar" else line.right for line in beside]
        edge = min(ends) if lang == "ar" else max(ends)
        for position, line in enumerate(beside[:-1]):
            if beside[position + 1].top - line.top > step + 3:
                last.append(line)  # the last line of a paragraph (space follows it)
            else:
                inner.append((line, abs(ends[position] - edge) < 2.0))
    assert len(inner) >= 3, "no text found beside the small charts"
    flush = sum(is_flush for _, is_flush in inner)
    assert flush >= (0.9 if lang == "ar" else 0.55) * len(inner), (flush, len(inner))
    if lang == "en":
        natural = statistics.median(gap for line in last for gap in line.gaps)
        for line, is_flush in inner:
            if not is_flush:
                assert max(line.gaps) < 1.3 * natural, "a ragged line with stretched spaces"


@dataclass(frozen=True)
class _Line:
    page: int
    left: float
    top: float
    right: float
    gaps: tuple[float, ...]  # between its words, left to right


def _lines(pdf: Path) -> list[_Line]:
    """Return the lines of the text layer, each with its words' extent.

    Words are gathered by page and height: pdftotext may cut a right-to-left line into
    several lines of its own.
    """
    rows: dict[tuple[int, float], list[Box]] = {}
    for box in sorted(words(pdf), key=lambda box: (box.page, box.top)):
        key = next(
            (k for k in rows if k[0] == box.page and abs(k[1] - box.top) < 1.5), None
        ) or (box.page, box.top)
        rows.setdefault(key, []).append(box)
    found = []
    for (page, top), boxes in rows.items():
        boxes.sort(key=lambda box: box.left)
        gaps = tuple(b.left - a.right for a, b in pairwise(boxes))
        found.append(_Line(page, boxes[0].left, top, max(b.right for b in boxes), gaps))
    return found
