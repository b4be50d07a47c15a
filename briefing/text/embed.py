"""Fonts embedded by glyph id: Type0 / CIDFontType2 with Identity-H, subset, with ToUnicode.

reportlab embeds TrueType fonts by character: it numbers the characters it is asked to
draw and builds small single-byte subsets. Shaped text is made of glyph ids, many of
which no character maps to (joined forms, ligatures, positioned marks), so each font
that shaped text uses is embedded here instead: a composite font whose character codes
are the glyph ids themselves (Identity-H, two bytes each), with the font file subset to
the glyphs used (ids kept), their widths, and a ToUnicode map from each glyph to the
characters it was shaped from. A code has one ToUnicode entry, but one glyph can draw
different characters in different places (a mirrored bracket, a form two letters
share): the first text a glyph is used for keeps the glyph id as its code, and each
other text gets a code of its own past the font's last glyph, which the CIDToGIDMap
sends to the same glyph. A glyph that draws no character of its own (a joining stroke
the font adds) maps to no text, so readers neither invent a character for it nor
repeat a letter. The objects are written through reportlab's own PDF
objects when the document is saved, like reportlab's delayed TrueType subsets.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import io
import json
import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from reportlab.pdfbase import pdfdoc

from briefing.render import font_subsets
from briefing.text.shaping import font_file, hb_font

_lock = threading.Lock()

# On screen only (the app's preview): embed each font file whole instead of cutting it to
# the glyphs used. The pages look the same; the file is larger, and no font is subset, the
# slowest part of writing a short PDF the first time. Set per thread, so an export running
# beside the preview still subsets.
_whole_fonts: contextvars.ContextVar[bool] = contextvars.ContextVar("whole_fonts", default=False)


@contextlib.contextmanager
def whole_fonts() -> Iterator[None]:
    """Embed fonts whole in the PDFs rendered by this thread within the block."""
    token = _whole_fonts.set(True)
    try:
        yield
    finally:
        _whole_fonts.reset(token)


class _Embedded:
    """One font file used in one PDF document: the glyphs used and what they stand for."""

    def __init__(self, font_name: str, internal: str) -> None:
        self.font_name = font_name
        self.filename = font_file(font_name)
        self.internal = internal  # resource name, without the slash
        self.text: dict[int, str] = {}  # character code -> the characters it stands for
        self.glyph: dict[int, int] = {}  # character code -> glyph id
        self._codes: dict[tuple[int, str], int] = {}
        self._first_copy = hb_font(self.filename).face.glyph_count
        self._next = self._first_copy  # the next code for a glyph's second text

    def use(self, gid: int, text: str) -> int:
        """Return the character code that draws glyph ``gid`` standing for ``text``."""
        key = (gid, text)
        code = self._codes.get(key)
        if code is None:
            if gid not in self.glyph:
                code = gid
            else:
                code = self._next
                if code > 0xFFFF:
                    code = gid  # no two-byte code left: the glyph's first text stands
                else:
                    self._next += 1
            self._codes[key] = code
            if code not in self.glyph:
                self.glyph[code] = gid
                self.text[code] = text
        return code

    def use_many(self, uses: tuple[tuple[int, str], ...]) -> tuple[int, ...]:
        """Return the codes of ``uses`` (glyph id, text), each taken as ``use`` would."""
        codes = self._codes
        use = self.use
        return tuple(codes[key] if key in codes else use(*key) for key in uses)

    def addObjects(self, document: Any) -> None:
        """Write the font's objects into ``document`` (called by reportlab when saving)."""
        gids = sorted({0, *self.glyph.values()})
        codes = sorted({0, *self.glyph})
        whole = _whole_fonts.get()
        if whole:
            data, info = _whole_file(self.filename)
            base_name = info["name"]
        else:
            data, info = _subset(self.filename, tuple(gids))
            base_name = f"{_subset_tag(self.filename, gids)}+{info['name']}"
        units = info["units"]

        def scaled(value: float) -> float:
            return round(value * 1000.0 / units, 3)

        # A whole font is shown, not kept: compressing it would cost more than it saves.
        program = pdfdoc.PDFStream(content=data, filters=None if whole else [pdfdoc.PDFZCompress])
        program.dictionary["Length1"] = len(data)
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("FontDescriptor"),
                "FontName": pdfdoc.PDFName(base_name),
                "Flags": 4,
                "FontBBox": pdfdoc.PDFArray([scaled(v) for v in info["bbox"]]),
                "ItalicAngle": info["italic"],
                "Ascent": scaled(info["ascent"]),
                "Descent": scaled(info["descent"]),
                "CapHeight": scaled(info["cap"]),
                "StemV": 80,
                "FontFile2": document.Reference(program, f"FontFile2:{base_name}"),
            }
        )
        w_array: list[Any] = []
        for code in codes:
            width = pdf_width(self.font_name, self.glyph.get(code, code))
            w_array += [code, pdfdoc.PDFArray([width])]
        cid_to_gid: Any = pdfdoc.PDFName("Identity")
        if any(code != gid for code, gid in self.glyph.items()):
            table = bytearray()
            for code in range(codes[-1] + 1):
                gid = self.glyph.get(code, code if code < self._first_copy else 0)
                table += gid.to_bytes(2, "big")
            cid_to_gid = pdfdoc.PDFStream(content=bytes(table), filters=[pdfdoc.PDFZCompress])
            cid_to_gid = document.Reference(cid_to_gid, f"CIDToGIDMap:{base_name}")
        cid_font = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Font"),
                "Subtype": pdfdoc.PDFName("CIDFontType2"),
                "BaseFont": pdfdoc.PDFName(base_name),
                "CIDSystemInfo": pdfdoc.PDFDictionary(
                    {
                        "Registry": pdfdoc.PDFString("Adobe"),
                        "Ordering": pdfdoc.PDFString("Identity"),
                        "Supplement": 0,
                    }
                ),
                "FontDescriptor": document.Reference(descriptor, f"FontDescriptor:{base_name}"),
                "DW": pdf_width(self.font_name, 0),
                "W": pdfdoc.PDFArray(w_array),
                "CIDToGIDMap": cid_to_gid,
            }
        )
        cmap = pdfdoc.PDFStream(
            content=to_unicode_cmap(base_name, self.text), filters=[pdfdoc.PDFZCompress]
        )
        font = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Font"),
                "Subtype": pdfdoc.PDFName("Type0"),
                "BaseFont": pdfdoc.PDFName(base_name),
                "Encoding": pdfdoc.PDFName("Identity-H"),
                "DescendantFonts": pdfdoc.PDFArray(
                    [document.Reference(cid_font, f"CIDFont:{base_name}")]
                ),
                "ToUnicode": document.Reference(cmap, f"ToUnicode:{base_name}"),
            }
        )
        document.idToObject["BasicFonts"].dict[self.internal] = document.Reference(
            font, self.internal
        )


