"""Arabic letter joining with arabic-reshaper: contextual forms, lam-alef, diacritics kept."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from arabic_reshaper import ArabicReshaper

# Diacritics stay (the default deletes tanween, shadda and every other mark); lam-alef
# ligatures are on by default. The Allah ligature is off: it also fires inside names
# such as عبدالله, where typesetters keep the plain letters.
_RESHAPER = ArabicReshaper(
    configuration={"delete_harakat": False, "ARABIC LIGATURE ALLAH": False}
)

# Break opportunities: ordinary white space. No-break spaces (U+00A0, U+202F) stay inside
# their word so that "20 %" or "COP 29" written with them never splits.
_SPACES = re.compile(r"[ \t\n\r\f\v\x85\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+")


def normalize(text: str) -> str:
    """Return ``text`` in NFC with every run of white space turned into one space, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=16384)
def reshape(word: str) -> str:
    """Return ``word`` with Arabic letters in their joined presentation forms.

    Joining never crosses a space, so shaping word by word gives the same result as
    shaping the paragraph and lets each word be cached.
    """
    if not any("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u08ff" for char in word):
        return word
    return str(_RESHAPER.reshape(word))
