"""The Word renderer: true right-to-left Arabic, real styles, page furniture, a sound package."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.shared import Cm, Mm
from lxml import etree

from briefing.document import (
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
    build_document,
)
from briefing.errors import BriefingError
from briefing.library import Library
from briefing.model import Brief, BriefMeta, LocalText
from briefing.render.charts import CHART_SIZES_CM, SIDE_CHART_KINDS, chart_size_cm
from briefing.render.docx import LRM, WORD_CHART_HEIGHT_CM, render_docx, split_scripts
from briefing.templates import Template, load_template

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
LATIN_LETTER = re.compile("[A-Za-z]")
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
DAY = date(2025, 10, 21)
# Amiri beside Noto Serif (the ministry template): Arabic is set this much larger.
SCALE = 1.11


def w(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


# -- fixtures ------------------------------------------------------------------------------


def _brief(library: Library) -> Brief:
    return Brief(
        meta=BriefMeta(
            recipient=LocalText(ar="سعادة وكيل الوزارة", en="The Under-Secretary"),
            drafter=LocalText(ar="إدارة تخطيط السياسات", en="Policy Planning"),
            date=DAY,
            reference="AZ-KZ/2025/17",
        ),
        sections=tuple(library.section_ids()),
    )


@pytest.fixture(scope="module")
def ministry() -> Template:
    """Return the shipped ministry template (it names a letterhead)."""
    return load_template("ministry")


@pytest.fixture(scope="module")
def plain(ministry: Template) -> Template:
    """Return the ministry look without a letterhead: python-docx's own base file."""
    return replace(ministry, letterhead=None)


@pytest.fixture(scope="module")
def documents(library: Library, plain: Template) -> Iterator[dict[str, Document]]:
    brief = _brief(library)
    yield {lang: build_document(brief, library, plain, lang) for lang in ("ar", "en", "bi")}


@pytest.fixture(scope="module")
def rendered(
    documents: dict[str, Document], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, bytes]]:
    """Render each language once for the module, with chart caches in a private folder."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))
        patch.setenv("MPLCONFIGDIR", str(cache / "matplotlib"))
        yield {lang: render_docx(document) for lang, document in documents.items()}


def _part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def _body(data: bytes) -> Any:
    return _part(data, "word/document.xml").find(w("w:body"))


def _text(element: Any) -> str:
    """Return the element's text as read, without the invisible left-to-right marks."""
    return "".join(element.xpath(".//w:t/text()", namespaces=NS)).replace(LRM, "")


def _in_text_box(node: Any, within: Any) -> bool:
    """Return whether ``node`` stands in a text box inside ``within``."""
    for ancestor in node.iterancestors():
        if ancestor is within:
            return False
        if ancestor.tag == w("w:txbxContent"):
            return True
    return False


def _own_text(paragraph: Any) -> str:
    """Return a paragraph's own text, without that of a text box floating in it."""
    return "".join(
        t.text or ""
        for t in paragraph.iter(w("w:t"))
        if not _in_text_box(t, paragraph)
    ).replace(LRM, "")


def _paragraphs_with_text(root: Any, text: str) -> list[Any]:
    return [p for p in root.iter(w("w:p")) if _own_text(p) == text]


def _style_of(paragraph: Any) -> str | None:
    found = paragraph.xpath("./w:pPr/w:pStyle/@w:val", namespaces=NS)
    return found[0] if found else None


