"""Embed subset fonts in a Word package (ECMA-376 Part 1, 17.8.1: obfuscated font parts)."""

from __future__ import annotations

import hashlib
import io
import struct
import uuid
from dataclasses import dataclass
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement

from briefing.errors import BriefingError
from briefing.render import font_subsets

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"

# OS/2 fsType bits (OpenType specification).
FS_RESTRICTED = 0x0002
FS_PREVIEW_PRINT = 0x0004
FS_NO_SUBSETTING = 0x0100
FS_BITMAP_ONLY = 0x0200

# Faces that ship with Windows and macOS, named in the font table for readers that ignore
# embedded fonts: (Windows name given as w:altName, macOS equivalent noted for people).
FALLBACKS: dict[str, str] = {
    "Amiri": "Traditional Arabic",  # macOS: Geeza Pro
    "Noto Naskh Arabic": "Traditional Arabic",
    "Noto Serif": "Times New Roman",
    "Noto Sans": "Arial",
}
ARABIC_CHARSET = "B2"
LATIN_CHARSET = "00"

# Children of w:font in schema order.
FONT_ORDER = tuple(
    f"w:{name}"
    for name in [
        "altName",
        "panose1",
        "charset",
        "family",
        "notTrueType",
        "pitch",
        "sig",
        "embedRegular",
        "embedBold",
        "embedItalic",
        "embedBoldItalic",
    ]
)


@dataclass(frozen=True)
class EmbeddedFace:
    """One font file to embed under a family name, as regular or bold."""

    family: str
    path: Path
    bold: bool
    arabic: bool


def embedding_problem(fs_type: int) -> str:
    """Return why a font with these fsType bits may not be embedded, or ""."""
    if fs_type & 0x000F == FS_RESTRICTED:
        return "its licence forbids embedding (OS/2 fsType: restricted)"
    if fs_type & FS_BITMAP_ONLY:
        return "its licence allows only bitmaps to be embedded (OS/2 fsType)"
    return ""


