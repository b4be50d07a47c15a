"""Lay out a paragraph: shape words, wrap in logical order with real widths, reorder each line."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from briefing.text.bidi import Direction, reorder_line
from briefing.text.fonts import FontSet, covers, font_book, mark_lift, text_width
from briefing.text.script import MARKS_ABOVE, SHADDA, Script, is_invisible, is_mark, script_of
from briefing.text.shaping import normalize, reshape

Align = Literal["start", "end", "center", "justify"]

# A line may end after these inside a word (hyphen, non-breaking hyphen excluded, dashes).
BREAK_AFTER = frozenset("-\u2010\u2013\u2014")

# Right-to-left mark: written, invisible and without advance, before a diacritic that
# starts a right-to-left run in visual order (see _set_line).
RLM = "\u200f"

# Bidi classes of right-to-left letters.
RIGHT_TO_LEFT = frozenset(("R", "AL"))

# Stretching the spaces of a justified line beyond this many space widths looks worse
# than a ragged line, so such a line is aligned to its start instead.
MAX_JUSTIFY_STRETCH = 4.0


@dataclass(frozen=True)
class TextStyle:
    """How a piece of text is set: fonts, size and leading in points, weight, alignment."""

    fonts: FontSet
    size: float
    leading: float
    bold: bool = False
    align: Align = "start"
    arabic_scale: float = 1.0  # Arabic letters are set this much larger (see arabic_scale)


# A font at a size: (registered font name, points).
Face = tuple[str, float]


@dataclass(frozen=True, slots=True)
class Run:
    """Characters in visual order drawn with one font and size, ``x`` points from the left.

    A ``hidden`` run is written to the text layer only (invisible), so that copying
    and searching see every character in place; its visible glyph is drawn elsewhere.
    """

    text: str
    font: str
    size: float
    x: float
    rise: float = 0.0
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    """One laid-out line: its runs, the width they take, and its text in logical order.

    ``lifted`` holds marks drawn as outlines ``rise`` points above the baseline (a
    vowel over a shadda). Lifting them inside the text layer would make text
    extraction split the word, so their text goes in a hidden run at the baseline.
    """

    runs: tuple[Run, ...]
    width: float
    logical: str
    lifted: tuple[Run, ...] = ()


@dataclass(frozen=True)
class TextLayout:
    """A paragraph broken into lines for a measure ``width``."""

    lines: tuple[Line, ...]
    width: float
    style: TextStyle
    base: Direction

    @property
    def height(self) -> float:
        """Return the height of all lines at the style's leading."""
        return len(self.lines) * self.style.leading

    def natural_width(self) -> float:
        """Return the width of the widest line (for boxes that shrink to their text)."""
        return max((line.width for line in self.lines), default=0.0)


@dataclass(frozen=True, slots=True)
class _Word:
    """A shaped word: drawn characters, the font, size and lift of each, its advance width.

    ``fonts[i]`` is None for a character that is kept for the bidi algorithm but not
    drawn (joiners, direction marks); ``marks[i]`` is True for a combining mark.
    """

    text: str
    fonts: tuple[Face | None, ...]
    rises: tuple[float, ...]
    width: float
    marks: tuple[bool, ...]


def default_script(base: Direction) -> Script:
    """Return the script that digits and punctuation take when their word has no letters."""
    return "arabic" if base == "R" else "latin"


