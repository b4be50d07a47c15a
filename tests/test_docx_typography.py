"""Word typography: Arabic sized to the Latin beside it, justified hyphenated English, tables."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from briefing.document import Document, Paragraph, ParallelTable, build_document
from briefing.library import Library
from briefing.model import Brief, BriefMeta, LocalText
from briefing.render.docx import render_docx
from briefing.templates import list_templates, load_template
from briefing.text.fonts import FontSet, arabic_scale

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
XHTML = "{http://www.w3.org/1999/xhtml}"
TEMPLATES = sorted(entry["id"] for entry in list_templates() if entry["origin"] == "shipped")
LANGS = ("ar", "en", "bi")


def w(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _brief(library: Library) -> Brief:
    return Brief(
        meta=BriefMeta(
            recipient=LocalText(ar="سعادة وكيل الوزارة", en="The Under-Secretary"),
            drafter=LocalText(ar="إدارة تخطيط السياسات", en="Policy Planning"),
            date=date(2025, 10, 21),
            reference="AZ-KZ/2025/17",
        ),
        sections=tuple(library.section_ids()),
    )


@pytest.fixture(scope="module")
def rendered(library: Library) -> Iterator[dict[tuple[str, str], tuple[Document, bytes]]]:
    """Render every shipped template in every language once for the module."""
    brief = _brief(library)
    result = {}
    for template_id in TEMPLATES:
        template = load_template(template_id)
        for lang in LANGS:
            document = build_document(brief, library, template, lang)  # type: ignore[arg-type]
            result[(template_id, lang)] = (document, render_docx(document))
    yield result


def _part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def _half_points(properties: Any, tag: str) -> int | None:
    found = properties.find(w(tag))
    return None if found is None else int(found.get(w("w:val")))


def _pdf_scale(template_id: str) -> float:
    fonts = load_template(template_id).fonts
    return arabic_scale(FontSet(fonts.arabic, fonts.latin))


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_arabic_is_set_larger_by_the_pdf_scale(
    template_id: str, rendered: dict[tuple[str, str], tuple[Document, bytes]]
) -> None:
    """Every size pair (styles, defaults, Arabic runs) has szCs = sz x the PDF's x-height scale."""
    scale = _pdf_scale(template_id)
    for lang in LANGS:
        data = rendered[(template_id, lang)][1]
        pairs: list[tuple[str, int, int]] = []
        styles = _part(data, "word/styles.xml")
        for properties in styles.iter(w("w:rPr")):
            latin, arabic = _half_points(properties, "w:sz"), _half_points(properties, "w:szCs")
            if latin is not None and arabic is not None:
                owner = properties.getparent()
                name = owner.get(w("w:styleId")) or owner.tag
                pairs.append((f"style {name}", latin, arabic))
        arabic_runs = 0
        # The body (a letterhead's headers keep the sizes their designer gave them).
        for part in ("word/document.xml",):
            for run in _part(data, part).iter(w("w:r")):
                properties = run.find(w("w:rPr"))
                if properties is None or properties.find(w("w:rtl")) is None:
                    continue
                text = "".join(run.xpath(".//w:t/text()", namespaces=NS))
                latin = _half_points(properties, "w:sz")
                arabic = _half_points(properties, "w:szCs")
                assert arabic is not None, f"{template_id}/{lang}: Arabic run {text!r} has no szCs"
                if latin is not None and latin > 2:
                    pairs.append((f"run {text[:30]!r}", latin, arabic))
                    arabic_runs += 1
        if lang != "en":
            assert arabic_runs > 20, f"{template_id}/{lang}: too few Arabic runs ({arabic_runs})"
        assert len(pairs) > 25
        for what, latin, arabic in pairs:
            # Word sizes are whole half-points: the Arabic size is the nearest one.
            assert abs(arabic - latin * scale) <= 0.5 + 1e-9, (
                f"{template_id}/{lang} {what}: szCs {arabic} / sz {latin} = "
                f"{arabic / latin:.3f}, the PDF sets Arabic {scale} times larger"
            )
        if scale > 1.0:
            assert any(arabic > latin for _, latin, arabic in pairs)


def _in_text_box(node: Any, within: Any) -> bool:
    """Return whether ``node`` stands in a text box inside ``within``."""
    for ancestor in node.iterancestors():
        if ancestor is within:
            return False
        if ancestor.tag == w("w:txbxContent"):
            return True
    return False


