"""Draw the Briefing emblem (two facing pages, one Arabic, one English) as a 1024 px PNG."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CANVAS = 1024
HERE = Path(__file__).resolve().parent

NAVY_TOP = "#12355B"
NAVY_BOTTOM = "#0A1F38"
GOLD = "#D4A537"
TEAL = "#2A9D8F"
PAPER = "#FFFFFF"
PAPER_BACK = "#E3EAF2"
INK = "#25476B"


def draw_emblem(size: int = CANVAS) -> object:
    """Return a QImage of the emblem, ``size`` pixels square, on a transparent background."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QLinearGradient, QPainter, QPainterPath

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    # Draw in a 1024-unit coordinate system whatever the output size.
    painter.scale(size / CANVAS, size / CANVAS)
    painter.setPen(Qt.PenStyle.NoPen)

    # Tile: a rounded square with a generous margin, as macOS icons expect, and bold
    # enough shapes inside that the 16 px Windows size still reads as two pages.
    tile = QRectF(72, 72, 880, 880)
    gradient = QLinearGradient(QPointF(0, tile.top()), QPointF(0, tile.bottom()))
    gradient.setColorAt(0.0, QColor(NAVY_TOP))
    gradient.setColorAt(1.0, QColor(NAVY_BOTTOM))
    painter.setBrush(QBrush(gradient))
    painter.drawRoundedRect(tile, 196, 196)

    def page(left: float, top: float, colour: str) -> None:
        """Draw a page whose top-right corner is folded over, with a soft drop shadow."""
        width, height, fold = 400, 520, 96
        painter.setBrush(QColor(0, 0, 0, 70))
        painter.drawRect(QRectF(left + 14, top + fold + 18, width, height - fold))
        path = QPainterPath()
        path.moveTo(left, top)
        path.lineTo(left + width - fold, top)
        path.lineTo(left + width, top + fold)
        path.lineTo(left + width, top + height)
        path.lineTo(left, top + height)
        path.closeSubpath()
        painter.setBrush(QColor(colour))
        painter.drawPath(path)
        corner = QPainterPath()
        corner.moveTo(left + width - fold, top)
        corner.lineTo(left + width - fold, top + fold)
        corner.lineTo(left + width, top + fold)
        corner.closeSubpath()
        painter.setBrush(QColor("#B8C6D6"))
        painter.drawPath(corner)

    # Back page: English, lines flush left.
    back_left, back_top = 214, 196
    page(back_left, back_top, PAPER_BACK)
    painter.setBrush(QColor("#8FA3BA"))
    for row, length in enumerate((250, 300, 220)):
        line = QRectF(back_left + 44, back_top + 150 + row * 62, length, 30)
        painter.drawRoundedRect(line, 15, 15)

    # Front page: Arabic, lines flush right, a heading bar and a small bar chart.
    front_left, front_top = 410, 300
    page(front_left, front_top, PAPER)
    right_edge = front_left + 400 - 44
    painter.setBrush(QColor(GOLD))
    painter.drawRoundedRect(QRectF(right_edge - 200, front_top + 112, 200, 40), 20, 20)
    painter.setBrush(QColor(INK))
    for row, length in enumerate((300, 250)):
        top = front_top + 184 + row * 58
        painter.drawRoundedRect(QRectF(right_edge - length, top, length, 28), 14, 14)
    chart_base = front_top + 470
    for column, (height, colour) in enumerate(((70, TEAL), (120, TEAL), (170, GOLD))):
        # Bars grow from right to left, as an Arabic chart reads.
        bar_right = right_edge - column * 80
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(QRectF(bar_right - 56, chart_base - height, 56, height), 8, 8)
    painter.end()
    return image


def main(argv: list[str] | None = None) -> int:
    """Draw the emblem into packaging/icons/briefing.png (or the given path)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE / "briefing.png")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    image = draw_emblem()
    if not image.save(str(args.out), "PNG"):  # type: ignore[attr-defined]
        print(f"error: cannot write {args.out}", file=sys.stderr)
        return 1
    del app
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