@lru_cache(maxsize=32768)
def prepare_word(
    word: str, fonts: FontSet, bold: bool, size: float, fallback: Script, scale: float = 1.0
) -> _Word:
    """Return ``word`` shaped, with a font and size per character and its width.

    Letters take the font chain of their script; digits and punctuation take the
    script of the nearest letter in the same word (else ``fallback``), so "(COP29)"
    is set in one face; marks take their base's font. Arabic-script characters are
    set ``scale`` times larger. A character that no font has becomes a visible
    placeholder; a mark that no font has is dropped.
    """
    book = font_book(fonts)
    shaped = reshape(word)
    scripts: list[Script] = [script_of(char) for char in shaped]
    strong = [i for i, s in enumerate(scripts) if s in ("arabic", "latin")]
    resolved: list[Script] = []
    for index, script in enumerate(scripts):
        if script == "common":
            before = [i for i in strong if i < index]
            after = [i for i in strong if i > index]
            if before:
                script = scripts[before[-1]]
            elif after:
                script = scripts[after[0]]
            else:
                script = fallback
        elif script == "inherited":
            script = resolved[-1] if resolved else fallback
        resolved.append(script)
    chars: list[str] = []
    char_fonts: list[Face | None] = []
    previous: Face | None = None
    for char, script in zip(shaped, resolved, strict=True):
        if is_invisible(char):
            chars.append(char)
            char_fonts.append(None)
            continue
        face: Face | None
        if is_mark(char) and previous is not None and covers(previous[0], char):
            face = previous  # a mark is positioned by its base's font
        else:
            name = book.font_for(char, script, bold)
            face = None if name is None else (name, size * scale if script == "arabic" else size)
        if face is None:
            if is_mark(char):
                chars.append(char)
                char_fonts.append(None)
                continue
            char, name = book.placeholder(bold)
            face = (name, size)
        chars.append(char)
        char_fonts.append(face)
        previous = face
    rises = _mark_rises(chars, char_fonts)
    width = _width(chars, char_fonts)
    marks = tuple(is_mark(char) for char in chars)
    return _Word("".join(chars), tuple(char_fonts), rises, width, marks)


def _mark_rises(chars: list[str], fonts: list[Face | None]) -> tuple[float, ...]:
    """Return the lift of each character: above-marks sharing a letter with a shadda go up."""
    rises = [0.0] * len(chars)
    index = 0
    while index < len(chars):
        end = index + 1
        while end < len(chars) and is_mark(chars[end]):
            end += 1
        marks = chars[index + 1 : end]
        if SHADDA in marks:
            for offset, mark in enumerate(marks, start=index + 1):
                face = fonts[offset]
                if mark in MARKS_ABOVE and face is not None:
                    rises[offset] = mark_lift(face[0], mark, face[1])
        index = end
    return tuple(rises)


def _width(chars: Sequence[str], fonts: Sequence[Face | None]) -> float:
    """Return the advance of characters drawn run by run (one width call per font run)."""
    total = 0.0
    start = 0
    while start < len(chars):
        face = fonts[start]
        end = start + 1
        while end < len(chars) and fonts[end] == face:
            end += 1
        if face is not None:
            total += text_width("".join(chars[start:end]), face[0], face[1])
        start = end
    return total


def _split_word(word: _Word, measure: float) -> list[_Word]:
    """Return pieces of a word too long for a line, each no wider than ``measure``.

    A piece never separates a letter from its marks. No hyphen is added: the words of
    a brief are names and numbers, where a hyphen would read as part of the text.
    """
    clusters: list[tuple[int, int, float]] = []
    index = 0
    while index < len(word.text):
        end = index + 1
        while end < len(word.text) and (
            is_mark(word.text[end]) or word.fonts[end] is None
        ):
            end += 1
        width = _width(word.text[index:end], word.fonts[index:end])
        clusters.append((index, end, width))
        index = end
    pieces: list[_Word] = []
    start = 0
    used = 0.0
    for cluster_start, cluster_end, width in clusters:
        if used + width > measure and cluster_start > start:
            pieces.append(_slice(word, start, cluster_start, used))
            start, used = cluster_start, 0.0
        used += width
        del cluster_end
    pieces.append(_slice(word, start, len(word.text), used))
    return pieces


def _slice(word: _Word, start: int, end: int, width: float) -> _Word:
    return _Word(
        word.text[start:end], word.fonts[start:end], word.rises[start:end], width,
        word.marks[start:end],
    )


