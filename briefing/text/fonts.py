"""Font registration (once per process), glyph coverage and per-character font choice."""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFace

from briefing.errors import BriefingError
from briefing.fonts import FontFace, fallback_faces
from briefing.text.script import SHADDA, Script

# Drawn in place of a character that no bundled font has (an emoji, a rare script).
PLACEHOLDERS = ("\ufffd", "\u25a1", "?")

_lock = threading.RLock()
_registered: dict[Path, str] = {}  # font file -> reportlab font name


def registered_names() -> set[str]:
    """Return the reportlab names of the font files registered so far."""
    with _lock:
        return set(_registered.values())


def register_font_file(path: Path) -> str:
    """Return the reportlab name of the font in ``path``, registering it on first use.

    The name comes from the file's stem (plus a hash of its bytes when another file
    already took that stem), so that it is the same in every process and on every
    machine: it shows in the PDF and output must not depend on where fonts live.
    """
    path = Path(path)
    with _lock:
        name = _registered.get(path)
        if name is not None:
            return name
        if not path.is_file():
            raise BriefingError(f"font file {path} does not exist")
        name = path.stem.replace(" ", "")
        if name in _registered.values():
            digest = hashlib.sha1(path.read_bytes()).hexdigest()[:8]
            name = f"{name}-{digest}"
        try:
            font = _load_font(name, path)
        except Exception as exc:
            raise BriefingError(f"font file {path} cannot be read: {exc}") from None
        pdfmetrics.registerFont(font)
        _registered[path] = name
        return name


# Bump when a measure kept on disk below (ink, mark boxes, glyph tops) is computed
# differently, so that measures kept from an older program are computed again.
FACTS_VERSION = "1"
FACTS_FOLDER = "font-facts"
FACTS_ENTRIES = 256

_Fact = TypeVar("_Fact")


def _kept_on_disk(
    decode: Callable[[Any], _Fact],
) -> Callable[[Callable[..., _Fact]], Callable[..., _Fact]]:
    """Keep what a measure of a font file returns in the user's cache folder.

    The measure takes the file's name first (then any JSON-able arguments) and returns
    something JSON keeps; ``decode`` turns the JSON back into it. The entry is named by
    a hash of the measure, its arguments, the file's bytes and FACTS_VERSION, so an
    edited or replaced font is measured again; reading it spares parsing the font.
    """

    def wrap(measure: Callable[..., _Fact]) -> Callable[..., _Fact]:
        @functools.wraps(measure)
        def kept(filename: str, *args: Any) -> _Fact:
            from briefing.render import font_subsets

            try:
                digest = font_subsets.font_digest(filename)
            except OSError:
                return measure(filename, *args)
            key = _facts_key(measure.__name__, digest, args)
            stored = font_subsets.read_cached(FACTS_FOLDER, key)
            if stored is not None:
                try:
                    return decode(json.loads(stored))
                except (ValueError, TypeError, KeyError, IndexError):
                    pass  # torn or foreign: measured again
            value = measure(filename, *args)
            font_subsets.write_cached(
                FACTS_FOLDER, key, json.dumps(value).encode("utf-8"), FACTS_ENTRIES
            )
            return value

        return kept

    return wrap


def _facts_key(measure: str, digest: str, args: Any) -> str:
    name = json.dumps([FACTS_VERSION, measure, digest, *args])
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".json"


def facts_keys(path: Path) -> list[str]:
    """Return the names of the measures of a font file that an export keeps."""
    from briefing.render import font_subsets

    digest = font_subsets.font_digest(path)
    return [
        *(_facts_key(measure, digest, ()) for measure in
          ("ink_extent", "_glyph_boxes", "_units_per_em", "code_point_ranges")),
        *(_facts_key("_glyph_top", digest, (char,)) for char in MEASURED_TOPS),
    ]


def measure_font(path: Path) -> None:
    """Take every measure of a font file that an export keeps (for the shipped ones)."""
    ink_extent.__wrapped__(str(path))
    _glyph_boxes.__wrapped__(str(path))
    _units_per_em.__wrapped__(str(path))
    code_point_ranges.__wrapped__(str(path))
    for char in MEASURED_TOPS:
        _glyph_top.__wrapped__(str(path), char)
    _load_font(path.stem, path)


def _pair(value: Any) -> tuple[float, float]:
    above, below = value
    return float(above), float(below)


def _boxes(value: Any) -> dict[int, tuple[float, float]]:
    return {int(code): _pair(box) for code, box in value.items()}


# What reportlab reads from a font file (metrics, character map, widths) is kept in the
# user's cache folder, named by the file's bytes, reportlab's version and FACE_VERSION,
# so that a second export parses no font file for it.
FACE_VERSION = "1"
FACE_FOLDER = "font-faces"
FACE_ENTRIES = 32
_FACE_MAGIC = b"BRFACE1\n"
_FACE_OWN = ("_pdfScale", "_ttf_data", "filename")  # not kept: remade on reading


