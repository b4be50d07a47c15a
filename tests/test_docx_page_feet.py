"""Word briefs printed by LibreOffice leave no holes and strand no heading at a page foot.

Every shipped template in ar, en and bi is exported to Word with the library's default
brief and all nine files printed in one LibreOffice run; the pages are rendered at 30 dpi
for their empty feet and read back with pdftotext for their last lines.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import docx
import pytest
from docx.shared import Emu
from readback import empty_feet, footer_top, libreoffice_pdf, pdf_boxes, tagged

from briefing import edits
from briefing.document import Heading, Parallel, ParallelTable, build_document
from briefing.export import export
from briefing.library import Library, load_library
from briefing.templates import load_template

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftoppm")),
        reason="needs LibreOffice (soffice) and poppler-utils",
    ),
]

SHIPPED = ("ministry", "minimal", "bilingual")
LANGS = ("ar", "en", "bi")
# Share of a page's body that may stay empty under its last line (all but the last page,
# and a title cover page, which ends with its page break). Charts that would not fit let
# the text after them fill the page (see docx_flow); what is left is a heading kept with
# the first rows of a table that moves on with them.
MAX_EMPTY_FOOT = 0.15


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def printed(library: Library, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the LibreOffice PDF of every template's Word file, by "template-lang"."""
    # Dated, as the command line dates a brief it is given no file for (the date takes a
    # line of the cover and moves every page break after it).
    brief = edits.set_meta(edits.default_brief(library), date=datetime.date(2026, 12, 7))
    out = tmp_path_factory.mktemp("word-feet")
    sources: dict[str, Path] = {}
    for template in SHIPPED:
        result = export(
            brief, out / template, list(LANGS), ("docx",), template=template, library=library
        )
        for path in result.paths:
            # One folder for all: the PDFs are named after the Word files.
            target = out / f"{template}-{path.stem.rsplit('-', 1)[1]}.docx"
            path.rename(target)
            sources[target.stem] = target
    names = sorted(sources)
    pdfs = libreoffice_pdf(*(sources[n] for n in names), out=out, profile=out / "lo-profile")
    return dict(zip(names, pdfs, strict=True))


def body_feet(pdf: Path) -> list[float]:
    """Return each page's empty share of the body, the body ending above the footer."""
    section = docx.Document(str(pdf.with_suffix(".docx"))).sections[-1]
    top = Emu(section.top_margin).pt
    bottom = min(Emu(section.page_height - section.bottom_margin).pt, footer_top(pdf) - 6)
    return empty_feet(pdf, top, bottom)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("template", SHIPPED)
def test_no_page_foot_is_left_empty(
    printed: dict[str, Path], template: str, lang: str
) -> None:
    feet = body_feet(printed[f"{template}-{lang}"])
    assert len(feet) >= 3
    cover = load_template(template).cover_style == "title"  # a page of its own
    for number, foot in enumerate(feet[:-1], start=1):
        if number == 1 and cover:
            continue
        assert foot <= MAX_EMPTY_FOOT, f"page {number} is {foot:.0%} empty at its foot"


def test_the_measure_sees_a_hole(printed: dict[str, Path]) -> None:
    # The cover pages end with their page break: the measure must find them mostly empty.
    assert body_feet(printed["minimal-en"])[0] > 0.5


def _headings(library: Library, template: str, lang: str) -> list[str]:
    brief = edits.default_brief(library)
    found: list[str] = []
    for code in ("ar", "en") if lang == "bi" else (lang,):
        document = build_document(brief, library, load_template(template), code)
        stack: list = list(document.blocks)
        while stack:
            block = stack.pop(0)
            if isinstance(block, Parallel):
                stack[:0] = [*block.ar, *block.en]
            elif isinstance(block, ParallelTable):
                stack[:0] = [block.ar_heading, block.en_heading]
            elif isinstance(block, Heading) and block.text:
                found.append(f"{block.number} {block.text}" if block.number else block.text)
    return found


def _key(text: str) -> str:
    """Return text compared without spaces and order (Arabic reads back visually)."""
    return "".join(sorted(text.replace(" ", "").replace("\u200e", "")))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("template", SHIPPED)
def test_no_page_ends_with_a_heading(
    printed: dict[str, Path], library: Library, template: str, lang: str
) -> None:
    pdf = printed[f"{template}-{lang}"]
    headings = {_key(h): h for h in _headings(library, template, lang)}
    assert len(headings) >= 8
    foot = footer_top(pdf) - 2
    pages = list(tagged(pdf_boxes(pdf, "-bbox"), "page"))
    for number, page in enumerate(pages[:-1], start=1):
        width = float(page.get("width", 595))
        words = [
            w for w in tagged(page, "word") if float(w.get("yMax", 0)) < foot
        ]
        # Each column of a bilingual page on its own: Arabic right, English left.
        halves = [(0.0, width / 2), (width / 2, width)] if lang == "bi" else [(0.0, width)]
        for left, right in halves:
            column = [w for w in words if left <= float(w.get("xMin", 0)) < right]
            if not column:
                continue
            lowest = max(float(w.get("yMax", 0)) for w in column)
            line = "".join(
                w.text or "" for w in column if float(w.get("yMax", 0)) > lowest - 4
            )
            # Whole heading, or the last line of a heading that took two.
            ends = [
                h for k, h in headings.items()
                if line and (k == _key(line) or (len(line) > 8 and _key(line) in k
                             and h.replace(" ", "").endswith(line.replace(" ", ""))))
            ]
            assert not ends, f"page {number} ends with the heading {ends[0]!r}"
