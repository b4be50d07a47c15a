"""Word XML python-docx has no API for: bidi, complex-script runs, fields, shading, alt text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph
from docx.text.run import Run


def _tags(names: str) -> tuple[str, ...]:
    """Return space-separated element names as a tuple of ``w:`` tags."""
    return tuple(f"w:{name}" for name in names.split())


# Child order of the property elements touched here (ECMA-376 Part 1, transitional schema).
# A child written out of order makes Word report the file as corrupt, so every insertion
# goes through ``get_or_add`` with one of these sequences.
RPR_ORDER = _tags(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath "
    "rPrChange"
)
PPR_ORDER = _tags(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct "
    "autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing "
    "mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl "
    "divId cnfStyle rPr sectPr pPrChange"
)
SECTPR_ORDER = _tags(
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
    "docGrid printerSettings sectPrChange"
)
TBLPR_ORDER = _tags(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange"
)
TCPR_ORDER = _tags(
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark headers cellIns cellDel cellMerge tcPrChange"
)
# Row properties are an unordered choice in the schema.
TRPR_ORDER: tuple[str, ...] = ()
BORDER_ORDER = _tags("top left bottom right insideH insideV between bar")
CELL_MARGIN_ORDER = _tags("top left bottom right")
# Sides of a table or cell box, in the plain names the functions below take.
BOX_SIDES: tuple[str, ...] = ("top", "left", "bottom", "right", "insideH", "insideV")

_THEME_FONT_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_THEME_COLOUR_ATTRIBUTES = ("w:themeColor", "w:themeShade", "w:themeTint")


def get_or_add(parent: BaseOxmlElement, tag: str, order: Sequence[str]) -> BaseOxmlElement:
    """Return the ``tag`` child of ``parent``, inserting it where the schema ``order`` puts it."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    if tag in order:
        later = _later_tags(tag, tuple(order))
        for existing in parent:
            if existing.tag in later:
                existing.addprevious(element)
                return element
    parent.append(element)
    return element


@cache
def _later_tags(tag: str, order: tuple[str, ...]) -> frozenset[str]:
    """Return the qualified names of the elements ``order`` puts after ``tag`` (computed once:
    a brief inserts thousands of properties)."""
    return frozenset(qn(name) for name in order[order.index(tag) + 1 :])


def remove_children(parent: BaseOxmlElement, tag: str) -> None:
    """Remove every ``tag`` child of ``parent``."""
    for element in parent.findall(qn(tag)):
        parent.remove(element)


def set_flag(parent: BaseOxmlElement, tag: str, order: Sequence[str], on: bool = True) -> None:
    """Write an on/off property (``<w:bidi/>``, ``<w:rtl/>`` …) as present or absent."""
    remove_children(parent, tag)
    if on:
        get_or_add(parent, tag, order)


def hex_colour(colour: str) -> str:
    """Return ``#1f3a5f`` as Word's ``1F3A5F``."""
    value = colour.lstrip("#").upper()
    if len(value) != 6 or any(c not in "0123456789ABCDEF" for c in value):
        raise ValueError(f"not a colour #RRGGBB: {colour!r}")
    return value


# -- runs --------------------------------------------------------------------------------------


def run_properties(target: Run | BaseOxmlElement) -> BaseOxmlElement:
    """Return the ``w:rPr`` of a run, or ``target`` itself when it already is an ``w:rPr``."""
    if isinstance(target, Run):
        return target._r.get_or_add_rPr()
    return target


def set_fonts(target: Run | BaseOxmlElement, latin: str, complex_script: str) -> None:
    """Name the Latin (ascii/hAnsi/eastAsia) and complex-script (cs) fonts, dropping theme fonts.

    A theme font attribute wins over the explicit name in Word, so it is removed.
    """
    fonts = get_or_add(run_properties(target), "w:rFonts", RPR_ORDER)
    for attribute in _THEME_FONT_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:cs"), complex_script)


