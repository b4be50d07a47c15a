"""Lay out a paragraph: shape words, wrap in logical order with real widths, reorder each line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from briefing.text.bidi import Direction, reorder_line
from briefing.text.fonts import FontSet, covers, font_book
from briefing.text.script import Script, is_invisible, is_mark, script_of
from briefing.text.shaping import Glyph, normalize, shape

Align = Literal["start", "end", "center", "justify"]

# A line may end after these inside a word (hyphen, non-breaking hyphen excluded, dashes).
BREAK_AFTER = frozenset("-\u2010\u2013\u2014")

# Right-to-left mark (see _set_line).
RLM = "\u200f"
# No-break spaces: they tie two words on one line but are drawn as spaces.
NO_BREAK_SPACES = frozenset("\u00a0\u202f\u2007")

# Stretching the spaces of a justified line beyond this many space widths looks worse
# than a ragged line, so such a line is aligned to its start instead.
MAX_JUSTIFY_STRETCH = 4.0
# Latin text is hyphenated, so its lines are held tighter: a space at most about twice
# its width (wider spaces line up down the page in rivers).
MAX_LATIN_STRETCH = 1.1
# A Latin line whose spaces would grow by more than this share of a space tries to take
# part of the next word, hyphenated.
LOOSE_LATIN_STRETCH = 0.3
# Hyphenation: words of at least this many letters, this many letters kept before and
# after the hyphen, never more than this many hyphenated lines in a row.
HYPHEN_MIN_WORD = 6
HYPHEN_MIN_PART = 3
MAX_HYPHENATED_LINES = 2
# The hyphen drawn at a line end inside a word.
HYPHEN = "-"
# A word that may be hyphenated: Latin letters, lowercase after the first, with opening
# punctuation before and closing punctuation (or a possessive) after. Acronyms, words
# with capitals inside and anything with a digit are never broken.
_HYPHENABLE = re.compile(
    "^([(\\[\u201c\u2018\"']*)([A-Z\u00c0-\u00d6\u00d8-\u00de]?[a-z\u00df-\u00f6\u00f8-\u00ff]+)"
    "((?:[\u2019']s)?[)\\].,;:!?\u201d\u2019\"']*)$"
)
# A capitalised word (most often a name, whose syllables the dictionary knows least) keeps
# at least this many letters before its hyphen: "Kazakh-stan", never "Kaza-khstan".
HYPHEN_MIN_NAME_HEAD = 5


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
    """Glyphs shaped from one font, size and direction, ``x`` points from the line's left.

    ``text`` is the run's characters in visual order (what the eye reads left to
    right, brackets mirrored in right-to-left runs); ``logical`` the same characters
    in the source's order, which the text layer gives back; ``glyphs`` what HarfBuzz
    made of ``logical``, in visual order, with advances and mark offsets in points.
    """

    text: str
    font: str
    size: float
    x: float
    glyphs: tuple[Glyph, ...] = ()
    logical: str = ""
    rtl: bool = False
    lead: str = ""  # written before the run's text in the text layer only (see _set_line)

    @property
    def width(self) -> float:
        """Return the advance of the run's glyphs."""
        return sum(glyph.advance for glyph in self.glyphs)

    @property
    def shown(self) -> str:
        """Return the run's source characters in the order they are shown, unmirrored."""
        return self.lead + (self.logical[::-1] if self.rtl else self.logical)


@dataclass(frozen=True, slots=True)
class Line:
    """One laid-out line: its runs, the width they take, and its text in logical order.

    ``spaces`` holds ``(x, font, size)`` for each word space: where it starts and the
    face of the paragraph's own script, whose space glyph marks it in the text layer.
    """

    runs: tuple[Run, ...]
    width: float
    logical: str
    spaces: tuple[tuple[float, str, float], ...] = ()
    rtl: bool = False  # the paragraph's direction is right to left


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
    """A word in logical order: the font and size of each character, its shaped width.

    ``fonts[i]`` is None for a character that is kept for the bidi algorithm and the
    shaper but not drawn on its own (joiners, direction marks); ``marks[i]`` is True
    for a combining mark.
    """

    text: str
    fonts: tuple[Face | None, ...]
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
    scripts: list[Script] = [script_of(char) for char in word]
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
    for char, script in zip(word, resolved, strict=True):
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
                continue  # a mark no font has is dropped
            char, name = book.placeholder(bold)
            face = (name, size)
        chars.append(char)
        char_fonts.append(face)
        previous = face
    width = _width(chars, char_fonts)
    marks = tuple(is_mark(char) for char in chars)
    return _Word("".join(chars), tuple(char_fonts), width, marks)


