"""Classify characters by script and role: Arabic, other letters, common, marks, invisibles."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Literal

Script = Literal["arabic", "latin", "common", "inherited"]

# Code point ranges written in Arabic script, presentation forms included.
ARABIC_RANGES: tuple[tuple[int, int], ...] = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x089F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x10E60, 0x10E7F),
    (0x1EE00, 0x1EEFF),
)

# Arabic marks drawn above the letter; with a shadda on the same letter they must be
# lifted over it, because the fonts draw both at one height (no mark stacking without GPOS).
MARKS_ABOVE = frozenset("\u064b\u064c\u064e\u064f\u0652\u0670")
SHADDA = "\u0651"

# Characters that are never drawn: bidi controls, joiners, variation selectors, tags.
_INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0xFE00, 0xFE0F),
    (0xE0000, 0xE007F),
    (0xE0100, 0xE01EF),
)


@lru_cache(maxsize=4096)
def script_of(char: str) -> Script:
    """Return the script class of ``char`` as the font chooser sees it.

    Arabic letters, digits, marks and punctuation are ``arabic``; other letters are
    ``latin`` (Latin, Greek, Cyrillic …: the Latin face and its fallbacks draw them);
    non-Arabic combining marks are ``inherited`` (they follow their base); digits,
    punctuation, symbols and spaces are ``common`` (they follow their word).
    """
    code = ord(char)
    for low, high in ARABIC_RANGES:
        if low <= code <= high:
            return "arabic"
    category = unicodedata.category(char)
    if category in ("Mn", "Me"):
        return "inherited"
    if category[0] == "L":
        return "latin"
    return "common"


@lru_cache(maxsize=4096)
def is_invisible(char: str) -> bool:
    """Return True for characters that take no room and are never drawn (ZWJ, LRM, VS16 …)."""
    code = ord(char)
    for low, high in _INVISIBLE_RANGES:
        if low <= code <= high:
            return True
    return unicodedata.category(char) in ("Cf", "Cc") and char not in "\t\n"


def is_mark(char: str) -> bool:
    """Return True for a combining mark (drawn over or under the character before it)."""
    return unicodedata.category(char) in ("Mn", "Me")


def has_arabic(text: str) -> bool:
    """Return True when ``text`` holds at least one Arabic-script character."""
    return any(script_of(char) == "arabic" for char in text)
