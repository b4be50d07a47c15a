"""Draw laid-out lines on a reportlab canvas: one text object, one call per font run."""

from __future__ import annotations

from typing import Any

from briefing.text.embed import embedded_font, pdf_width, space_glyph
from briefing.text.fonts import font_ink, ink_extent
from briefing.text.layout import Line, Run, TextStyle
from briefing.text.shaping import cluster_texts


def baseline_offset(style: TextStyle, lines: tuple[Line, ...] | list[Line] = ()) -> float:
    """Return the distance from the top of a line box to its baseline.

    The baseline is set so that the ink of the fonts the lines use (vowel marks over
    the tallest letters, descenders and marks below) sits in the middle of the box:
    then it reaches neither into the line above nor into the one below, as long as
    the leading holds the ink. Without lines, the style's Arabic and Latin faces count.
    """
    faces = {(run.font, run.size) for line in lines for run in line.runs}
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

    Each run is written as glyph ids of a font embedded by glyph id (see ``embed``):
    the run starts at its own origin and every glyph after it is placed relative to
    the one before, with the shaper's advance and mark offset, so that no rounding of
    absolute positions can move a mark off its letter. Each run is wrapped in an
    ``/ActualText`` span holding its source characters (never presentation forms or
    glyph names) in the order they are shown, as an unshaped run drawn character by
    character would be: readers put right-to-left text back in logical order
    themselves, as they do for any PDF, and the span keeps a letter's marks, which
    the font moves up, down and sideways, with it. Each glyph's ToUnicode entry holds
    the characters it draws, for readers that ignore the spans.

    What readers make of it (measured with poppler 22.12, pypdf 7, pdfminer.six
    20260107) decided this form:

    - pypdf and readers like it take glyphs in the order they are written and reverse
      right-to-left stretches themselves: so the runs of a right-to-left line are
      written stretch by stretch from the right (see ``_reading_order``), and a
      paragraph with Latin runs in brackets comes back verbatim. Its one miss: it
      gives a space or full stop to the direction of what was written before it, so
      an Arabic stretch ending in one right after a Latin stretch on the same line
      ("Aktau (Kazakhstan) قريباً.") hands it to the Latin.
    - pdftotext sorts a line by position and reorders it with a rule of its own, not
      the bidi algorithm: reading from the right it gives every neutral between a
      Latin run and the Arabic after it to the Arabic, so no content can make it give
      "(CLX) ويعرف" back (it gives ") Caspian Link (CLXويعرف", for other producers'
      files too), and its character table gives the Arabic comma the class of a
      digit. Arabic on its own comes back verbatim. One span for a whole line in
      logical order is read as shown order and comes out reversed; -raw keeps the
      page left-to-right and puts a word's last haraka first.
    - pdfminer.six has neither spans nor a bidi step: it gives glyphs in the order of
      their positions, so Arabic reads reversed whatever is written. Writing glyphs
      in logical order would fix it and break pdftotext's spans, whose extent runs
      from the first glyph written to the last.
    """
    if not lines:
        return
    baseline = top - (baseline_offset(style, lines) if offset is None else offset)
    document = canvas._doc
    code: list[str] = []
    current: tuple[str, float] | None = None
    for line in lines:
        pieces: list[tuple[float, Run | None, str, float]] = [
            (run.x, run, run.font, run.size) for run in line.runs if run.glyphs
        ]
        pieces += [(space_x, None, name, size) for space_x, name, size in line.spaces]
        for piece_x, run, name, size in _reading_order(pieces, line.rtl):
            font = embedded_font(document, name)
            if run is None:
                # A word space is drawn as the font's space glyph, so that a reader of
                # the text layer sees the word boundary however close marks hang.
                gid = space_glyph(name)
                if gid is None:
                    continue
                font.use(gid, " ")
                shown = f"<{gid:04X}> Tj"
            else:
                shown = (
                    f"/Span <</ActualText {_text_string(run.shown)}>> BDC "
                    f"{_show(run, font)} EMC"
                )
            if (name, size) != current:
                code.append(f"/{font.internal} {fp(size)} Tf")
                current = (name, size)
            code.append(f"1 0 0 1 {fp(x + piece_x)} {fp(baseline)} Tm {shown}")
        baseline -= style.leading
    if not code:
        return
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas._code.append("BT")
    canvas._code.extend(code)
    canvas._code.append("ET")
    canvas.restoreState()


Piece = tuple[float, "Run | None", str, float]


def _reading_order(pieces: list[Piece], rtl: bool) -> list[Piece]:
    """Return a line's runs and word spaces in the order they are written to the page.

    Where they are drawn does not depend on it (each piece is placed on its own), but
    readers that take text in the order it was written, mapping each glyph to text
    and reversing right-to-left letters themselves, do. Such a reader expects each
    stretch of one direction in visual order, left to right, and the stretches in the
    order they are read: so a right-to-left line's stretches are written from right to
    left, each left to right. A word space goes with the stretch on both sides of it,
    else with the paragraph's direction.
    """
    ordered = sorted(pieces, key=lambda piece: piece[0])
    if not rtl or all(piece[1] is None or piece[1].rtl for piece in ordered):
        return ordered  # one direction: left to right is the order it reads in
    # Each piece's direction: a run's own; a space's is left-to-right only between two
    # left-to-right runs.
    kinds: list[bool | None] = [None if piece[1] is None else piece[1].rtl for piece in ordered]
    last: bool | None = None
    before: list[bool | None] = []
    for kind in kinds:
        before.append(last)
        last = kind if kind is not None else last
    last = None
    for index in range(len(kinds) - 1, -1, -1):
        kind = kinds[index]
        if kind is None:
            kinds[index] = not (before[index] is False and last is False)
        else:
            last = kind
    stretches: list[list[Piece]] = []
    for index, piece in enumerate(ordered):
        if index and kinds[index] == kinds[index - 1]:
            stretches[-1].append(piece)
        else:
            stretches.append([piece])
    return [piece for stretch in reversed(stretches) for piece in stretch]


def fp(value: float) -> str:
    """Return ``value`` as a short PDF number (three decimals at most)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _text_string(text: str) -> str:
    """Return ``text`` as a PDF text string (UTF-16 with a byte order mark, in hex)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _show(run: Run, font: Any) -> str:
    """Return the operators that show a run's glyphs, each placed as the shaper says.

    In a TJ array a number moves the pen left by a thousandth of the font size; the
    glyph's own width (from the font's /W) moves it right. A mark's horizontal offset
    is a move before it that the move after it takes back; a vertical offset is a
    text rise for that glyph alone.
    """
    size = run.size
    per_point = 1000.0 / size
    texts = cluster_texts(run.logical, run.glyphs, run.font)
    parts: list[str] = []
    array: list[str] = []
    pending = 0.0  # thousandths to move before the next glyph
    hexes: list[str] = []
    rise = 0.0

    def flush_hex() -> None:
        if hexes:
            array.append("<" + "".join(hexes) + ">")
            hexes.clear()

    def flush_array() -> None:
        flush_hex()
        if array:
            parts.append("[" + " ".join(array) + "] TJ")
            array.clear()

    for glyph, text in zip(run.glyphs, texts, strict=True):
        font.use(glyph.gid, text)
        if glyph.dy != rise:
            flush_array()
            parts.append(f"{fp(glyph.dy)} Ts")
            rise = glyph.dy
        pending -= glyph.dx * per_point
        if abs(pending) >= 0.0005:
            flush_hex()
            array.append(fp(pending))
        hexes.append(f"{glyph.gid:04X}")
        width = pdf_width(run.font, glyph.gid)
        pending = width - (glyph.advance - glyph.dx) * per_point
    if abs(pending) >= 0.0005:
        flush_hex()
        array.append(fp(pending))
    flush_array()
    if rise:
        parts.append("0 Ts")
    return " ".join(parts)

