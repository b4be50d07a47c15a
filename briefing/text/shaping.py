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

import hashlib
import marshal
import re
import threading
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics

from briefing.text import handover


@lru_cache(maxsize=1)
def _reshaper() -> object:
    """Return the reshaper, kept only to describe what an older PDF looked like (the reader
    of the text layer compares against it); the renderer no longer uses presentation
    forms, so an export does not import it (with fontTools' font reader: 25 ms)."""
    from arabic_reshaper import ArabicReshaper

    return ArabicReshaper(
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
    return str(_reshaper().reshape(word))  # type: ignore[attr-defined]


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


Units = tuple[tuple[int, int, int, int, int], ...]
_RunKey = tuple[str, str, str, tuple[str, ...]]

# Shaped runs are kept between runs of the program, per font file, in the user's cache
# folder: a file per font, named by a hash of the font's bytes, HarfBuzz's version and
# SHAPING_VERSION (bump it when the buffer settings below change), holding at most
# KEPT_RUNS runs (those used last first) in at most KEPT_FONTS files. The runs of the
# library's own brief in every shipped template are shipped under the same names
# (``resources/text-caches``, ``python -m briefing.chart_cache``), compressed: a run the
# user's file lacks is looked up there, and one found is kept in the user's file.
SHAPING_VERSION = "1"
KEPT_FOLDER = "shaping"
KEPT_RUNS = 20_000
KEPT_FONTS = 16
_KEPT_MAGIC = b"BRSHAPE1"
SHIPPED_MAGIC = b"BRSHAPESHIP1"
_stats = {"shaped": 0, "kept": 0, "shipped": 0}


def cache_info() -> dict[str, int]:
    """Return how many runs were shaped, and found in the user's or the shipped runs,
    since the last ``forget_kept_runs``."""
    with _lock:
        return dict(_stats)


def shipped_bytes(runs: dict[_RunKey, Units]) -> bytes:
    """Return shaped runs as a shipped file holds them."""
    ordered = {key: runs[key] for key in sorted(runs, key=repr)}
    return SHIPPED_MAGIC + zlib.compress(marshal.dumps(ordered), 9)


def kept_name(filename: str) -> str:
    """Return the name of the file the runs shaped with ``filename`` are kept in."""
    from briefing.render import font_subsets

    name = "\0".join((SHAPING_VERSION, hb.__version__, font_subsets.font_digest(filename)))
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".runs"


class _KeptRuns:
    """The runs of one font file shaped before, read from the cache folder once."""

    def __init__(self, filename: str) -> None:
        from briefing.render import font_subsets

        self.key = kept_name(filename)
        self.runs: dict[_RunKey, Units] = {}
        self.used: set[_RunKey] = set()
        self.added = False
        self.added_keys: list[_RunKey] = []  # in the order added (see added_runs)
        self.shipped: dict[_RunKey, Units] | None = None  # read at the first miss
        stored = font_subsets.read_cached(KEPT_FOLDER, self.key)
        if stored is not None and stored.startswith(_KEPT_MAGIC):
            try:
                runs = marshal.loads(stored[len(_KEPT_MAGIC) :])
            except (ValueError, EOFError, TypeError):
                runs = None  # torn: shaped again
            if isinstance(runs, dict):
                self.runs = runs

    def lookup(self, key: _RunKey) -> Units | None:
        """Return the run under ``key`` (the lock held): the user's, else the shipped one,
        which is then kept as the user's."""
        found = self.runs.get(key)
        if found is not None:
            _stats["kept"] += 1
            self.used.add(key)
            return found
        if self.shipped is None:
            from briefing.render import font_subsets

            self.shipped = {}
            data = font_subsets.read_shipped(KEPT_FOLDER, self.key)
            if data is not None and data.startswith(SHIPPED_MAGIC):
                try:
                    runs = marshal.loads(zlib.decompress(data[len(SHIPPED_MAGIC) :]))
                except (ValueError, EOFError, TypeError, zlib.error):
                    runs = None  # torn: shaped again
                if isinstance(runs, dict):
                    self.shipped = runs
        found = self.shipped.get(key)
        if found is not None and self.has_room():
            _stats["shipped"] += 1
            self.add(key, found)
        return found

    def stored(self) -> dict[_RunKey, Units]:
        return self.runs

    def has_room(self) -> bool:
        return len(self.runs) < 2 * KEPT_RUNS  # a long session keeps its memory bounded

    def add(self, key: _RunKey, units: Units) -> None:
        """Keep a run (the lock held), to be written back."""
        self.runs[key] = units
        self.used.add(key)
        self.added = True
        self.added_keys.append(key)

    def save(self) -> None:
        """Write the runs back if new ones were shaped: those used this time first."""
        from briefing.render import font_subsets

        if not self.added:
            return
        kept = {key: self.runs[key] for key in self.used}
        for key, units in self.runs.items():
            if len(kept) >= KEPT_RUNS:
                break
            kept.setdefault(key, units)
        self.runs = kept
        self.used = set()
        self.added = False
        self.added_keys = []
        data = _KEPT_MAGIC + marshal.dumps(kept)
        font_subsets.write_cached(KEPT_FOLDER, self.key, data, KEPT_FONTS)


_kept: dict[str, _KeptRuns | None] = {}


def _kept_runs(filename: str) -> _KeptRuns | None:
    """Return the kept runs of ``filename`` (None where no cache folder is used)."""
    from briefing.render import font_subsets

    with _lock:
        if filename in _kept:
            return _kept[filename]
    kept: _KeptRuns | None = None
    if font_subsets.user_folder(KEPT_FOLDER) is not None:
        try:
            kept = _KeptRuns(filename)
        except OSError:
            kept = None
    with _lock:
        return _kept.setdefault(filename, kept)


def keep_runs_of(filename: str) -> None:
    """Read the kept runs of the font ``filename`` now (before a process forks, say)."""
    _kept_runs(filename)


def added_mark() -> dict[str, int]:
    """Return how many runs each font's kept runs have added so far."""
    with _lock:
        return handover.mark(_kept.values())


def added_runs(mark: dict[str, int]) -> bytes:
    """Return the runs added since ``mark``, packed for ``adopt_runs`` (see ``handover``)."""
    with _lock:
        return handover.added_since(_kept.values(), mark)


def adopt_runs(data: bytes) -> None:
    """Keep runs another process shaped (``added_runs``) to be written back here."""
    with _lock:
        handover.adopt(_kept.values(), data)


def save_kept_runs() -> None:
    """Write the runs shaped since the last call to the user's cache folder."""
    with _lock:
        every = [kept for kept in _kept.values() if kept is not None]
        for kept in every:
            kept.save()


def forget_kept_runs() -> None:
    """Forget the kept runs read in this process (tests; the cache folder changed)."""
    with _lock:
        _kept.clear()
        for name in _stats:
            _stats[name] = 0
    _shape_units.cache_clear()
    shape.cache_clear()


@lru_cache(maxsize=65536)
def _shape_units(
    text: str, filename: str, direction: ShapeDirection, language: str, features: tuple[str, ...]
) -> Units:
    """Return ``(gid, cluster, x advance, x offset, y offset)`` per glyph, in font units."""
    kept = _kept_runs(filename)
    key = (text, direction, language, features)
    if kept is not None:
        with _lock:
            found = kept.lookup(key)
            if found is not None:
                return found
    units = _shape_now(text, filename, direction, language, features)
    with _lock:
        _stats["shaped"] += 1
    if kept is not None:
        with _lock:
            if kept.has_room():
                kept.add(key, units)
    return units


def _shape_now(
    text: str, filename: str, direction: ShapeDirection, language: str, features: tuple[str, ...]
) -> Units:
    """Shape a run with HarfBuzz (see ``_shape_units``)."""
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
