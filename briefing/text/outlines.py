"""Glyph outlines from font files, for the few marks drawn as shapes instead of text."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from fontTools.pens.basePen import BasePen
from reportlab.pdfbase import pdfmetrics

Point = tuple[float, float]
Segment = tuple[str, tuple[Point, ...]]

_lock = threading.Lock()


class _RecordingPen(BasePen):
    """Record an outline as move/line/cubic/close segments (quadratics become cubics)."""

    def __init__(self, glyph_set: Any) -> None:
        super().__init__(glyph_set)
        self.segments: list[Segment] = []

    def _moveTo(self, point: Point) -> None:
        self.segments.append(("move", (point,)))

    def _lineTo(self, point: Point) -> None:
        self.segments.append(("line", (point,)))

    def _curveToOne(self, first: Point, second: Point, third: Point) -> None:
        self.segments.append(("curve", (first, second, third)))

    def _closePath(self) -> None:
        self.segments.append(("close", ()))


@lru_cache(maxsize=256)
def glyph_outline(font_name: str, char: str) -> tuple[tuple[Segment, ...], int]:
    """Return the outline of ``char`` in the registered font, in font units, and units per em."""
    from fontTools.ttLib import TTFont as ToolsFont

    filename = pdfmetrics.getFont(font_name).face.filename
    with _lock, ToolsFont(filename, lazy=True) as font:
        glyph_name = font.getBestCmap().get(ord(char))
        units = int(font["head"].unitsPerEm)
        if glyph_name is None:
            return (), units
        glyph_set = font.getGlyphSet()
        pen = _RecordingPen(glyph_set)
        glyph_set[glyph_name].draw(pen)
        return tuple(pen.segments), units


def draw_glyph(canvas: Any, font_name: str, char: str, size: float, x: float, y: float) -> None:
    """Fill the outline of ``char`` at size ``size`` with its origin at ``(x, y)``."""
    segments, units = glyph_outline(font_name, char)
    if not segments:
        return
    scale = size / units
    path = canvas.beginPath()
    for kind, points in segments:
        placed = [(x + px * scale, y + py * scale) for px, py in points]
        if kind == "move":
            path.moveTo(*placed[0])
        elif kind == "line":
            path.lineTo(*placed[0])
        elif kind == "curve":
            path.curveTo(*placed[0], *placed[1], *placed[2])
        else:
            path.close()
    canvas.drawPath(path, stroke=0, fill=1, fillMode=0)