def _paragraph_text(paragraph: Any) -> str:
    """Return a paragraph's own text, without that of a text box floating in it."""
    return "".join(
        t.text or ""
        for t in paragraph.iter(w("w:t"))
        if not _in_text_box(t, paragraph)
    )


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_english_running_text_is_justified_and_hyphenated(
    template_id: str, rendered: dict[tuple[str, str], tuple[Document, bytes]]
) -> None:
    document, data = rendered[(template_id, "en")]
    settings = _part(data, "word/settings.xml")
    assert settings.find(w("w:autoHyphenation")) is not None
    assert settings.find(w("w:consecutiveHyphenLimit")).get(w("w:val")) == "2"
    assert settings.find(w("w:doNotHyphenateCaps")) is not None
    styles = _part(data, "word/styles.xml")

    def style(style_id: str) -> Any:
        return styles.xpath(f'./w:style[@w:styleId="{style_id}"]', namespaces=NS)[0]

    assert not style("Normal").xpath("./w:pPr/w:suppressAutoHyphens", namespaces=NS)
    for style_id in ("Title", "Heading1", "Heading2", "Caption", "ListBullet"):
        assert style(style_id).xpath("./w:pPr/w:suppressAutoHyphens", namespaces=NS), style_id
    body = _part(data, "word/document.xml")
    by_text = {_paragraph_text(p): p for p in body.iter(w("w:p"))}
    texts = [
        block.text
        for block in document.blocks
        if isinstance(block, Paragraph) and block.role in ("body", "lead")
    ]
    assert len(texts) >= 10
    for text in texts:
        paragraph = by_text[text]
        assert paragraph.xpath("./w:pPr/w:jc/@w:val", namespaces=NS) == ["both"], text
    # Arabic paragraphs keep their alignment unset (a bidi paragraph flips left and right).
    arabic, arabic_data = rendered[(template_id, "ar")]
    arabic_body = _part(arabic_data, "word/document.xml")
    arabic_by_text = {_paragraph_text(p): p for p in arabic_body.iter(w("w:p"))}
    for block in arabic.blocks:
        if isinstance(block, Paragraph) and block.role == "body":
            assert not arabic_by_text[block.text].xpath("./w:pPr/w:jc", namespaces=NS)


# -- the bilingual key-figures table ---------------------------------------------------------


def _key_figures(document: Document) -> ParallelTable:
    tables = [
        b for b in document.blocks if isinstance(b, ParallelTable) and b.en.role == "key_figures"
    ]
    assert len(tables) == 1
    return tables[0]


def _word_table(data: bytes, block: ParallelTable) -> Any:
    header = [*block.en.header, *reversed(block.ar.header)]
    for table in _part(data, "word/document.xml").iter(w("w:tbl")):
        rows = table.findall(w("w:tr"))
        # The column header follows the row of the table's headings.
        cells = [_paragraph_text(cell) for cell in rows[1].findall(w("w:tc"))] if rows[1:] else []
        if cells == header:
            return table
    raise AssertionError("the bilingual key-figures table is not in the Word file")


BILINGUAL_TABLES = [
    template_id
    for template_id in TEMPLATES
    if "key_figures" in load_template(template_id).blocks
]


@pytest.mark.parametrize("template_id", BILINGUAL_TABLES)
def test_bilingual_key_figures_columns_come_from_the_text(
    template_id: str, rendered: dict[tuple[str, str], tuple[Document, bytes]]
) -> None:
    document, data = rendered[(template_id, "bi")]
    block = _key_figures(document)
    table = _word_table(data, block)
    assert table.xpath("./w:tblPr/w:tblLayout/@w:type", namespaces=NS) == ["fixed"]
    grid = [int(v) for v in table.xpath("./w:tblGrid/w:gridCol/@w:w", namespaces=NS)]
    count = len(block.en.header)
    assert len(grid) == 2 * count
    total = int(table.xpath("./w:tblPr/w:tblW/@w:w", namespaces=NS)[0])
    assert abs(sum(grid) - total) <= 2 * count
    section = _part(data, "word/document.xml").find(f"{w('w:body')}/{w('w:sectPr')}")
    page = int(section.find(w("w:pgSz")).get(w("w:w")))
    margins = section.find(w("w:pgMar"))
    room = page - int(margins.get(w("w:left"))) - int(margins.get(w("w:right")))
    assert sum(grid) <= room + 2 * count
    # The label columns are not squeezed: each takes a real share of the width (before,
    # the values and dates left them a few points).
    labels = [grid[0], grid[-1]]
    assert min(labels) > room / 8, (grid, room)
    # Every cell's own column is as wide as the cell in its language: the English and
    # Arabic halves are measured apart, so they differ.
    assert grid[:count] != list(reversed(grid[count:]))


def _furniture(text: str, footers: list[str]) -> bool:
    """Return True for (part of) a footer line ("Page 3 of 10"), whatever its page numbers."""
    shape = re.sub(r"\d+", "0", " ".join(text.split()))
    return bool(re.search(r"[^\W\d]", shape)) and any(
        shape in re.sub(r"\d+|\{pages?\}", "0", " ".join(footer.split())) for footer in footers
    )