def face_key(path: Path) -> str:
    """Return the name of reportlab's parse of a font file in the cache folders."""
    from reportlab import Version as reportlab_version

    from briefing.render import font_subsets

    digest = font_subsets.font_digest(path)
    name = "\0".join((FACE_VERSION, reportlab_version, digest))
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".face"


def _load_font(name: str, path: Path) -> TTFont:
    """Return reportlab's font of ``path`` named ``name``, from the kept parse if any."""
    from briefing.render import font_subsets

    try:
        key = face_key(path)
    except OSError:
        return TTFont(name, str(path))
    stored = font_subsets.read_cached(FACE_FOLDER, key)
    if stored is not None and stored.startswith(_FACE_MAGIC):
        try:
            return _font_from_fields(name, path, marshal.loads(stored[len(_FACE_MAGIC) :]))
        except (ValueError, EOFError, TypeError, KeyError, AttributeError):
            pass  # torn or from another reportlab: parsed again
    font = TTFont(name, str(path))
    try:
        data = _FACE_MAGIC + marshal.dumps(_face_fields(font.face))
    except ValueError:
        return font  # a field marshal cannot keep: this face is parsed every time
    font_subsets.write_cached(FACE_FOLDER, key, data, FACE_ENTRIES)
    return font


def _face_fields(face: TTFontFace) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for attribute, value in vars(face).items():
        if attribute in _FACE_OWN:
            continue
        if isinstance(value, TTFNameBytes):
            value = ("TTFNameBytes", bytes(value))
        fields[attribute] = value
    return fields


def _font_from_fields(name: str, path: Path, fields: dict[str, Any]) -> TTFont:
    """Return the font as ``TTFont(name, path)`` makes it, its face's fields given."""
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding

    face = TTFontFace.__new__(TTFontFace)
    for attribute, value in fields.items():
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "TTFNameBytes":
            value = TTFNameBytes(value[1])
        setattr(face, attribute, value)
    face.filename = str(path)
    face._ttf_data = path.read_bytes()  # reportlab subsets from it when it embeds itself
    units = int(face.unitsPerEm)
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)
    return font


@lru_cache(maxsize=65536)
def covers(font_name: str, char: str) -> bool:
    """Return True when the registered font ``font_name`` can draw ``char`` on its own.

    A glyph with no advance counts as missing for a character that takes room: Amiri's
    tatweel is such a placeholder, which only an OpenType shaper stretches.
    """
    code = ord(char)
    if code not in _char_map(font_name):
        return False
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return True
    face = pdfmetrics.getFont(font_name).face
    return bool(face.charWidths.get(code, face.defaultWidth))


@lru_cache(maxsize=64)
def _char_map(font_name: str) -> dict[int, int]:
    return pdfmetrics.getFont(font_name).face.charToGlyph


@lru_cache(maxsize=8192)
def text_width(text: str, font_name: str, size: float) -> float:
    """Return the advance width of ``text`` drawn in one font, in points."""
    return pdfmetrics.stringWidth(text, font_name, size)


@dataclass(frozen=True)
class FontSet:
    """The faces a piece of text may use: the template's two faces; fallbacks come after."""

    arabic: FontFace
    latin: FontFace


