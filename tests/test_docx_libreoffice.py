"""Word briefs rendered by LibreOffice: every Arabic paragraph must read back in order."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import docx
import pytest
from bidi.algorithm import get_display
from docx.shared import Emu
from readback import drawn_pictures, libreoffice_pdf, pdf_boxes, tagged

from briefing.document import (
    BulletList,
    Chart,
    Document,
    Heading,
    Paragraph,
    Parallel,
    ParallelList,
    ParallelTable,
    build_document,
)
from briefing.library import Library
from briefing.model import Brief, BriefMeta, LocalText
from briefing.render.docx import render_docx
from briefing.templates import Template, load_template

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("soffice") and shutil.which("pdftotext")),
        reason="needs LibreOffice (soffice) and poppler-utils (pdftotext)",
    ),
]

# Marks, tatweel and bullets are placed as separate glyphs and say nothing about order.
DROPPED = re.compile("[\\s\u0640\u2022]")
# Mirrored brackets and guillemets come back unmirrored from the PDF's text layer;
# compare each pair as one.
BRACKETS = str.maketrans("()[]{}\u00ab\u00bb", "||||||\u2039\u2039")


def normalise(text: str) -> str:
    """Return ``text`` as compared: NFKC, no spaces, marks or tatweel, brackets unified."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return DROPPED.sub("", text).translate(BRACKETS)


def visual(words: list[str]) -> str:
    """Return how a line of logical Arabic words must look, left to right, normalised."""
    return normalise(get_display(" ".join(words), base_dir="R"))


def to_pdf(docx_path: Path, folder: Path) -> Path:
    """Render ``docx_path`` with LibreOffice in a private profile; return the PDF."""
    (pdf,) = libreoffice_pdf(docx_path, out=folder, profile=folder / "lo-profile", timeout=240)
    return pdf


@dataclass(frozen=True)
class Body:
    """The region of each page that holds body text (headers and footers excluded)."""

    top: float
    bottom: float
    left: float = 0.0
    right: float = 1e9


def body_of(docx_path: Path, right_half: bool = False) -> Body:
    """Return the body region of a Word file's pages, in PDF points."""
    section = docx.Document(str(docx_path)).sections[-1]
    top = Emu(section.top_margin).pt - 2
    bottom = Emu(section.page_height - section.bottom_margin).pt + 2
    if right_half:
        return Body(top, bottom, left=Emu(section.page_width).pt / 2)
    return Body(top, bottom)


def read_lines(pdf: Path, body: Body, keep_spaces: bool = False) -> list[str]:
    """Return the body lines of a PDF in reading order, each as normalised visual text.

    With ``keep_spaces`` the words of a line are joined by spaces and left as they are
    (for left-to-right text).
    """
    lines: list[str] = []
    pictures = _pictures(pdf)
    # The caption lines under the charts are read after the text (beside a small chart
    # they share their heights with the lines of the text around it; between the pages
    # of a paragraph they would part it).
    figures: list[tuple[float, str]] = []
    for number, page in enumerate(tagged(pdf_boxes(pdf), "page"), start=1):
        found: list[tuple[float, str]] = []
        below = {box: box[3] for box in pictures.get(number, [])}
        for line in sorted(tagged(page, "line"), key=lambda item: float(item.get("yMin", 0))):
            words = [
                (float(word.get("xMin", 0)), word.text or "")
                for word in tagged(line, "word")
                if body.left <= float(word.get("xMin", 0)) <= body.right
            ]
            y = float(line.get("yMin", 0))
            if not words or y < body.top or float(line.get("yMax", 0)) > body.bottom:
                continue
            ordered = [text for _, text in sorted(words)]
            text = " ".join(ordered) if keep_spaces else normalise("".join(ordered))
            left, right = float(line.get("xMin", 0)), float(line.get("xMax", 0))
            under = [
                box for box, foot in below.items()
                # Within the picture's width, give or take the caption's own margins
                # (the text beside a small chart stands 11 pt away from its box).
                if box[0] - 10 <= left and right <= box[2] + 10 and 0 <= y - foot < 9
            ]
            if under:
                below[under[0]] = float(line.get("yMax", 0))
                figures.append((y, text))
            elif text:
                found.append((y, text))
        lines += [text for _, text in sorted(found, key=lambda item: item[0])]
    return lines + [text for _, text in figures if text]


def _pictures(pdf: Path) -> dict[int, list[tuple[float, float, float, float]]]:
    """Return the boxes (left, top, right, bottom; points from the page top) of the
    chart pictures of each page."""
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for number, height, _name, matrix in drawn_pictures(pdf):
        width, tall = matrix[0, 0], matrix[1, 1]
        x, y = matrix[2, 0], matrix[2, 1]
        if width > 50 and tall > 30:
            boxes.setdefault(number, []).append((x, height - y - tall, x + width, height - y))
    return boxes


def match_at(lines: list[str], start: int, words: list[str]) -> int | None:
    """Return the line after ``words`` if they fill lines[start:] exactly, in order."""
    remaining = list(words)
    index = start
    while remaining:
        if index >= len(lines):
            return None
        line = lines[index]
        taken: list[str] = []
        while remaining and len(normalise("".join(taken))) < len(line):
            taken.append(remaining.pop(0))
        if visual(taken) != line:
            return None
        index += 1
    return index