def _subset_tag(filename: str, gids: list[int]) -> str:
    """Return six capital letters naming this subset (the same for the same glyphs)."""
    digest = hashlib.sha1(f"{filename}:{gids}".encode()).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def _font_info(font: Any) -> dict[str, Any]:
    head, hhea, post = font["head"], font["hhea"], font["post"]
    os2 = font.get("OS/2")
    return {
        "units": head.unitsPerEm,
        "bbox": (head.xMin, head.yMin, head.xMax, head.yMax),
        "italic": float(post.italicAngle),
        "ascent": hhea.ascent,
        "descent": hhea.descent,
        "cap": getattr(os2, "sCapHeight", 0) or hhea.ascent,
        "name": _postscript_name(font),
    }


@lru_cache(maxsize=16)
def _whole_file(filename: str) -> tuple[bytes, dict[str, Any]]:
    """Return the font file as it is and the metrics the PDF needs (read lazily)."""
    with open(filename, "rb") as handle:
        data = handle.read()
    from fontTools.ttLib import TTFont as ToolsFont

    with ToolsFont(io.BytesIO(data), lazy=True) as font:
        return data, _font_info(font)


_subset_cache: dict[tuple[str, tuple[int, ...]], tuple[bytes, dict[str, Any]]] = {}

# Bump when the subsetting below changes, so that subsets kept on disk are made again.
SUBSET_VERSION = "1"
# The user's cache folder of PDF subsets, and how many it keeps (a few hundred kB each;
# an export of the library in three languages uses about a dozen). Those of the library's
# own brief in every shipped template are shipped under the same names
# (``resources/text-caches``, ``python -m briefing.chart_cache``) and read in place.
DISK_FOLDER = "pdf-subsets"
DISK_ENTRIES = 96
_MAGIC = b"BRPDFSUB1\n"
_stats = {"made": 0}


def cache_info() -> dict[str, int]:
    """Return how many PDF subsets were made with fontTools since ``clear_cache``."""
    with _lock:
        return dict(_stats)


def clear_cache() -> None:
    """Forget the subsets kept in memory and reset the counter (tests; a new build)."""
    with _lock:
        _subset_cache.clear()
        _stats["made"] = 0