class FontBook:
    """The registered fonts of one font set, ordered per script and weight for fallback."""

    def __init__(self, fonts: FontSet) -> None:
        faces = [fonts.arabic, fonts.latin, *fallback_faces()]
        self.fonts = fonts
        # The files tried per script and weight; each is registered (parsed) only when a
        # character the files before it lack first asks for it, so that a brief whose
        # text the template's own faces cover parses no fallback at all.
        self._files: dict[tuple[str, bool], tuple[Path, ...]] = {}
        self._chains: dict[tuple[str, bool], list[str]] = {}
        for bold in (False, True):
            for script, first in (("arabic", fonts.arabic), ("latin", fonts.latin)):
                ordered = [first, *(f for f in faces if f is not first)]
                files: list[Path] = []
                for face in ordered:
                    path = Path(face.bold if bold else face.regular)
                    if path not in files:
                        files.append(path)
                self._files[(script, bold)] = tuple(files)
                self._chains[(script, bold)] = []
        # The template's own faces are registered at once, in a fixed order, so that
        # their names never depend on which fallback some text needed first.
        for bold in (False, True):
            for script in ("arabic", "latin"):
                self._name(script, bold, 0)
        self._choice_cache: dict[tuple[str, Script, bool], str | None] = {}

    def _name(self, script: str, bold: bool, index: int) -> str | None:
        """Return the name of the chain's ``index``-th font, registering it (None: past
        the end)."""
        key = (script, bold)
        names = self._chains[key]
        with _lock:
            files = self._files[key]
            while len(names) <= index and len(names) < len(files):
                names.append(register_font_file(files[len(names)]))
            return names[index] if index < len(names) else None

    def chain(self, script: Script, bold: bool) -> tuple[str, ...]:
        """Return the font names tried, in order, for ``script`` ("arabic" or "latin")."""
        key = "arabic" if script == "arabic" else "latin"
        self._name(key, bold, len(self._files[(key, bold)]) - 1)
        return tuple(self._chains[(key, bold)])

    def primary(self, script: Script, bold: bool) -> str:
        """Return the template's own font for ``script``."""
        name = self._name("arabic" if script == "arabic" else "latin", bold, 0)
        assert name is not None
        return name

    def font_for(self, char: str, script: Script, bold: bool) -> str | None:
        """Return the first font of the script's chain that has ``char``, or None."""
        key = (char, script, bold)
        try:
            return self._choice_cache[key]
        except KeyError:
            pass
        found = None
        chain = "arabic" if script == "arabic" else "latin"
        index = 0
        while (name := self._name(chain, bold, index)) is not None:
            if covers(name, char):
                found = name
                break
            index += 1
        self._choice_cache[key] = found
        return found

    def placeholder(self, bold: bool) -> tuple[str, str]:
        """Return ``(character, font)`` drawn for a character that no font has."""
        for char in PLACEHOLDERS:
            for script in ("latin", "arabic"):
                name = self.font_for(char, script, bold)
                if name is not None:
                    return char, name
        raise BriefingError("no bundled font can draw a placeholder character")

    def printable(self, char: str) -> bool:
        """Return True when some font of the book has ``char``."""
        return (
            self.font_for(char, "arabic", False) is not None
            or self.font_for(char, "latin", False) is not None
        )


@lru_cache(maxsize=16)
def font_book(fonts: FontSet) -> FontBook:
    """Return the (shared, cached) font book of a font set."""
    return FontBook(fonts)


@lru_cache(maxsize=256)
def mark_lift(font_name: str, mark: str, size: float) -> float:
    """Return how far to raise ``mark`` so that it clears a shadda on the same letter.

    The bundled fonts draw every above-mark at one height and rely on OpenType
    mark-to-mark positioning to stack them; reportlab applies no such positioning, so
    the lift is computed from the glyph boxes: the shadda's top plus a small gap, minus
    the mark's bottom.
    """
    face = pdfmetrics.getFont(font_name).face
    boxes = _glyph_boxes(face.filename)
    units = _units_per_em(face.filename)
    shadda = boxes.get(ord(SHADDA))
    other = boxes.get(ord(mark))
    if shadda is None or other is None:
        return 0.0
    gap = 0.04 * units
    lift = shadda[1] + gap - other[0]
    return max(0.0, lift) * size / units


@lru_cache(maxsize=16)
@_kept_on_disk(_boxes)
def _glyph_boxes(filename: str) -> dict[int, tuple[float, float]]:
    """Return ``{code point: (yMin, yMax)}`` of the Arabic marks of a font file."""
    from fontTools.ttLib import TTFont as ToolsFont

    with ToolsFont(filename, lazy=True) as font:
        cmap = font.getBestCmap()
        glyf = font.get("glyf")
        result: dict[int, tuple[float, float]] = {}
        if glyf is None:
            return result
        for code in range(0x064B, 0x0671):
            name = cmap.get(code)
            if name is None:
                continue
            glyph = glyf[name]
            if getattr(glyph, "numberOfContours", 0) == 0 and not glyph.isComposite():
                continue
            glyph.recalcBounds(glyf)
            result[code] = (float(glyph.yMin), float(glyph.yMax))
        return result


def _ranges(value: Any) -> tuple[tuple[int, int], ...]:
    return tuple((int(first), int(last)) for first, last in value)