def _face_runs(fonts: Sequence[Face | None]) -> list[tuple[int, int, Face]]:
    """Return ``(start, end, face)`` for each stretch of characters set in one face.

    Characters without a face (joiners, direction marks) go with the stretch they
    stand in, so that the shaper sees them (a zero-width non-joiner stops joining).
    """
    stretches: list[tuple[int, int, Face]] = []
    current: Face | None = None
    start = 0
    for index, face in enumerate(fonts):
        if face is None or face == current:
            continue
        if current is not None:
            stretches.append((start, index, current))
        start = start if current is None else index
        current = face
    if current is not None:
        stretches.append((start, len(fonts), current))
    return stretches


def _width(chars: Sequence[str], fonts: Sequence[Face | None]) -> float:
    """Return the advance of characters shaped stretch by stretch (one face each).

    These are the same HarfBuzz advances the line is drawn with, so a line measured
    to fit is drawn to the same width.
    """
    text = "".join(chars)
    return sum(
        shape(text[start:end], face[0], face[1]).width for start, end, face in _face_runs(fonts)
    )


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
    return _Word(word.text[start:end], word.fonts[start:end], width, word.marks[start:end])


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


# pyphen parses the 14,000 patterns of its en_GB dictionary on every start (about 80 ms,
# a tenth of a repeated export). The parsed patterns are kept, compressed, in the user's
# cache folder and shipped with the program (``python -m briefing.chart_cache``), under a
# key made of the dictionary's bytes and pyphen's version, and read back in a few ms.
HYPHENATION_FOLDER = "hyphenation"
_PATTERNS_MAGIC = b"BRHYPH1\n"


def hyphenation_key() -> str:
    """Return the name the parsed patterns of the English dictionary are kept under."""
    import hashlib

    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback("en_GB")]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    return f"en_GB-{pyphen.__version__}-{digest}.patterns"


def _kept_patterns(key: str) -> object | None:
    """Return pyphen's parsed patterns kept under ``key``, or None (none kept, or torn)."""
    import marshal
    import zlib

    import pyphen

    from briefing.render import font_subsets

    stored = font_subsets.read_cached(HYPHENATION_FOLDER, key)
    if stored is None or not stored.startswith(_PATTERNS_MAGIC):
        return None
    try:
        patterns, maxlen = marshal.loads(zlib.decompress(stored[len(_PATTERNS_MAGIC) :]))
    except (ValueError, EOFError, TypeError, zlib.error):
        return None
    if not isinstance(patterns, dict) or not isinstance(maxlen, int):
        return None
    parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
    parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, maxlen
    return parsed


def _pattern_bytes(parsed: object) -> bytes | None:
    """Return pyphen's parsed patterns as kept, or None where a pattern holds more than
    plain numbers (a nonstandard hyphenation, which marshal cannot keep)."""
    import marshal
    import zlib

    patterns = {
        text: (start, tuple(values))
        for text, (start, values) in parsed.patterns.items()  # type: ignore[attr-defined]
    }
    if any(type(value) is not int for _s, values in patterns.values() for value in values):
        return None
    data = marshal.dumps((patterns, parsed.maxlen))  # type: ignore[attr-defined]
    return _PATTERNS_MAGIC + zlib.compress(data, 6)