def _subset(filename: str, gids: tuple[int, ...]) -> tuple[bytes, dict[str, Any]]:
    """Return the font file cut down to ``gids`` (ids kept) and the metrics the PDF needs.

    Kept for the process and in the user's cache folder, named by a hash of the font's
    bytes, the glyphs, fontTools' version and SUBSET_VERSION.
    """
    key = (filename, gids)
    with _lock:
        cached = _subset_cache.get(key)
    if cached is not None:
        return cached
    disk_key = _disk_key(filename, gids)
    found = _read_disk(disk_key)
    if found is None:
        found = _make_subset(filename, gids)
        with _lock:
            _stats["made"] += 1
        _write_disk(disk_key, *found)
    with _lock:
        if len(_subset_cache) > 64:
            _subset_cache.clear()
        _subset_cache[key] = found
    return found


def _disk_key(filename: str, gids: tuple[int, ...]) -> str:
    digest = hashlib.sha256()
    for part in (SUBSET_VERSION, font_subsets.fonttools_version(),
                 font_subsets.font_digest(filename), ",".join(map(str, gids))):
        digest.update(part.encode("ascii", "replace") + b"\0")
    return digest.hexdigest()[:32] + ".sub"


def _read_disk(key: str) -> tuple[bytes, dict[str, Any]] | None:
    """Return a subset kept on disk, or None (also for a torn or foreign file)."""
    stored = font_subsets.read_cached(DISK_FOLDER, key)
    if stored is None or not stored.startswith(_MAGIC):
        return None
    try:
        header_end = stored.index(b"\n", len(_MAGIC))
        info = json.loads(stored[len(_MAGIC) : header_end])
        data = stored[header_end + 1 :]
        if len(data) != info.pop("length") or not font_subsets.whole_font(data):
            return None
        info["bbox"] = tuple(info["bbox"])
    except (ValueError, KeyError, TypeError):
        return None
    return data, info


def _write_disk(key: str, data: bytes, info: dict[str, Any]) -> None:
    header = json.dumps({**info, "length": len(data)}, sort_keys=True).encode("ascii")
    font_subsets.write_cached(DISK_FOLDER, key, _MAGIC + header + b"\n" + data, DISK_ENTRIES)


def _make_subset(filename: str, gids: tuple[int, ...]) -> tuple[bytes, dict[str, Any]]:
    # fontTools' subsetter takes a tenth of a second to import: only when a subset is made.
    from fontTools import subset
    from fontTools.ttLib import TTFont as ToolsFont

    font = ToolsFont(filename, recalcBBoxes=False, recalcTimestamp=False)
    order = font.getGlyphOrder()
    info = _font_info(font)
    # Shaping is done: the layout tables are not needed in the PDF, and dropping them
    # before subsetting spares decompiling them (most of the time for a large face).
    for table in ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "kern", "DSIG", "MATH"):
        if table in font:
            del font[table]
    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    options.layout_features = []
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=[gid for gid in gids if gid < len(order)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    font.close()
    return out.getvalue(), info


def _postscript_name(font: Any) -> str:
    name = font["name"].getDebugName(6) or font["name"].getDebugName(4) or "Font"
    return "".join(c for c in name if c.isalnum() or c in "-_") or "Font"


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(base_name: str, mapping: dict[int, str]) -> str:
    """Return a ToUnicode CMap from two-byte codes to the characters they stand for.

    A code that stands for no characters maps to the empty string.
    """
    entries = sorted(mapping.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        f"/CMapName /{base_name}-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):
        block = entries[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{gid:04X}> <{_utf16_hex(text)}>" for gid, text in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=65536)
def pdf_width(font_name: str, gid: int) -> float:
    """Return the width the PDF gives glyph ``gid`` of ``font_name`` (thousandths of em)."""
    font = hb_font(font_file(font_name))
    return round(font.font.get_glyph_h_advance(gid) * 1000.0 / font.units, 3)


@lru_cache(maxsize=256)
def space_glyph(font_name: str) -> int | None:
    """Return the glyph id of the space of ``font_name``, or None when it has none."""
    gid = hb_font(font_file(font_name)).font.get_nominal_glyph(0x20)
    return gid or None


def embedded_font(document: Any, font_name: str) -> _Embedded:
    """Return the glyph-id font of ``font_name`` in ``document``, adding it on first use."""
    fonts: dict[str, _Embedded] = document.__dict__.setdefault("_glyph_fonts", {})
    found = fonts.get(font_name)
    if found is None:
        internal = f"FH{len(fonts) + 1}"
        found = fonts[font_name] = _Embedded(font_name, internal)
        document.fontMapping[f"glyphs:{font_name}"] = "/" + internal
        document.delayedFonts.append(found)
    return found