def _break_after(word: _Word) -> list[int]:
    """Return the positions inside ``word`` after a hyphen or dash, where a line may end."""
    return [
        index + 1
        for index, char in enumerate(word.text[:-1])
        if char in BREAK_AFTER and index > 0
    ]


def _fit_prefix(word: _Word, room: float) -> tuple[_Word, _Word] | None:
    """Return ``(head, rest)``: the longest head of ``word`` ending after a dash within ``room``."""
    for position in reversed(_break_after(word)):
        head_width = _width(word.text[:position], word.fonts[:position])
        if head_width <= room + 1e-6:
            tail_width = _width(word.text[position:], word.fonts[position:])
            return (
                _slice(word, 0, position, head_width),
                _slice(word, position, len(word.text), tail_width),
            )
    return None


def _break(words: list[_Word], space: float, measure: float) -> list[tuple[list[_Word], bool]]:
    """Return lines of words (greedy, logical order) and whether each may be justified.

    Lines break at spaces, or after a hyphen or dash inside a word ("Azerbaijan–
    Kazakhstan"); a word longer than a whole line is cut where it must.
    """
    lines: list[tuple[list[_Word], bool]] = []
    current: list[_Word] = []
    used = 0.0
    pending = list(reversed(words))
    while pending:
        word = pending.pop()
        needed = word.width if not current else used + space + word.width
        if needed <= measure + 1e-6:
            current.append(word)
            used = needed
            continue
        room = measure - used - space if current else measure
        split = _fit_prefix(word, room)
        if split is not None:
            current.append(split[0])
            lines.append((current, True))
            current, used = [], 0.0
            pending.append(split[1])
            continue
        if word.width > measure:
            # Too long for any line: it starts a line of its own and is cut in pieces.
            if current:
                lines.append((current, False))
            pieces = _split_word(word, measure)
            for piece in pieces[:-1]:
                lines.append(([piece], False))
            current, used = [pieces[-1]], pieces[-1].width
            continue
        lines.append((current, True))
        current, used = [word], word.width
    if current:
        lines.append((current, False))
    return lines


def _words(text: str, base: Direction, style: TextStyle) -> list[_Word]:
    """Return the shaped words of ``text`` (split at spaces, in logical order)."""
    fallback = default_script(base)
    return [
        prepare_word(word, style.fonts, style.bold, style.size, fallback, style.arabic_scale)
        for word in normalize(text).split(" ")
        if word
    ]


def _space(base: Direction, style: TextStyle) -> float:
    """Return the width of a word space in the paragraph's own script."""
    fallback = default_script(base)
    size = style.size * (style.arabic_scale if fallback == "arabic" else 1.0)
    return text_width(" ", font_book(style.fonts).primary(fallback, style.bold), size)


def measure_text(text: str, base: Direction, style: TextStyle) -> tuple[float, float]:
    """Return ``(natural, widest word)``: the width of ``text`` on one line and of its longest word.

    A table uses them to give short columns (numbers, dates) the room they need.
    """
    words = _words(text, base, style)
    if not words:
        return 0.0, 0.0
    space = _space(base, style)
    natural = sum(word.width for word in words) + space * (len(words) - 1)
    widest = 0.0
    for word in words:
        positions = [0, *_break_after(word), len(word.text)]
        for begin, end in pairwise(positions):
            widest = max(widest, _width(word.text[begin:end], word.fonts[begin:end]))
    return natural, widest


@lru_cache(maxsize=8192)
def layout_text(text: str, base: Direction, style: TextStyle, width: float) -> TextLayout:
    """Return ``text`` (logical order, plain: never markup) laid out in lines of ``width`` points.

    Words are shaped and measured in logical order, lines are broken in logical order,
    and only then is each line reordered with the bidi algorithm on its own (reordering
    the paragraph first would put its lines bottom-up).
    """
    words = _words(text, base, style)
    space = _space(base, style)
    lines = []
    for line_words, stretchable in _break(words, space, width):
        lines.append(_set_line(line_words, stretchable, base, style, width, space))
    return TextLayout(tuple(lines), width, style, base)


