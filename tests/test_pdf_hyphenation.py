"""Justified, hyphenated English in the PDF, read back with word positions (pdftotext -bbox)."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pyphen
import pytest
from reportlab.lib.units import mm

from briefing import edits
from briefing.document import Document, Paragraph, build_document
from briefing.fonts import bundled_face
from briefing.library import Library
from briefing.model import BriefMeta, LocalText
from briefing.render.pdf import PAGE_SIZES, render_pdf
from briefing.templates import list_templates, load_template
from briefing.text import FontSet, TextStyle, layout_text
from briefing.text.layout import hyphenation_points

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")

XHTML = "{http://www.w3.org/1999/xhtml}"
TEMPLATES = sorted(entry["id"] for entry in list_templates() if entry["origin"] == "shipped")
DICTIONARY = pyphen.Pyphen(lang="en_GB", left=3, right=3)
# Spaces of a justified line stretch to about twice their width at most (a little more
# is measured: pdftotext's word boxes include the letters' side bearings).
MAX_SPACE_RATIO = 2.35


@dataclass
class PdfLine:
    page: int
    left: float
    right: float
    words: list[tuple[float, float, str]]

    @property
    def text(self) -> str:
        return " ".join(word for _, _, word in self.words)

    def gaps(self) -> list[float]:
        return [b[0] - a[1] for a, b in zip(self.words, self.words[1:], strict=False)]


def _document(library: Library, template: str, lang: str = "en") -> Document:
    brief = edits.default_brief(library)
    meta = BriefMeta(
        date=date(2025, 10, 20),
        recipient=LocalText(ar="معالي الوزير", en="The Minister"),
        drafter=LocalText(ar="إدارة آسيا", en="Asia Department"),
        reference="BR-2025/117",
    )
    brief = replace(brief, meta=meta)
    return build_document(brief, library, load_template(template), lang)  # type: ignore[arg-type]


def _lines(data: bytes, tmp_path: Path) -> list[PdfLine]:
    path = tmp_path / "read.pdf"
    path.write_bytes(data)
    output = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True
    ).stdout
    lines = []
    for number, page in enumerate(ElementTree.fromstring(output).iter(f"{XHTML}page"), 1):
        for line in page.iter(f"{XHTML}line"):
            words = [
                (float(word.get("xMin", 0)), float(word.get("xMax", 0)), word.text or "")
                for word in line.iter(f"{XHTML}word")
            ]
            if words:
                lines.append(PdfLine(number, words[0][0], words[-1][1], words))
    return lines


def _body_paragraphs(document: Document) -> list[str]:
    return [
        block.text
        for block in document.blocks
        if isinstance(block, Paragraph) and block.lang == "en" and block.role in ("body", "lead")
    ]


def _spaced(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z\-’']*[A-Za-z]", text))


@dataclass
class Rendered:
    template: str
    document: Document
    data: bytes
    lines: list[PdfLine]  # body lines
    left: float
    right: float
    natural: float  # a word space at its own width, as pdftotext measures it
    edges: dict[int, list[float]]  # per page, the right edges that justified lines share

    def flush(self, line: PdfLine) -> bool:
        """Return True when ``line`` ends at the margin or at the page's shared edge."""
        ends = [self.right, *self.edges.get(line.page, [])]
        return any(abs(line.right - end) < 1.5 for end in ends)


