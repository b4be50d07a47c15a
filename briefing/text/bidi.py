"""Reorder one line from logical to visual order, tracking where each character came from."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from bidi import get_display
from bidi.mirror import MIRRORED

Direction = Literal["L", "R"]


LRE, RLE, PDF = "\u202a", "\u202b", "\u202c"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"


def without_isolates(text: str) -> str:
    """Return ``text`` with bidi isolates turned into the embeddings closest to them.

    The pure-Python bidi engine predates isolates (Unicode 6.3) and stops at them;
    an embedding gives the same direction to the enclosed text. A first-strong
    isolate takes the direction of its first letter. Lengths are kept, so character
    positions still match.
    """
    if not any(c in text for c in (LRI, RLI, FSI, PDI)):
        return text
    chars = list(text)
    for index, char in enumerate(chars):
        if char == LRI:
            chars[index] = LRE
        elif char == RLI:
            chars[index] = RLE
        elif char == FSI:
            chars[index] = RLE if _first_strong(text, index + 1) == "R" else LRE
        elif char == PDI:
            chars[index] = PDF
    return "".join(chars)


def _first_strong(text: str, start: int) -> str:
    """Return "R" or "L" for the first strong letter from ``start`` to the isolate's end."""
    depth = 0
    for char in text[start:]:
        if char in (LRI, RLI, FSI):
            depth += 1
        elif char == PDI:
            if depth == 0:
                break
            depth -= 1
        elif depth == 0:
            kind = unicodedata.bidirectional(char)
            if kind in ("R", "AL"):
                return "R"
            if kind == "L":
                return "L"
    return "L"


@lru_cache(maxsize=8192)
def reorder_line(text: str, base: Direction) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Return ``(visual, origin, levels)`` for one line of logical text.

    Embedding levels come from a complete UAX #9 engine (python-bidi's compiled
    engine: isolates and paired brackets, rule N0, included). Rules L1 (whitespace at
    the line's end back to the paragraph level), L2 (reversal of runs at each level
    from the highest down) and L4 (mirroring of characters at odd levels) are then
    applied here, one line at a time. ``origin[i]`` is the logical index of the i-th
    visual character and ``levels[i]`` its level (odd: right-to-left). Explicit
    formatting characters (embeddings, overrides, isolates, boundary neutrals) are
    dropped, as rule X9 says.
    """
    resolved = _levels(text, base)
    base_level = 1 if base == "R" else 0
    kinds = [unicodedata.bidirectional(char) for char in text]
    levels = list(resolved)
    # L1: segment separators, and whitespace before them or at the line's end.
    trailing = True
    for index in range(len(text) - 1, -1, -1):
        kind = kinds[index]
        if kind in ("S", "B"):
            levels[index] = base_level
            trailing = True
        elif trailing and kind in _L1_WHITESPACE:
            levels[index] = base_level
        else:
            trailing = False
    kept = [index for index in range(len(text)) if kinds[index] not in _REMOVED]
    order = list(kept)
    if order:
        highest = max(levels[index] for index in order)
        lowest_odd = min((levels[index] for index in order if levels[index] % 2), default=None)
        if lowest_odd is not None:
            for level in range(highest, lowest_odd - 1, -1):
                position = 0
                while position < len(order):
                    if levels[order[position]] >= level:
                        end = position
                        while end < len(order) and levels[order[end]] >= level:
                            end += 1
                        order[position:end] = order[position:end][::-1]
                        position = end
                    else:
                        position += 1
    visual = "".join(
        MIRRORED.get(text[index], text[index]) if levels[index] % 2 else text[index]
        for index in order
    )
    return visual, tuple(order), tuple(levels[index] for index in order)


_L1_WHITESPACE = frozenset(
    ("WS", "LRI", "RLI", "FSI", "PDI", "BN", "LRE", "RLE", "LRO", "RLO", "PDF")
)
_REMOVED = frozenset(("LRE", "RLE", "LRO", "RLO", "PDF", "BN", "LRI", "RLI", "FSI", "PDI"))
_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def _levels(text: str, base: Direction) -> list[int]:
    """Return the resolved embedding level of each character of ``text`` (one paragraph).

    The compiled engine reports one level per UTF-8 byte; the level of a character is
    the level of its first byte.
    """
    if not text:
        return []
    report = get_display(text, base_dir=base, debug=True)
    section = report[report.index("levels:") : report.index("paragraphs:")]
    per_byte = [int(value) for value in _LEVEL.findall(section)]
    levels = []
    position = 0
    for char in text:
        levels.append(per_byte[position])
        position += len(char.encode("utf-8"))
    return levels