def unreadable(lines: list[str], paragraphs: list[str]) -> list[str]:
    """Return the paragraphs not found, in document order, each line read right to left."""
    missing = []
    position = 0
    for paragraph in paragraphs:
        words = paragraph.split()
        for start in range(position, len(lines)):
            end = match_at(lines, start, words)
            if end is not None:
                position = end
                break
        else:
            missing.append(paragraph)
    return missing


def arabic_texts(blocks: tuple[object, ...], captions: bool = True) -> list[str]:
    """Return the Arabic paragraphs, headings, list items and captions in document order
    (without ``captions``, the text around the charts alone)."""
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Parallel):
            texts += arabic_texts(block.ar, captions)
        elif isinstance(block, ParallelList):
            texts += arabic_texts((block.ar, BulletList("ar", tuple(a for a, _ in block.items))))
        elif isinstance(block, ParallelTable):
            # The cells of a row share a line of the page; only the heading reads alone.
            texts += arabic_texts((block.ar_heading,))
        elif isinstance(block, Heading) and block.lang == "ar":
            texts.append(f"{block.number} {block.text}" if block.number else block.text)
        elif isinstance(block, Paragraph) and block.lang == "ar":
            texts.append(block.text)
        elif isinstance(block, BulletList) and block.lang == "ar":
            texts += block.items
        elif isinstance(block, Chart) and block.lang == "ar" and captions:
            texts.append(block.caption)
    return texts


def unreadable_around_figures(lines: list[str], blocks: tuple[object, ...]) -> list[str]:
    """Return the Arabic texts not read in order: the text in document order, and each
    chart's caption on its own (a chart that does not fit where it is written floats on
    past the text that follows, as a book's figures do, so its caption reads later)."""
    captions = [c for c in arabic_texts(blocks) if c not in arabic_texts(blocks, False)]
    assert captions
    return unreadable(lines, arabic_texts(blocks, False)) + [
        caption for caption in captions if unreadable(lines, [caption])
    ]


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("docx-lo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        patch.setenv("MPLCONFIGDIR", str(folder / "cache" / "matplotlib"))
        yield folder


@pytest.fixture(scope="module")
def ministry() -> Template:
    return load_template("ministry")


def _brief(library: Library) -> Brief:
    return Brief(
        meta=BriefMeta(
            recipient=LocalText(ar="سعادة وكيل الوزارة", en="The Under-Secretary"),
            date=date(2025, 10, 21),
            reference="AZ-KZ/2025/17",
        ),
        sections=tuple(library.section_ids()),
    )


def _render(document: Document, out: Path, name: str) -> tuple[Path, Path]:
    path = out / f"{name}.docx"
    path.write_bytes(render_docx(document))
    return path, to_pdf(path, out)


# -- tests --------------------------------------------------------------------------------


def test_check_catches_words_stored_in_visual_order(
    out: Path, library: Library, ministry: Template
) -> None:
    """The reading check itself: text saved pre-reversed (a classic defect) must fail it."""
    good = "يلعب ميناء باكو البحري الدولي دوراً رائداً في وصول كازاخستان إلى السوق العالمية."
    bad = "وتبلغ سعة مناولة البضائع في ميناء باكو 15 مليون طن ويمكن زيادتها إلى 25 مليون طن."
    base = build_document(Brief(sections=("port_of_baku",)), library, ministry, "ar")
    blocks = (Paragraph("ar", good), Paragraph("ar", get_display(bad, base_dir="R")))
    document = replace(base, blocks=blocks)
    path, pdf = _render(
        replace(document, template=replace(ministry, letterhead=None)), out, "check"
    )
    lines = read_lines(pdf, body_of(path))
    assert unreadable(lines, [good, bad]) == [bad]


def test_arabic_brief_reads_in_order(out: Path, library: Library, ministry: Template) -> None:
    document = build_document(_brief(library), library, ministry, "ar")
    path, pdf = _render(document, out, "brief-ar")
    expected = arabic_texts(document.blocks)
    assert len(expected) > 40
    lines = read_lines(pdf, body_of(path))
    assert unreadable_around_figures(lines, document.blocks) == []
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert text.count("مقيد") >= 2 * text.count("\f")  # marking above and below every page


def test_bilingual_brief_reads_in_order_in_the_right_column(
    out: Path, library: Library, ministry: Template
) -> None:
    document = build_document(_brief(library), library, ministry, "bi")
    path, pdf = _render(document, out, "brief-bi")
    lines = read_lines(pdf, body_of(path, right_half=True))
    expected = arabic_texts(document.blocks)
    assert len(expected) > 40
    assert unreadable_around_figures(lines, document.blocks) == []
    left = Body(body_of(path).top, body_of(path).bottom, right=body_of(path, True).left)
    # A running header or footer taller than its margin grows into the body area: its
    # lines are page furniture, not body text.
    furniture = set(document.header["en"].split()) | set(document.footer["en"].split())
    english_lines = " ".join(
        line
        for line in read_lines(pdf, left, keep_spaces=True)
        if not all(word in furniture or word.isdigit() for word in line.split())
    )
    english = [
        block.text
        for parallel in document.blocks
        if isinstance(parallel, Parallel)
        for block in parallel.en
        if isinstance(block, (Heading, Paragraph))
    ]
    assert len(english) > 20
    assert [text for text in english if " ".join(text.split()) not in english_lines] == []


def test_english_brief_renders(out: Path, library: Library, ministry: Template) -> None:
    document = build_document(_brief(library), library, ministry, "en")
    _, pdf = _render(document, out, "brief-en")
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraphs and all(" ".join(p.split()[:6]) in text for p in paragraphs)
    assert "RESTRICTED" in text
