"""Charts float as in a typeset book, read back from the pages.

A chart that does not fit the rest of a page, even drawn at its least size, heads the
next page, and the text after it (the next section's heading and paragraphs) fills the
page meanwhile; a chart behind a waiting one waits too, so figures keep their order. The
pages are small and the text one line per paragraph, so that the room left is known.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from PIL import Image
from readback import drawn_pictures, pdf_boxes, tagged
from reportlab.lib.colors import black
from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus.flowables import Flowable

from briefing.fonts import bundled_face
from briefing.render.pdf_flowables import (
    ChartBlock,
    ChartFloat,
    FloatingDocTemplate,
    Picture,
    SideBySide,
    TextBlock,
)
from briefing.text import FontSet, TextStyle, font_book

FONTS = FontSet(bundled_face("Amiri"), bundled_face("Noto Serif"))
STYLE = TextStyle(FONTS, 10, 16, False, "start", 1.0)
PAGE = (400.0, 600.0)
MARGIN = 50.0
BODY = PAGE[1] - 2 * MARGIN  # 500 points: 31 lines of 16 points
LINE = 16.0


@dataclass(frozen=True)
class Drawn:
    page: int
    name: str
    left: float
    top: float  # points from the top of the page
    bottom: float


def _png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def chart(label: str, height: float, colour: tuple[int, int, int]) -> ChartBlock:
    picture = Picture(_png(colour), 240, height, what=label)
    caption = TextBlock(f"Figure{label}", "L", STYLE, black, space_before=3, space_after=8)
    return ChartBlock(picture, caption)


def lines(label: str, count: int) -> list[Flowable]:
    """Return ``count`` one-line paragraphs, ``label``0, ``label``1 and so on."""
    return [TextBlock(f"{label}{n} text", "L", STYLE, black) for n in range(count)]


def lay_out(story: list[Flowable]) -> bytes:
    font_book(FONTS)
    buffer = io.BytesIO()
    document = FloatingDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        invariant=1,
    )
    frame = Frame(MARGIN, MARGIN, PAGE[0] - 2 * MARGIN, BODY, 0, 0, 0, 0, id="body")
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(story)
    return buffer.getvalue()


def pictures(pdf: bytes) -> list[Drawn]:
    """Return each picture drawn, in the order of the pages' content."""
    found = []
    for number, _height, name, matrix in drawn_pictures(pdf):
        tall, x, y = matrix[1, 1], matrix[2, 0], matrix[2, 1]
        top = PAGE[1] - y - tall
        found.append(Drawn(number, name, x, top, PAGE[1] - y))
    return found


def words(pdf: bytes) -> dict[str, tuple[int, float]]:
    """Return the page and top of every word of the text layer, by its text."""
    found = {}
    for number, page in enumerate(tagged(pdf_boxes(pdf, "-bbox"), "page"), start=1):
        for word in tagged(page, "word"):
            found[word.text or ""] = (number, float(word.get("yMin", 0)))
    return found


def body_top() -> float:
    return MARGIN


def test_a_chart_that_does_not_fit_heads_the_next_page_and_the_text_after_fills_this_one() -> None:
    # 26 lines leave 84 points; the chart needs 140 at its least size (and a caption).
    story = [*lines("A", 26), ChartFloat(chart("1", 200, (200, 30, 30)), []), *lines("B", 12)]
    pdf = lay_out(story)
    (drawn,) = pictures(pdf)
    text = words(pdf)
    assert drawn.page == 2
    assert drawn.top == pytest.approx(body_top(), abs=1)
    assert drawn.bottom - drawn.top == pytest.approx(200, abs=0.5)  # at the top: full size
    # The lines after the chart fill page 1 down to its foot, the rest follow the chart.
    on_first = [n for n in range(12) if text[f"B{n}"][0] == 1]
    assert on_first == [0, 1, 2, 3, 4]
    assert text["B5"][0] == 2 and text["B5"][1] > text["Figure1"][1] > drawn.bottom - 1


def test_a_chart_behind_a_waiting_one_waits_too() -> None:
    # The second chart would fit the foot of page 1, but goes after the first one.
    story = [
        *lines("A", 26),
        ChartFloat(chart("1", 200, (200, 30, 30)), []),
        *lines("B", 1),
        ChartFloat(chart("2", 30, (30, 30, 200)), lines("C", 6)),
        *lines("D", 3),
    ]
    pdf = lay_out(story)
    first, second = pictures(pdf)
    text = words(pdf)
    assert (first.page, second.page) == (2, 2)
    assert first.top == pytest.approx(body_top(), abs=1)
    assert second.top > text["Figure1"][1]
    # The second chart's own text fills page 1 in its place, in reading order.
    assert [text[f"C{n}"][0] for n in range(6)][:4] == [1, 1, 1, 1]
    assert text["B0"][1] < text["C0"][1] < text["C3"][1]


def test_a_chart_waiting_when_the_story_ends_is_set_after_it() -> None:
    story = [*lines("A", 26), ChartFloat(chart("1", 200, (200, 30, 30)), [])]
    pdf = lay_out(story)
    (drawn,) = pictures(pdf)
    assert drawn.page == 2 and drawn.top == pytest.approx(body_top(), abs=1)
    assert words(pdf)["Figure1"][0] == 2


def test_a_chart_that_fits_its_least_size_stays_on_its_page() -> None:
    # 23 lines leave 132 points: less the space over the chart (6) and its caption (19),
    # 107 for the picture, 0.76 of its height: drawn smaller, it stays.
    story = [*lines("A", 23), ChartFloat(chart("1", 140, (200, 30, 30)), []), *lines("B", 4)]
    pdf = lay_out(story)
    (drawn,) = pictures(pdf)
    text = words(pdf)
    assert drawn.page == 1
    assert drawn.bottom - drawn.top == pytest.approx(BODY - 23 * LINE - 6 - 19, abs=0.5)
    assert text["B0"][0] == 2


def test_a_bilingual_row_of_charts_floats_with_both_charts_level() -> None:
    row = SideBySide(
        [chart("1", 200, (200, 30, 30))], [chart("2", 200, (30, 30, 200))], 10, floats=True
    )
    pairs = zip(lines("R", 8), lines("L", 8), strict=True)
    following = [SideBySide([right], [left], 10) for right, left in pairs]
    pdf = lay_out([*lines("A", 26), row, *following])
    right, left = pictures(pdf)
    text = words(pdf)
    assert right.page == left.page == 2
    assert right.top == pytest.approx(left.top, abs=0.01) == pytest.approx(body_top(), abs=1)
    assert right.left > left.left  # Arabic on the right
    assert [text[f"L{n}"][0] for n in range(8)] == [1] * 5 + [2] * 3
    assert text["R4"][1] == pytest.approx(text["L4"][1], abs=0.5)