@pytest.fixture(scope="module")
def rendered(
    library: Library, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Rendered]]:
    result = []
    for template_id in TEMPLATES:
        template = load_template(template_id)
        document = _document(library, template_id)
        data = render_pdf(document)
        left = float(template.page.margin_left_mm) * mm
        right = PAGE_SIZES[template.page.size][0] - float(template.page.margin_right_mm) * mm
        folder = tmp_path_factory.mktemp(template_id)
        # Body text: lines with more than a few words that are part of a body paragraph
        # (not headings, running headers or captions).
        body = [_spaced(text) for text in _body_paragraphs(document)]
        found: list[tuple[PdfLine, int]] = []
        for line in _lines(data, folder):
            owner = next(
                (i for i, text in enumerate(body) if line.text.removesuffix("-") in text), None
            )
            if len(line.words) >= 4 and owner is not None:
                found.append((line, owner))
        # Only the paragraphs that reach the right margin are taken: one set beside a
        # chart ends at a narrower measure (test_chart_placement checks it is justified).
        reach: dict[int, float] = {}
        for line, owner in found:
            reach[owner] = max(reach.get(owner, 0.0), line.right)
        lines = [line for line, owner in found if reach[owner] > right - 1.5]
        # Where justified lines end: the right margin, or the edge of the narrower measure
        # beside a chart, which several lines of the page share.
        edges: dict[int, list[float]] = {}
        for line in lines:
            ends = [other.right for other in lines if other.page == line.page]
            if sum(abs(end - line.right) < 0.5 for end in ends) >= 3:
                edges.setdefault(line.page, []).append(line.right)
        case = Rendered(template_id, document, data, lines, left, right, 0.0, edges)
        ragged = [line for line in lines if not case.flush(line)]
        case.natural = statistics.median(gap for line in ragged for gap in line.gaps())
        result.append(case)
    yield result


def test_english_lines_are_flush_at_both_margins(rendered: list[Rendered]) -> None:
    for case in rendered:
        paragraphs = _body_paragraphs(case.document)
        assert len(paragraphs) >= 10
        # A paragraph's last line keeps its spaces (it is not justified); every other
        # line reaches the right margin, unless its spaces would have to stretch past
        # about twice their width (it is then set ragged, and must be rare).
        endings = [" ".join(text.replace("\u00a0", " ").split()[-3:]) for text in paragraphs]
        last_lines = [line for line in case.lines if any(line.text.endswith(e) for e in endings)]
        assert len(last_lines) >= 3, case.template
        for line in last_lines:
            assert max(line.gaps()) < case.natural * 1.3, (case.template, line.text)
        inner = [line for line in case.lines if line not in last_lines]
        flush = [line for line in inner if case.flush(line)]
        assert len(inner) >= 12, case.template
        assert len(flush) >= 0.8 * len(inner), (
            case.template,
            [line.text for line in inner if line not in flush],
        )
        for line in inner:
            if line in flush:
                continue
            # A ragged line is one that could not be justified: its spaces stay natural.
            assert max(line.gaps()) < case.natural * 1.3, (case.template, line.text)
        # Justified lines really are stretched to the margin: some spaces grew.
        assert max(max(line.gaps()) for line in flush) > case.natural * 1.15


def test_word_spaces_never_stretch_past_about_twice(rendered: list[Rendered]) -> None:
    for case in rendered:
        widest = max(max(line.gaps()) for line in case.lines)
        assert widest / case.natural <= MAX_SPACE_RATIO, (case.template, widest, case.natural)


def test_hyphens_only_at_dictionary_points_of_source_words(rendered: list[Rendered]) -> None:
    hyphenated_total = 0
    for case in rendered:
        source = " ".join(_body_paragraphs(case.document))
        words = _words(source)
        streak = 0
        for line, following in zip(case.lines, case.lines[1:], strict=False):
            last = line.words[-1][2]
            if not re.search(r"[A-Za-z]-$", last):
                streak = 0
                continue
            head = re.sub(r"^[^A-Za-z]+", "", last[:-1])
            tail = re.sub(r"[^A-Za-z]+$", "", following.words[0][2])
            if f"{head}-{tail}" in words:
                streak += 1  # a compound broken after its own hyphen ("cargo-handling")
                continue
            joined = head + tail
            assert joined in words, f"{case.template}: {head}- / {tail} is no word of the text"
            assert not re.search(r"\d", joined)
            assert len(joined) >= 6 and len(head) >= 3 and len(tail) >= 3, joined
            assert not joined.isupper(), f"an acronym was hyphenated: {joined}"
            assert len(head) in DICTIONARY.positions(joined), (
                f"{case.template}: {head}-{tail} is not a hyphenation point of {joined}"
            )
            hyphenated_total += 1
            streak += 1
            assert streak <= 2, f"{case.template}: three hyphenated lines in a row at {joined}"
    # Hyphenation does happen in the shipped briefs (else the test above proves nothing).
    assert hyphenated_total >= 2


