"""Latin runs with brackets inside Arabic: each PDF line in the order LibreOffice prints it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from readback import libreoffice_pdf, pdf_boxes, tagged

from briefing import edits
from briefing.document import Document, build_document
from briefing.library import Library
from briefing.model import BriefMeta, LocalText, Section
from briefing.render.docx import render_docx
from briefing.render.pdf import render_pdf
from briefing.templates import load_template

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


# Each paragraph fits on one line; the value is the line's non-Arabic text from left to
# right, as UAX #9 with the paired-bracket rule (N0) orders it.
CASES = {
    "يعرف باسم Middle Corridor (TITR).": ".Middle Corridor (TITR)",
    "شارك الوفد في COP29 (Baku) هذا العام.": ". COP29 (Baku)",
    "تنص Article 5 (a) على ذلك.": ". Article 5 (a)",
    "وصلت السفينة إلى Aktau (Kazakhstan) أمس.": ". Aktau (Kazakhstan)",
    "ثم تبدأ Phase [phase two] من المشروع.": ". Phase [phase two]",
    # The brackets round Arabic are drawn mirrored; the text layer holds the source's
    # characters where they are shown (the closing one on the left), as readers expect.
    "يمر الخط عبر Port of Baku (ميناء باكو) إلى أوروبا.": ". ) ( Port of Baku",
}
SECTION = Section(
    id="bracket_runs",
    title=LocalText(ar="أقواس حول نص لاتيني", en="Brackets around Latin"),
    body=LocalText(ar="\n\n".join(CASES), en="Brackets."),
    custom=True,
)


def document(library: Library) -> Document:
    brief = edits.add_custom_section(edits.default_brief(library), library, SECTION)
    brief = edits.set_sections(brief, ("bracket_runs",))
    brief = replace(brief, meta=BriefMeta(date=date(2025, 10, 20), reference="BR-7"))
    return build_document(brief, library, load_template("ministry"), "ar")


def latin_lines(pdf: Path) -> list[str]:
    """Return each line's non-Arabic text, words ordered by their x position on the page."""
    lines = []
    for line in tagged(pdf_boxes(pdf), "line"):
        words = sorted(tagged(line, "word"), key=lambda word: float(word.get("xMin", 0)))
        pieces = ["".join(c for c in (w.text or "") if c.isascii()) for w in words]
        text = " ".join(piece for piece in pieces if piece)
        if any(c.isalpha() for c in text):
            lines.append(text)
    return lines


@pytest.fixture(scope="module")
def pdf_lines(library: Library, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    path = tmp_path_factory.mktemp("bidi") / "brackets.pdf"
    path.write_bytes(render_pdf(document(library)))
    return latin_lines(path)


@pytest.mark.parametrize("paragraph", list(CASES))
def test_each_line_reads_in_the_bidi_order(pdf_lines: list[str], paragraph: str) -> None:
    # Whether pdftotext makes a full stop touching a Latin word a word of its own depends
    # on the order the two were written in, not on where they are: spaces are left out.
    def unspaced(line: str) -> str:
        return line.replace(" ", "")

    assert unspaced(CASES[paragraph]) in [unspaced(line) for line in pdf_lines], pdf_lines


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice")
def test_lines_match_libreoffice_printing_the_word_file(
    library: Library, pdf_lines: list[str], tmp_path: Path
) -> None:
    source = tmp_path / "brackets.docx"
    source.write_bytes(render_docx(document(library)))
    (printed,) = libreoffice_pdf(source, out=tmp_path, profile=tmp_path / "profile")
    reference = latin_lines(printed)
    for paragraph in CASES:
        # The line that holds the paragraph's longest Latin word, in both renderings.
        key = max((w.strip(".()[]") for w in paragraph.split() if w.isascii()), key=len)
        lo = [line for line in reference if key in line.split() or f"({key})" in line]
        ours = [line for line in pdf_lines if key in line.split() or f"({key})" in line]
        assert lo and ours, (paragraph, reference)
        assert positions(ours[0]) == positions(lo[0]), (paragraph, lo[0])


def positions(line: str) -> str:
    """Return ``line`` with what extractors disagree on folded away.

    Whether a full stop touching a word is a word of its own differs between
    extractors, and LibreOffice's text layer gives a mirrored bracket as the source
    character (")" drawn as "("): spaces go, and every bracket becomes "|", so the
    place of each bracket among the words is still compared.
    """
    return line.replace(" ", "").translate(str.maketrans("()[]", "||||"))