@lru_cache(maxsize=1)
def _dictionary() -> object:
    import pyphen

    from briefing.render import font_subsets

    path = pyphen.LANGUAGES[pyphen.language_fallback("en_GB")]
    key: str | None = None
    if path not in pyphen.hdcache:
        try:
            key = hyphenation_key()
            parsed = _kept_patterns(key)
        except (OSError, AttributeError, KeyError):
            parsed = None
        if parsed is not None:
            pyphen.hdcache[path] = parsed
            key = None  # nothing to write back
    dictionary = pyphen.Pyphen(lang="en_GB", left=HYPHEN_MIN_PART, right=HYPHEN_MIN_PART)
    if key is not None:
        data = _pattern_bytes(dictionary.hd)
        if data is not None:
            font_subsets.write_cached(HYPHENATION_FOLDER, key, data, 4)
    return dictionary


@lru_cache(maxsize=16384)
def hyphenation_points(text: str) -> tuple[int, ...]:
    """Return where ``text`` may take a hyphen (positions in ``text``), by the English dictionary.

    Only a word of at least ``HYPHEN_MIN_WORD`` letters, lowercase after the first, is
    broken, with at least ``HYPHEN_MIN_PART`` letters on each side (more before the
    hyphen of a capitalised word); acronyms and figures never.
    """
    match = _HYPHENABLE.match(text)
    if match is None or len(match.group(2)) < HYPHEN_MIN_WORD:
        return ()
    start = len(match.group(1))
    core = match.group(2)
    positions = _dictionary().positions(core)  # type: ignore[attr-defined]
    if core[0].isupper():
        positions = [p for p in positions if p >= HYPHEN_MIN_NAME_HEAD]
    return tuple(start + position for position in positions)


@lru_cache(maxsize=16384)
def _hyphenations(word: _Word) -> tuple[tuple[_Word, _Word], ...]:
    """Return ``(head with a hyphen, rest)`` for each point where ``word`` may be hyphenated.

    The hyphen is set in the face of the letter before it. Longest head first.
    """
    result = []
    for position in reversed(hyphenation_points(word.text)):
        face = word.fonts[position - 1]
        if face is None or not covers(face[0], HYPHEN):
            continue
        chars = word.text[:position] + HYPHEN
        fonts = (*word.fonts[:position], face)
        head = _Word(chars, fonts, _width(chars, fonts), (*word.marks[:position], False))
        rest = word.text[position:]
        tail = _Word(rest, word.fonts[position:], _width(rest, word.fonts[position:]),
                     word.marks[position:])
        result.append((head, tail))
    return tuple(result)


def _fit_hyphenated(word: _Word, room: float) -> tuple[_Word, _Word] | None:
    """Return the longest hyphenated head of ``word`` that fits in ``room``, and the rest."""
    for head, tail in _hyphenations(word):
        if head.width <= room + 1e-6:
            return head, tail
    return None


def _break(
    words: list[_Word], space: float, measure: float, hyphenate: bool = False
) -> list[tuple[list[_Word], bool]]:
    """Return lines of words (greedy, logical order) and whether each may be justified.

    Lines break at spaces, or after a hyphen or dash inside a word ("Azerbaijan–
    Kazakhstan"); a word longer than a whole line is cut where it must. With
    ``hyphenate``, a line that would be loose takes the head of the next word with a
    hyphen (not the paragraph's last word, and at most ``MAX_HYPHENATED_LINES`` lines
    in a row).
    """
    lines: list[tuple[list[_Word], bool]] = []
    current: list[_Word] = []
    used = 0.0
    streak = 0  # lines in a row that end inside a word
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
        if (
            split is None
            and hyphenate
            and current
            and pending
            and streak < MAX_HYPHENATED_LINES
            and (
                len(current) == 1
                or (measure - used) / (len(current) - 1) > LOOSE_LATIN_STRETCH * space
            )
        ):
            split = _fit_hyphenated(word, room)
        if split is not None and (streak < MAX_HYPHENATED_LINES or not hyphenate):
            current.append(split[0])
            lines.append((current, True))
            current, used = [], 0.0
            pending.append(split[1])
            streak += 1
            continue
        streak = 0
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


