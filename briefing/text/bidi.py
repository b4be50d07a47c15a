"""Reorder one line from logical to visual order, keeping track of where each character came from."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from bidi import algorithm as uba

Direction = Literal["L", "R"]


@lru_cache(maxsize=8192)
def reorder_line(text: str, base: Direction) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Return ``(visual, origin, levels)`` for one line of logical text.

    ``visual`` equals ``bidi.algorithm.get_display(text, base_dir=base)`` (the pure
    Python engine, which mirrors brackets); ``origin[i]`` is the logical index of the
    i-th visual character and ``levels[i]`` its embedding level (odd: right-to-left).
    The steps are the ones get_display runs; each character is tagged with its index
    before reordering so that fonts chosen in logical order follow it.
    """
    storage = uba.get_empty_storage()
    storage["base_level"] = uba.PARAGRAPH_LEVELS[base]
    storage["base_dir"] = base
    uba.get_embedding_levels(text, storage)
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