def set_size(
    target: Run | BaseOxmlElement, points: float, complex_points: float | None = None
) -> None:
    """Set the size of Latin (``w:sz``) and complex-script (``w:szCs``) text in points.

    ``complex_points`` (the Latin size when None) is the size of Arabic text, which a
    brief sets larger so that its letters look as large as the Latin ones beside them.
    """
    properties = run_properties(target)
    cs = points if complex_points is None else complex_points
    get_or_add(properties, "w:sz", RPR_ORDER).set(qn("w:val"), str(round(points * 2)))
    get_or_add(properties, "w:szCs", RPR_ORDER).set(qn("w:val"), str(round(cs * 2)))


def set_bold(target: Run | BaseOxmlElement, on: bool = True) -> None:
    """Make text bold (or explicitly not bold) for both Latin and complex scripts."""
    _set_toggle(target, ("w:b", "w:bCs"), on)


def set_italic(target: Run | BaseOxmlElement, on: bool = True) -> None:
    """Make text italic (or explicitly upright) for both Latin and complex scripts."""
    _set_toggle(target, ("w:i", "w:iCs"), on)


def _set_toggle(target: Run | BaseOxmlElement, tags: tuple[str, str], on: bool) -> None:
    """Turn a run property on (the bare element) or explicitly off (``w:val="0"``)."""
    properties = run_properties(target)
    for tag in tags:
        element = get_or_add(properties, tag, RPR_ORDER)
        if on:
            element.attrib.pop(qn("w:val"), None)
        else:
            element.set(qn("w:val"), "0")


def set_colour(target: Run | BaseOxmlElement, colour: str) -> None:
    """Set the text colour (``#RRGGBB``), dropping any theme colour that would override it."""
    element = get_or_add(run_properties(target), "w:color", RPR_ORDER)
    for attribute in _THEME_COLOUR_ATTRIBUTES:
        element.attrib.pop(qn(attribute), None)
    element.set(qn("w:val"), hex_colour(colour))


def set_language(
    target: Run | BaseOxmlElement, latin: str | None = None, bidi: str | None = None
) -> None:
    """Set the proofing language of Latin (``w:val``) and right-to-left (``w:bidi``) text."""
    element = get_or_add(run_properties(target), "w:lang", RPR_ORDER)
    if latin:
        element.set(qn("w:val"), latin)
    if bidi:
        element.set(qn("w:bidi"), bidi)


def set_rtl(target: Run | BaseOxmlElement, on: bool = True) -> None:
    """Mark a run as right-to-left complex-script text (``w:rtl``)."""
    set_flag(run_properties(target), "w:rtl", RPR_ORDER, on)


# -- paragraphs -------------------------------------------------------------------------------


def paragraph_properties(target: Paragraph | BaseOxmlElement) -> BaseOxmlElement:
    """Return the ``w:pPr`` of a paragraph, or ``target`` itself when it already is one."""
    if isinstance(target, Paragraph):
        return target._p.get_or_add_pPr()
    return target


def set_paragraph_bidi(target: Paragraph | BaseOxmlElement, on: bool = True) -> None:
    """Make a paragraph right-to-left (``w:pPr/w:bidi``)."""
    set_flag(paragraph_properties(target), "w:bidi", PPR_ORDER, on)


def set_paragraph_border(
    target: Paragraph | BaseOxmlElement, side: str, colour: str, eighths: int = 6, space: int = 4
) -> None:
    """Draw a single rule on one side (``top``/``bottom``) of a paragraph."""
    borders = get_or_add(paragraph_properties(target), "w:pBdr", PPR_ORDER)
    _set_border(borders, side, colour, eighths, space)