def font_key(family: str, bold: bool, data: bytes) -> str:
    """Return a GUID for one embedded face, derived from its bytes (same input, same file)."""
    digest = hashlib.sha256(f"{family}|{bold}|".encode() + data).digest()
    return "{" + str(uuid.UUID(bytes=digest[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes of a font with the key GUID's bytes in reverse order.

    The same operation turns an .odttf part back into the font.
    """
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ guid[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]


def subset_font(path: Path, characters: str) -> tuple[bytes, bool, int]:
    """Return (font bytes, subsetted?, fsType) for ``characters``, keeping shaping tables.

    A subset made before (in this process, an earlier run, or shipped with the program
    for the bundled fonts) is reused: see ``font_subsets``.
    """
    fs_type = font_subsets.fs_type(path)
    problem = embedding_problem(fs_type)
    if problem:
        return b"", False, fs_type
    if fs_type & FS_NO_SUBSETTING:
        return path.read_bytes(), False, fs_type
    key, data = font_subsets.cached_subset(path, characters)
    if data is None:
        data = make_subset(path, characters)
        font_subsets.store(key, data)
    return data, True, fs_type


def make_subset(path: Path, characters: str) -> bytes:
    """Return the subset of the font at ``path`` keeping ``characters`` (fontTools)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    with TTFont(str(path)) as font:
        options = subset.Options()
        options.layout_features = ["*"]  # joining, ligatures, mark positioning
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.glyph_names = False
        options.hinting = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes={ord(char) for char in characters})
        subsetter.subset(font)
        font.recalcTimestamp = False  # same input, same bytes
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()


def _font_signature(path: Path) -> tuple[str, str]:
    """Return (panose hex, sig attributes) from a font's OS/2 table (read directly: this
    runs for every face of every Word file, and fontTools takes a tenth of a second to load).
    """
    table = font_subsets.os2_table(path)
    if len(table) < 58:
        raise BriefingError(f"font {path.name} has no usable OS/2 table")
    panose = table[32:42]
    ranges = struct.unpack_from(">4I", table, 42)
    pages = struct.unpack_from(">2I", table, 78) if len(table) >= 86 else (0, 0)
    sig = " ".join(
        f'w:{name}="{value:08X}"'
        for name, value in zip(
            ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1"), ranges + pages, strict=True
        )
    )
    return "".join(f"{value:02X}" for value in panose), sig


def embed_fonts(
    font_table: Part, faces: list[EmbeddedFace], characters: str, warnings: list[str]
) -> int:
    """Write the font table entries and embedded parts for ``faces``; return parts embedded.

    Faces whose licence bits forbid embedding are left out and named in ``warnings``.
    """
    root: BaseOxmlElement = parse_xml(font_table.blob)
    package = font_table.package
    by_name = {font.get(qn("w:name")): font for font in root.findall(qn("w:font"))}
    embedded = 0
    done: set[tuple[str, bool]] = set()
    for face in faces:
        if (face.family, face.bold) in done:
            continue
        done.add((face.family, face.bold))
        data, subsetted, fs_type = subset_font(face.path, characters)
        font = by_name.get(face.family)
        if font is None:
            font = parse_xml(f'<w:font {nsdecls("w")} w:name="{face.family}"/>')
            root.append(font)
            by_name[face.family] = font
        _describe(font, face)
        if not data:
            warnings.append(
                f"font {face.family} ({face.path.name}) is not embedded in the Word file: "
                f"{embedding_problem(fs_type)}"
            )
            continue
        if fs_type & FS_PREVIEW_PRINT:
            warnings.append(
                f"font {face.family} ({face.path.name}) allows preview and print embedding only: "
                "Word opens the file read-only on machines without it"
            )
        key = font_key(face.family, face.bold, data)
        embedded += 1
        name = f"/word/fonts/font{len(done)}.odttf"
        part = Part(PackURI(name), OBFUSCATED_FONT, obfuscate(data, key), package)
        rel_id = font_table.relate_to(part, RELATIONSHIP_TYPE.FONT)
        tag = "w:embedBold" if face.bold else "w:embedRegular"
        for old in font.findall(qn(tag)):
            font.remove(old)
        element = parse_xml(
            f'<{tag} {nsdecls("w", "r")} r:id="{rel_id}" w:fontKey="{key}"'
            + (' w:subsetted="1"' if subsetted else "")
            + "/>"
        )
        _insert_ordered(font, element)
    font_table._blob = _serialise(root)
    return embedded


def _describe(font: BaseOxmlElement, face: EmbeddedFace) -> None:
    """Name a fallback face, the panose class, charset, family and signature of a font."""
    for child in list(font):
        if child.tag not in (qn("w:embedRegular"), qn("w:embedBold")):
            font.remove(child)
    panose, sig = _font_signature(face.path)
    fallback = FALLBACKS.get(face.family, "Arial" if face.arabic else "Times New Roman")
    serif = panose[2:4] not in ("0B", "0C", "0D", "0E", "0F")  # serif style 11-15 are sans
    parts = [
        f'<w:altName {nsdecls("w")} w:val="{fallback}"/>',
        f'<w:panose1 {nsdecls("w")} w:val="{panose}"/>',
        f'<w:charset {nsdecls("w")} w:val="{ARABIC_CHARSET if face.arabic else LATIN_CHARSET}"/>',
        f'<w:family {nsdecls("w")} w:val="{"roman" if serif else "swiss"}"/>',
        f'<w:pitch {nsdecls("w")} w:val="variable"/>',
        f"<w:sig {nsdecls('w')} {sig}/>",
    ]
    for xml in parts:
        _insert_ordered(font, parse_xml(xml))


def _insert_ordered(parent: BaseOxmlElement, element: BaseOxmlElement) -> None:
    order = [qn(tag) for tag in FONT_ORDER]
    position = order.index(element.tag)
    for existing in parent:
        if existing.tag in order and order.index(existing.tag) > position:
            existing.addprevious(element)
            return
    parent.append(element)


def _serialise(root: BaseOxmlElement) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_embedding(settings: BaseOxmlElement) -> None:
    """Ask Word to keep the embedded (subset) fonts when it saves the file again."""
    order = [
        qn(f"w:{name}")
        for name in [
            "writeProtection",
            "view",
            "zoom",
            "removePersonalInformation",
            "removeDateAndTime",
            "doNotDisplayPageBoundaries",
            "displayBackgroundShape",
            "printPostScriptOverText",
            "printFractionalCharacterWidth",
            "printFormsData",
            "embedTrueTypeFonts",
            "embedSystemFonts",
            "saveSubsetFonts",
        ]
    ]
    for tag in ("w:embedTrueTypeFonts", "w:saveSubsetFonts"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    for tag in ("w:embedTrueTypeFonts", "w:saveSubsetFonts"):
        element = parse_xml(f"<{tag} {nsdecls('w')}/>")
        position = order.index(qn(tag))
        for existing in settings:
            if existing.tag not in order[: position + 1]:
                existing.addprevious(element)
                break
        else:
            settings.append(element)