def _space_face(base: Direction, style: TextStyle) -> Face:
    """Return the face of a word space: the paragraph's own script's font and size."""
    fallback = default_script(base)
    size = style.size * (style.arabic_scale if fallback == "arabic" else 1.0)
    return font_book(style.fonts).primary(fallback, style.bold), size


def _space(base: Direction, style: TextStyle) -> float:
    """Return the width of a word space in the paragraph's own script."""
    return shape(" ", *_space_face(base, style)).width


def measure_text(text: str, base: Direction, style: TextStyle) -> tuple[float, float]:
    """Return ``(natural, widest word)``: the width of ``text`` on one line and of its longest word.

    A table uses them to give short columns (numbers, dates) the room they need.
    """
    from briefing.text import kept_layouts

    kept = kept_layouts.kept(style.fonts)
    key = kept_layouts.key_of(text, base, style, 0.0) if kept is not None else None
    if kept is not None and key is not None:
        found = kept.measures(key)
        if found is not None:
            return found
    result = _measure_text(text, base, style)
    if kept is not None and key is not None:
        kept.put_measures(key, result)
    return result


def _measure_text(text: str, base: Direction, style: TextStyle) -> tuple[float, float]:
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


def _line_width(words: Sequence[_Word], space: float, start: float | None = None) -> float:
    """Return the width of words set on one line, summed as the line breaker sums them."""
    used = start
    for word in words:
        used = word.width if used is None else used + space + word.width
    return used or 0.0


def two_line_threshold(text: str, base: Direction, style: TextStyle) -> float:
    """Return the narrowest width at which ``text`` breaks into two lines at most.

    The line breaker fills a line greedily, so ``text`` fits two lines of a width
    exactly when some place a line may end (a space, or after a dash inside a word)
    leaves both the first line and the rest within it.
    """
    words = _words(text, base, style)
    if not words:
        return 0.0
    space = _space(base, style)
    best = _line_width(words, space)
    for index, word in enumerate(words):
        if index:
            best = min(
                best,
                max(_line_width(words[:index], space), _line_width(words[index:], space)),
            )
        for position in _break_after(word):
            head = _width(word.text[:position], word.fonts[:position])
            tail = _width(word.text[position:], word.fonts[position:])
            first = head if not index else _line_width(words[:index], space) + space + head
            rest = _line_width(words[index + 1 :], space, tail)
            best = min(best, max(first, rest))
    return best


@lru_cache(maxsize=8192)
def layout_text(text: str, base: Direction, style: TextStyle, width: float) -> TextLayout:
    """Return ``text`` (logical order, plain: never markup) laid out in lines of ``width`` points.

    Words are shaped and measured in logical order, lines are broken in logical order,
    and only then is each line reordered with the bidi algorithm on its own (reordering
    the paragraph first would put its lines bottom-up).
    """
    from briefing.text import kept_layouts

    kept = kept_layouts.kept(style.fonts)
    key = kept_layouts.key_of(text, base, style, width) if kept is not None else None
    if kept is not None and key is not None:
        found = kept.get(key)
        if found is not None:
            kept_layouts.note_lines(kept, key, found)
            return TextLayout(found, width, style, base)
    words = _words(text, base, style)
    space = _space(base, style)
    lines = []
    # Justified English is hyphenated; Arabic is justified by its spaces alone.
    hyphenate = style.align == "justify" and base == "L"
    for line_words, stretchable in _break(words, space, width, hyphenate):
        lines.append(_set_line(line_words, stretchable, base, style, width, space))
    made = tuple(lines)
    if kept is not None and key is not None:
        kept.put(key, made)
        kept_layouts.note_lines(kept, key, made)
    return TextLayout(made, width, style, base)