def set_numbering(target: Paragraph | BaseOxmlElement, num_id: int, level: int = 0) -> None:
    """Attach a paragraph or paragraph style to the numbering instance ``num_id``."""
    numbering = get_or_add(paragraph_properties(target), "w:numPr", PPR_ORDER)
    for child in list(numbering):
        numbering.remove(child)
    level_element = OxmlElement("w:ilvl")
    level_element.set(qn("w:val"), str(level))
    number_element = OxmlElement("w:numId")
    number_element.set(qn("w:val"), str(num_id))
    numbering.append(level_element)
    numbering.append(number_element)


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> list[Run]:
    """Append a field (``PAGE``, ``NUMPAGES`` …) showing ``shown`` until Word updates it.

    Returns the field's runs so that the caller can format them like the text around.
    """
    runs: list[Run] = []

    def add(kind: str, text: str = "") -> None:
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            element.text = text
            run._r.append(element)
        elif kind == "text":
            run.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        runs.append(run)

    add("begin")
    add("instr", f" {instruction.strip()} ")
    add("separate")
    add("text", shown)
    add("end")
    return runs


# -- sections ---------------------------------------------------------------------------------


def set_section_bidi(sect_pr: BaseOxmlElement, on: bool = True) -> None:
    """Make a section right-to-left (``w:sectPr/w:bidi``): page furniture follows Arabic."""
    set_flag(sect_pr, "w:bidi", SECTPR_ORDER, on)


# -- tables -----------------------------------------------------------------------------------


def _set_border(
    parent: BaseOxmlElement, side: str, colour: str | None, eighths: int, space: int
) -> None:
    """Write one side of a border box: a single rule of ``eighths`` of a point, or none."""
    if side not in (*BOX_SIDES, "between", "bar"):
        raise ValueError(f"unknown border side {side!r}")
    element = get_or_add(parent, f"w:{side}", BORDER_ORDER)
    if colour is None:
        element.attrib.clear()
        element.set(qn("w:val"), "nil")
        return
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(eighths))
    element.set(qn("w:space"), str(space))
    element.set(qn("w:color"), hex_colour(colour))


def set_table_borders(
    tbl_pr: BaseOxmlElement, sides: dict[str, str | None], eighths: int = 4
) -> None:
    """Set table borders: ``{"top": "#RRGGBB", "insideV": None …}`` (None removes a rule)."""
    borders = get_or_add(tbl_pr, "w:tblBorders", TBLPR_ORDER)
    for side, colour in sides.items():
        _set_border(borders, side, colour, eighths, 0)


def set_cell_borders(tc_pr: BaseOxmlElement, sides: dict[str, str | None], eighths: int = 4):
    """Set the borders of one cell (or of a table style's conditional cell format)."""
    borders = get_or_add(tc_pr, "w:tcBorders", TCPR_ORDER)
    for side, colour in sides.items():
        _set_border(borders, side, colour, eighths, 0)


def set_shading(properties: BaseOxmlElement, fill: str, order: Sequence[str]) -> None:
    """Fill a cell, table or paragraph background with a flat colour."""
    shading = get_or_add(properties, "w:shd", order)
    shading.attrib.clear()
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour(fill))


def set_cell_margins(properties: BaseOxmlElement, twips: dict[str, int], table: bool) -> None:
    """Set inner cell margins (top/left/bottom/right, in twips) of a table or a cell."""
    tag, order = ("w:tblCellMar", TBLPR_ORDER) if table else ("w:tcMar", TCPR_ORDER)
    margins = get_or_add(properties, tag, order)
    for side in CELL_MARGIN_ORDER:
        if side.removeprefix("w:") in twips:
            element = get_or_add(margins, side, CELL_MARGIN_ORDER)
            element.set(qn("w:w"), str(twips[side.removeprefix("w:")]))
            element.set(qn("w:type"), "dxa")


def set_row_flags(tr: BaseOxmlElement, header: bool = False, cant_split: bool = False) -> None:
    """Repeat a row at the top of every page (``w:tblHeader``) and/or keep it on one page."""
    row_properties = tr.get_or_add_trPr()
    set_flag(row_properties, "w:tblHeader", TRPR_ORDER, header)
    set_flag(row_properties, "w:cantSplit", TRPR_ORDER, cant_split)


