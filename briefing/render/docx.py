"""Render a Document as a Word brief: logical text, true right-to-left Arabic, real Word styles."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from copy import deepcopy
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import docx
from docx.blkcntnr import BlockItemContainer
from docx.document import Document as WordDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_DIRECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.image import ImagePart
from docx.parts.numbering import NumberingPart
from docx.shared import Cm, Emu, Length, Mm, Pt
from docx.styles import BabelFish
from docx.styles.style import BaseStyle, StyleFactory
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run
from lxml import etree

from briefing.document import (
    Block,
    BulletList,
    Chart,
    Cover,
    Document,
    Heading,
    Paragraph,
    Parallel,
    ParallelList,
    ParallelTable,
    Table,
)
from briefing.errors import BriefingError
from briefing.fonts import ARABIC_FAMILIES, bundled_face, fallback_faces
from briefing.model import Lang
from briefing.render import docx_flow as flow
from briefing.render import docx_oxml as ox
from briefing.render.charts import (
    CHART_SIZES_CM,
    SIDE_CHART_KINDS,
    cache_key,
    chart_size_cm,
    picture_coming,
    render_chart_png,
)
from briefing.render.docx_fonts import EmbeddedFace, embed_fonts, set_embedding

LOG = logging.getLogger(__name__)

_W_BODY, _W_SECTPR, _W_T = qn("w:body"), qn("w:sectPr"), qn("w:t")
_XML_SPACE = qn("xml:space")

# BCP 47 tags written into runs, styles and the core properties.
LANGUAGE_TAGS: dict[str, str] = {"ar": "ar-SA", "en": "en-GB"}

PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}

TABLE_STYLE = "Brief Table"
TABLE_TEXT_STYLE = "Table Text"
TABLE_SMALL_STYLE = "Table Text Small"
# Left and right cell margins of the small tables (twips), and the smallest type a
# bilingual table is set in to keep its values whole and its labels to two lines.
CELL_MARGIN = 57
MIN_TABLE_SIZE = 7.0

_ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_JOINERS = " .,:;&/+'\u2019\u2010-\u2015\\-"
# A Latin stretch inside Arabic text runs from a Latin letter to the last Latin letter or
# digit before Arabic resumes ("Port of Baku", "COP29"); surrounding brackets, spaces and
# punctuation stay with the Arabic so that they take the paragraph's direction.
LATIN_SPAN = re.compile(rf"[{_LATIN}](?:[{_LATIN}0-9{_JOINERS}]*[{_LATIN}0-9])?")
# An Arabic stretch inside English text, likewise (Arabic-Indic digits belong to it).
ARABIC_SPAN = re.compile(
    rf"[{_ARABIC}](?:[{_ARABIC}0-9\u0660-\u0669\u066b\u066c{_JOINERS}\u060c\u061b]*"
    rf"[{_ARABIC}0-9\u0660-\u0669])?"
)
LRM = "\u200e"
PAGE_FIELDS = re.compile(r"(\{page\}|\{pages\})")
# Characters XML 1.0 cannot carry; pasted text sometimes brings them along.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _property(text: str) -> str:
    """Return text fit for a core property: no characters XML refuses, at most 255 of them
    (Word's limit for each property)."""
    return CONTROL_CHARACTERS.sub("", text)[:255]


# Characters every embedded subset keeps: printable Latin-1, Latin Extended-A, the
# Arabic block, the zero-width and direction marks (a bracketed Latin word in Arabic
# stands behind a left-to-right mark), general punctuation, the euro sign and the bullet.
SUBSET_REPERTOIRE = "".join(
    chr(code)
    for start, end in (
        (0x20, 0x7E),
        (0xA0, 0x17F),
        (0x600, 0x6FF),
        (0x200B, 0x200F),
        (0x2010, 0x2044),
        (0x20AC, 0x20AC),
    )
    for code in range(start, end + 1)
)

# Line pitch, as a multiple of the type size, of titles, headings, tables and captions.
COMPACT_LINE_SPACING = 1.4

# Tallest a chart picture is shown in Word (cm): the PDF may draw a chart down to 0.7 of
# its height where the page has less room, Word cannot. A full chart is shown at 0.8 of
# its height; a pair of half-size ones in a bilingual row (which moves on whole) at 0.7; a
# small chart floating beside its text at 0.83.
WORD_CHART_HEIGHT_CM: dict[str, float] = {"full": 7.0, "half": 5.4, "column": 4.6}

# Twips (1/20 pt) of inner cell margin of the tables used only for layout.
LAYOUT_CELL_MARGIN = 113  # 2 mm
# Space between the Arabic and English columns of a bilingual brief.
GUTTER = Cm(0.7)
# Width lost to the side margins of a shaded column cell (2 x 142 twips).
CELL_BOX_INSET = int(Pt(2 * 142 / 20))


def render_docx(document: Document) -> bytes:
    """Return ``document`` as the bytes of a .docx file (same input, same bytes)."""
    return finish_docx(start_docx(document))


def start_docx(document: Document) -> _WordWriter:
    """Write ``document``'s Word parts; ``finish_docx`` returns the file.

    A chart picture another process is still drawing is set as a stand-in and taken
    when the file is finished, so the writer can go on to other work in between.
    """
    writer = _WordWriter(document)
    writer.build()
    return writer


def finish_docx(writer: _WordWriter) -> bytes:
    """Return the file ``start_docx`` wrote, with its chart pictures."""
    return writer.finish()


def split_scripts(text: str, lang: Lang) -> list[tuple[str, Lang]]:
    """Return ``text`` cut into runs of one script, each tagged "ar" or "en".

    In Arabic text only Latin stretches become "en" runs; digits, spaces and punctuation
    stay Arabic. In English text only Arabic stretches become "ar" runs.
    """
    pattern, other = (LATIN_SPAN, "en") if lang == "ar" else (ARABIC_SPAN, "ar")
    pieces: list[tuple[str, Lang]] = []
    position = 0
    for match in pattern.finditer(text):
        start, end = match.start(), match.end()
        span = match.group(0)
        if lang == "ar" and text[start - 1 : start] == "(" and text[end : end + 1] == ")":
            # A bracketed Latin word inside Arabic ("(COP29)"): LibreOffice breaks a line
            # where the bidi level changes, so an opening bracket at the Arabic level can
            # end a line without its word. A left-to-right mark puts the brackets at the
            # word's level (they look the same) and the three stay together.
            start, end = start - 1, end + 1
            span = LRM + text[start:end]
        if start > position:
            pieces.append((text[position:start], lang))
        pieces.append((span, other))  # type: ignore[arg-type]
        position = end
    if position < len(text):
        pieces.append((text[position:], lang))
    return pieces


class _WordWriter:
    """Write one Document into a python-docx document built on the template (or letterhead)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.template = document.template
        self.main_lang: Lang = "en" if document.lang == "en" else "ar"
        self.arabic_font = self.template.fonts.arabic.family
        self.latin_font = self.template.fonts.latin.family
        self.colours = self.template.colours
        fonts = self.template.fonts
        body = float(fonts.size_body)
        heading = float(fonts.size_heading)
        # Point size of each paragraph style (Latin text); Arabic text is set ``cs_scale``
        # times larger (w:szCs), as in the PDF, so that both scripts look one size.
        self.cs_scale = _arabic_scale(fonts.arabic, fonts.latin)
        self.sizes: dict[str, float] = {
            "Normal": body,
            "Title": float(fonts.size_title),
            "Subtitle": max(body + 1, heading - 1),
            "Heading 1": heading,
            "Heading 2": max(body + 1, heading - 2),
            "Heading 3": body + 0.5,
            "List Bullet": body,
            "Caption": max(7.0, body - 1.5),
            "Header": max(7.0, body - 2),
            "Footer": max(7.0, body - 2),
            TABLE_TEXT_STYLE: max(7.0, body - 1),
            TABLE_SMALL_STYLE: max(7.0, body - 2),
        }
        self.letterhead = self.template.letterhead
        self.word: WordDocument = self._open_base()
        self.fresh_cells: set[BaseOxmlElement] = set()
        # Cells of the bilingual two-column layout.
        self.column_cells: set[BaseOxmlElement] = set()
        self.bullet_num_id = 0
        self.layout_table: WordTable | None = None
        # For the page estimate that floats charts (see docx_flow): the first element of
        # each chart (its picture paragraph, or its bilingual row), the rows of the
        # bilingual layout (a chart row may move among them), the small charts floating
        # beside text by the paragraph holding them, the styles' spacing by id.
        self.chart_starts: set[BaseOxmlElement] = set()
        self.movable_rows: set[BaseOxmlElement] = set()
        self.side_floats: dict[BaseOxmlElement, flow.Float] = {}
        self.style_spacing: dict[str | None, dict[str, Any]] = {}
        self.style_margins: dict[str | None, dict[str, float]] = {}  # table style margins
        # Stand-in picture bytes -> the chart picture they stand for (see ``finish``).
        self.late_pictures: dict[bytes, tuple[Any, Any, str]] = {}
        self.style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self.style_index: dict[str | None, BaseOxmlElement] | None = None  # see _find_style
        # Made once, copied for each new paragraph and run (see ``_new_paragraph``).
        self.paragraph_templates: dict[tuple[str | None, Lang], BaseOxmlElement] = {}
        self.run_templates: dict[tuple[Any, ...], BaseOxmlElement] = {}
        self.default_styles: dict[WD_STYLE_TYPE, BaseOxmlElement | None] = {}
        # Characters each face has, and bundled faces that stand in for missing ones.
        self.cmaps: dict[str, frozenset[int]] = {}
        self.fallback_families: set[str] = set()
        # Fonts that could not be embedded, said once per export.
        self.warnings: list[str] = []

    # -- package --------------------------------------------------------------------------
    def _open_base(self) -> WordDocument:
        """Return the base document: the template's letterhead with its body cleared, or blank."""
        if self.letterhead is None:
            return docx.Document()
        try:
            word = docx.Document(str(self.letterhead))
        except Exception as exc:  # a damaged or non-Word file
            raise BriefingError(
                f"letterhead {self.letterhead} cannot be read as Word: {exc}"
            ) from None
        body = word.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        if body.find(qn("w:sectPr")) is None:
            body.append(OxmlElement("w:sectPr"))
        _freeze_furniture_spacing(word)
        return word

    def build(self) -> None:
        """Write every part of the file (a picture still being drawn as a stand-in)."""
        self._document_defaults()
        self._styles()
        self._bullets()
        self._sections()
        self._write_blocks(self.word._body, self.document.blocks, self._text_width())
        self._float_charts()
        self._page_furniture()
        self._properties()
        self._package_settings()
        self._number_drawings()
        self._order_run_properties()
        self._embed_fonts()

    def finish(self) -> bytes:
        """Return the finished .docx bytes, each stand-in replaced by its picture."""
        if self.late_pictures:
            for part in self.word.part.package.parts:
                item = self.late_pictures.get(part.blob) if isinstance(part, ImagePart) else None
                if item is not None:
                    part._blob = render_chart_png(*item)
        return _package_bytes(self.word, self._timestamp())

    def _timestamp(self) -> datetime | None:
        day = self.document.date
        if day is None:
            return None
        return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)

    def _properties(self) -> None:
        core = self.word.core_properties
        core.title = _property(self.document.title)
        core.subject = _property(self.document.subject)
        core.author = _property(self.document.author)
        core.last_modified_by = _property(self.document.author)
        core.language = LANGUAGE_TAGS[self.main_lang]
        core.comments = ""
        core.keywords = _property(self._keywords())
        core.category = ""
        core.identifier = self.document.brief_key
        core.revision = 1
        stamp = self._timestamp()
        element = core._element
        if stamp is None:
            # No date on the brief: write none rather than a made-up one.
            element._remove_created()
            element._remove_modified()
        else:
            core.created = stamp
            core.modified = stamp
        for printed in element.findall(qn("cp:lastPrinted")):
            element.remove(printed)  # a letterhead's own history

    def _used_characters(self) -> str:
        """Return the characters to keep in the embedded subsets.

        Besides the package's own text, every subset keeps one fixed repertoire (Latin,
        Arabic, punctuation, both digit sets): a reader that caches an embedded face by
        name across open documents (LibreOffice does) then still finds the letters of the
        next brief in the subset of the first.
        """
        used: set[str] = set(SUBSET_REPERTOIRE)
        for part in self.word.part.package.iter_parts():
            if isinstance(part, XmlPart):
                for text in part.element.iter(qn("w:t")):
                    used.update(text.text or "")
        return "".join(sorted(used))

    def _embed_fonts(self) -> None:
        """Embed subsets of the template's fonts so Word elsewhere shows the same faces."""
        fonts = self.template.fonts
        faces: list[EmbeddedFace] = []
        for face, arabic in ((fonts.arabic, True), (fonts.latin, False)):
            faces.append(EmbeddedFace(face.family, face.regular, False, arabic))
            faces.append(EmbeddedFace(face.family, face.bold, True, arabic))
        for family in sorted(self.fallback_families):
            face = bundled_face(family)
            faces.append(EmbeddedFace(family, face.regular, False, family in ARABIC_FAMILIES))
            faces.append(EmbeddedFace(family, face.bold, True, family in ARABIC_FAMILIES))
        table = next(
            (p for p in self.word.part.package.iter_parts() if p.partname == "/word/fontTable.xml"),
            None,
        )
        if table is None:
            raise BriefingError("the Word base document has no font table")
        embed_fonts(table, faces, self._used_characters(), self.warnings)
        for warning in self.warnings:
            LOG.warning("%s", warning)
        set_embedding(self.word.settings.element)

    def _order_run_properties(self) -> None:
        """Put run properties in schema order in every part (a letterhead may not have)."""
        rank = {qn(tag): index for index, tag in enumerate(ox.RPR_ORDER)}
        for part in self.word.part.package.iter_parts():
            if not isinstance(part, XmlPart):
                continue
            for properties in part.element.iter(qn("w:rPr")):
                children = list(properties)
                ordered = sorted(children, key=lambda child: rank.get(child.tag, len(rank)))
                if ordered != children:
                    for child in children:
                        properties.remove(child)
                    properties.extend(ordered)

    def _keywords(self) -> str:
        """Return the brief's top-level section headings as the file's keywords."""
        headings: list[str] = []

        def collect(blocks: Sequence[Block]) -> None:
            for block in blocks:
                if isinstance(block, Parallel):
                    collect(block.ar if self.main_lang == "ar" else block.en)
                elif isinstance(block, Heading) and block.level == 1 and block.text:
                    headings.append(block.text)

        collect(self.document.blocks)
        return "; ".join(dict.fromkeys(headings))

    def _number_drawings(self) -> None:
        """Give every picture a package-wide unique id (body and letterhead headers alike).

        python-docx counts ids within one part only; Word reports a file with repeated
        drawing ids as damaged.
        """
        number = 0
        for part in self.word.part.package.iter_parts():
            if not isinstance(part, XmlPart):
                continue
            for properties in part.element.xpath(".//wp:docPr"):
                number += 1
                properties.set("id", str(number))

    def _package_settings(self) -> None:
        """Drop an inherited preview picture (it would show another page); declare Arabic."""
        package_rels = self.word.part.package.rels
        for rel_id, rel in list(package_rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                del package_rels[rel_id]
        # Word 2010's shadow copy of the styles would still carry the old theme fonts.
        document_rels = self.word.part.rels
        for rel_id, rel in list(document_rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                del document_rels[rel_id]
        settings = self.word.settings.element
        ox.remove_children(settings, "w:savePreviewPicture")
        for mode in settings.xpath('./w:compat/w:compatSetting[@w:name="compatibilityMode"]'):
            mode.set(qn("w:val"), "15")  # Word 2013 and later layout, not 2010's
        # Justified English paragraphs are hyphenated, as in the PDF (headings, tables,
        # captions and lists are not: their styles suppress it).
        ox.set_hyphenation(settings, consecutive=2)
        theme_lang = settings.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:bidi"), LANGUAGE_TAGS["ar"])

    # -- styles ---------------------------------------------------------------------------
    def _set_size(self, target: Any, points: float) -> None:
        """Set a Latin size and the matching (larger) Arabic size on a run or style."""
        ox.set_size(target, points, points * self.cs_scale)

    def _document_defaults(self) -> None:
        styles = self.word.styles.element
        ox.clear_theme_fonts(styles.iter(qn("w:rFonts")))
        # Character spacing breaks Arabic joining (the stock Title is letter-spaced), and
        # every text style serves Arabic runs too: no style spaces its letters.
        for spacing in styles.xpath(".//w:rPr/w:spacing"):
            spacing.getparent().remove(spacing)
        # The base file's own styles (Heading 4 to 9, Quote…) set Arabic at the Latin size.
        for size in styles.xpath(".//w:rPr/w:sz"):
            self._set_size(size.getparent(), int(size.get(qn("w:val"))) / 2)
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles.insert(0, defaults)
        run_defaults = ox.get_or_add(defaults, "w:rPrDefault", ("w:rPrDefault", "w:pPrDefault"))
        properties = ox.get_or_add(run_defaults, "w:rPr", ("w:rPr",))
        ox.set_fonts(properties, self.latin_font, self.arabic_font)
        self._set_size(properties, self.sizes["Normal"])
        ox.set_language(properties, LANGUAGE_TAGS["en"], LANGUAGE_TAGS["ar"])

    def _style(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> Any:
        """Return the named style, adding it when the base file lacks it."""
        style = self._find_style(name)
        if style is None:
            style = self._add_style(name, kind)
            if kind == WD_STYLE_TYPE.PARAGRAPH and name != "Normal":
                style.base_style = self._find_style("Normal")
        return style

    def _find_style(self, name: str) -> Any:
        """Return the style named ``name`` as ``styles[name]`` finds it, or None.

        python-docx looks a name up with an XPath expression it compiles at each call,
        and scans every style again before adding one; a file looks up its styles about
        forty times, so their names are indexed once (the first style of a name wins,
        as in python-docx).
        """
        if self.style_index is None:
            self.style_index = {}
            for element in self.word.styles.element.style_lst:
                self.style_index.setdefault(element.name_val, element)
        element = self.style_index.get(BabelFish.ui2internal(name))
        if element is not None:
            return StyleFactory(element)
        try:
            return self.word.styles[name]  # python-docx also takes a style id
        except KeyError:
            return None

    def _named_style(self, name: str) -> Any:
        """Return the style ``name``; KeyError when there is none (as ``styles[name]``)."""
        style = self._find_style(name)
        if style is None:
            raise KeyError(f"no style with name '{name}'")
        return style

    def _add_style(self, name: str, kind: WD_STYLE_TYPE) -> Any:
        """Add the style ``name``, which ``_find_style`` did not find, as
        ``styles.add_style`` does."""
        internal = BabelFish.ui2internal(name)
        element = self.word.styles.element.add_style_of_type(internal, kind, False)
        if self.style_index is not None:
            self.style_index.setdefault(internal, element)
        return StyleFactory(element)

    def _paragraph_style(
        self,
        name: str,
        colour: str,
        bold: bool = False,
        before: float = 0,
        after: float = 6,
        keep_next: bool = False,
        outline: int | None = None,
    ) -> BaseStyle:
        style = self._style(name)
        style.hidden = False
        style.quick_style = True
        run = style.element.get_or_add_rPr()
        ox.set_fonts(run, self.latin_font, self.arabic_font)
        self._set_size(run, self.sizes[name])
        ox.set_colour(run, colour)
        ox.set_bold(run, bold)
        ox.set_italic(run, False)
        paragraph = style.element.get_or_add_pPr()
        ox.remove_children(paragraph, "w:numPr")  # the stock Subtitle is oddly numbered
        ox.suppress_hyphenation(paragraph)  # only running text (Normal) is hyphenated
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.line_spacing = self._leading(name)
        _at_least(paragraph)
        if keep_next:
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.keep_together = True
        if outline is not None:
            ox.get_or_add(paragraph, "w:outlineLvl", ox.PPR_ORDER).set(qn("w:val"), str(outline))
        return style

    def _styles(self) -> None:
        colours = self.colours
        normal = self._style("Normal")
        run = normal.element.get_or_add_rPr()
        ox.set_fonts(run, self.latin_font, self.arabic_font)
        self._set_size(run, self.sizes["Normal"])
        ox.set_colour(run, colours["text"])
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = self._leading("Normal")
        normal.paragraph_format.widow_control = True
        # Clear Formatting goes back to Normal: in an Arabic brief it must stay right-to-left.
        ox.set_paragraph_bidi(normal.element.get_or_add_pPr(), self.document.lang == "ar")
        _at_least(normal.element.get_or_add_pPr())
        title = self._paragraph_style("Title", colours["primary"], bold=True, after=6)
        title_paragraph = title.element.get_or_add_pPr()
        ox.remove_children(title_paragraph, "w:pBdr")
        self._paragraph_style("Subtitle", colours["muted"], after=12)
        self._paragraph_style(
            "Heading 1",
            colours["primary"],
            bold=True,
            before=16,
            after=6,
            keep_next=True,
            outline=0,
        )
        self._paragraph_style(
            "Heading 2",
            colours["primary"],
            bold=True,
            before=12,
            after=4,
            keep_next=True,
            outline=1,
        )
        self._paragraph_style(
            "Heading 3", colours["text"], bold=True, before=8, after=3, keep_next=True, outline=2
        )
        self._paragraph_style("List Bullet", colours["text"], after=4)
        self._paragraph_style("Caption", colours["muted"], before=2, after=12)
        for name in ("Header", "Footer"):
            self._paragraph_style(name, colours["muted"], after=0)
        self._paragraph_style(TABLE_TEXT_STYLE, colours["text"], after=0)
        self._paragraph_style(TABLE_SMALL_STYLE, colours["text"], after=0)
        self._table_style()

    def _leading(self, style: str) -> Length:
        """Return the line pitch of a paragraph style (written as "at least", never exact).

        Word sizes "multiple" line spacing from a font's Windows metrics, and Amiri's are
        four times its size, so every text style gets a minimum pitch instead: the template's
        line spacing for running text, a tighter one for titles, tables and furniture. A
        minimum lets a line with high marks grow instead of clipping them.
        """
        factor = float(self.template.fonts.line_spacing)
        if style not in ("Normal", "List Bullet"):
            factor = min(factor, COMPACT_LINE_SPACING)
        return Pt(round(self.sizes[style] * factor * 2) / 2)

    def _table_style(self) -> None:
        """Define the data-table style: ruled rows, shaded repeated header, banded rows."""
        colours = self.colours
        style = self._find_style(TABLE_STYLE) or self._add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
        element = style.element
        for tag in ("w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
            ox.remove_children(element, tag)
        header_fill = ox.hex_colour(colours["table_header"])
        header_text = ox.hex_colour(colours["table_header_text"])
        stripe = ox.hex_colour(colours["table_stripe"])
        primary = ox.hex_colour(colours["primary"])
        rule = ox.hex_colour(colours["rule"])
        parts = [
            f'<w:pPr {nsdecls("w")}><w:spacing w:before="40" w:after="40"/></w:pPr>',
            f'<w:tblPr {nsdecls("w")}><w:tblStyleRowBandSize w:val="1"/>'
            "<w:tblBorders>"
            f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{primary}"/>'
            '<w:left w:val="nil"/>'
            f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{primary}"/>'
            '<w:right w:val="nil"/>'
            f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
            '<w:insideV w:val="nil"/>'
            "</w:tblBorders>"
            '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="113" w:type="dxa"/>'
            '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="113" w:type="dxa"/></w:tblCellMar>'
            "</w:tblPr>",
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow">'
            f'<w:rPr><w:b/><w:bCs/><w:color w:val="{header_text}"/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{header_fill}"/></w:tcPr>'
            "</w:tblStylePr>",
            f'<w:tblStylePr {nsdecls("w")} w:type="band1Horz">'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{stripe}"/></w:tcPr>'
            "</w:tblStylePr>",
        ]
        for xml in parts:
            element.append(parse_xml(xml))
        style.hidden = False
        style.quick_style = True

    def _bullets(self) -> None:
        """Give List Bullet a round bullet in the template's colour, indented at the start side."""
        numbering = self._numbering_part().element
        style = self._style("List Bullet")
        paragraph = style.element.get_or_add_pPr()
        level_xml = (
            f'<w:lvl {nsdecls("w")} w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{self.latin_font}" w:hAnsi="{self.latin_font}" '
            f'w:cs="{self.latin_font}"/>'
            f'<w:color w:val="{ox.hex_colour(self.colours["accent"])}"/></w:rPr></w:lvl>'
        )
        abstract_ids = [int(v) for v in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
        new_id = max(abstract_ids, default=-1) + 1
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{new_id}">'
            '<w:multiLevelType w:val="singleLevel"/></w:abstractNum>'
        )
        abstract.append(parse_xml(level_xml))
        existing = numbering.findall(qn("w:abstractNum"))
        if existing:
            existing[-1].addnext(abstract)
        else:
            numbering.insert(0, abstract)
        # An older definition linked to the same style would compete with ours.
        for link in numbering.xpath('./w:abstractNum/w:lvl/w:pStyle[@w:val="ListBullet"]'):
            link.getparent().remove(link)
        num = numbering.add_num(new_id)
        self.bullet_num_id = int(num.get(qn("w:numId")))
        ox.set_numbering(paragraph, self.bullet_num_id)

    def _numbering_part(self) -> NumberingPart:
        part = self.word.part
        try:
            return part.numbering_part
        except NotImplementedError:
            # The base file has no numbering part and python-docx cannot create one.
            element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
            numbering = NumberingPart(
                PackURI("/word/numbering.xml"), CONTENT_TYPE.WML_NUMBERING, element, part.package
            )
            part.relate_to(numbering, RELATIONSHIP_TYPE.NUMBERING)
            return numbering

    # -- page ---------------------------------------------------------------------------
    def _sections(self) -> None:
        page = self.template.page
        for section in self.word.sections:
            # The template's page wins over the letterhead's own (its design is its
            # header and footer, not its margins).
            width, height = PAGE_SIZES_MM[page.size]
            section.page_width = Mm(width)
            section.page_height = Mm(height)
            section.top_margin = Mm(float(page.margin_top_mm))
            section.bottom_margin = Mm(float(page.margin_bottom_mm))
            section.left_margin = Mm(float(page.margin_left_mm))
            section.right_margin = Mm(float(page.margin_right_mm))
            if self.document.digits == "arabic" and self.main_lang == "ar":
                # PAGE fields without a switch follow the section's number format.
                number_type = ox.get_or_add(section._sectPr, "w:pgNumType", ox.SECTPR_ORDER)
                number_type.set(qn("w:fmt"), "hindiNumbers")
            if self.letterhead is None:
                section.start_type = WD_SECTION_START.NEW_PAGE
                section.header_distance = Mm(min(10.0, float(page.margin_top_mm) / 2))
                section.footer_distance = Mm(min(10.0, float(page.margin_bottom_mm) / 2))
                section.gutter = Emu(0)
            ox.set_section_bidi(section._sectPr, self.main_lang == "ar")

    def _text_width(self) -> Length:
        section = self.word.sections[-1]
        width = (section.page_width or Mm(210)) - (section.left_margin or 0)
        width -= section.right_margin or 0
        return Emu(int(width))

    # -- text ---------------------------------------------------------------------------
    def _new_paragraph(
        self,
        container: Any,
        lang: Lang,
        style: str | None = None,
        align: WD_ALIGN_PARAGRAPH | None = None,
        keep_next: bool | None = None,
    ) -> WordParagraph:
        """Return a new paragraph in ``container`` with the direction of ``lang`` (and the
        alignment and keeping with the next paragraph given, None leaving them unset).

        The paragraph is a copy of one made once per style and direction (see
        ``_paragraph_template``): python-docx builds each property element through a
        schema-ordered search, and a brief writes hundreds of paragraphs of a few kinds.
        """
        key = (style, lang, align, keep_next)
        template = self.paragraph_templates.get(key)
        if template is None:
            template = self.paragraph_templates[key] = self._paragraph_template(*key)
        element = container._element
        if isinstance(container, _Cell) and element in self.fresh_cells:
            # A new cell already holds the one empty paragraph Word requires: use it.
            self.fresh_cells.discard(element)
            paragraph = container.paragraphs[0]
            if len(paragraph._p):
                self._style_paragraph(paragraph, *key)  # not as made: the long way
            else:
                paragraph._p.extend(deepcopy(template)[:])
            return paragraph
        p = deepcopy(template)
        # A body ends with its section properties; cells, headers and footers end with
        # their last paragraph or table (where python-docx puts a new paragraph too).
        last = element.find(_W_SECTPR) if element.tag == _W_BODY else None
        if last is not None:
            last.addprevious(p)
        else:
            element.append(p)
        return WordParagraph(p, container)

    def _paragraph_template(
        self,
        style: str | None,
        lang: Lang,
        align: WD_ALIGN_PARAGRAPH | None,
        keep_next: bool | None,
    ) -> BaseOxmlElement:
        """Return an unattached paragraph with the properties ``_new_paragraph`` gives."""
        p = OxmlElement("w:p")
        self._style_paragraph(WordParagraph(p, None), style, lang, align, keep_next)
        return p

    def _style_paragraph(
        self,
        paragraph: WordParagraph,
        style: str | None,
        lang: Lang,
        align: WD_ALIGN_PARAGRAPH | None = None,
        keep_next: bool | None = None,
    ) -> None:
        if align is not None:
            paragraph.alignment = align
        if keep_next is not None:
            paragraph.paragraph_format.keep_with_next = keep_next
        if style:
            paragraph._p.style = self._style_id(style)
        if lang == "ar":
            ox.set_paragraph_bidi(paragraph)
            mark = ox.get_or_add(paragraph._p.get_or_add_pPr(), "w:rPr", ox.PPR_ORDER)
            ox.set_rtl(mark)
        elif self.document.lang == "ar":
            _left_to_right(paragraph)  # Normal is right-to-left in an Arabic brief

    def _style_id(self, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
        """Return the id a paragraph or table names ``name`` by (None for the default style).

        python-docx scans every style for the default on each assignment, about 2 ms a
        paragraph; the styles are all defined before the first block, so one lookup each
        is enough.
        """
        key = (name, kind)
        if key not in self.style_ids:
            if kind not in self.default_styles:
                self.default_styles[kind] = self.word.styles.element.default_for(kind)
            style = self._named_style(name)
            if style.type != kind:
                raise BriefingError(f"Word style {name!r} is a {style.type} style, not {kind}")
            default = self.default_styles[kind]
            self.style_ids[key] = None if style.element is default else style.style_id
        return self.style_ids[key]

    def _write_text(
        self,
        paragraph: WordParagraph,
        text: str,
        lang: Lang,
        style: str,
        bold: bool = False,
        colour: str | None = None,
    ) -> list[Run]:
        """Append ``text`` as runs split by script; return them."""
        runs = []
        for piece, script in split_scripts(CONTROL_CHARACTERS.sub("", text), lang):
            family = self.arabic_font if script == "ar" else self.latin_font
            for part, fallback in self._coverage_runs(piece, family):
                key = (script, style, bold, colour, lang, fallback)
                template = self.run_templates.get(key)
                if template is None:
                    run = Run(OxmlElement("w:r"), paragraph)
                    self._format_run(run, script, style, bold, colour, inside=lang)
                    if fallback:
                        # A character the chosen face lacks: a bundled face that has it.
                        ox.set_fonts(run, fallback, fallback)
                    template = self.run_templates[key] = run._r
                runs.append(_add_run(paragraph, template, part))
        return runs

    def _coverage_runs(self, text: str, family: str) -> list[tuple[str, str]]:
        """Cut ``text`` where ``family`` lacks characters; return (text, fallback or "")."""
        covered = self._cmap(family)
        if all(ord(char) in covered or char in " \u00a0\u202f" for char in set(text)):
            return [(text, "")] if text else []  # the usual case: one run
        pieces: list[tuple[str, str]] = []
        for char in text:
            fallback = ""
            if char not in " \u00a0\u202f" and ord(char) not in covered:
                fallback = next(
                    (f.family for f in fallback_faces() if ord(char) in self._cmap(f.family)),
                    "",
                )
                if fallback:
                    self.fallback_families.add(fallback)
            if pieces and pieces[-1][1] == fallback:
                pieces[-1] = (pieces[-1][0] + char, fallback)
            else:
                pieces.append((char, fallback))
        return pieces

    def _cmap(self, family: str) -> frozenset[int]:
        if family not in self.cmaps:
            faces = {
                self.template.fonts.arabic.family: self.template.fonts.arabic,
                self.template.fonts.latin.family: self.template.fonts.latin,
            }
            face = faces.get(family) or bundled_face(family)
            self.cmaps[family] = _font_cmap(face.regular)
        return self.cmaps[family]

    def _format_run(
        self,
        run: Run,
        script: Lang,
        style: str,
        bold: bool = False,
        colour: str | None = None,
        inside: Lang = "en",
    ) -> None:
        """Give a run the properties of its script: Arabic runs are rtl with a cs font."""
        if script == "ar":
            ox.set_rtl(run)
            ox.set_fonts(run, self.arabic_font, self.arabic_font)
            self._set_size(run, self.sizes.get(style, self.sizes["Normal"]))
            ox.set_language(run, bidi=LANGUAGE_TAGS["ar"])
        elif inside == "ar":
            # A Latin stretch in an Arabic paragraph: its own run, left-to-right, Latin font.
            ox.set_fonts(run, self.latin_font, self.arabic_font)
            ox.set_language(run, latin=LANGUAGE_TAGS["en"])
        if bold:
            ox.set_bold(run)
        if colour:
            ox.set_colour(run, colour)

    def _write_page_text(self, paragraph: WordParagraph, text: str, lang: Lang, style: str) -> None:
        """Append header/footer text, turning {page} and {pages} into Word fields."""
        for piece in PAGE_FIELDS.split(text):
            if piece in ("{page}", "{pages}"):
                # Word computes the numbers; it shows them in the digits its numeral
                # setting picks for the surrounding (Arabic) text.
                instruction = "PAGE" if piece == "{page}" else "NUMPAGES"
                shown = "1"
                if self.document.digits == "arabic" and lang == "ar":
                    # Word's switch for Arabic-Indic digits; the shown value is Arabic too.
                    instruction += r" \* HINDIARABIC"
                    shown = "\u0661"
                elif self.document.digits == "arabic":
                    instruction += r" \* Arabic"  # English keeps Western digits
                for run in ox.add_field(paragraph, instruction, shown):
                    self._format_run(run, lang, style, inside=lang)
            elif piece:
                self._write_text(paragraph, piece, lang, style)

    # -- tables -------------------------------------------------------------------------
    def _add_table(
        self, container: Any, rows: int, columns: Sequence[int], lang: Lang, style: str | None
    ) -> WordTable:
        """Add a fixed-width table (column widths in EMU) laid out in ``lang``'s direction."""
        total = Emu(sum(columns))
        # A cell's own add_table would append an extra paragraph after the table.
        table = BlockItemContainer.add_table(container, rows, len(columns), total)
        table._tbl.tblStyle_val = self._style_id(style, WD_STYLE_TYPE.TABLE) if style else None
        table.autofit = False
        if lang == "ar":
            table.table_direction = WD_TABLE_DIRECTION.RTL
        properties = table._tbl.tblPr
        width = ox.get_or_add(properties, "w:tblW", ox.TBLPR_ORDER)
        width.set(qn("w:type"), "dxa")
        width.set(qn("w:w"), str(Emu(total).twips))
        for index, column in enumerate(table.columns):
            column.width = Emu(columns[index])
        # A new table's rows hold one cell per column (``row.cells`` would work the grid
        # out again for every row).
        for tr in table._tbl.tr_lst:
            for tc, column_width in zip(tr.tc_lst, columns, strict=True):
                tc.width = Emu(column_width)
                self.fresh_cells.add(tc)
        return table

    def _layout_table(
        self, container: Any, rows: int, columns: Sequence[int], lang: Lang
    ) -> WordTable:
        """Add an invisible table used to place things side by side."""
        table = self._add_table(container, rows, columns, lang, None)
        properties = table._tbl.tblPr
        ox.set_table_borders(properties, {side: None for side in ox.BOX_SIDES})
        ox.set_cell_margins(
            properties,
            {"top": 0, "bottom": 0, "left": LAYOUT_CELL_MARGIN, "right": LAYOUT_CELL_MARGIN},
            table=True,
        )
        ox.set_table_look(properties, first_row=False, banded_rows=False)
        return table

    def _finish_cell(self, cell: _Cell) -> None:
        """Keep Word's rule that a cell ends with a paragraph, without adding visible space."""
        last = cell._tc[-1]
        if last.tag == qn("w:tbl"):
            spacer = cell.add_paragraph()
            spacer.paragraph_format.space_before = Pt(0)
            spacer.paragraph_format.space_after = Pt(0)
            spacer.paragraph_format.line_spacing = Pt(2)
            ox.set_size(ox.get_or_add(spacer._p.get_or_add_pPr(), "w:rPr", ox.PPR_ORDER), 1)

    # -- blocks -------------------------------------------------------------------------
    def _write_blocks(self, container: Any, blocks: Sequence[Block], width: int) -> None:
        blocks = list(blocks)
        beside = self._beside_charts(blocks, width)
        skipped: set[int] = {index for group in beside.values() for index in group}
        for position, block in enumerate(blocks):
            if position in skipped:
                continue
            if position in beside:
                self.layout_table = None
                self._chart_beside(container, block, [blocks[i] for i in beside[position]], width)
                continue
            if isinstance(block, Parallel):
                self._parallel(container, block, width)
                continue
            if isinstance(block, ParallelList):
                self._parallel_list(container, block, width)
                continue
            if isinstance(block, ParallelTable):
                # The headings are the table's own first row (see _parallel_table).
                self.layout_table = None
                self._parallel_table(container, block, width)
                continue
            self.layout_table = None
            # A small chart is drawn at half size even with no paragraph beside it, as in
            # the PDF: each kind has one picture size per one-language file.
            small = isinstance(block, Chart) and block.data.kind in SIDE_CHART_KINDS
            self._block(container, block, width, size="half" if small else "full")

    def _beside_charts(self, blocks: Sequence[Block], width: int) -> dict[int, list[int]]:
        """Return, by chart position, the paragraphs set beside each small chart.

        A small chart (donut, progress) takes the paragraphs just before it in its
        section, nearest first, as many as its height holds by an estimate of their lines
        (Word lays the lines out itself); with none before it, those just after it.
        """
        result: dict[int, list[int]] = {}
        chart_width = min(int(Cm(CHART_SIZES_CM["half"][0])), width * 47 // 100)
        text_points = (width - chart_width - int(Cm(0.5))) / 12700
        body = self.sizes["Normal"]
        line = body * float(self.template.fonts.line_spacing)
        characters = max(1.0, text_points / (body * 0.5))
        taken: set[int] = set()
        for position, block in enumerate(blocks):
            if not (isinstance(block, Chart) and block.data.kind in SIDE_CHART_KINDS):
                continue
            shown = min(chart_size_cm(block.data.kind, "half")[1], WORD_CHART_HEIGHT_CM["half"])
            chart_points = shown / 2.54 * 72
            lines_room = chart_points / line + 2

            def text_lines(block: Block) -> float:
                assert isinstance(block, Paragraph)
                return len(block.text) / characters + 1.0

            def plain(index: int) -> bool:
                candidate = blocks[index]
                return (
                    index not in taken
                    and isinstance(candidate, Paragraph)
                    and candidate.role not in ("caption", "note")
                )

            group: list[int] = []
            used = 0.0
            index = position - 1
            while index >= 0 and plain(index):
                lines = text_lines(blocks[index])
                if group and used + lines > lines_room:
                    break
                group.insert(0, index)
                used += lines
                index -= 1
            if not group:
                index = position + 1
                while index < len(blocks) and plain(index):
                    lines = text_lines(blocks[index])
                    if group and used + lines > lines_room:
                        break
                    group.append(index)
                    used += lines
                    index += 1
            if group:
                result[position] = group
                taken.update(group)
        return result

    def _chart_beside(
        self, container: Any, chart: Block, paragraphs: Sequence[Block], width: int
    ) -> None:
        """Float a small chart and its caption beside its paragraphs, the text around it.

        The box stands on the side where a line of the text ends (left in Arabic, right
        in English, as in the PDF), its top level with the first paragraph's; the page
        estimate may move it to a later paragraph (see docx_flow).
        """
        assert isinstance(chart, Chart)
        chart_width = min(int(Cm(CHART_SIZES_CM["half"][0])), width * 47 // 100)
        before = set(container._element)
        for paragraph in paragraphs:
            self._block(container, paragraph, width, size="full")
        first = next(e for e in container._element if e not in before)
        before = set(container._element)
        self._block(container, chart, chart_width, size="half")
        boxed = [e for e in container._element if e not in before and e.tag == qn("w:p")]
        for element in boxed:
            self.chart_starts.discard(element)
            container._element.remove(element)
        picture = WordParagraph(boxed[0], container)
        picture.paragraph_format.space_before = Pt(0)
        picture.paragraph_format.keep_with_next = False
        caption = WordParagraph(boxed[-1], container)
        caption.paragraph_format.space_after = Pt(0)
        # The box's height: the picture and the caption's lines at the box's measure.
        extent = boxed[0].xpath(".//wp:inline/wp:extent")[0]
        # As wide as the picture (a picture kept to the height cap is narrower).
        box_width = int(extent.get("cx"))
        unit = self._paragraph_unit(boxed[-1], Emu(box_width).pt)
        height = int(extent.get("cy")) + int(Pt(2 + unit.before + sum(unit.heights(0.0))))
        gap = int(Cm(0.4))
        side = "left" if chart.lang == "ar" else "right"
        run = ox.floating_box(boxed, box_width, height, side, gap)
        properties = first.find(qn("w:pPr"))
        if properties is not None:
            properties.addnext(run)
        else:
            first.insert(0, run)
        self.side_floats[first] = flow.Float(
            run, Emu(box_width).pt, Emu(height).pt + Emu(gap // 3).pt, Emu(gap).pt
        )

    def _block(self, container: Any, block: Block, width: int, size: str) -> None:
        if isinstance(block, Cover):
            self._cover(container, block, width)
        elif isinstance(block, Heading):
            self._heading(container, block)
        elif isinstance(block, Paragraph):
            self._paragraph(container, block)
        elif isinstance(block, BulletList):
            self._bullet_list(container, block, width)
        elif isinstance(block, Table):
            self._data_table(container, block, width)
        elif isinstance(block, Chart):
            self._chart(container, block, width, size)
        else:
            raise BriefingError(f"the Word renderer cannot place a {type(block).__name__} block")

    def _heading(self, container: Any, block: Heading) -> None:
        style = f"Heading {min(max(block.level, 1), 3)}"
        paragraph = self._new_paragraph(container, block.lang, style)
        text = f"{block.number} {block.text}" if block.number else block.text
        self._write_text(paragraph, text, block.lang, style)

    def _paragraph(self, container: Any, block: Paragraph) -> None:
        style = "Caption" if block.role in ("caption", "note") else "Normal"
        paragraph = self._new_paragraph(container, block.lang, style)
        if block.lang == "en" and style == "Normal":
            if self._in_column(container):
                # A bilingual half-page column is ragged and unhyphenated, as in the PDF.
                ox.suppress_hyphenation(paragraph._p.get_or_add_pPr())
            else:
                # Running English text is justified and hyphenated, as in the PDF.
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        self._write_text(paragraph, block.text, block.lang, style, bold=block.role == "lead")

    def _bullet_list(self, container: Any, block: BulletList, width: int) -> None:
        target = container
        if block.role == "key_points" and self._in_column(container):
            # In a bilingual column the column's own cell becomes the shaded box; a
            # nested table would keep the row from breaking across pages.
            self._shade_column_cell(container)
        elif block.role == "key_points":
            # Key points sit in a shaded box: a one-cell table.
            box = self._add_table(container, 1, [width], block.lang, None)
            properties = box._tbl.tblPr
            ox.set_table_borders(
                properties, {side: self.colours["rule"] for side in ox.BOX_SIDES[:4]}
            )
            ox.set_cell_margins(
                properties, {"top": 113, "bottom": 57, "left": 170, "right": 170}, table=True
            )
            ox.set_table_look(properties, first_row=False, banded_rows=False)
            target = box.cell(0, 0)
            ox.set_shading(target._tc.get_or_add_tcPr(), self.colours["box"], ox.TCPR_ORDER)
        for item in block.items:
            paragraph = self._new_paragraph(target, block.lang, "List Bullet")
            self._write_text(paragraph, item, block.lang, "List Bullet")
        if target is not container:
            self._finish_cell(target)
            self._spacer_after_table(container, block.lang)

    def _finish_gutter(self, cell: _Cell) -> None:
        """Leave the middle column of the bilingual layout empty and as low as possible."""
        self.fresh_cells.discard(cell._tc)
        self.column_cells.discard(cell._tc)
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = Pt(2)

    @staticmethod
    def _is_shaded(cell: _Cell) -> bool:
        return bool(cell._tc.xpath("./w:tcPr/w:shd"))

    def _in_column(self, container: Any) -> bool:
        """Return True when ``container`` is a column of the bilingual layout."""
        return isinstance(container, _Cell) and container._tc in self.column_cells

    def _shade_column_cell(self, cell: _Cell) -> None:
        """Shade a bilingual column cell as a box (the gutter column keeps the halves apart)."""
        properties = cell._tc.get_or_add_tcPr()
        ox.set_shading(properties, self.colours["box"], ox.TCPR_ORDER)
        ox.set_cell_margins(
            properties, {"top": 113, "bottom": 113, "left": 142, "right": 142}, table=False
        )

    def _data_table(self, container: Any, block: Table, width: int) -> None:
        # Half a page is narrow for four columns: smaller type and margins there.
        style = TABLE_SMALL_STYLE if self._in_column(container) else TABLE_TEXT_STYLE
        count = len(block.header)
        weights = list(block.widths) if len(block.widths) == count else [1.0] * count
        columns = [int(width * weight / sum(weights)) for weight in weights]
        table = self._add_table(container, 1 + len(block.rows), columns, block.lang, TABLE_STYLE)
        ox.set_table_look(table._tbl.tblPr, first_row=True, banded_rows=True)
        if style == TABLE_SMALL_STYLE:
            ox.set_cell_margins(
                table._tbl.tblPr, {"left": 57, "right": 57, "top": 28, "bottom": 28}, table=True
            )
        ox.set_row_flags(table.rows[0]._tr, header=True, cant_split=True)
        numeric_alignment = (
            WD_ALIGN_PARAGRAPH.CENTER if block.lang == "ar" else WD_ALIGN_PARAGRAPH.RIGHT
        )
        for row_index, values in enumerate((block.header, *block.rows)):
            row = table.rows[row_index]
            if row_index and not _long_row(values):
                ox.set_row_flags(row._tr, cant_split=True)
            header = row_index == 0
            cells = row.cells  # python-docx works the row's cells out afresh on each call
            for column, value in enumerate(values):
                cell = cells[column]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                # The header row stays with the first row (and a heading with the table).
                paragraph = self._new_paragraph(
                    cell, block.lang, style,
                    align=numeric_alignment if column in block.numeric else None,
                    keep_next=header,
                )
                colour = self.colours["table_header_text"] if header else None
                self._write_text(paragraph, value, block.lang, style, bold=header, colour=colour)
                if header:
                    # Also direct, for readers that ignore a table style's header format.
                    ox.set_shading(
                        cell._tc.get_or_add_tcPr(), self.colours["table_header"], ox.TCPR_ORDER
                    )
        self._spacer_after_table(container, block.lang)

    def _parallel_list(self, container: Any, block: ParallelList, width: int) -> None:
        """Write a bilingual list as rows of the layout table: each item beside its translation."""
        self._parallel(container, Parallel((block.ar,), (block.en,), "heading"), width)
        table = self.layout_table
        assert table is not None
        heading_row = table.rows[-1]
        for cell in heading_row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
        for ar_item, en_item in block.items:
            row = table.add_row()
            cells = row.cells
            for index, cell in enumerate(cells):
                cell.width = table.columns[index].width
                self.fresh_cells.add(cell._tc)
                self.column_cells.add(cell._tc)
            self._finish_gutter(cells[1])
            for cell, text, lang in ((cells[0], ar_item, "ar"), (cells[2], en_item, "en")):
                if block.role == "key_points":
                    self._shade_column_cell(cell)
                if text:
                    paragraph = self._new_paragraph(cell, lang, "List Bullet")  # type: ignore[arg-type]
                    self._write_text(paragraph, text, lang, "List Bullet")  # type: ignore[arg-type]
                self._finish_cell(cell)

    def _parallel_table(self, container: Any, block: ParallelTable, width: int) -> None:
        """Write one bilingual table: English columns on the left, Arabic ones mirrored right.

        Column widths come from the cells' own text, measured with the fonts (see
        ``_parallel_columns``): values and dates stay on one line, labels take two at most.
        """
        ar, en = block.ar, block.en
        count = len(en.header)
        columns, size = self._parallel_columns(ar, en, width)
        table = self._add_table(container, 2 + len(en.rows), columns, "en", TABLE_STYLE)
        # The style's first-row format is left off: the first row holds the headings, and
        # the column header is shaded directly (banding then starts on the same rows).
        ox.set_table_look(table._tbl.tblPr, first_row=False, banded_rows=True)
        ox.set_cell_margins(
            table._tbl.tblPr,
            {"left": CELL_MARGIN, "right": CELL_MARGIN, "top": 28, "bottom": 28},
            table=True,
        )
        self._table_headings(table, block, count)
        ox.set_row_flags(table.rows[1]._tr, header=True, cant_split=True)
        lines = [(ar.header, en.header), *zip(ar.rows, en.rows, strict=True)]
        for row_index, (ar_cells, en_cells) in enumerate(lines):
            row = table.rows[row_index + 1]
            if row_index and not _long_row((*ar_cells, *en_cells)):
                ox.set_row_flags(row._tr, cant_split=True)
            header = row_index == 0
            cells = row.cells
            placed = [(cells[c], en_cells[c], "en", c) for c in range(count)]
            placed += [(cells[2 * count - 1 - c], ar_cells[c], "ar", c) for c in range(count)]
            for cell, value, lang, column in placed:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                # The header row stays with the first figure (a heading is kept with it too).
                paragraph = self._new_paragraph(
                    cell, lang, TABLE_SMALL_STYLE,  # type: ignore[arg-type]
                    align=WD_ALIGN_PARAGRAPH.CENTER if column in en.numeric else None,
                    keep_next=header,
                )
                colour = self.colours["table_header_text"] if header else None
                runs = self._write_text(
                    paragraph, value, lang, TABLE_SMALL_STYLE, bold=header, colour=colour  # type: ignore[arg-type]
                )
                if size != self.sizes[TABLE_SMALL_STYLE]:
                    for run in runs:
                        self._set_size(run, size)
                if header:
                    ox.set_shading(
                        cell._tc.get_or_add_tcPr(), self.colours["table_header"], ox.TCPR_ORDER
                    )
        self._spacer_after_table(container, "ar")

    def _table_headings(self, table: WordTable, block: ParallelTable, count: int) -> None:
        """Write the headings of a bilingual table as its first row, English over the
        English columns, Arabic over the Arabic ones, unruled and unshaded.

        A heading row of the layout table before it was kept with the next by its
        paragraphs, yet LibreOffice left it alone at a page foot whenever the table's
        first rows moved on; as a repeated header row of the table itself it goes with
        them, and tells on the next page what the continued table is.
        """
        row = table.rows[0]
        ox.set_row_flags(row._tr, header=True, cant_split=True)
        cells = row.cells
        english = cells[0].merge(cells[count - 1]) if count > 1 else cells[0]
        arabic = cells[count].merge(cells[2 * count - 1]) if count > 1 else cells[count]
        for cell, heading in ((english, block.en_heading), (arabic, block.ar_heading)):
            properties = cell._tc.get_or_add_tcPr()
            ox.set_cell_borders(properties, dict.fromkeys(("top", "left", "bottom", "right"),
                                                          None))
            ox.set_shading(properties, "#FFFFFF", ox.TCPR_ORDER)
            self._heading(cell, heading)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
            self._finish_cell(cell)

    def _parallel_columns(self, ar: Table, en: Table, width: int) -> tuple[list[int], float]:
        """Return a bilingual table's column widths (EMU, left to right) and its type size.

        Each language's columns are measured on their own with the fonts: a column that
        never wraps (values, dates) is as wide as its widest cell on one line; a label
        column of the key figures as wide as its longest label needs to take two lines at
        most; any other column as its widest word. The room left goes to the columns that
        wrap, by the table's weights. When even that does not fit, the type is set half a
        point smaller at a time, down to ``MIN_TABLE_SIZE``; then the labels give way.
        """
        from briefing.text import Direction, FontSet, TextStyle
        from briefing.text.layout import measure_text

        fonts = FontSet(self.template.fonts.arabic, self.template.fonts.latin)
        sides: tuple[tuple[Table, Direction], ...] = ((en, "L"), (ar, "R"))
        count = len(en.header)
        weights = list(en.widths) if len(en.widths) == count else [1.0] * count
        labels = (
            {c for c in range(count) if c not in en.nowrap and c not in en.numeric}
            if en.role == "key_figures"
            else set()
        )
        total = Emu(width).pt
        # Cell margins on both sides and a little for the reader's own rounding.
        padding = 2 * CELL_MARGIN / 20 + 2
        size = self.sizes[TABLE_SMALL_STYLE]
        while True:
            style = TextStyle(fonts, size, size * 1.3, False, "start", self.cs_scale)
            head = TextStyle(fonts, size, size * 1.3, True, "start", self.cs_scale)
            halves: list[tuple[dict[int, float], dict[int, float]]] = []
            for table, base in sides:
                fixed: dict[int, float] = {}
                needed: dict[int, float] = {}
                for column in range(count):
                    cells = [row[column] for row in table.rows]
                    header = measure_text(table.header[column], base, head)[1]
                    if column in table.nowrap:
                        widest = max((measure_text(v, base, style)[0] for v in cells), default=0)
                        fixed[column] = max(widest, header) + padding
                    elif column in labels:
                        lines = [_two_line_width(v, base, style) for v in cells]
                        needed[column] = max([header, *lines]) + padding
                    else:
                        words = [measure_text(v, base, style)[1] for v in cells]
                        needed[column] = max([header, *words]) + padding
                halves.append((fixed, needed))
            used = sum(sum(f.values()) + sum(n.values()) for f, n in halves)
            if used <= total or size <= MIN_TABLE_SIZE:
                break
            size = max(MIN_TABLE_SIZE, size - 0.5)
        spare = total - used
        share = sum(weights[c] for _, needed in halves for c in needed) or 1.0
        loose = sum(n for _, needed in halves for n in needed.values()) or 1.0
        points: list[list[float]] = []
        for fixed, needed in halves:
            half = []
            for column in range(count):
                if column in fixed:
                    half.append(fixed[column])
                elif spare >= 0:
                    half.append(needed[column] + spare * weights[column] / share)
                else:
                    # Too narrow even at the smallest type: the wrapping columns give way.
                    half.append(needed[column] + spare * needed[column] / loose)
            points.append(half)
        english, arabic = points
        return [int(Pt(p)) for p in (*english, *reversed(arabic))], size

    def _spacer_after_table(self, container: Any, lang: Lang) -> None:
        """Leave a little air after a table (and keep tables from merging)."""
        paragraph = self._new_paragraph(container, lang)
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = Pt(8)

    def _chart(self, container: Any, block: Chart, width: int, size: str) -> None:
        if picture_coming(block.data, self.template, size):
            # The same stand-in for the same picture: python-docx then shares one part
            # between its uses, as it does the picture's own bytes.
            png = _stand_in(cache_key(block.data, self.template, size))
            self.late_pictures[png] = (block.data, self.template, size)
        else:
            png = render_chart_png(block.data, self.template, size)
        chart_width, chart_height = chart_size_cm(block.data.kind, size)
        cap = "column" if self._in_column(container) else size
        # Word cannot draw a chart smaller where the page has less room left, as the PDF
        # does; each is drawn at the height cap instead, so that fewer charts move on to
        # the next page and leave the foot of the one before empty.
        scale = min(1.0, width / int(Cm(chart_width)), WORD_CHART_HEIGHT_CM[cap] / chart_height)
        paragraph = self._new_paragraph(container, block.lang, "Normal")
        if not isinstance(container, _Cell):
            self.chart_starts.add(paragraph._p)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # Keep the picture with its caption; in a bilingual row the row already does.
        paragraph.paragraph_format.keep_with_next = not self._in_column(container)
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.paragraph_format.line_spacing = 1.0
        run = paragraph.add_run()
        run.add_picture(
            io.BytesIO(png), width=Cm(chart_width * scale), height=Cm(chart_height * scale)
        )
        ox.describe_pictures(run, block.alt, block.data.title)
        caption = self._new_paragraph(container, block.lang, "Caption")
        caption.paragraph_format.keep_together = True
        self._write_text(caption, block.caption, block.lang, "Caption")

    def _cover(self, container: Any, block: Cover, width: int) -> None:
        if block.style == "none":
            return
        if self.letterhead is None:
            # A letterhead prints the issuing authority itself; without one, the cover does.
            for number, line in enumerate(block.authority):
                paragraph = self._new_paragraph(container, block.lang, "Normal")
                colour = self.colours["primary" if number == 0 else "accent"]
                self._write_text(
                    paragraph, line, block.lang, "Normal", bold=number == 0, colour=colour
                )
        title = self._new_paragraph(container, block.lang, "Title")
        self._write_text(title, block.title, block.lang, "Title")
        if block.subtitle:
            subtitle = self._new_paragraph(container, block.lang, "Subtitle")
            self._write_text(subtitle, block.subtitle, block.lang, "Subtitle")
        if block.fields:
            label_width = min(int(Cm(3.2)), width // 3)
            table = self._layout_table(
                container, len(block.fields), [label_width, width - label_width], block.lang
            )
            properties = table._tbl.tblPr
            ox.set_table_borders(
                properties, {"top": self.colours["rule"], "bottom": self.colours["rule"]}, 6
            )
            ox.set_cell_margins(properties, {"top": 40, "bottom": 40}, table=True)
            for row, (label, value) in zip(table.rows, block.fields, strict=True):
                label_cell, value_cell = row.cells
                label_paragraph = self._new_paragraph(label_cell, block.lang, TABLE_TEXT_STYLE)
                self._write_text(
                    label_paragraph,
                    label,
                    block.lang,
                    TABLE_TEXT_STYLE,
                    bold=True,
                    colour=self.colours["primary"],
                )
                value_paragraph = self._new_paragraph(value_cell, block.lang, TABLE_TEXT_STYLE)
                self._write_text(value_paragraph, value, block.lang, TABLE_TEXT_STYLE)
            self._spacer_after_table(container, block.lang)
        if block.distribution:
            paragraph = self._new_paragraph(container, block.lang, "Caption")
            self._write_text(paragraph, block.distribution, block.lang, "Caption")
        if block.style == "title" and not isinstance(container, _Cell):
            self._page_break(container, block.lang)

    def _page_break(self, container: Any, lang: Lang) -> None:
        paragraph = self._new_paragraph(container, lang)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = Pt(2)
        paragraph.add_run().add_break(WD_BREAK.PAGE)

    def _parallel(self, container: Any, block: Parallel, width: int) -> None:
        """Lay a Parallel out in rows: Arabic in the first (right-hand) cell, English left.

        When both sides hold the same kinds of blocks, each pair gets its own row, so a
        heading stays level with its translation and long content can break across pages.
        """
        if self.layout_table is None:
            column = (width - int(GUTTER)) // 2
            columns = [column, width - 2 * column, column]
            self.layout_table = self._layout_table(container, 0, columns, "ar")
            ox.set_cell_margins(self.layout_table._tbl.tblPr, {"left": 0, "right": 0}, table=True)
        table = self.layout_table
        inner = int(table.columns[0].width or width // 2)
        kinds = [type(b) for b in block.ar] == [type(b) for b in block.en]
        pairs = list(zip(block.ar, block.en, strict=True)) if kinds else [(block.ar, block.en)]
        for ar_part, en_part in pairs:
            row = table.add_row()
            self.movable_rows.add(row._tr)
            parts = (*_as_tuple(ar_part), *_as_tuple(en_part))
            if any(isinstance(b, Chart) for b in parts):
                self.chart_starts.add(row._tr)
            cells = row.cells
            for index, cell in enumerate(cells):
                cell.width = table.columns[index].width
                self.fresh_cells.add(cell._tc)
                self.column_cells.add(cell._tc)
            self._finish_gutter(cells[1])
            ar_blocks = ar_part if isinstance(ar_part, tuple) else (ar_part,)
            en_blocks = en_part if isinstance(en_part, tuple) else (en_part,)
            if all(isinstance(b, (Heading, Chart, Cover)) for b in (*ar_blocks, *en_blocks)):
                ox.set_row_flags(row._tr, cant_split=True)
            for cell, blocks in ((cells[0], ar_blocks), (cells[2], en_blocks)):
                for child in blocks:
                    width_here = inner - (CELL_BOX_INSET if self._is_shaded(cell) else 0)
                    self._block(cell, child, width_here, size="half")
                self._finish_cell(cell)
            if all(isinstance(b, Heading) for b in (*ar_blocks, *en_blocks)):
                # A heading row stays with the row (or table) after it: LibreOffice keeps
                # a row with the next when every paragraph of it is kept with the next.
                for cell in cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        covers = [b for b in (*block.ar, *block.en) if isinstance(b, Cover)]
        if covers and covers[0].style == "title":
            self.layout_table = None
            self._page_break(container, "ar")

    # -- floating charts ------------------------------------------------------------------
    def _float_charts(self) -> None:
        """Move the charts that would not fit where they are written (see docx_flow)."""
        section = self.word.sections[-1]
        height = Emu(
            (section.page_height or Mm(297)) - (section.top_margin or 0)
            - (section.bottom_margin or 0)
        ).pt
        units: list[flow.Unit] = []
        width = Emu(self._text_width()).pt
        for element in self.word.element.body:
            if element.tag == _P:
                units.append(self._paragraph_unit(element, width))
            elif element.tag == _TBL:
                units.extend(self._row_units(element))
        flow.drop_contextual_spacing(units)
        merged: list[flow.Unit] = []
        for unit in units:
            if merged and merged[-1].chart and merged[-1].elements[0].tag == qn("w:p") and len(
                merged[-1].elements
            ) == 1:
                # A chart's picture and its caption move as one.
                merged[-1] = _joined(merged[-1], unit)
                continue
            unit.float = self.side_floats.get(unit.elements[0])
            merged.append(unit)
        flow.apply(flow.reflow(merged, height))

    def _style_spacing(self, style_id: str | None) -> dict[str, Any]:
        """Return the spacing, size and keeping of a paragraph style, by id (None: Normal)."""
        if style_id not in self.style_spacing:
            names = {v: k[0] for k, v in self.style_ids.items() if k[1] == WD_STYLE_TYPE.PARAGRAPH}
            name = names.get(style_id, "Normal")
            element = self._named_style(name).element
            spacing = element.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
            keep = _on(element.find(f"{qn('w:pPr')}/{qn('w:keepNext')}"))
            bold = _on(element.find(f"{qn('w:rPr')}/{qn('w:b')}"))
            contextual = _on(element.find(f"{qn('w:pPr')}/{qn('w:contextualSpacing')}"))
            values = {} if spacing is None else dict(spacing.attrib)
            self.style_spacing[style_id] = {
                "size": self.sizes.get(name, self.sizes["Normal"]),
                "spacing": values,
                "keep": keep,
                "bold": bold and name != "Normal",
                "contextual": contextual,
            }
        return self.style_spacing[style_id]

    def _paragraph_unit(self, paragraph: BaseOxmlElement, width: float) -> flow.Unit:
        """Return a paragraph for the page estimate, its lines broken at ``width`` points."""
        from briefing.text import FontSet, TextStyle
        from briefing.text.layout import layout_text

        properties = paragraph.find(_PPR)
        style_id = None
        direct = keep_element = None
        if properties is not None:
            found = properties.find(_PSTYLE)
            if found is not None:
                style_id = found.get(_VAL)
            direct = properties.find(_SPACING)
            keep_element = properties.find(_KEEP_NEXT)
        style = self._style_spacing(style_id)
        spacing = style["spacing"]
        if direct is not None:
            spacing = {**spacing, **direct.attrib}
        keep = style["keep"] if keep_element is None else _on(keep_element)
        before = int(spacing.get(_BEFORE, 0)) / 20
        after = int(spacing.get(_AFTER, 0)) / 20
        size = style["size"]
        line = int(spacing.get(_LINE, 240))
        rule = spacing.get(_LINE_RULE, "auto")
        text = flow.plain_text(paragraph)
        base = "R" if flow.is_arabic(text) or (not text and self.document.lang == "ar") else "L"
        # A line is as tall as its font's own line (ascent, descent and gap) at least.
        natural = (
            _line_height(self.template.fonts.arabic.regular) * size * self.cs_scale
            if base == "R"
            else _line_height(self.template.fonts.latin.regular) * size
        )
        if rule == "auto":
            leading = line / 240 * natural
        elif rule == "exact":
            leading = line / 20
        else:
            leading = max(line / 20, natural)
        pictures = [int(extent.get("cy")) / 12700 for extent in _XPATH["pictures"](paragraph)]
        indent = 18.0 if style_id == self._style_id("List Bullet") else 0.0
        fonts = FontSet(self.template.fonts.arabic, self.template.fonts.latin)
        align = "justify" if base == "L" and style_id is None else "start"
        text_style = TextStyle(fonts, size, leading, style["bold"], align, self.cs_scale)

        def lines(narrowing: float) -> list[float]:
            if pictures:
                return [max(pictures) + 2]
            if not text.strip():
                return [leading]
            measure = max(40.0, width - indent - narrowing)
            return [leading] * len(layout_text(text, base, text_style, measure).lines)

        return flow.Unit(
            elements=[paragraph],
            before=before,
            after=after,
            lines=lines,
            splits=not pictures,
            keep_next=keep,
            chart=paragraph in self.chart_starts,
            page_break=bool(_XPATH["page_break"](paragraph)),
            anchorable=bool(text.strip()) and not pictures,
            insertion=paragraph,
            style=style_id,
            contextual=style["contextual"],
        )

    def _cell_height(self, cell: BaseOxmlElement, width: float) -> tuple[float, list[bool]]:
        """Return the height (points) of a table cell's content at ``width`` points, and
        whether each of its paragraphs keeps with the next."""
        units: list[flow.Unit] = []
        keeps: list[bool] = []
        for child in cell:
            if child.tag == _P:
                unit = self._paragraph_unit(child, width)
                units.append(unit)
                keeps.append(unit.keep_next)
            elif child.tag == _TBL:
                units.extend(self._row_units(child))
        flow.drop_contextual_spacing(units)
        return sum(unit.before + sum(unit.heights(0.0)) + unit.after for unit in units), keeps

    def _table_margins(self, table: BaseOxmlElement) -> dict[str, float]:
        """Return a table's cell margins: its own over its style's over Word's default."""
        style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
        style_id = None if style is None else style.get(_VAL)
        found = self.style_margins.get(style_id)
        if found is None:
            found = {_LEFT: 108 / 20, _RIGHT: 108 / 20}
            if style_id is not None:
                for margins in self.word.styles.element.xpath(
                    f"./w:style[@w:styleId='{style_id}']/w:tblPr/w:tblCellMar"
                ):
                    found.update({m.tag: int(m.get(_W, 0)) / 20 for m in margins})
            self.style_margins[style_id] = found
        found = dict(found)
        for margins in _XPATH["table_margins"](table):
            found.update({m.tag: int(m.get(_W, 0)) / 20 for m in margins})
        return found

    def _row_units(self, table: BaseOxmlElement) -> list[flow.Unit]:
        """Return the rows of a table for the page estimate."""
        columns = [int(c.get(_W)) / 20 for c in _XPATH["grid"](table)]
        found = self._table_margins(table)
        step = self.sizes["Normal"] * float(self.template.fonts.line_spacing)
        units: list[flow.Unit] = []
        for number, row in enumerate(table.iterchildren(_TR)):
            heights, keeps, position = [], [], 0
            for cell in row.iterchildren(_TC):
                span = cell.find(_TCPR_SPAN)
                count = int(span.get(_VAL)) if span is not None else 1
                own = found
                cell_margins = _XPATH["cell_margins"](cell)
                if cell_margins:
                    own = dict(found)
                    for margins in cell_margins:
                        own.update({m.tag: int(m.get(_W, 0)) / 20 for m in margins})
                cell_width = sum(columns[position : position + count])
                cell_width -= own[_LEFT] + own[_RIGHT]
                position += count
                height, cell_keeps = self._cell_height(cell, cell_width)
                heights.append(height + own.get(_TOP, 0.0) + own.get(_BOTTOM, 0.0) + 0.5)
                keeps.extend(cell_keeps)
            tallest = max(heights, default=0.0)
            whole = bool(_XPATH["cant_split"](row)) or bool(_XPATH["inline"](row))
            count = max(1, round(tallest / step))
            units.append(
                flow.Unit(
                    elements=[row],
                    before=0.0,
                    after=0.0,
                    lines=lambda _n, t=tallest, c=count: [t / c] * c,
                    splits=not whole,
                    keep_next=bool(keeps) and all(keeps),
                    chart=row in self.chart_starts,
                    insertion=row if row in self.movable_rows else (table if number == 0 else None),
                )
            )
        return units

    # -- header and footer --------------------------------------------------------------
    def _page_furniture(self) -> None:
        settings = self.word.settings
        for section in self.word.sections:
            headers = [(section.header, True)]
            footers = [section.footer]
            if section.different_first_page_header_footer:
                # A letterhead's first page keeps its own design; the marking is added.
                headers.append((section.first_page_header, self.letterhead is None))
                footers.append(section.first_page_footer)
            if settings.odd_and_even_pages_header_footer:
                headers.append((section.even_page_header, True))
                footers.append(section.even_page_footer)
            for header, with_text in headers:
                header.is_linked_to_previous = False
                self._fill_header(header, with_text)
            for footer in footers:
                footer.is_linked_to_previous = False
                self._fill_footer(footer)

    def _reuse_or_add(self, part: Any, lang: Lang, style: str) -> WordParagraph:
        """Return the part's single empty paragraph if it has one, else a new paragraph."""
        paragraphs = part.paragraphs
        blocks = part._element.xpath("./w:p|./w:tbl")
        if len(blocks) == 1 and paragraphs and not paragraphs[0].runs and not paragraphs[0].text:
            paragraph = paragraphs[0]
            paragraph._p.style = self._style_id(style)
            if lang == "ar":
                ox.set_paragraph_bidi(paragraph)
            elif self.document.lang == "ar":
                _left_to_right(paragraph)
            return paragraph
        return self._new_paragraph(part, lang, style)

    def _marking_paragraph(self, part: Any, style: str) -> WordParagraph | None:
        markings = [(code, self.document.marking.get(code, "")) for code in self.document.langs]
        markings = [(code, text) for code, text in markings if text.strip()]
        if not markings:
            return None
        lang: Lang = markings[0][0]
        # After a letterhead's own header content, so its design stays at the page edge.
        paragraph = self._reuse_or_add(part, lang, style)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for index, (code, text) in enumerate(markings):
            if index:
                separator = paragraph.add_run("  |  ")
                self._format_run(separator, lang, style, inside=lang)
            colour = self.colours["marking"]
            self._write_text(paragraph, text, code, style, bold=True, colour=colour)
        for run in paragraph.runs:
            self._set_size(run, self.sizes["Normal"])
        return paragraph

    def _fill_header(self, header: Any, with_text: bool) -> None:
        self._marking_paragraph(header, "Header")
        if not with_text:
            return
        texts = [(code, self.document.header.get(code, "")) for code in self.document.langs]
        texts = [(code, text) for code, text in texts if text.strip()]
        if not texts:
            return
        if len(texts) == 1:
            code, text = texts[0]
            paragraph = self._reuse_or_add(header, code, "Header")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._write_page_text(paragraph, text, code, "Header")
            ox.set_paragraph_border(paragraph, "bottom", self.colours["rule"])
            return
        self._side_by_side(header, texts, "Header", border="bottom")

    def _fill_footer(self, footer: Any) -> None:
        texts = [(code, self.document.footer.get(code, "")) for code in self.document.langs]
        texts = [(code, text) for code, text in texts if text.strip()]
        if len(texts) == 1:
            code, text = texts[0]
            paragraph = self._reuse_or_add(footer, code, "Footer")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._write_page_text(paragraph, text, code, "Footer")
            ox.set_paragraph_border(paragraph, "top", self.colours["rule"])
        elif texts:
            self._side_by_side(footer, texts, "Footer", border="top")
        self._marking_paragraph(footer, "Footer")

    def _side_by_side(
        self, part: Any, texts: list[tuple[Lang, str]], style: str, border: str
    ) -> None:
        """Put each language's header/footer text in its own half: Arabic right, English left."""
        width = self._text_width()
        half = width // 2
        table = self._layout_table(part, 1, [half, width - half], "ar")
        ox.set_table_borders(table._tbl.tblPr, {border: self.colours["rule"]})
        by_lang = dict(texts)
        codes: tuple[Lang, Lang] = ("ar", "en")
        for cell, code in zip(table.rows[0].cells, codes, strict=True):
            paragraph = self._new_paragraph(cell, code, style)
            self._write_page_text(paragraph, by_lang.get(code, ""), code, style)
        # Headers and footers, like cells, must end with a paragraph.
        if part._element[-1].tag == qn("w:tbl"):
            closing = part.add_paragraph()
            closing._p.style = self._style_id(style)
            closing.paragraph_format.space_after = Pt(0)


_SPACING_ATTRIBUTES = ("w:before", "w:after", "w:line", "w:lineRule")


# The page estimate's lookups, compiled once (a path given to ``xpath`` is compiled at
# every call, a third of the estimate's time).
_XPATH = {
    name: etree.XPath(path, namespaces=nsmap)
    for name, path in {
        "pictures": "./w:r/w:drawing/wp:inline/wp:extent",
        "page_break": "./w:r/w:br[@w:type='page']",
        "grid": "./w:tblGrid/w:gridCol",
        "table_margins": "./w:tblPr/w:tblCellMar",
        "cell_margins": "./w:tcPr/w:tcMar",
        "cant_split": "./w:trPr/w:cantSplit",
        "inline": ".//wp:inline",
    }.items()
}
_P, _TBL, _TR, _TC, _PPR = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:pPr")
_PSTYLE, _SPACING, _KEEP_NEXT, _VAL = qn("w:pStyle"), qn("w:spacing"), qn("w:keepNext"), qn(
    "w:val"
)
_BEFORE, _AFTER, _LINE, _LINE_RULE = qn("w:before"), qn("w:after"), qn("w:line"), qn(
    "w:lineRule"
)
_TCPR_SPAN = f"{qn('w:tcPr')}/{qn('w:gridSpan')}"
_W, _LEFT, _RIGHT, _TOP, _BOTTOM = (qn(f"w:{n}") for n in ("w", "left", "right", "top", "bottom"))


def _stand_in(key: str) -> bytes:
    """Return a one-pixel PNG naming ``key``: the stand-in for a picture still drawn."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)),
        chunk(b"tEXt", b"chart\x00" + key.encode("ascii")),
        chunk(b"IDAT", zlib.compress(b"\x00\xff")),
        chunk(b"IEND", b""),
    ))


@cache
def _on(element: BaseOxmlElement | None) -> bool:
    """Return whether an on/off property (``<w:keepNext/>``, ``<w:b w:val="0"/>``) is on."""
    return element is not None and element.get(qn("w:val"), "1") not in ("0", "false", "off")


@cache
def _line_height(path: Path) -> float:
    """Return a font's line height (ascent, descent and line gap) in ems, as LibreOffice
    takes it: the typographic metrics when the font asks for them, else the hhea ones."""
    from briefing.render.font_subsets import font_table

    # Read from the tables themselves (loading fontTools for three numbers took longer
    # than the Word file's page estimate).
    (units,) = struct.unpack_from(">H", font_table(path, b"head"), 18)
    os2 = font_table(path, b"OS/2")
    (selection,) = struct.unpack_from(">H", os2, 62)
    if selection & 0x80:
        ascent, descent, gap = struct.unpack_from(">hhh", os2, 68)
    else:
        ascent, descent, gap = struct.unpack_from(">hhh", font_table(path, b"hhea"), 4)
    return (ascent - descent + gap) / units


def _joined(picture: flow.Unit, caption: flow.Unit) -> flow.Unit:
    """Return a chart's picture and caption paragraphs as one unit that moves whole."""
    lines = [sum(picture.heights(0.0)) + picture.after + caption.before
             + sum(caption.heights(0.0))]
    return flow.Unit(
        elements=[*picture.elements, *caption.elements],
        before=picture.before,
        after=caption.after,
        lines=lambda _narrowing: lines,
        splits=False,
        chart=True,
        insertion=picture.insertion,
    )


def _as_tuple(part: Any) -> tuple[Any, ...]:
    return part if isinstance(part, tuple) else (part,)


def _two_line_width(text: str, base: Any, style: Any) -> float:
    """Return the narrowest width (points) at which ``text`` takes two lines at most.

    The answer is that of a halving search between the widest word and the whole line,
    to half a point, asking the line breaker each time; the breaker fills its first
    line greedily, so two lines suffice exactly from the narrowest of the widths
    ``max(first line, rest)`` over every place a line may end (a space, or after a dash
    inside a word), and the search's steps follow from that width without laying out.
    """
    from briefing.text.layout import measure_text, two_line_threshold

    natural, widest = measure_text(text, base, style)
    threshold = two_line_threshold(text, base, style)
    low, high = widest, natural
    while high - low > 0.5:
        middle = (low + high) / 2
        if threshold <= middle + 1e-6:
            high = middle
        else:
            low = middle
    return high


# A table row with a cell longer than this (characters) holds a paragraph rather than a
# figure: it may break across pages instead of moving on whole (with its heading).
LONG_CELL = 160


def _long_row(values: Sequence[str]) -> bool:
    return any(len(value) > LONG_CELL for value in values)


def _arabic_scale(arabic: Any, latin: Any) -> float:
    """Return how much larger Arabic is set than Latin: the PDF's x-height scale."""
    from briefing.text.fonts import FontSet, arabic_scale

    return arabic_scale(FontSet(arabic, latin))


def _font_cmap(path: Path) -> frozenset[int]:
    """Return the code points a font file maps (read once per file version a process, and
    kept in the font measures so that a later process does not parse the font)."""
    status = path.stat()
    return _code_points(str(path), status.st_size, status.st_mtime_ns)


@cache
def _code_points(filename: str, size: int, mtime: int) -> frozenset[int]:
    from briefing.text.fonts import code_point_ranges

    del size, mtime  # only part of the key
    return frozenset(
        code for first, last in code_point_ranges(filename) for code in range(first, last + 1)
    )


def _at_least(properties: BaseOxmlElement) -> None:
    """Turn an exact line pitch into a minimum one, so that high marks are never clipped."""
    for spacing in properties.findall(qn("w:spacing")):
        if spacing.get(qn("w:lineRule")) == "exact":
            spacing.set(qn("w:lineRule"), "atLeast")


def _add_run(paragraph: WordParagraph, template: BaseOxmlElement, text: str) -> Run:
    """Append a copy of the run ``template`` holding ``text`` to ``paragraph``, as
    ``add_run(text)`` writes it: tabs and line ends by python-docx, other text as one
    ``w:t`` (space-preserving when it starts or ends with a space)."""
    r = deepcopy(template)
    paragraph._p.append(r)
    run = Run(r, paragraph)
    if text and any(char in text for char in "\t\r\n"):
        run.text = text
    elif text:
        t = etree.SubElement(r, _W_T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(_XML_SPACE, "preserve")
    return run


def _left_to_right(paragraph: WordParagraph) -> None:
    """Write an explicit left-to-right paragraph direction (``<w:bidi w:val="0"/>``)."""
    element = ox.get_or_add(paragraph._p.get_or_add_pPr(), "w:bidi", ox.PPR_ORDER)
    element.set(qn("w:val"), "0")


def _freeze_furniture_spacing(word: WordDocument) -> None:
    """Write the spacing a letterhead's header and footer paragraphs have now onto them.

    The brief restyles Normal (exact line pitch, other spacing); without this, the
    letterhead's own lines and its logo would inherit that and be squeezed or clipped.
    """
    styles = word.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    default_ids = styles.xpath('./w:style[@w:type="paragraph" and @w:default="1"]/@w:styleId')
    defaults = styles.xpath("./w:docDefaults/w:pPrDefault/w:pPr/w:spacing")
    furniture = (CONTENT_TYPE.WML_HEADER, CONTENT_TYPE.WML_FOOTER)
    for part in word.part.package.iter_parts():
        if not isinstance(part, XmlPart) or part.content_type not in furniture:
            continue
        for paragraph in part.element.iter(qn("w:p")):
            found: dict[str, str] = {}
            sources = list(paragraph.xpath("./w:pPr/w:spacing"))
            style_ids = paragraph.xpath("./w:pPr/w:pStyle/@w:val") or default_ids[:1]
            style_id = style_ids[0] if style_ids else None
            seen: set[str] = set()
            while style_id and style_id in by_id and style_id not in seen:
                seen.add(style_id)
                sources += by_id[style_id].xpath("./w:pPr/w:spacing")
                parents = by_id[style_id].xpath("./w:basedOn/@w:val")
                style_id = parents[0] if parents else None
            for source in [*sources, *defaults]:
                for attribute in _SPACING_ATTRIBUTES:
                    value = source.get(qn(attribute))
                    if value is not None:
                        found.setdefault(attribute, value)
            found.setdefault("w:line", "240")
            found.setdefault("w:lineRule", "auto")
            properties = paragraph.get_or_add_pPr()
            spacing = ox.get_or_add(properties, "w:spacing", ox.PPR_ORDER)
            for attribute, value in found.items():
                spacing.set(qn(attribute), value)


def _app_properties() -> bytes:
    """Return a neutral docProps/app.xml (the stock one names another program and page count)."""
    return (
        b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/docPropsVTypes"><Application>Briefing</Application><DocSecurity>0</DocSecurity>'
        b"<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        b"<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        b"</Properties>"
    )


def _package_bytes(word: WordDocument, stamp: datetime | None) -> bytes:
    """Return the document's package, zipped once, with fixed member dates and modes so
    that equal input gives equal bytes.

    The members and their order are those python-docx's own writer gives: the content
    types, the package relationships, then each part followed by its relationships.
    """
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem

    package = word.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    members: list[tuple[str, bytes]] = [
        (CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob),
        (PACKAGE_URI.rels_uri.membername, package.rels.xml),
    ]
    for part in parts:
        members.append((part.partname.membername, part.blob))
        if len(part.rels):
            members.append((part.partname.rels_uri.membername, part.rels.xml))
    day: date = stamp.date() if stamp is not None else date(1980, 1, 1)
    date_time = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    return _zip_members(
        [
            (name, _app_properties() if name == "docProps/app.xml" else content)
            for name, content in members
        ],
        date_time,
    )


# Deflated bytes of the embedded fonts and pictures, by their contents: the documents of
# one export embed the same font subsets and many of the same charts.
_DEFLATED: dict[tuple[bytes, int], tuple[int, bytes]] = {}
_DEFLATED_ENTRIES = 64
_KEPT_SUFFIXES = (".odttf", ".png", ".jpeg", ".jpg")


def _deflated(name: str, content: bytes) -> tuple[int, bytes]:
    """Return the CRC-32 and raw deflate stream of a member, as zipfile writes them.

    Embedded fonts are most of the package: the fastest level packs them within a tenth
    of the default's size in a tenth of its time.
    """
    level = 1 if name.endswith(".odttf") else zlib.Z_DEFAULT_COMPRESSION
    key = None
    if name.endswith(_KEPT_SUFFIXES):
        key = (hashlib.sha256(content).digest(), level)
        found = _DEFLATED.get(key)
        if found is not None:
            return found
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    result = (zlib.crc32(content), compressor.compress(content) + compressor.flush())
    if key is not None:
        if len(_DEFLATED) >= _DEFLATED_ENTRIES:
            _DEFLATED.clear()
        _DEFLATED[key] = result
    return result


def _zip_members(members: Sequence[tuple[str, bytes]], date_time: tuple[int, ...]) -> bytes:
    """Return a zip archive of deflated members with one date and mode: the bytes
    ``zipfile`` writes for them, the fonts' and pictures' deflate streams made once."""
    year, month, day, hour, minute, second = date_time
    dos_date = (year - 1980) << 9 | month << 5 | day
    dos_time = hour << 11 | minute << 5 | second // 2
    mode = 0o644 << 16
    output = io.BytesIO()
    directory: list[bytes] = []
    for name, content in members:
        encoded = name.encode("ascii") if name.isascii() else name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        crc, packed = _deflated(name, content)
        offset = output.tell()
        output.write(struct.pack(
            "<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, zipfile.ZIP_DEFLATED, dos_time,
            dos_date, crc, len(packed), len(content), len(encoded), 0,
        ))
        output.write(encoded)
        output.write(packed)
        directory.append(struct.pack(
            "<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, flags, zipfile.ZIP_DEFLATED,
            dos_time, dos_date, crc, len(packed), len(content), len(encoded), 0, 0, 0, 0,
            mode, offset,
        ) + encoded)
    start = output.tell()
    for entry in directory:
        output.write(entry)
    size = output.tell() - start
    output.write(struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory), size, start, 0
    ))
    return output.getvalue()