def _set_line(
    words: list[_Word],
    stretchable: bool,
    base: Direction,
    style: TextStyle,
    measure: float,
    space: float,
) -> Line:
    """Return one line in visual order: its runs shaped and placed left to right.

    The line is reordered with the bidi algorithm; each stretch of characters with
    one face, one embedding level and consecutive logical positions is then shaped
    in logical order in the direction of its level, and the runs are laid out from
    the left with the spaces between words (stretched when the line is justified).
    """
    logical = " ".join(word.text for word in words)
    fonts: list[Face | None] = []
    for position, word in enumerate(words):
        if position:
            fonts.append(None)
        fonts += word.fonts
    visual, origin, levels = reorder_line(logical, base)
    # Pieces in visual order: a run's (start, end, face, level), None for a word space,
    # or the face of a no-break space.
    pieces: list[tuple[int, int, Face, int] | Face | None] = []
    current: list[int] | None = None  # [low, high, level] of the run being collected
    current_face: Face | None = None

    def close() -> None:
        if current is not None and current_face is not None:
            pieces.append((current[0], current[1] + 1, current_face, current[2]))

    for index, level in zip(origin, levels, strict=True):
        if logical[index] == " ":
            close()
            current, current_face = None, None
            pieces.append(None)
            continue
        face = fonts[index]
        if face is None:
            continue
        if logical[index] in NO_BREAK_SPACES:
            # Drawn apart as its font's space glyph, like a word space, so that a reader
            # of the text layer finds the two words it ties (the span of a run reads
            # as one word).
            close()
            current, current_face = None, None
            pieces.append(face)
            continue
        if current is not None and face == current_face and level == current[2]:
            step = index - current[1] if level % 2 == 0 else current[0] - index
            between = (
                range(current[1] + 1, index) if level % 2 == 0 else range(index + 1, current[0])
            )
            if step > 0 and all(
                fonts[i] is None and logical[i] != " " for i in between
            ):
                if level % 2:
                    current[0] = index
                else:
                    current[1] = index
                continue
        close()
        current, current_face = [index, index, level], face
    close()
    language = "ar" if base == "R" else "en"
    shaped: list[Run | Face | None] = []
    tied = 0.0  # the width of the no-break spaces
    for piece in pieces:
        if piece is None:
            shaped.append(None)
            continue
        if len(piece) == 2:
            shaped.append(piece)
            tied += shape("\u00a0", *piece).width
            continue
        start, end, (name, size), level = piece
        # The run's logical text includes the joiners between its characters.
        text = logical[start:end]
        rtl = bool(level % 2)
        result = shape(text, name, size, "R" if rtl else "L", language)
        drawn = "".join(
            visual[i] for i, j in enumerate(origin) if start <= j < end and fonts[j] is not None
        )
        # A right-to-left run inside left-to-right text whose first shown character
        # is a mark (the tanween of كتابٌ): a reader that puts the run back in logical
        # order starts it at its first right-to-left letter and hands the mark to the
        # text before. An RLM first in the run's text layer starts the run there.
        lead = RLM if rtl and base == "L" and is_mark(text[-1]) else ""
        shaped.append(Run(drawn, name, size, 0.0, result.glyphs, text, rtl, lead))
    natural = (
        sum(run.width for run in shaped if isinstance(run, Run))
        + tied
        + space * (len(words) - 1)
    )
    gaps = len(words) - 1
    extra = 0.0
    offset = 0.0
    spare = max(0.0, measure - natural)
    align = style.align
    if align == "justify":
        limit = MAX_LATIN_STRETCH if base == "L" else MAX_JUSTIFY_STRETCH
        if stretchable and gaps and spare / gaps <= limit * space:
            extra = spare / gaps
        else:
            align = "start"
    # Where the line starts: "start" is the right edge for right-to-left text.
    flush_right = (align == "start" and base == "R") or (align == "end" and base == "L")
    if align == "center":
        offset = spare / 2
    elif flush_right:
        offset = spare
    runs: list[Run] = []
    spaces: list[tuple[float, str, float]] = []
    x = offset
    space_face = _space_face(base, style)
    for run in shaped:
        if run is None:
            spaces.append((x, *space_face))
            x += space + extra
            continue
        if not isinstance(run, Run):
            spaces.append((x, *run))
            x += shape("\u00a0", *run).width
            continue
        runs.append(replace(run, x=x))
        x += run.width
    return Line(tuple(runs), natural + extra * gaps, logical, tuple(spaces), base == "R")