# A word on a page: page number, xMin, yMin, xMax, yMax, text.
Box = tuple[int, float, float, float, float, str]


def _bbox_words(pdf: Path) -> list[Box]:
    output = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    words = []
    for number, page in enumerate(etree.fromstring(output).iter(XHTML + "page"), 1):
        for word in page.iter(XHTML + "word"):
            box = [float(word.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax")]
            words.append((number, *box, word.text or ""))
    return words


def _lines(words: list[Box]) -> list[tuple[int, float, str]]:
    """Return ``(page, y centre, text)`` of the words grouped into lines (3 pt apart at most)."""
    lines: list[list[Any]] = []
    for page, x0, y0, _, y1, text in sorted(words, key=lambda w: (w[0], (w[2] + w[4]) / 2)):
        centre = (y0 + y1) / 2
        if lines and lines[-1][0] == page and abs(lines[-1][1] - centre) <= 3:
            lines[-1][2].append((x0, text))
        else:
            lines.append([page, centre, [(x0, text)]])
    return [(page, y, " ".join(t for _, t in sorted(parts))) for page, y, parts in lines]


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="needs LibreOffice (soffice) and poppler-utils (pdftotext)",
)
@pytest.mark.parametrize("template_id", BILINGUAL_TABLES)
def test_bilingual_key_figures_in_libreoffice_values_whole_labels_in_two_lines(
    template_id: str,
    rendered: dict[tuple[str, str], tuple[Document, bytes]],
    tmp_path: Path,
) -> None:
    document, data = rendered[(template_id, "bi")]
    block = _key_figures(document)
    count = len(block.en.header)
    table = _word_table(data, block)
    grid = [int(v) / 20 for v in table.xpath("./w:tblGrid/w:gridCol/@w:w", namespaces=NS)]
    source = tmp_path / "brief-bi.docx"
    source.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    section = _part(data, "word/document.xml").find(f"{w('w:body')}/{w('w:sectPr')}")
    margins = section.find(w("w:pgMar"))
    left = int(margins.get(w("w:left"))) / 20
    body_top = int(margins.get(w("w:top"))) / 20 - 2
    height = int(section.find(w("w:pgSz")).get(w("w:h")))
    body_bottom = (height - int(margins.get(w("w:bottom")))) / 20
    # Body words only (not the running header and footer), and not a table header row
    # repeated on a following page.
    headers = {*block.en.header, *block.ar.header}
    # A footer taller than its margin grows into the foot of the body area.
    furniture = list(document.footer.values())
    words = [
        word
        for word in _bbox_words(tmp_path / "brief-bi.pdf")
        if body_top <= word[2] and word[4] <= body_bottom + 2
    ]
    edges = [left + sum(grid[:index]) for index in range(len(grid) + 1)]

    def column_lines(column: int, headed: bool = False) -> list[tuple[int, float, str]]:
        inside = [
            word
            for word in words
            if edges[column] - 1 <= (word[1] + word[3]) / 2 <= edges[column + 1] + 1
        ]
        return [
            line
            for line in _lines(inside)
            if (headed or line[2] not in headers)
            and not (line[1] > body_bottom - 30 and _furniture(line[2], furniture))
        ]

    # The English values, in the lines after the header row: each whole on one line of its
    # column (none wraps), in the order of the rows.
    header = next(line for line in column_lines(0, True) if line[2] == block.en.header[0])
    rows = len(block.en.rows)
    after = [line for line in column_lines(1) if (line[0], line[1]) > (header[0], header[1] + 4)]
    anchors = after[:rows]
    expected = [row[1].replace("\u00a0", " ") for row in block.en.rows]
    assert [line[2] for line in anchors] == expected, template_id
    pages = {line[0] for line in anchors}
    top = {page: header[1] if page == header[0] else 0.0 for page in pages}
    bottom = {page: max(a[1] for a in anchors if a[0] == page) + 10 for page in pages}

    def rows_of(column: int) -> dict[tuple[int, float], list[str]]:
        result: dict[tuple[int, float], list[str]] = {}
        for page, y, text in column_lines(column):
            if page not in pages or y <= top[page] + 4 or y > bottom[page]:
                continue
            near = min((a for a in anchors if a[0] == page), key=lambda a: abs(a[1] - y))
            result.setdefault((near[0], near[1]), []).append(text)
        return result

    for column in range(2 * count):
        found = rows_of(column)
        assert len(found) == rows, (template_id, column, found)
        most = max(len(lines) for lines in found.values())
        if column in (0, 2 * count - 1):
            assert most <= 2, (template_id, column, max(found.values(), key=len))
        else:
            # Values and dates in both languages: one line each.
            assert most == 1, (template_id, column, max(found.values(), key=len))
