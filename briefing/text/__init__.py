"""Text for the PDF: scripts, fonts with fallback, Arabic shaping, line breaking, bidi per line."""

from __future__ import annotations

from briefing.text.bidi import Direction, reorder_line
from briefing.text.draw import baseline_offset, draw_lines
from briefing.text.fonts import FontBook, FontSet, font_book, register_font_file, text_width
from briefing.text.layout import Line, Run, TextLayout, TextStyle, layout_text
from briefing.text.shaping import normalize, reshape

__all__ = [
    "Direction",
    "FontBook",
    "FontSet",
    "Line",
    "Run",
    "TextLayout",
    "TextStyle",
    "baseline_offset",
    "draw_lines",
    "font_book",
    "layout_text",
    "normalize",
    "register_font_file",
    "reorder_line",
    "reshape",
    "text_width",
]
