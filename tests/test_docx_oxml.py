"""The Word XML helpers: schema order, bidi, complex-script run properties, fields, tables."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn

from briefing.render import docx_oxml as ox

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _children(element) -> list[str]:
    return [child.tag.replace(W, "w:") for child in element]


def _tiny_png() -> bytes:
    """Return a 2x1 PNG written by matplotlib's image writer."""
    import numpy as np
    from matplotlib import image

    buffer = io.BytesIO()
    image.imsave(buffer, np.zeros((1, 2, 3)), format="png")
    return buffer.getvalue()


def test_get_or_add_inserts_in_schema_order_and_reuses() -> None:
    run = docx.Document().add_paragraph().add_run("نص")
    properties = run._r.get_or_add_rPr()
    rtl = ox.get_or_add(properties, "w:rtl", ox.RPR_ORDER)
    ox.get_or_add(properties, "w:lang", ox.RPR_ORDER)
    ox.get_or_add(properties, "w:szCs", ox.RPR_ORDER)
    ox.get_or_add(properties, "w:rFonts", ox.RPR_ORDER)
    ox.get_or_add(properties, "w:bCs", ox.RPR_ORDER)
    assert _children(properties) == ["w:rFonts", "w:bCs", "w:szCs", "w:rtl", "w:lang"]
    assert ox.get_or_add(properties, "w:rtl", ox.RPR_ORDER) is rtl
    assert len(properties.findall(qn("w:rtl"))) == 1


def test_arabic_run_properties() -> None:
    run = docx.Document().add_paragraph().add_run("مرحبا")
    ox.set_rtl(run)
    ox.set_fonts(run, "Amiri", "Amiri")
    ox.set_size(run, 11.5)
    ox.set_bold(run)
    ox.set_italic(run)
    ox.set_language(run, bidi="ar-SA")
    ox.set_colour(run, "#1f3a5f")
    properties = run._r.rPr
    assert _children(properties) == [
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:color",
        "w:sz",
        "w:szCs",
        "w:rtl",
        "w:lang",
    ]
    fonts = properties.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) == "Amiri"
    assert fonts.get(qn("w:ascii")) == "Amiri"
    assert properties.find(qn("w:szCs")).get(qn("w:val")) == "23"
    assert properties.find(qn("w:lang")).get(qn("w:bidi")) == "ar-SA"
    assert properties.find(qn("w:lang")).get(qn("w:val")) is None
    assert properties.find(qn("w:color")).get(qn("w:val")) == "1F3A5F"
    ox.set_rtl(run, False)
    ox.set_bold(run, False)
    assert properties.find(qn("w:rtl")) is None
    assert properties.find(qn("w:bCs")).get(qn("w:val")) == "0"


def test_set_fonts_and_colour_drop_theme_attributes() -> None:
    document = docx.Document()
    defaults = document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr")[0]
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cstheme")) == "minorBidi"  # python-docx's stock template
    ox.set_fonts(defaults, "Noto Serif", "Amiri")
    assert fonts.get(qn("w:cstheme")) is None
    assert fonts.get(qn("w:asciiTheme")) is None
    assert (fonts.get(qn("w:ascii")), fonts.get(qn("w:cs"))) == ("Noto Serif", "Amiri")
    heading = document.styles["Heading 1"].element.rPr
    ox.set_colour(heading, "#A67C2E")
    colour = heading.find(qn("w:color"))
    assert colour.get(qn("w:themeColor")) is None
    assert colour.get(qn("w:val")) == "A67C2E"
    with pytest.raises(ValueError, match="not a colour"):
        ox.set_colour(heading, "navy")


def test_clear_theme_fonts_counts_what_it_removed() -> None:
    styles = docx.Document().styles.element
    removed = ox.clear_theme_fonts(styles.iter(qn("w:rFonts")))
    assert removed > 4
    assert not styles.xpath("//w:rFonts/@w:cstheme")
    assert ox.clear_theme_fonts(styles.iter(qn("w:rFonts"))) == 0