def _set_line(
    words: list[_Word],
    stretchable: bool,
    base: Direction,
    style: TextStyle,
    measure: float,
    space: float,
) -> Line:
    """Return one line in visual order with the x position of every run."""
    logical = " ".join(word.text for word in words)
    fonts: list[Face | None] = []
    rises: list[float] = []
    marks: list[bool] = []
    for position, word in enumerate(words):
        if position:
            fonts.append(None)
            rises.append(0.0)
            marks.append(False)
        fonts += word.fonts
        rises += word.rises
        marks += word.marks
    natural = sum(word.width for word in words) + space * (len(words) - 1)
    gaps = len(words) - 1
    extra = 0.0
    offset = 0.0
    spare = max(0.0, measure - natural)
    align = style.align
    if align == "justify":
        if stretchable and gaps and spare / gaps <= MAX_JUSTIFY_STRETCH * space:
            extra = spare / gaps
        else:
            align = "start"
    # Where the line starts: "start" is the right edge for right-to-left text.
    flush_right = (align == "start" and base == "R") or (align == "end" and base == "L")
    if align == "center":
        offset = spare / 2
    elif flush_right:
        offset = spare
    visual, origin, levels = reorder_line(logical, base)
    runs: list[Run] = []
    lifted: list[Run] = []
    x = offset
    pending: list[str] = []
    pending_face: Face | None = None
    pending_rise = 0.0
    pending_x = x

    def flush() -> float:
        if pending and pending_face is not None:
            text = "".join(pending)
            name, size = pending_face
            if pending_rise:
                runs.append(Run(text, name, size, pending_x, 0.0, hidden=True))
                lifted.append(Run(text, name, size, pending_x, pending_rise))
            else:
                runs.append(Run(text, name, size, pending_x))
            return text_width(text, name, size)
        return 0.0

    # A right-to-left run is written in visual order, so the marks of its last letter
    # come first. A text extractor that puts right-to-left runs back in logical order
    # starts such a run at its first right-to-left letter, not at a mark (which has no
    # direction of its own), and so hands the mark to the text before the run: "كتابٌ"
    # in an English line is read as "ٌ كتاب". An RLM written before the mark, in the
    # text layer only (the fonts draw a visible sign for it), starts the run there.
    # Inside a run (after a right-to-left letter and spaces) nothing is added.
    before: str | None = None  # the last drawn character that is not a mark
    covered = False  # the last drawn character is a right-to-left mark already seen to
    for char, index, level in zip(visual, origin, levels, strict=True):
        if logical[index] == " ":
            x = pending_x + flush() if pending else x
            pending = []
            x += space + extra
            pending_x = x
            covered = False
            continue
        face = fonts[index]
        if face is None:
            continue
        if not marks[index]:
            before, covered = char, False
        elif not level % 2:
            covered = False
        elif not covered:
            covered = True
            if (
                before is None or unicodedata.bidirectional(before) not in RIGHT_TO_LEFT
            ) and _without_advance(face, RLM):
                if pending:
                    x = pending_x + flush()
                    pending = []
                runs.append(Run(RLM, face[0], face[1], x, 0.0, hidden=True))
        rise = rises[index]
        if pending and (face != pending_face or rise != pending_rise):
            x = pending_x + flush()
            pending = []
        if not pending:
            pending_face, pending_rise, pending_x = face, rise, x
        pending.append(char)
    flush()
    width = natural + extra * gaps
    return Line(tuple(runs), width, logical, tuple(lifted))


@lru_cache(maxsize=256)
def _without_advance(face: Face, char: str) -> bool:
    """Return True when the font of ``face`` has a glyph for ``char`` that takes no room."""
    name, size = face
    return covers(name, char) and text_width(char, name, size) == 0.0
