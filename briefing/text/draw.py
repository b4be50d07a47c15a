"""Draw laid-out lines on a reportlab canvas: one text object, one call per font run."""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from typing import Any

from briefing.text import kept_layouts
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
      ("Aktau (Kazakhstan) قريباً.") hands it to the Latin. Digits written against
      an Arabic word go with the word's stretch (pdftotext keeps الكوب٢٩ one word
      only so); pypdf then reverses Arabic-Indic digits with the letters ("الكوب٩٢")
      and moves Western ones to the start of the stretch.
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
    code = _kept_operators(document, lines, x, baseline, style.leading)
    if code is None:
        code = _stored_operators(document, lines, x, baseline, style.leading)
    if not code:
        return
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas._code.append("BT")
    canvas._code.extend(code)
    canvas._code.append("ET")
    canvas.restoreState()


def _stored_operators(
    document: Any, lines: tuple[Line, ...] | list[Line], x: float, baseline: float,
    leading: float,
) -> tuple[str, ...]:
    """Return the operators of lines this process has not drawn here before: those kept
    in the user's cache when they hold in ``document``, else made (and kept there)."""
    place = kept_layouts.drawn_key(lines, x, baseline, leading)
    if place is not None:
        # Trying a version registers the lines' glyphs in the file, as drawing them
        # would: every version holds the same glyphs, in the order they are drawn.
        for found in place[0].drawn(place[1]):
            try:
                fonts, code = found
                holds = _hold(document, fonts)
            except (TypeError, ValueError, KeyError):
                break  # not what this code writes: made again
            if holds:
                _keep(lines, x, baseline, leading, fonts, code)
                return code  # type: ignore[no-any-return]
    uses: dict[str, dict[tuple[int, str], int]] = {}
    code = _operators(document, lines, x, baseline, leading, uses)
    fonts = tuple(
        (name, embedded_font(document, name).internal, tuple(used), tuple(used.values()))
        for name, used in uses.items()
    )
    if place is not None:
        place[0].put_drawn(place[1], (fonts, code))
    _keep(lines, x, baseline, leading, fonts, code)
    return code


def _operators(
    document: Any,
    lines: tuple[Line, ...] | list[Line],
    x: float,
    baseline: float,
    leading: float,
    uses: dict[str, dict[tuple[int, str], int]],
) -> tuple[str, ...]:
    """Return the text operators drawing ``lines`` from the first ``baseline`` down.

    ``uses`` receives, for each font in the order it is first taken, the glyphs used
    with the text each stands for and the code each got, in the order first used.
    """
    code: list[str] = []
    current: tuple[str, float] | None = None
    for line in lines:
        pieces: list[tuple[float, Run | None, str, float]] = [
            (run.x, run, run.font, run.size) for run in line.runs if run.glyphs
        ]
        pieces += [(space_x, None, name, size) for space_x, name, size in line.spaces]
        for piece_x, run, name, size in _reading_order(pieces, line.rtl):
            font = embedded_font(document, name)
            used = uses.setdefault(name, {})
            if run is None:
                # A word space is drawn as the font's space glyph, so that a reader of
                # the text layer sees the word boundary however close marks hang.
                gid = space_glyph(name)
                if gid is None:
                    continue
                space = used[(gid, " ")] = font.use(gid, " ")
                shown = f"<{space:04X}> Tj"
            else:
                shown = (
                    f"/Span <</ActualText {_text_string(run.shown)}>> BDC "
                    f"{_show(run, font, used)} EMC"
                )
            if (name, size) != current:
                code.append(f"/{font.internal} {fp(size)} Tf")
                current = (name, size)
            code.append(f"1 0 0 1 {fp(x + piece_x)} {fp(baseline)} Tm {shown}")
        baseline -= leading
    return tuple(code)


class _Drawn:
    """The operators one ``draw_lines`` call wrote, and what they depend on in the file.

    Besides the lines and where they start, that is the fonts' resource names and the
    code each glyph got: codes are given in a file in the order glyphs are first used
    (see ``embed``), so the same paragraph can get other codes in another file.
    """

    __slots__ = ("code", "fonts", "lines")

    def __init__(
        self,
        lines: tuple[Line, ...],
        fonts: tuple[tuple[str, str, tuple[tuple[int, str], ...], tuple[int, ...]], ...],
        code: tuple[str, ...],
    ) -> None:
        self.lines = lines  # held, so that no other line can take their ids
        self.fonts = fonts  # (font name, resource name, glyphs used, their codes)
        self.code = code


