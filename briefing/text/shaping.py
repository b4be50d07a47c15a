"""Shaping with HarfBuzz: glyph ids, advances and mark offsets from the font's own tables.

Arabic used to be joined by swapping letters for Unicode presentation forms. That
recipe knows nothing of the font: marks were drawn where the glyph's own box put them
(tanween beside the alef in Noto Naskh Arabic, a vowel inside a shadda), ligatures
were limited to lam-alef, and the text layer was made of presentation forms. HarfBuzz
reads the font's GSUB and GPOS, so joining, ligatures, kashida and mark-to-base and
mark-to-mark positioning are the font designer's, for every bundled and user font, and
what is drawn are glyph ids that the PDF text layer maps back to the source characters.

Each run (one font, one direction, one line) is shaped on its own, in logical order;
HarfBuzz returns it in visual order and mirrors brackets in right-to-left runs itself.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import uharfbuzz as hb
from arabic_reshaper import ArabicReshaper
from reportlab.pdfbase import pdfmetrics

# Kept only to describe what an older PDF looked like (the reader of the text layer
# compares against it); the renderer no longer uses presentation forms.
_RESHAPER = ArabicReshaper(
    configuration={"delete_harakat": False, "ARABIC LIGATURE ALLAH": False}
)

# Break opportunities: ordinary white space. No-break spaces (U+00A0, U+202F) stay inside
# their word so that "20 %" or "COP 29" written with them never splits.
_SPACES = re.compile(r"[ \t\n\r\f\v\x85\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+")

ShapeDirection = Literal["L", "R", ""]

_lock = threading.Lock()


def normalize(text: str) -> str:
    """Return ``text`` in NFC with every run of white space turned into one space, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=16384)
def reshape(word: str) -> str:
    """Return ``word`` with Arabic letters in their joined presentation forms (legacy)."""
    if not any("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u08ff" for char in word):
        return word
    return str(_RESHAPER.reshape(word))


@dataclass(frozen=True, slots=True)
class Glyph:
    """One shaped glyph, in points at the shaped size.

    ``cluster`` is the index in the shaped text of the first character the glyph
    stands for; ``advance`` moves the pen after it; ``dx``/``dy`` move the glyph
    itself (a mark onto its base) without moving the pen.
    """

    gid: int
    cluster: int
    advance: float
    dx: float = 0.0
    dy: float = 0.0


@dataclass(frozen=True, slots=True)
class Shaped:
    """A shaped run: its glyphs in visual order and their total advance, in points."""

    glyphs: tuple[Glyph, ...]
    width: float


class _HbFont:
    """The HarfBuzz face and font of one font file, kept for the process."""

    def __init__(self, filename: str) -> None:
        with open(filename, "rb") as handle:
            data = handle.read()
        self.face = hb.Face(hb.Blob(data))
        self.units = self.face.upem
        self.font = hb.Font(self.face)
        self.font.scale = (self.units, self.units)


@lru_cache(maxsize=64)
def hb_font(filename: str) -> _HbFont:
    """Return the cached HarfBuzz objects for ``filename``."""
    return _HbFont(filename)


@lru_cache(maxsize=256)
def font_file(font_name: str) -> str:
    """Return the file of the registered reportlab font ``font_name``."""
    return str(pdfmetrics.getFont(font_name).face.filename)


@lru_cache(maxsize=65536)
def _shape_units(
    text: str, filename: str, direction: ShapeDirection, language: str, features: tuple[str, ...]
) -> tuple[tuple[int, int, int, int, int], ...]:
    """Return ``(gid, cluster, x advance, x offset, y offset)`` per glyph, in font units."""
    font = hb_font(filename)
    buffer = hb.Buffer()
    buffer.add_str(text)
    # Marks keep clusters of their own, so that each glyph can be mapped back to the
    # characters it draws; ignorables (joiners, direction marks) leave no glyph.
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
    flags = hb.BufferFlags
    buffer.flags = flags.REMOVE_DEFAULT_IGNORABLES | flags.BOT | flags.EOT
    buffer.guess_segment_properties()
    if direction:
        buffer.direction = "rtl" if direction == "R" else "ltr"
    if language:
        buffer.language = language
    wanted = {feature: True for feature in features}
    with _lock:  # one hb.Font is shared by every thread
        hb.shape(font.font, buffer, wanted)
    return tuple(
        (info.codepoint, info.cluster, pos.x_advance, pos.x_offset, pos.y_offset)
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    )


@lru_cache(maxsize=65536)
def shape(
    text: str,
    font_name: str,
    size: float,
    direction: ShapeDirection = "",
    language: str = "",
    features: tuple[str, ...] = (),
) -> Shaped:
    """Return ``text`` shaped with the registered font ``font_name`` at ``size`` points.

    ``direction`` is "R" or "L" (from the bidi level of the run), or "" to let HarfBuzz
    take it from the script (for measuring a word on its own).
    """
    filename = font_file(font_name)
    scale = size / hb_font(filename).units
    glyphs = tuple(
        Glyph(gid, cluster, advance * scale, dx * scale, dy * scale)
        for gid, cluster, advance, dx, dy in _shape_units(
            text, filename, direction, language, features
        )
    )
    return Shaped(glyphs, sum(glyph.advance for glyph in glyphs))


def shaped_width(text: str, font_name: str, size: float) -> float:
    """Return the advance of ``text`` shaped on its own, in points."""
    return shape(text, font_name, size).width


def cluster_texts(text: str, glyphs: tuple[Glyph, ...]) -> list[str]:
    """Return the characters of ``text`` each glyph stands for (logical order).

    A cluster's characters go to the first glyph of that cluster in the run; the other
    glyphs of a cluster (a letter drawn in two pieces) stand for nothing.
    """
    starts = sorted({glyph.cluster for glyph in glyphs})
    ends = {start: end for start, end in zip(starts, [*starts[1:], len(text)], strict=True)}
    seen: set[int] = set()
    result = []
    for glyph in glyphs:
        if glyph.cluster in seen:
            result.append("")
            continue
        seen.add(glyph.cluster)
        result.append(text[glyph.cluster : ends[glyph.cluster]])
    return result