def test_figures_are_never_split(rendered: list[Rendered]) -> None:
    for case in rendered:
        for line, following in zip(case.lines, case.lines[1:], strict=False):
            last, first = line.words[-1][2], following.words[0][2]
            assert not (re.search(r"\d-?$", last) and re.match(r"^[\d.,%]", first)), (
                case.template,
                last,
                first,
            )
            assert not re.search(r"\d-$", last), (case.template, last)


def test_pdf_stays_deterministic(rendered: list[Rendered]) -> None:
    for case in rendered:
        assert render_pdf(case.document) == case.data, case.template


# -- the line breaker itself ---------------------------------------------------------------

SERIF = FontSet(bundled_face("Amiri"), bundled_face("Noto Serif"))
LONG = (
    "The intergovernmental negotiations on transcontinental infrastructure financing "
    "considered comprehensive multilateral arrangements, environmental responsibilities, "
    "administrative simplification and interoperability requirements simultaneously, "
    "notwithstanding considerable organisational uncertainties surrounding implementation."
)


PROSE = (
    "Economic relations between the two countries are concentrated primarily in the "
    "transit and energy sectors, and they are reinforced by the significance of their "
    "geographical position along the international transport route. The pragmatic "
    "approach of both governments makes it possible to expand mutually beneficial "
    "cooperation, while modernisation of the railway has raised its annual carrying "
    "capacity and the ports have attracted considerable investment in new infrastructure."
)


def _style(align: str = "justify") -> TextStyle:
    return TextStyle(SERIF, 11, 16.5, False, align, 1.11)  # type: ignore[arg-type]


def test_hyphenation_points_skip_acronyms_figures_and_short_words() -> None:
    assert hyphenation_points("infrastructure,") == tuple(DICTIONARY.positions("infrastructure"))
    expected = tuple(1 + p for p in DICTIONARY.positions("transport"))
    assert hyphenation_points("(transport)") == expected
    for word in ("UNFCCC", "COP29", "2050", "km²", "15\u00a0million", "agree", "e-mail"):
        assert hyphenation_points(word) == (), word
    # A capitalised word keeps five letters before its hyphen at least.
    assert all(p >= 5 for p in hyphenation_points("Kazakhstan"))


def test_no_more_than_two_hyphenated_lines_in_a_row_and_never_the_last_word() -> None:
    for width in range(120, 260, 7):
        layout = layout_text(LONG, "L", _style(), float(width))
        texts = [line.logical for line in layout.lines]
        ends = [text.endswith("-") and not text.endswith(" -") for text in texts]
        for index in range(len(ends) - 2):
            assert not all(ends[index : index + 3]), (width, texts)
        assert not ends[-1]
        # The paragraph's last line is not justified: its width is its natural width.
        pieces = "".join(text.removesuffix("-") for text in texts)
        assert pieces.replace(" ", "") == LONG.replace(" ", "")


def test_arabic_and_ragged_english_are_not_hyphenated() -> None:
    arabic = "يلعب ميناء باكو البحري الدولي دوراً رائداً في وصول كازاخستان إلى السوق العالمية " * 3
    layout = layout_text(arabic, "R", _style(), 150.0)
    assert all("-" not in line.logical for line in layout.lines)
    layout = layout_text(LONG, "L", _style("start"), 150.0)
    assert all(not line.logical.endswith("-") for line in layout.lines)


def test_justified_english_lines_fill_the_measure_or_stay_natural() -> None:
    style = _style()
    for width in (240.0, 330.0, 480.0):
        layout = layout_text(PROSE, "L", style, width)
        natural = layout_text(PROSE, "L", _style("start"), width)
        inner = layout.lines[:-1]
        justified = [line for line in inner if line.width == pytest.approx(width, abs=0.05)]
        assert len(justified) >= 0.7 * len(inner), width
        assert layout.lines[-1].width < width - 1
        # Hyphenation makes lines fuller than ragged breaking alone, never emptier.
        assert len(layout.lines) <= len(natural.lines)