def test_paragraph_bidi_sits_between_its_schema_neighbours() -> None:
    paragraph = docx.Document().add_paragraph("نص", style="List Bullet")
    paragraph.alignment = 1  # centre
    paragraph.paragraph_format.space_after = 0
    ox.set_paragraph_bidi(paragraph)
    assert _children(paragraph._p.pPr) == ["w:pStyle", "w:bidi", "w:spacing", "w:jc"]
    ox.set_paragraph_bidi(paragraph, False)
    assert paragraph._p.pPr.find(qn("w:bidi")) is None


def test_paragraph_border_and_numbering() -> None:
    paragraph = docx.Document().add_paragraph("x")
    ox.set_paragraph_border(paragraph, "bottom", "#C9CED6")
    ox.set_numbering(paragraph, 7)
    properties = paragraph._p.pPr
    assert _children(properties) == ["w:numPr", "w:pBdr"]
    bottom = properties.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "C9CED6"
    assert properties.xpath("./w:numPr/w:numId/@w:val") == ["7"]
    assert properties.xpath("./w:numPr/w:ilvl/@w:val") == ["0"]


def test_add_field_writes_a_complete_field() -> None:
    paragraph = docx.Document().add_paragraph("صفحة ")
    runs = ox.add_field(paragraph, "PAGE", "1")
    assert len(runs) == 5
    kinds = [
        (run._r.xpath("./w:fldChar/@w:fldCharType") or run._r.xpath("./w:instrText/text()"))
        or [run.text]
        for run in runs
    ]
    assert kinds == [["begin"], [" PAGE "], ["separate"], ["1"], ["end"]]
    instruction = paragraph._p.xpath(".//w:instrText")[0]
    assert instruction.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_section_bidi_keeps_order() -> None:
    section = docx.Document().sections[0]
    ox.set_section_bidi(section._sectPr)
    names = _children(section._sectPr)
    assert names.index("w:pgMar") < names.index("w:bidi") < names.index("w:docGrid")
    ox.set_section_bidi(section._sectPr, False)
    assert section._sectPr.find(qn("w:bidi")) is None


def test_table_borders_shading_margins_rows_and_look() -> None:
    table = docx.Document().add_table(rows=2, cols=2)
    properties = table._tbl.tblPr
    ox.set_table_borders(properties, {"top": "#1F3A5F", "insideV": None})
    borders = properties.find(qn("w:tblBorders"))
    assert _children(borders) == ["w:top", "w:insideV"]
    assert borders.find(qn("w:insideV")).get(qn("w:val")) == "nil"
    with pytest.raises(ValueError, match="unknown border side"):
        ox.set_table_borders(properties, {"middle": None})
    ox.set_cell_margins(properties, {"left": 113, "top": 0}, table=True)
    assert properties.xpath("./w:tblCellMar/*/@w:w") == ["0", "113"]
    ox.set_table_look(properties, first_row=True, banded_rows=True)
    look = properties.find(qn("w:tblLook"))
    assert look.get(qn("w:firstRow")) == "1"
    assert look.get(qn("w:noHBand")) == "0"
    assert look.get(qn("w:val")) == "0420"
    cell = table.cell(0, 0)
    cell.vertical_alignment = 1
    ox.set_shading(cell._tc.get_or_add_tcPr(), "#eef2f7", ox.TCPR_ORDER)
    ox.set_cell_borders(cell._tc.tcPr, {"left": "#FFFFFF"}, eighths=12)
    assert _children(cell._tc.tcPr) == ["w:tcW", "w:tcBorders", "w:shd", "w:vAlign"]
    assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "EEF2F7"
    row = table.rows[0]._tr
    ox.set_row_flags(row, header=True, cant_split=True)
    assert row.xpath("./w:trPr/w:tblHeader") and row.xpath("./w:trPr/w:cantSplit")
    ox.set_row_flags(row, header=False)
    assert not row.xpath("./w:trPr/w:tblHeader")


def test_describe_pictures_sets_alt_text() -> None:
    run = docx.Document().add_paragraph().add_run()
    run.add_picture(io.BytesIO(_tiny_png()))
    assert ox.describe_pictures(run, "وصف الشكل", "عنوان") == 1
    properties = run._r.xpath(".//wp:docPr")[0]
    assert properties.get("descr") == "وصف الشكل"
    assert properties.get("title") == "عنوان"
    assert ox.describe_pictures(docx.Document().add_paragraph().add_run(), "x") == 0