@lru_cache(maxsize=32)
@_kept_on_disk(_ranges)
def code_point_ranges(filename: str) -> tuple[tuple[int, int], ...]:
    """Return the code points a font file maps, as ``(first, last)`` runs in order."""
    from fontTools.ttLib import TTFont as ToolsFont

    with ToolsFont(filename, lazy=True) as font:
        codes = sorted((font.getBestCmap() or {}).keys())
    runs: list[tuple[int, int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return tuple(runs)


@lru_cache(maxsize=16)
@_kept_on_disk(int)
def _units_per_em(filename: str) -> int:
    from fontTools.ttLib import TTFont as ToolsFont

    with ToolsFont(filename, lazy=True) as font:
        return int(font["head"].unitsPerEm)


# The letters whose tops ``arabic_scale`` measures (in the Arabic and the Latin face).
MEASURED_TOPS = ("\u0628", "x")

# Arabic letter bodies are set to this share of the Latin x-height (see arabic_scale).
ARABIC_BODY_SHARE = 0.8


@lru_cache(maxsize=16)
def arabic_scale(fonts: FontSet) -> float:
    """Return how much larger Arabic letters are set than Latin ones at the same point size.

    At one point size an Arabic face looks smaller than a Latin face with a large
    x-height (Amiri beside Noto Serif): the scale brings the top of the Arabic letter
    bodies (the bowl of beh) to ``ARABIC_BODY_SHARE`` of the Latin x-height, between
    1.0 and 1.25, so that both languages of a bilingual brief read at one size.
    """
    arabic = _glyph_top(str(fonts.arabic.regular), MEASURED_TOPS[0])
    latin = _glyph_top(str(fonts.latin.regular), MEASURED_TOPS[1])
    if not arabic or not latin:
        return 1.0
    return round(min(1.25, max(1.0, ARABIC_BODY_SHARE * latin / arabic)), 2)


@lru_cache(maxsize=32)
@_kept_on_disk(float)
def _glyph_top(filename: str, char: str) -> float:
    """Return the top of ``char``'s outline in em (0 when the font lacks it)."""
    from fontTools.ttLib import TTFont as ToolsFont

    with ToolsFont(filename, lazy=True) as font:
        name = font.getBestCmap().get(ord(char))
        glyf = font.get("glyf")
        if name is None or glyf is None:
            return 0.0
        glyph = glyf[name]
        glyph.recalcBounds(glyf)
        return float(getattr(glyph, "yMax", 0)) / int(font["head"].unitsPerEm)


# Marks drawn above and below the letters, and the letters whose ink they extend.
_ABOVE_MARKS = (0x064B, 0x064C, 0x064E, 0x064F, 0x0651, 0x0652, 0x0653, 0x0654, 0x0670)
_BELOW_MARKS = (0x064D, 0x0650, 0x0655)
_INK_RANGES = ((0x0021, 0x017F), (0x0621, 0x064A), (0x0660, 0x06D3))


@lru_cache(maxsize=32)
@_kept_on_disk(_pair)
def ink_extent(filename: str) -> tuple[float, float]:
    """Return ``(above, below)``: how far a font's ink reaches over and under the baseline, in em.

    This is the drawn ink, not the font's declared ascent: the tallest letter, or an
    above-mark at its own height or raised over a shadda (see ``mark_lift``), whichever
    is higher; and the deepest descender or below-mark. A line whose baselines are at
    least ``above + below`` apart cannot touch the next one.
    """
    from fontTools.ttLib import TTFont as ToolsFont

    with ToolsFont(filename, lazy=True) as font:
        units = int(font["head"].unitsPerEm)
        glyf = font.get("glyf")
        if glyf is None:
            hhea = font["hhea"]
            return hhea.ascent / units, -hhea.descent / units
        cmap = font.getBestCmap()

        def box(code: int) -> tuple[float, float] | None:
            name = cmap.get(code)
            if name is None:
                return None
            glyph = glyf[name]
            if getattr(glyph, "numberOfContours", 0) == 0 and not glyph.isComposite():
                return None
            glyph.recalcBounds(glyf)
            return float(glyph.yMin), float(glyph.yMax)

        boxes = [
            found
            for first, last in _INK_RANGES
            for code in range(first, last + 1)
            if (found := box(code)) is not None
        ]
        top = max((high for _, high in boxes), default=0.0)
        bottom = min((low for low, _ in boxes), default=0.0)
        shadda = box(ord(SHADDA))
        for code in _ABOVE_MARKS:
            mark = box(code)
            if mark is None:
                continue
            top = max(top, mark[1])
            if shadda is not None and code != ord(SHADDA):
                lift = max(0.0, shadda[1] + 0.04 * units - mark[0])
                top = max(top, mark[1] + lift)
        for code in _BELOW_MARKS:
            mark = box(code)
            if mark is not None:
                bottom = min(bottom, mark[0])
        return top / units, max(0.0, -bottom) / units


def font_ink(font_name: str) -> tuple[float, float]:
    """Return ``ink_extent`` of the registered font ``font_name``."""
    return ink_extent(pdfmetrics.getFont(font_name).face.filename)


# White kept between the ink of one line and the next, in em of the Arabic size.
INK_GAP = 0.06


def arabic_leading(fonts: FontSet, bold: bool, size: float) -> float:
    """Return the smallest leading at which Arabic lines of ``size`` points never touch.

    Fully vowelled Arabic (shadda with tanween over a tall letter, kasratan under a
    descender) reaches much further from the baseline than the font's ascent says.
    """
    face = fonts.arabic.bold if bold else fonts.arabic.regular
    above, below = ink_extent(str(face))
    return round((above + below + INK_GAP) * size, 2)
