"""Draw laid-out lines on a reportlab canvas: one text object, one call per font run."""

from __future__ import annotations

from typing import Any

from briefing.text.fonts import font_ink, ink_extent, text_width
from briefing.text.layout import Line, TextStyle
from briefing.text.outlines import draw_glyph

# A run that starts within this many points of where the previous one ended continues it.
JOINED = 1e-3


def baseline_offset(style: TextStyle, lines: tuple[Line, ...] | list[Line] = ()) -> float:
    """Return the distance from the top of a line box to its baseline.

    The baseline is set so that the ink of the fonts the lines use (vowel marks over
    the tallest letters, descenders and marks below) sits in the middle of the box:
    then it reaches neither into the line above nor into the one below, as long as
    the leading holds the ink. Without lines, the style's Arabic and Latin faces count.
    """
    faces = {(run.font, run.size) for line in lines for run in (*line.runs, *line.lifted)}
    if faces:
        extents = [(font_ink(font), size) for font, size in faces]
    else:
        fonts = style.fonts
        extents = [
            (ink_extent(str(fonts.arabic.regular)), style.size * style.arabic_scale),
            (ink_extent(str(fonts.latin.regular)), style.size),
        ]
    above = max(ink[0] * size for ink, size in extents)
    below = max(ink[1] * size for ink, size in extents)
    ink = above + below
    if ink <= 0:
        return style.leading * 0.8
    if ink >= style.leading:
        return style.leading * above / ink
    return above + (style.leading - ink) / 2


def draw_lines(
    canvas: Any,
    lines: tuple[Line, ...] | list[Line],
    style: TextStyle,
    x: float,
    top: float,
    colour: Any,
    offset: float | None = None,
) -> None:
    """Draw ``lines`` with the top of the first line box at ``top``, left edge at ``x``.

    The first baseline is ``offset`` under ``top`` (by default ``baseline_offset``).

    A run that continues the previous one (the next font of a word, or a mark written
    invisibly) is not moved to its own origin: the pen is already there. Text
    extraction places each character from the pen, and an origin written rounded
    would put a zero-width mark a hair off its letter, which is enough for a reader
    such as pdftotext to cut the word and move the mark to a line of its own.
    """
    if not lines:
        return
    text = canvas.beginText()
    text.setFillColor(colour)
    current: tuple[str, float] | None = None
    hidden = False
    baseline = top - (baseline_offset(style, lines) if offset is None else offset)
    lifted: list[tuple[str, float, str, float, float]] = []
    for line in lines:
        pen: float | None = None  # where the last run of this line ended
        for run in line.runs:
            if (run.font, run.size) != current:
                text.setFont(run.font, run.size, style.leading)
                current = (run.font, run.size)
            if run.hidden != hidden:
                text.setTextRenderMode(3 if run.hidden else 0)
                hidden = run.hidden
            if pen is None or abs(run.x - pen) > JOINED:
                text.setTextOrigin(x + run.x, baseline)
            text.textOut(run.text)
            pen = run.x + text_width(run.text, run.font, run.size)
        lifted += [
            (run.font, run.size, char, x + run.x, baseline + run.rise)
            for run in line.lifted
            for char in run.text
        ]
        baseline -= style.leading
    if hidden:
        text.setTextRenderMode(0)
    canvas.drawText(text)
    if lifted:
        canvas.saveState()
        canvas.setFillColor(colour)
        for font, size, char, glyph_x, glyph_y in lifted:
            draw_glyph(canvas, font, char, size, glyph_x, glyph_y)
        canvas.restoreState()