# Operators of paragraphs drawn before, by their lines (identical objects: the layout
# keeps a paragraph's lines while it is unchanged) and where they start. A paragraph
# drawn again, in the next PDF of an edited brief or on another page, is written from
# them once its glyphs are found to get the same codes in this file; a third of the
# time a re-rendered brief spends outside its charts was spent writing its text.
KEPT_DRAWINGS = 4096
_kept: OrderedDict[tuple[int, int, float, float, float], _Drawn] = OrderedDict()
_kept_lock = threading.Lock()


def forget_drawn() -> None:
    """Forget the operators kept for paragraphs drawn before."""
    with _kept_lock:
        _kept.clear()


def _kept_operators(
    document: Any, lines: tuple[Line, ...] | list[Line], x: float, baseline: float,
    leading: float,
) -> tuple[str, ...] | None:
    """Return the operators kept for these lines, once they hold in ``document``, or None.

    Checking registers the glyphs in the file, in the order drawing them would have,
    so that the file comes out the same whether the operators were kept or not.
    """
    key = (id(lines[0]), len(lines), x, baseline, leading)
    with _kept_lock:
        drawn = _kept.get(key)
        if drawn is not None:
            _kept.move_to_end(key)
    if drawn is None or any(a is not b for a, b in zip(drawn.lines, lines, strict=True)):
        return None
    return drawn.code if _hold(document, drawn.fonts) else None


def _hold(document: Any, fonts: tuple[tuple[str, str, Any, tuple[int, ...]], ...]) -> bool:
    """Return True when kept operators hold in ``document``: each font has the resource
    name they use and each glyph the code they show it by."""
    for name, internal, glyphs, codes in fonts:
        font = embedded_font(document, name)
        if font.internal != internal or font.use_many(glyphs) != codes:
            return False
    return True


def _keep(
    lines: tuple[Line, ...] | list[Line], x: float, baseline: float, leading: float,
    fonts: tuple[tuple[str, str, Any, tuple[int, ...]], ...], code: tuple[str, ...],
) -> None:
    key = (id(lines[0]), len(lines), x, baseline, leading)
    with _kept_lock:
        _kept[key] = _Drawn(tuple(lines), fonts, code)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_DRAWINGS:
            _kept.popitem(last=False)


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
    if not rtl:
        return ordered  # a left-to-right line reads left to right
    # Each piece's direction: a run's own; a space's, and a number's (a run with no
    # left-to-right letter, such as the digits of الكوب٢٩), is left-to-right only
    # between two left-to-right runs, so that digits against an Arabic letter are
    # written with their word.
    kinds: list[bool | None] = [_kind(piece[1]) for piece in ordered]
    if all(kind is None or kind for kind in kinds):
        return ordered  # one direction: left to right is the order it reads in
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


def _kind(run: Run | None) -> bool | None:
    """Return True for a right-to-left run, False for a run with a left-to-right letter."""
    if run is None:
        return None
    if run.rtl:
        return True
    if any(unicodedata.bidirectional(char) == "L" for char in run.logical):
        return False
    return None


def fp(value: float) -> str:
    """Return ``value`` as a short PDF number (three decimals at most)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _text_string(text: str) -> str:
    """Return ``text`` as a PDF text string (UTF-16 with a byte order mark, in hex)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _show(run: Run, font: Any, used: dict[tuple[int, str], int]) -> str:
    """Return the operators that show a run's glyphs, each placed as the shaper says.

    In a TJ array a number moves the pen left by a thousandth of the font size; the
    glyph's own width (from the font's /W) moves it right. A mark's horizontal offset
    is a move before it that the move after it takes back; a vertical offset is a
    text rise for that glyph alone. ``used`` receives each glyph, with the text it
    stands for, and the code it got.
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
        code = used[(glyph.gid, text)] = font.use(glyph.gid, text)
        if glyph.dy != rise:
            flush_array()
            parts.append(f"{fp(glyph.dy)} Ts")
            rise = glyph.dy
        pending -= glyph.dx * per_point
        if abs(pending) >= 0.0005:
            flush_hex()
            array.append(fp(pending))
        hexes.append(f"{code:04X}")
        width = pdf_width(run.font, glyph.gid)
        pending = width - (glyph.advance - glyph.dx) * per_point
    if abs(pending) >= 0.0005:
        flush_hex()
        array.append(fp(pending))
    flush_array()
    if rise:
        parts.append("0 Ts")
    return " ".join(parts)

