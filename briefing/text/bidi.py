"""Reorder one line from logical to visual order, tracking where each character came from."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Literal

from bidi import algorithm as uba

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

    ``visual`` equals ``bidi.algorithm.get_display(text, base_dir=base)`` (the pure
    Python engine, which mirrors brackets); ``origin[i]`` is the logical index of the
    i-th visual character and ``levels[i]`` its embedding level (odd: right-to-left).
    The steps are the ones get_display runs; each character is tagged with its index
    before reordering so that fonts chosen in logical order follow it. Isolates are
    read as embeddings (see :func:`without_isolates`).
    """
    storage = uba.get_empty_storage()
    storage["base_level"] = uba.PARAGRAPH_LEVELS[base]
    storage["base_dir"] = base
    uba.get_embedding_levels(without_isolates(text), storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    chars = storage["chars"]
    visual = "".join(char["ch"] for char in chars)
    origin = tuple(char["index"] for char in chars)
    levels = tuple(char["level"] for char in chars)
    return visual, origin, levels
