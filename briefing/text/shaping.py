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
from collections.abc import Callable
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


def cluster_texts(text: str, glyphs: tuple[Glyph, ...], font_name: str = "") -> list[str]:
    """Return the characters of ``text`` each glyph stands for (logical order).

    Most clusters are one glyph, which stands for all their characters. When the font
    draws a cluster in several glyphs (a letter and a mark it places in its own way,
    أُ or a shadda with its vowel), a reader that maps glyphs to text one by one
    (ToUnicode) should find each character on the glyph that draws it: with
    ``font_name``, a glyph that the font's character map gives for one of the
    cluster's characters stands for that character, and the characters left over go
    one each to the cluster's other glyphs in logical order. A glyph left with
    nothing stands for nothing; without ``font_name``, or when nothing matches, the
    cluster's first glyph stands for the whole cluster.
    """
    clusters = [glyph.cluster for glyph in glyphs]
    starts = sorted(set(clusters))
    ends = {start: end for start, end in zip(starts, [*starts[1:], len(text)], strict=True)}
    if len(starts) == len(clusters) or not font_name:
        # One glyph per cluster (nearly every run), or no font to tell glyphs apart.
        seen: set[int] = set()
        simple = []
        for cluster in clusters:
            simple.append("" if cluster in seen else text[cluster : ends[cluster]])
            seen.add(cluster)
        return simple
    members: dict[int, list[int]] = {}
    for index, glyph in enumerate(glyphs):
        members.setdefault(glyph.cluster, []).append(index)
    result = [""] * len(glyphs)
    nominal = _nominal(font_name)
    # In a right-to-left run the glyphs come in visual order: clusters go down.
    rtl = len(glyphs) > 1 and glyphs[0].cluster > glyphs[-1].cluster
    for start, indexes in members.items():
        chars = text[start : ends[start]]
        if len(indexes) == 1:
            result[indexes[0]] = chars
            continue
        if rtl:
            indexes = indexes[::-1]
        left: list[str] = []
        for char in chars:
            gid = nominal(char)
            owner = next((i for i in indexes if glyphs[i].gid == gid and not result[i]), None)
            if owner is None:
                left.append(char)
            else:
                result[owner] = char
        empty = [i for i in indexes if not result[i]]
        if len(left) == len(chars):
            result[indexes[0]] = chars  # nothing matched: the first glyph takes all
            continue
        for position, char in enumerate(left):
            target = empty[position] if position < len(empty) else None
            if target is None:
                owner = next(i for i in reversed(indexes) if result[i])
                result[owner] += char
            else:
                result[target] = char
    return result


@lru_cache(maxsize=256)
def _nominal(font_name: str) -> Callable[[str], int | None]:
    """Return a function giving the glyph id the font's character map has for a character."""
    font = hb_font(font_file(font_name)).font

    def nominal(char: str) -> int | None:
        return font.get_nominal_glyph(ord(char))

    return nominal