def set_table_look(tbl_pr: BaseOxmlElement, first_row: bool, banded_rows: bool) -> None:
    """Say which conditional formats of the table style apply (header row, row bands)."""
    look = get_or_add(tbl_pr, "w:tblLook", TBLPR_ORDER)
    look.attrib.clear()
    values = {
        "w:firstRow": first_row,
        "w:lastRow": False,
        "w:firstColumn": False,
        "w:lastColumn": False,
        "w:noHBand": not banded_rows,
        "w:noVBand": True,
    }
    mask = (0x20 if first_row else 0) | (0 if banded_rows else 0x200) | 0x400
    look.set(qn("w:val"), f"{mask:04X}")
    for attribute, on in values.items():
        look.set(qn(attribute), "1" if on else "0")


# -- pictures ---------------------------------------------------------------------------------


def describe_pictures(run: Run, description: str, title: str = "") -> int:
    """Give every picture in ``run`` its alternative text (``wp:docPr/@descr``); return how many."""
    properties = run._r.xpath(".//wp:docPr")
    for element in properties:
        element.set("descr", description)
        if title:
            element.set("title", title)
    return len(properties)


# -- document defaults ------------------------------------------------------------------------


def clear_theme_fonts(elements: Iterable[BaseOxmlElement]) -> int:
    """Remove theme font attributes (``w:cstheme="minorBidi"`` …) from ``w:rFonts`` elements.

    Returns how many attributes were removed.
    """
    removed = 0
    for fonts in elements:
        for attribute in _THEME_FONT_ATTRIBUTES:
            if fonts.attrib.pop(qn(attribute), None) is not None:
                removed += 1
    return removed


# CT_Settings children up to the hyphenation settings, in schema order.
SETTINGS_ORDER = _tags(
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
    "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
    "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
    "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
    "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
    "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
    "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
    "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
    "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
    "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
    "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
    "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
    "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
    "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
    "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
    "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace "
    "updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr "
    "attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
    "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType "
    "schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator"
)


def set_hyphenation(settings: BaseOxmlElement, consecutive: int = 2) -> None:
    """Turn on automatic hyphenation: no capitals (acronyms) hyphenated, ``consecutive`` at most.

    Paragraphs that must never be hyphenated say so with ``w:suppressAutoHyphens``.
    """
    get_or_add(settings, "w:autoHyphenation", SETTINGS_ORDER).attrib.pop(qn("w:val"), None)
    limit = get_or_add(settings, "w:consecutiveHyphenLimit", SETTINGS_ORDER)
    limit.set(qn("w:val"), str(consecutive))
    get_or_add(settings, "w:doNotHyphenateCaps", SETTINGS_ORDER).attrib.pop(qn("w:val"), None)


def suppress_hyphenation(paragraph_properties: BaseOxmlElement) -> None:
    """Keep a paragraph (or a paragraph style) from being hyphenated."""
    get_or_add(paragraph_properties, "w:suppressAutoHyphens", PPR_ORDER)


# -- floating boxes ---------------------------------------------------------------------------

