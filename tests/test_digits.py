"""With Arabic-Indic digits chosen, no Western digit is left in Arabic text (Latin words aside).

Read back from the PDF's text layer (by position in a bilingual brief), from the Word
file's Arabic paragraphs, headers and footers, and from the charts' own texts.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from readback import pdf_boxes, tagged
from samples import make_document

from briefing.document import Chart, Document, Parallel
from briefing.library import Library
from briefing.numbers import localize_text
from briefing.render.docx import render_docx
from briefing.render.pdf import render_pdf

LATIN = re.compile(r"[A-Za-z]")
WESTERN = re.compile(r"[0-9²³]")


def western_in_arabic(words: list[str]) -> list[str]:
    """Return the words that hold a Western digit and no Latin letter."""
    return [w for w in words if WESTERN.search(w) and not LATIN.search(w)]


def test_localize_text_turns_arabic_words_and_keeps_latin_ones() -> None:
    assert localize_text("الكوب29", "ar", "arabic") == "الكوب٢٩"
    assert localize_text("أذرتاج، باكو، 20 أكتوبر 2025", "ar", "arabic") == (
        "أذرتاج، باكو، ٢٠ أكتوبر ٢٠٢٥"
    )
    assert localize_text("مؤتمر (COP29) و45.5% و1,234 طن", "ar", "arabic") == (
        "مؤتمر (COP29) و٤٥٫٥٪ و١٬٢٣٤ طن"
    )
    assert localize_text("3.8 تريليون م³", "ar", "arabic") == "٣٫٨ تريليون متر مكعب"
    assert localize_text("BR-2025/117    صفحة 3", "ar", "arabic") == "BR-2025/117    صفحة ٣"
    # English, and Arabic with Western digits, stay as written.
    assert localize_text("COP29 on 20 October 2025", "en", "arabic") == "COP29 on 20 October 2025"
    assert localize_text("الكوب29 م³", "ar", "latin") == "الكوب29 م³"


def _pdf_pages(data: bytes) -> list[tuple[float, list[tuple[str, float]]]]:
    """Return each page's width and its words with their left edge, as pdftotext reads them."""
    pages = []
    for page in tagged(pdf_boxes(data, "-bbox"), "page"):
        words = [
            (unicodedata.normalize("NFKC", word.text or ""), float(word.get("xMin", 0)))
            for word in tagged(page, "word")
        ]
        pages.append((float(page.get("width", 0)), words))
    return pages


@pytest.mark.parametrize(
    ("lang", "template"),
    [("ar", "ministry"), ("ar", "minimal"), ("bi", "bilingual"), ("bi", "ministry")],
)
def test_pdf_arabic_text_has_arabic_indic_digits_only(
    library: Library, tmp_path: Path, lang: str, template: str
) -> None:
    data = render_pdf(make_document(library, lang, template=template, digits="arabic"))
    pages = _pdf_pages(data)
    found: list[str] = []
    arabic_numbers = 0
    for width, words in pages:
        # In a bilingual brief the Arabic column is the right half of the page; a bilingual
        # table's English date column may reach past the middle, so a number that follows
        # an English word ("October 2025") belongs to the English text.
        arabic = [
            text for number, (text, left) in enumerate(words)
            if lang == "ar" or (
                left > width / 2
                and not (number and re.fullmatch(r"[A-Za-z]+", words[number - 1][0]))
            )
        ]
        found += western_in_arabic(arabic)
        arabic_numbers += sum(bool(re.search("[٠-٩]", text)) for text in arabic)
    assert arabic_numbers > 40  # dates, figures, page numbers, section numbers
    assert not found, found[:20]
    text = " ".join(t for _, words in pages for t, _ in words)
    # pdftotext gives Arabic words in visual order: letters reversed, digits not.
    assert any(("كوب" in w or "بوك" in w) and "٢٩" in w for w in text.split()), "الكوب٢٩"
    assert "COP29" in text  # a Latin word keeps its digits
    assert "م³" not in text


def _word_arabic_texts(data: bytes) -> list[str]:
    """Return the text of every right-to-left paragraph of the body, headers and footers."""
    word = WordDocument(io.BytesIO(data))
    parts = [word.element.body]
    for section in word.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer):
            if not part.is_linked_to_previous:
                parts.append(part._element)
    texts = []
    for part in parts:
        for paragraph in part.iter(qn("w:p")):
            if paragraph.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is None:
                continue
            texts.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    return texts


@pytest.mark.parametrize(("lang", "template"), [("ar", "ministry"), ("bi", "bilingual")])
def test_word_arabic_paragraphs_have_arabic_indic_digits_only(
    library: Library, lang: str, template: str
) -> None:
    document = make_document(library, lang, template=template, digits="arabic")
    texts = _word_arabic_texts(render_docx(document))
    words = " ".join(texts).split()
    assert sum(bool(re.search("[٠-٩]", w)) for w in words) > 40
    assert not western_in_arabic(words), western_in_arabic(words)[:20]
    assert "الكوب٢٩" in words


def _charts(document: Document) -> list[Chart]:
    charts: list[Chart] = []
    for block in document.blocks:
        inner = (*block.ar, *block.en) if isinstance(block, Parallel) else (block,)
        charts += [b for b in inner if isinstance(b, Chart) and b.lang == "ar"]
    return charts


def test_chart_texts_have_arabic_indic_digits_only(library: Library) -> None:
    from matplotlib.text import Text

    from briefing.render.chart_drawing import chart_figure

    document = make_document(library, "ar", digits="arabic")
    charts = _charts(document)
    assert len(charts) >= 5
    template = document.template
    for chart in charts:
        for size in ("full", "half"):
            with chart_figure(chart.data, template, size) as figure:
                figure.canvas.draw()  # tick labels are formatted when drawn
                texts = [t.get_text() for t in figure.findobj(Text) if t.get_visible()]
            words = " ".join(texts).split()
            assert any(re.search("[٠-٩]", w) for w in words), chart.data.id
            assert not western_in_arabic(words), (chart.data.id, western_in_arabic(words))
        assert not western_in_arabic(chart.caption.split() + chart.alt.split()), chart.data.id