def _furniture(data: bytes) -> dict[str, list[Any]]:
    """Return the header and footer parts the last section uses, by kind."""
    body = _body(data)
    rels = _part(data, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    found: dict[str, list[Any]] = {"header": [], "footer": []}
    for kind in found:
        for reference in body.find(w("w:sectPr")).findall(w(f"w:{kind}Reference")):
            found[kind].append(_part(data, "word/" + targets[reference.get(w("r:id"))]))
    return found


def _instructions(part: Any) -> list[str]:
    return [text.strip() for text in part.xpath(".//w:instrText/text()", namespaces=NS)]


def _flatten(blocks: Any) -> Iterator[Any]:
    for block in blocks:
        if isinstance(block, Parallel):
            yield from block.ar
            yield from block.en
        else:
            yield block


# -- script runs ---------------------------------------------------------------------------


def test_split_scripts_cuts_latin_out_of_arabic() -> None:
    # A bracketed Latin word keeps its brackets, behind a left-to-right mark.
    assert split_scripts("خلال مؤتمر الأطراف (COP29) إطاراً", "ar") == [
        ("خلال مؤتمر الأطراف ", "ar"),
        (f"{LRM}(COP29)", "en"),
        (" إطاراً", "ar"),
    ]
    assert split_scripts("باسم Middle Corridor (TITR).", "ar") == [
        ("باسم ", "ar"),
        ("Middle Corridor", "en"),
        (" ", "ar"),
        (f"{LRM}(TITR)", "en"),
        (".", "ar"),
    ]
    assert split_scripts("ميناء Port of Baku في 2024", "ar") == [
        ("ميناء ", "ar"),
        ("Port of Baku", "en"),
        (" في 2024", "ar"),
    ]
    assert split_scripts("بلغ 1.625 مليون طن", "ar") == [("بلغ 1.625 مليون طن", "ar")]
    assert split_scripts("The port (ميناء باكو) grew", "en") == [
        ("The port (", "en"),
        ("ميناء باكو", "ar"),
        (") grew", "en"),
    ]
    assert split_scripts("", "ar") == []


# -- Arabic ----------------------------------------------------------------------------------


def test_arabic_paragraphs_are_rtl_with_complex_script_runs(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    body = _body(rendered["ar"])
    paragraphs = [b for b in documents["ar"].blocks if isinstance(b, Paragraph)]
    assert len(paragraphs) > 10
    for block in paragraphs:
        matches = _paragraphs_with_text(body, block.text)
        assert len(matches) == 1, block.text
        paragraph = matches[0]
        assert paragraph.xpath("./w:pPr/w:bidi", namespaces=NS), block.text
        assert not paragraph.xpath("./w:pPr/w:jc", namespaces=NS), block.text
        for run in paragraph.findall(w("w:r")):
            # A floating chart's run holds no text of its own (its caption is checked
            # with the charts).
            if not ARABIC_LETTER.search("".join(run.xpath("./w:t/text()", namespaces=NS))):
                continue
            properties = run.find(w("w:rPr"))
            assert properties.find(w("w:rtl")) is not None
            fonts = properties.find(w("w:rFonts"))
            assert fonts.get(w("w:cs")) == fonts.get(w("w:ascii")) == "Amiri"
            # Arabic is set larger than Latin by the PDF's x-height scale (11 pt Latin).
            assert properties.find(w("w:szCs")).get(w("w:val")) == str(round(22 * SCALE))
            assert properties.find(w("w:lang")).get(w("w:bidi")) == "ar-SA"


def test_word_gets_logical_unshaped_text(rendered: dict[str, bytes]) -> None:
    for data in rendered.values():
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for name in package.namelist():
                if name.endswith(".xml"):
                    text = package.read(name).decode("utf-8")
                    assert not PRESENTATION_FORMS.search(text), name
    # Logical order: the title reads as typed, first word first (then again as the subject).
    title = "التعاون بين أذربيجان وكازاخستان في النقل العابر والطاقة"
    styles = [_style_of(p) for p in _paragraphs_with_text(_body(rendered["ar"]), title)]
    assert styles == ["Title", "TableText"]


def test_latin_inside_arabic_is_its_own_ltr_run(rendered: dict[str, bytes]) -> None:
    body = _body(rendered["ar"])
    for latin in ("(COP29)", "AZ-KZ/2025/17"):
        runs = [r for r in body.iter(w("w:r")) if _text(r) == latin]
        assert runs, latin
        for run in runs:
            properties = run.find(w("w:rPr"))
            assert properties.find(w("w:rtl")) is None
            assert properties.find(w("w:rFonts")).get(w("w:ascii")) == "Noto Serif"
            assert properties.find(w("w:lang")).get(w("w:val")) == "en-GB"
            paragraph = run.getparent()
            assert paragraph.xpath("./w:pPr/w:bidi", namespaces=NS)
    # The bracketed word starts with a left-to-right mark: LibreOffice then never ends a
    # line with its opening bracket; the Arabic before it is a right-to-left run.
    run = next(r for r in body.iter(w("w:r")) if _text(r) == "(COP29)")
    assert "".join(run.xpath(".//w:t/text()", namespaces=NS)) == f"{LRM}(COP29)"
    before = run.getprevious()
    assert ARABIC_LETTER.search(_text(before))
    assert before.find(w("w:rPr")).find(w("w:rtl")) is not None


def test_arabic_tables_sections_and_alignment(rendered: dict[str, bytes]) -> None:
    body = _body(rendered["ar"])
    tables = body.findall(".//" + w("w:tbl"))
    # Small charts float beside their text (two donuts and the progress bar): a box with
    # the picture and its caption, at the left (where an Arabic line ends), the text of
    # an Arabic paragraph wrapping around it.
    boxes = body.xpath(".//wp:anchor", namespaces=NS)
    assert len(boxes) == 3
    for box in boxes:
        assert box.xpath("./wp:positionH/wp:align/text()", namespaces=NS) == ["left"]
        assert box.xpath("./wp:positionV/@relativeFrom", namespaces=NS) == ["paragraph"]
        assert box.find(f"{{{NS['wp']}}}wrapSquare") is not None
        inside = box.xpath(".//w:txbxContent/w:p", namespaces=NS)
        assert len(inside) == 2 and inside[0].xpath(".//wp:inline", namespaces=NS)
        assert _style_of(inside[1]) == "Caption"
        holder = next(box.iterancestors(w("w:p")))
        assert holder.xpath("./w:pPr/w:bidi", namespaces=NS) and _own_text(holder)
    assert len(tables) == 4  # cover fields, key points box, key figures, sources
    for table in tables:
        assert table.find(w("w:tblPr")).find(w("w:bidiVisual")) is not None
    assert body.xpath("./w:sectPr/w:bidi", namespaces=NS)
    # Nothing that flips inside a bidi paragraph: only centring is used.
    assert set(body.xpath(".//w:pPr/w:jc/@w:val", namespaces=NS)) == {"center"}


def test_bold_is_also_complex_script_bold(rendered: dict[str, bytes]) -> None:
    body = _body(rendered["ar"])
    header_rows = body.xpath(".//w:tr[w:trPr/w:tblHeader]", namespaces=NS)
    assert len(header_rows) == 2  # key figures and sources
    for run in header_rows[0].iter(w("w:r")):
        properties = run.find(w("w:rPr"))
        assert properties.find(w("w:b")) is not None
        assert properties.find(w("w:bCs")) is not None
    styles = _part(rendered["ar"], "word/styles.xml")
    heading = styles.xpath('./w:style[@w:styleId="Heading1"]/w:rPr', namespaces=NS)[0]
    assert heading.find(w("w:b")) is not None and heading.find(w("w:bCs")) is not None


def test_document_defaults_name_the_fonts_without_theme(rendered: dict[str, bytes]) -> None:
    for lang in ("ar", "en"):
        styles = _part(rendered[lang], "word/styles.xml")
        fonts = styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", namespaces=NS)[0]
        assert fonts.get(w("w:cstheme")) is None
        assert fonts.get(w("w:cs")) == "Amiri"
        assert fonts.get(w("w:ascii")) == "Noto Serif"
        assert not styles.xpath("//w:rFonts/@w:cstheme", namespaces=NS)


def test_real_word_styles_carry_the_template(rendered: dict[str, bytes], plain: Template) -> None:
    body = _body(rendered["ar"])
    used = {_style_of(p) for p in body.iter(w("w:p"))}
    assert {"Title", "Subtitle", "Heading1", "Heading2", "ListBullet", "Caption"} <= used
    assert set(body.xpath(".//w:tblStyle/@w:val", namespaces=NS)) == {"BriefTable"}
    styles = _part(rendered["ar"], "word/styles.xml")

    def style(style_id: str) -> Any:
        return styles.xpath(f'./w:style[@w:styleId="{style_id}"]', namespaces=NS)[0]

    primary = plain.colours["primary"].lstrip("#")
    for style_id, level in (("Heading1", "0"), ("Heading2", "1")):
        element = style(style_id)
        assert element.xpath("./w:pPr/w:outlineLvl/@w:val", namespaces=NS) == [level]
        assert element.xpath("./w:rPr/w:color/@w:val", namespaces=NS) == [primary]
        assert element.xpath("./w:rPr/w:rFonts/@w:cs", namespaces=NS) == ["Amiri"]
        assert element.xpath("./w:rPr/w:rFonts/@w:ascii", namespaces=NS) == ["Noto Serif"]
    assert style("Title").xpath("./w:rPr/w:sz/@w:val", namespaces=NS) == ["40"]
    assert style("Heading1").xpath("./w:rPr/w:sz/@w:val", namespaces=NS) == ["28"]
    assert style("Heading1").xpath("./w:rPr/w:szCs/@w:val", namespaces=NS) == [
        str(round(28 * SCALE))
    ]
    table = style("BriefTable")
    header = table.xpath('./w:tblStylePr[@w:type="firstRow"]', namespaces=NS)[0]
    fill = plain.colours["table_header"].lstrip("#")
    assert header.xpath("./w:tcPr/w:shd/@w:fill", namespaces=NS) == [fill]
    assert header.xpath("./w:rPr/w:bCs", namespaces=NS)


def test_bullets_are_real_numbering(rendered: dict[str, bytes]) -> None:
    styles = _part(rendered["ar"], "word/styles.xml")
    numbering = _part(rendered["ar"], "word/numbering.xml")
    num_id = styles.xpath(
        './w:style[@w:styleId="ListBullet"]/w:pPr/w:numPr/w:numId/@w:val', namespaces=NS
    )[0]
    abstract_id = numbering.xpath(
        f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val', namespaces=NS
    )[0]
    level = numbering.xpath(
        f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="0"]', namespaces=NS
    )[0]
    assert level.xpath("./w:numFmt/@w:val", namespaces=NS) == ["bullet"]
    assert level.xpath("./w:lvlText/@w:val", namespaces=NS) == ["\u2022"]


def test_page_furniture_marks_every_page(
    documents: dict[str, Document], rendered: dict[str, bytes], plain: Template
) -> None:
    colour = plain.colours["marking"].lstrip("#")
    furniture = _furniture(rendered["ar"])
    assert furniture["header"] and furniture["footer"]
    for part in furniture["header"] + furniture["footer"]:
        runs = [r for r in part.iter(w("w:r")) if _text(r) == "مقيد"]
        assert len(runs) == 1
        assert runs[0].xpath("./w:rPr/w:color/@w:val", namespaces=NS) == [colour]
        assert runs[0].xpath("./w:rPr/w:rtl", namespaces=NS)
    header_text = [_text(p) for p in furniture["header"][0].iter(w("w:p"))]
    assert documents["ar"].header["ar"] in header_text
    footer = furniture["footer"][0]
    assert _instructions(footer) == ["PAGE", "NUMPAGES"]
    assert footer.xpath(".//w:p[w:pPr/w:bidi]//w:fldChar", namespaces=NS)
    # In logical order, as Word reads the right-to-left paragraph: "صفحة ٣ من ٧".
    numbered = footer.xpath(".//w:p[.//w:instrText]", namespaces=NS)[0]
    pieces = []
    for node in numbered.iter(w("w:t"), w("w:instrText")):
        pieces.append(f"[{node.text.strip()}]" if node.tag == w("w:instrText") else node.text)
    assert re.sub(r"\s+", " ", "".join(pieces)).endswith("صفحة [PAGE]1 من [NUMPAGES]1")


def test_key_points_sit_in_a_shaded_box(
    documents: dict[str, Document], rendered: dict[str, bytes], plain: Template
) -> None:
    points = next(
        b for b in documents["ar"].blocks if isinstance(b, BulletList) and b.role == "key_points"
    )
    body = _body(rendered["ar"])
    first = _paragraphs_with_text(body, points.items[0])[0]
    cell = first.getparent()
    assert cell.tag == w("w:tc")
    assert cell.xpath("./w:tcPr/w:shd/@w:fill", namespaces=NS) == [plain.colours["box"][1:]]
    items = [_text(p) for p in cell.findall(w("w:p"))]
    assert items == list(points.items)
    assert {_style_of(p) for p in cell.findall(w("w:p"))} == {"ListBullet"}


def test_key_figures_table_repeats_its_header(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    table_block = next(
        b for b in documents["ar"].blocks if isinstance(b, Table) and b.role == "key_figures"
    )
    body = _body(rendered["ar"])
    tables = [t for t in body.iter(w("w:tbl")) if _text(t).startswith("".join(table_block.header))]
    assert len(tables) == 1
    rows = tables[0].findall(w("w:tr"))
    assert len(rows) == 1 + len(table_block.rows)
    assert rows[0].xpath("./w:trPr/w:tblHeader", namespaces=NS)
    cells = [_text(c) for c in rows[1].findall(w("w:tc"))]
    assert cells == list(table_block.rows[0])
    value_cell = rows[1].findall(w("w:tc"))[table_block.numeric[0]]
    assert value_cell.xpath(".//w:jc/@w:val", namespaces=NS) == ["center"]


def test_charts_are_pictures_with_alt_text_and_captions(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    charts = [b for b in documents["ar"].blocks if isinstance(b, Chart)]
    assert len(charts) >= 4
    body = _body(rendered["ar"])
    assert body.xpath(".//wp:docPr/@descr", namespaces=NS) == [c.alt for c in charts]
    width = int(Cm(CHART_SIZES_CM["full"][0]))
    half = int(Cm(CHART_SIZES_CM["half"][0]))
    extents = [int(v) for v in body.xpath(".//wp:inline/wp:extent/@cx", namespaces=NS)]
    assert len(extents) == len(charts)
    for chart, extent in zip(charts, extents, strict=True):
        size = "half" if chart.data.kind in SIDE_CHART_KINDS else "full"
        # At the size the PDF draws it, made smaller (keeping its shape) to the height cap.
        picture_width, picture_height = chart_size_cm(chart.data.kind, size)
        shown = Cm(picture_width * min(1.0, WORD_CHART_HEIGHT_CM[size] / picture_height))
        assert extent <= int(shown) + 1, chart.data.id  # narrower still in a narrow cell
        assert extent <= (half if size == "half" else width), chart.data.id
        assert extent >= 0.3 * width, chart.data.id
    for chart in charts:
        captions = _paragraphs_with_text(body, chart.caption)
        assert [_style_of(p) for p in captions] == ["Caption"]
        assert captions[0].xpath("./w:pPr/w:bidi", namespaces=NS)
    with zipfile.ZipFile(io.BytesIO(rendered["ar"])) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(media) == len(charts)
        assert all(package.read(n).startswith(b"\x89PNG") for n in media)


def test_core_properties_are_fixed_and_language_tagged(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    for lang, tag in (("ar", "ar-SA"), ("en", "en-GB"), ("bi", "ar-SA")):
        core = docx.Document(io.BytesIO(rendered[lang])).core_properties
        assert core.title == documents[lang].title
        assert core.subject == documents[lang].subject
        assert core.author == documents[lang].author
        assert core.language == tag
        stamp = datetime(DAY.year, DAY.month, DAY.day, 9, 0, tzinfo=UTC)
        assert core.created == core.modified == stamp
        assert core.comments == ""


def test_same_document_gives_same_bytes(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    assert render_docx(documents["ar"]) == rendered["ar"]
    with zipfile.ZipFile(io.BytesIO(rendered["ar"])) as package:
        assert {info.date_time for info in package.infolist()} == {(2025, 10, 21, 0, 0, 0)}
        assert b"Briefing" in package.read("docProps/app.xml")
        assert "docProps/thumbnail.jpeg" not in package.namelist()


# -- English and bilingual ----------------------------------------------------------------------


def test_english_is_plain_left_to_right(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    body = _body(rendered["en"])
    for tag in ("w:bidi", "w:rtl", "w:bidiVisual", "w:rFonts"):
        assert not body.findall(".//" + w(tag)), tag
    heading = next(b for b in documents["en"].blocks if isinstance(b, Heading))
    assert [_style_of(p) for p in _paragraphs_with_text(body, heading.text)] == ["Heading2"]
    styles = _part(rendered["en"], "word/styles.xml")
    normal = styles.xpath('./w:style[@w:styleId="Normal"]/w:rPr/w:rFonts', namespaces=NS)[0]
    assert normal.get(w("w:ascii")) == "Noto Serif"


def test_bilingual_rows_put_arabic_right_and_english_left(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    body = _body(rendered["bi"])
    layout = [
        t
        for t in body.findall(w("w:tbl"))
        if len(t.xpath("./w:tblGrid/w:gridCol", namespaces=NS)) == 3
    ]
    # The bilingual key-figures table sits between layout tables, at full width.
    assert len(layout) == 2
    for table in layout:
        assert table.find(w("w:tblPr")).find(w("w:bidiVisual")) is not None
    rows = [row for table in layout for row in table.findall(w("w:tr"))]
    headings = []
    for row in rows:
        right, gutter, left = row.findall(w("w:tc"))
        assert _text(gutter) == ""
        for paragraph in right.iter(w("w:p")):
            if ARABIC_LETTER.search(_text(paragraph)):
                assert paragraph.xpath("./w:pPr/w:bidi", namespaces=NS)
        for paragraph in left.iter(w("w:p")):
            assert not paragraph.xpath("./w:pPr/w:bidi", namespaces=NS)
            assert not ARABIC_LETTER.search(_text(paragraph))
        styles = (
            [_style_of(p) for p in right.findall(w("w:p"))],
            [_style_of(p) for p in left.findall(w("w:p"))],
        )
        if styles == (["Heading1"], ["Heading1"]):
            headings.append((_text(right), _text(left)))
    expected = [
        (f"{a.number} {a.text}", f"{e.number} {e.text}")
        for block in documents["bi"].blocks
        if isinstance(block, Parallel) and block.role == "heading"
        for a, e in zip(block.ar, block.en, strict=True)
    ]
    assert headings == expected and len(expected) == 8
    # Half size in the columns, no taller than Word's cap for it.
    extents = body.xpath(".//wp:extent", namespaces=NS)
    assert extents
    for extent in extents:
        assert int(extent.get("cx")) <= int(Cm(CHART_SIZES_CM["half"][0]))
        assert int(extent.get("cy")) <= int(Cm(WORD_CHART_HEIGHT_CM["column"])) + 1


def test_bilingual_lists_and_tables_keep_rows_aligned(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    body = _body(rendered["bi"])
    rows = {}
    for row in body.iter(w("w:tr")):
        cells = row.findall(w("w:tc"))
        if len(cells) == 3:
            rows[_text(cells[2])] = _text(cells[0])
    lists = [b for b in documents["bi"].blocks if isinstance(b, ParallelList)]
    assert {b.role for b in lists} == {"key_points", "talking_points"}
    for block in lists:
        for ar_item, en_item in block.items:
            assert rows[en_item] == ar_item  # each item in one row beside its translation
    tables = [b for b in documents["bi"].blocks if isinstance(b, ParallelTable)]
    assert [b.role for b in tables] == ["key_figures", "sources"]
    figures = tables[0]
    table = next(
        t for t in body.iter(w("w:tbl")) if _text(t).startswith(figures.en_heading.text)
    )
    columns = len(figures.en.header)
    rows_here = table.findall(w("w:tr"))
    # The headings are the table's first row (English over the English columns), and
    # they repeat with the column header on every page the table takes.
    heading_cells = rows_here[0].findall(w("w:tc"))
    assert [_text(c) for c in heading_cells] == [figures.en_heading.text, figures.ar_heading.text]
    assert all(r.find(f"{w('w:trPr')}/{w('w:tblHeader')}") is not None for r in rows_here[:2])
    assert [_text(c) for c in rows_here[1].findall(w("w:tc"))] == [
        *figures.en.header, *reversed(figures.ar.header)
    ]
    for row, ar_row, en_row in zip(
        rows_here[2:], figures.ar.rows, figures.en.rows, strict=True
    ):
        texts = [_text(c) for c in row.findall(w("w:tc"))]
        assert texts == [*en_row, *reversed(ar_row)]
    for column in figures.en.nowrap:
        for row in (*figures.ar.rows, *figures.en.rows):
            assert " " not in row[column]  # values hold no-break spaces only
    assert columns == 3


def test_bilingual_furniture_has_both_languages(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    furniture = _furniture(rendered["bi"])
    header = furniture["header"][0]
    assert "مقيد" in _text(header) and "RESTRICTED" in _text(header)
    cells = header.xpath(".//w:tc", namespaces=NS)
    assert [_text(c) for c in cells] == [documents["bi"].header["ar"], documents["bi"].header["en"]]
    assert cells[0].xpath(".//w:pPr/w:bidi", namespaces=NS)
    assert not cells[1].xpath(".//w:pPr/w:bidi", namespaces=NS)
    footer = furniture["footer"][0]
    assert _instructions(footer) == ["PAGE", "NUMPAGES", "PAGE", "NUMPAGES"]


def test_every_block_of_the_document_is_written(
    documents: dict[str, Document], rendered: dict[str, bytes]
) -> None:
    for lang in ("ar", "en", "bi"):
        text = _text(_body(rendered[lang]))
        for block in _flatten(documents[lang].blocks):
            if isinstance(block, (Paragraph, Heading)):
                assert block.text in text, (lang, block.text)
            elif isinstance(block, BulletList):
                assert all(item in text for item in block.items)
            elif isinstance(block, Cover):
                assert block.title in text
                assert all(value in text for _, value in block.fields)


# -- the package ------------------------------------------------------------------------------


def _check_package(data: bytes) -> None:
    """Assert what Word checks before it offers to repair a file."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        types = etree.fromstring(package.read("[Content_Types].xml"))
        defaults = {d.get("Extension").lower() for d in types.findall(w("ct:Default"))}
        overrides = {o.get("PartName") for o in types.findall(w("ct:Override"))}
        for name in names:
            if name == "[Content_Types].xml":
                continue
            assert f"/{name}" in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
        for name in names:
            if not name.endswith(".rels"):
                continue
            folder = posixpath.dirname(posixpath.dirname(name))
            for rel in etree.fromstring(package.read(name)):
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(folder, rel.get("Target")))
                assert target.lstrip("/") in names, (name, rel.get("Target"))
        ids: list[str] = []
        for name in names:
            if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", name):
                root = etree.fromstring(package.read(name))
                ids += root.xpath(".//wp:docPr/@id", namespaces=NS)
                for cell in root.iter(w("w:tc")):
                    assert cell[-1].tag == w("w:p"), name
                if root.tag in (w("w:hdr"), w("w:ftr")):
                    assert root[-1].tag == w("w:p"), name
        assert len(ids) == len(set(ids))
    reopened = docx.Document(io.BytesIO(data))
    assert reopened.paragraphs or reopened.tables


def test_packages_are_consistent(rendered: dict[str, bytes]) -> None:
    for data in rendered.values():
        _check_package(data)


# -- templates and letterheads ----------------------------------------------------------------


def _letterhead(path: Path, with_numbering: bool = True) -> Path:
    word = docx.Document()
    section = word.sections[0]
    section.left_margin = Mm(31)
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "LETTERHEAD FIRST PAGE"
    section.header.paragraphs[0].text = "LETTERHEAD RUNNING HEAD"
    word.styles.add_style("Letterhead Note", 1)
    word.add_paragraph("PLACEHOLDER BODY")
    if not with_numbering:
        rels = word.part.rels
        for rel_id, rel in list(rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.NUMBERING:
                del rels[rel_id]
    word.save(str(path))
    return path


def test_letterhead_is_the_base_of_the_export(
    library: Library, plain: Template, tmp_path: Path
) -> None:
    template = replace(plain, letterhead=_letterhead(tmp_path / "letterhead.docx"))
    document = build_document(_brief(library), library, template, "ar")
    data = render_docx(document)
    _check_package(data)
    body = _body(data)
    assert "PLACEHOLDER BODY" not in _text(body)
    section = body.find(w("w:sectPr"))
    assert section.find(w("w:titlePg")) is not None
    assert section.find(w("w:bidi")) is not None
    # The template's margins win over the letterhead's own 31 mm.
    left = str(int(Mm(float(template.page.margin_left_mm)).twips))
    assert section.find(w("w:pgMar")).get(w("w:left")) == left != str(int(Mm(31).twips))
    furniture = _furniture(data)
    texts = [_text(part) for part in furniture["header"]]
    first = next(t for t in texts if "LETTERHEAD FIRST PAGE" in t)
    running = next(t for t in texts if "LETTERHEAD RUNNING HEAD" in t)
    assert "مقيد" in first and document.header["ar"] not in first
    assert "مقيد" in running and document.header["ar"] in running
    assert all("مقيد" in _text(part) for part in furniture["footer"])
    styles = _part(data, "word/styles.xml")
    assert styles.xpath('./w:style[w:name/@w:val="Letterhead Note"]', namespaces=NS)


def test_letterhead_without_numbering_still_gets_bullets(
    library: Library, plain: Template, tmp_path: Path
) -> None:
    path = _letterhead(tmp_path / "bare.docx", with_numbering=False)
    with zipfile.ZipFile(path) as package:
        assert "word/numbering.xml" not in package.namelist()
    template = replace(plain, letterhead=path)
    data = render_docx(build_document(_brief(library), library, template, "en"))
    _check_package(data)
    numbering = _part(data, "word/numbering.xml")
    assert numbering.xpath(".//w:lvlText/@w:val", namespaces=NS) == ["\u2022"]


def test_shipped_letterhead_keeps_its_logo(library: Library, ministry: Template) -> None:
    assert ministry.letterhead is not None
    data = render_docx(build_document(_brief(library), library, ministry, "en"))
    _check_package(data)
    first = [p for p in _furniture(data)["header"] if p.xpath(".//wp:docPr", namespaces=NS)]
    assert len(first) == 1
    # The logo's paragraph keeps an automatic line height, so it is not clipped.
    logo_paragraph = first[0].xpath(".//w:p[.//wp:docPr]", namespaces=NS)[0]
    assert logo_paragraph.xpath("./w:pPr/w:spacing/@w:lineRule", namespaces=NS) == ["auto"]


def test_unreadable_letterhead_is_reported(
    library: Library, plain: Template, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    template = replace(plain, letterhead=broken)
    with pytest.raises(BriefingError, match=r"broken\.docx cannot be read as Word"):
        render_docx(build_document(_brief(library), library, template, "ar"))


def test_title_cover_gets_its_own_page_and_no_marking(library: Library) -> None:
    template = load_template("minimal")
    data = render_docx(build_document(_brief(library), library, template, "ar"))
    body = _body(data)
    children = list(body)
    breaks = [
        i for i, p in enumerate(children) if p.xpath(".//w:br[@w:type='page']", namespaces=NS)
    ]
    assert len(breaks) == 1
    assert [_style_of(p) for p in children[: breaks[0]] if _style_of(p) == "Title"] == ["Title"]
    furniture = _furniture(data)
    assert not any(
        r.xpath("./w:rPr/w:b", namespaces=NS)
        for part in furniture["header"] + furniture["footer"]
        for r in part.iter(w("w:r"))
    )
    assert _instructions(furniture["footer"][0]) == ["PAGE", "NUMPAGES"]


def test_undated_brief_claims_no_dates_and_control_characters_are_dropped(
    documents: dict[str, Document],
) -> None:
    document = replace(
        documents["ar"], date=None, blocks=(Paragraph("ar", "نص\x0bمع\x01 رموز تحكم"),)
    )
    data = render_docx(document)
    _check_package(data)
    core = _part(data, "docProps/core.xml")
    assert not [e for e in core if e.tag.endswith(("}created", "}modified"))]
    assert _paragraphs_with_text(_body(data), "نصمع رموز تحكم")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_package_writer_gives_the_bytes_zipfile_gives() -> None:
    import io
    import os
    import zipfile

    from briefing.render import docx as word

    members = [
        ("[Content_Types].xml", b"<Types/>" * 40),
        ("word/document.xml", "<w:t>مرحبا</w:t>".encode() * 200),
        ("word/fonts/font1.odttf", os.urandom(5000) + bytes(5000)),
        ("word/media/image1.png", bytes(range(256)) * 30),
        ("word/media/image2.png", bytes(range(256)) * 30),  # the same picture again
    ]
    date_time = (2026, 3, 14, 0, 0, 0)
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members:
            member = zipfile.ZipInfo(name, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            level = 1 if name.endswith(".odttf") else None
            target.writestr(member, content, compresslevel=level)
    made = word._zip_members(members, date_time)
    assert made == expected.getvalue()
    assert word._zip_members(members, date_time) == made  # from the kept streams, too
    with zipfile.ZipFile(io.BytesIO(made)) as archive:
        assert archive.testzip() is None
        assert [archive.read(name) for name, _ in members] == [c for _, c in members]