_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def floating_box(
    paragraphs: Sequence[BaseOxmlElement], width: int, height: int, side: str, gap: int
) -> BaseOxmlElement:
    """Return a run holding a borderless text box of ``paragraphs`` (moved into it).

    The box (``width`` x ``height`` EMU, growing to its text) floats at the ``side``
    ("left"/"right") of the column, its top level with the top of the paragraph the run
    is put in; the text of the page wraps around it ``gap`` EMU away, and it moves with
    that paragraph (``layoutInCell``: inside a table cell it stays in the cell).
    """
    from lxml import etree

    if side not in ("left", "right"):
        raise ValueError(f"a box floats left or right, not {side!r}")
    run = OxmlElement("w:r")
    # Word 2010 and later read the text box; the choice says what it needs, so that
    # an older reader skips it instead of reporting the file as damaged.
    choice_holder = etree.SubElement(
        run, f"{{{_MC}}}AlternateContent", nsmap={"mc": _MC, "wps": _WPS}
    )
    choice = etree.SubElement(choice_holder, f"{{{_MC}}}Choice", {"Requires": "wps"})
    drawing = etree.SubElement(choice, qn("w:drawing"))
    anchor = etree.SubElement(
        drawing,
        f"{{{_WP}}}anchor",
        {
            "distT": "0", "distB": str(gap // 3), "distL": str(gap), "distR": str(gap),
            "simplePos": "0", "relativeHeight": "251659264", "behindDoc": "0",
            "locked": "0", "layoutInCell": "1", "allowOverlap": "0",
        },
    )
    etree.SubElement(anchor, f"{{{_WP}}}simplePos", {"x": "0", "y": "0"})
    horizontal = etree.SubElement(anchor, f"{{{_WP}}}positionH", {"relativeFrom": "column"})
    etree.SubElement(horizontal, f"{{{_WP}}}align").text = side
    vertical = etree.SubElement(anchor, f"{{{_WP}}}positionV", {"relativeFrom": "paragraph"})
    etree.SubElement(vertical, f"{{{_WP}}}posOffset").text = "0"
    etree.SubElement(anchor, f"{{{_WP}}}extent", {"cx": str(width), "cy": str(height)})
    etree.SubElement(
        anchor, f"{{{_WP}}}effectExtent", {"l": "0", "t": "0", "r": "0", "b": "0"}
    )
    etree.SubElement(anchor, f"{{{_WP}}}wrapSquare", {"wrapText": "bothSides"})
    # The id is made unique in the package later; the picture inside carries the alt text.
    etree.SubElement(anchor, f"{{{_WP}}}docPr", {"id": "1", "name": "Chart box"})
    etree.SubElement(anchor, f"{{{_WP}}}cNvGraphicFramePr")
    graphic = etree.SubElement(anchor, f"{{{_DRAWING}}}graphic", nsmap={"a": _DRAWING})
    data = etree.SubElement(graphic, f"{{{_DRAWING}}}graphicData", {"uri": _WPS})
    shape = etree.SubElement(data, f"{{{_WPS}}}wsp", nsmap={"wps": _WPS})
    etree.SubElement(shape, f"{{{_WPS}}}cNvSpPr", {"txBox": "1"})
    shape_properties = etree.SubElement(shape, f"{{{_WPS}}}spPr")
    frame = etree.SubElement(shape_properties, f"{{{_DRAWING}}}xfrm")
    etree.SubElement(frame, f"{{{_DRAWING}}}off", {"x": "0", "y": "0"})
    etree.SubElement(frame, f"{{{_DRAWING}}}ext", {"cx": str(width), "cy": str(height)})
    geometry = etree.SubElement(shape_properties, f"{{{_DRAWING}}}prstGeom", {"prst": "rect"})
    etree.SubElement(geometry, f"{{{_DRAWING}}}avLst")
    etree.SubElement(shape_properties, f"{{{_DRAWING}}}noFill")
    line = etree.SubElement(shape_properties, f"{{{_DRAWING}}}ln")
    etree.SubElement(line, f"{{{_DRAWING}}}noFill")
    box = etree.SubElement(shape, f"{{{_WPS}}}txbx")
    content = etree.SubElement(box, qn("w:txbxContent"))
    for paragraph in paragraphs:
        content.append(paragraph)
    body = etree.SubElement(
        shape,
        f"{{{_WPS}}}bodyPr",
        {
            "rot": "0", "vert": "horz", "wrap": "square", "lIns": "0", "tIns": "0",
            "rIns": "0", "bIns": "0", "anchor": "t", "anchorCtr": "0",
        },
    )
    etree.SubElement(body, f"{{{_DRAWING}}}spAutoFit")
    return run
