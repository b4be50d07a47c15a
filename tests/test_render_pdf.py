"""The PDF renderer: a real brief with shaped Arabic, RTL tables and lists, furniture, metadata."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bidi.algorithm import get_display
from readback import pdf_boxes, tagged
from samples import make_document

from briefing import edits
from briefing.document import (
    BulletList,
    Document,
    Heading,
    Parallel,
    ParallelList,
    ParallelTable,
    build_document,
)
from briefing.library import Library
from briefing.model import LocalText, Section
from briefing.render.pdf import render_pdf
from briefing.templates import load_template
from briefing.text import reshape
from briefing.verify import canonical, verify_pdf

TRICKY = Section(
    id="tricky_text",
    title=LocalText(
        ar="اختبار: «الممر الأوسط» (COP29) والأرقام ٣٫٨ و3.8%",
        en="Test: «Middle Corridor» (COP29), 3.8% & <b>markup</b>",
    ),
    body=LocalText(
        ar=(
            "مُحَمَّدٌ كَتَبَ تَقْرِيراً مُهِمّاً عَنْ قُوَّةِ الشَّراكةِ، وَلا يَزالُ التَّعاوُنُ "
            "مُسْتَمِرّاً. بلغت النسبة 45.5% في عام 2025، وارتفع الحجم إلى 1,234,567.85 طن "
            "أي ١٬٢٣٤٫٥ مليون، وتاريخ التوقيع 20/10/2025.\n\n"
            "قال الرئيس في مؤتمر الأطراف (COP29): «إن الممر الأوسط (Middle Corridor) جسرنا "
            "إلى أوروبا»، وينقل خط BTK نحو 0.4 مليون طن شهرياً عبر Port of Baku.\n\n"
            "قصير.\n\n"
            + "كلمةطويلة"
            + "جدا" * 45
            + " ثم نص عادي يتضمن رمزاً تعبيرياً 😀 ورمز <b> و & حرفياً."
        ),
        en=(
            "Arabic inside English: the Middle Corridor (الممر الأوسط) carries 4.4 billion "
            "tonnes, up 12.5% since 2020; see «COP29» and “quotes”, 1,234,567.85 USD "
            "& <b>not markup</b> on 20/10/2025.\n\nShort.\n\n"
            "Pneumonoultramicroscopicsilicovolcanoconiosisandanevenlongertailthatcannotfit"
            "onanylineofthepageatall followed by words and an emoji 😀 then the end."
        ),
    ),
    key_point=LocalText(ar="نصٌّ مُشَكَّلٌ مع (COP29) و«اقتباس».", en="A point with (COP29)."),
    talking_points=(LocalText(ar="نقطة تتضمن Latin words و(BTK).", en="A point, كلمات عربية."),),
    custom=True,
)


def pdf_words(data: bytes) -> list[list[dict[str, Any]]]:
    """Return the words of each page: text (canonical) and box, as pdftotext reads them."""
    pages = []
    for page in tagged(pdf_boxes(data), "page"):
        words = []
        for word in tagged(page, "word"):
            box = {k: float(word.get(k, 0)) for k in ("xMin", "xMax", "yMin", "yMax")}
            words.append({"text": canonical(word.text or ""), **box})
        pages.append(words)
    return pages


def shown(word: str) -> str:
    """Return how an Arabic word reads back from the PDF (shaped, visual, NFKC)."""
    return canonical(get_display(reshape(word)))


def _reads_rtl(words: list[dict[str, Any]], expected: list[str]) -> bool:
    """Tell whether one Arabic line ends with ``expected`` read right to left.

    Each word is compared in base letters (NFKC undoes presentation forms) and in
    either character order, whichever the text layer writes.
    """
    read = [
        unicodedata.normalize("NFKC", w["text"]) for w in sorted(words, key=lambda w: -w["xMin"])
    ]
    tail = read[-len(expected):]
    return len(tail) == len(expected) and all(
        word in (want, want[::-1]) for word, want in zip(tail, expected, strict=True)
    )


def find(words: list[dict[str, Any]], text: str) -> dict[str, Any]:
    matches = [w for w in words if w["text"] == text]
    assert matches, f"{text!r} not on the page"
    return matches[0]


@pytest.fixture(scope="module")
def arabic_pdf(library: Library) -> tuple[Document, bytes]:
    document = make_document(library, "ar", sections=("port_of_baku", "btk_railway"))
    return document, render_pdf(document)


def test_arabic_pdf_is_deterministic_with_metadata(
    arabic_pdf: tuple[Document, bytes], library: Library, tmp_path: Path
) -> None:
    document, data = arabic_pdf
    assert data.startswith(b"%PDF-")
    again = render_pdf(make_document(library, "ar", sections=("port_of_baku", "btk_railway")))
    assert again == data
    assert b"/Lang (ar)" in data
    # No clock time in the file: it is dated by the brief (20 October 2025, 09:00 UTC).
    assert b"D:20000101" not in data
    assert data.count(b"(D:20251020090000+00'00')") == 2  # CreationDate and ModDate
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert f"Title:           {document.title}" in info.stdout
    assert "Author:          إدارة آسيا" in info.stdout
    assert f"Subject:         {document.subject}" in info.stdout
    dated = subprocess.run(
        ["pdfinfo", "-isodates", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^CreationDate:\s+2025-10-20T09:00:00", dated, re.M), dated
    assert re.search(r"^ModDate:\s+2025-10-20T09:00:00", dated, re.M), dated


def test_every_font_is_embedded_and_subset(
    arabic_pdf: tuple[Document, bytes], tmp_path: Path
) -> None:
    _, data = arabic_pdf
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_rest = row.split()
        assert re.match(r"^[A-Z]{6}\+", name), row  # a subset
        assert re.search(r"\byes\s+yes\s+yes\b", row), row  # embedded, subset, ToUnicode
    assert any("Amiri" in row for row in rows)


def test_marking_header_and_page_numbers_on_every_page(
    arabic_pdf: tuple[Document, bytes], tmp_path: Path
) -> None:
    document, data = arabic_pdf
    pages = pdf_words(data)
    marking = shown("مقيد")
    for number, words in enumerate(pages, start=1):
        marks = [w for w in words if w["text"] == marking]
        assert len(marks) == 2, f"page {number}"
        assert min(w["yMin"] for w in marks) < 40 and max(w["yMax"] for w in marks) > 800
        footer = [w for w in words if w["yMin"] > 760 and w["text"] != marking]
        assert _reads_rtl(footer, ["صفحة", str(number), "من", str(len(pages))]), number
        assert "BR-2025/117" in "".join(w["text"] for w in footer)
    assert document.marking["ar"] == "مقيد"


def test_arabic_text_reads_back_in_order(arabic_pdf: tuple[Document, bytes]) -> None:
    document, data = arabic_pdf
    assert verify_pdf(data, document) == []


def test_rtl_table_runs_right_to_left(arabic_pdf: tuple[Document, bytes], tmp_path: Path) -> None:
    pages = pdf_words(arabic_pdf[1])
    words = next(page for page in pages if any(w["text"] == shown("المؤشر") for w in page))
    labels = ("المؤشر", "القيمة", "الوحدة", "بتاريخ")  # in reading order
    columns = [find(words, shown(label))["xMin"] for label in labels]
    assert columns == sorted(columns, reverse=True)


def test_arabic_bullets_hang_on_the_right(
    arabic_pdf: tuple[Document, bytes], tmp_path: Path
) -> None:
    pages = pdf_words(arabic_pdf[1])
    checked = 0
    for page in pages:
        for bullet in [w for w in page if w["text"] == "•"]:
            middle = (bullet["yMin"] + bullet["yMax"]) / 2
            line = [w for w in page if w["yMin"] < middle < w["yMax"] and w["text"] != "•"]
            assert line and bullet["xMin"] > max(w["xMax"] for w in line)
            checked += 1
    assert checked >= 3


def outline(data: bytes, tmp_path: Path) -> list[tuple[str, int]]:
    """Return the PDF's top-level bookmarks, (title, page index), as Qt's PDF reader sees them
    (the test asks for the ``qapp`` fixture)."""
    from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument

    path = tmp_path / "outline.pdf"
    path.write_bytes(data)
    reader = QPdfDocument()
    assert reader.load(str(path)) == QPdfDocument.Error.None_
    try:
        model = QPdfBookmarkModel()
        model.setDocument(reader)
        title, page = int(QPdfBookmarkModel.Role.Title), int(QPdfBookmarkModel.Role.Page)
        entries = [model.index(row, 0) for row in range(model.rowCount())]
        return [(model.data(entry, title), model.data(entry, page)) for entry in entries]
    finally:
        reader.close()


def test_outline_has_one_entry_per_section(
    arabic_pdf: tuple[Document, bytes], tmp_path: Path, qapp: Any
) -> None:
    document, data = arabic_pdf
    titles, pages = zip(*outline(data, tmp_path), strict=True)
    headings = [b for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    assert list(titles) == [f"{h.number} {h.text}" for h in headings]
    texts = ["".join(w["text"] for w in page) for page in pdf_words(data)]
    for heading, page in zip(headings, pages, strict=True):
        title = canonical(get_display(reshape(f"{heading.number} {heading.text}"), base_dir="R"))
        assert title in texts[page]  # each bookmark opens the page its section starts on


def test_arabic_digits_reach_the_page_numbers(library: Library, tmp_path: Path) -> None:
    document = make_document(library, "ar", sections=("middle_corridor",), digits="arabic")
    pages = pdf_words(render_pdf(document))
    footer = [w for w in pages[0] if 760 < w["yMin"] < 815 and w["text"] != shown("مقيد")]
    indic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    assert _reads_rtl(footer, ["صفحة", "١", "من", str(len(pages)).translate(indic)])


def test_no_marking_when_the_brief_has_none(library: Library, tmp_path: Path) -> None:
    document = make_document(
        library, "en", sections=("middle_corridor",), marking=LocalText(ar="", en="")
    )
    data = render_pdf(document)
    text = " ".join(w["text"] for page in pdf_words(data) for w in page)
    assert "RESTRICTED" not in text
    assert "BR-2025/117" in text


def test_english_brief_with_tricky_text_and_literal_markup(
    library: Library, tmp_path: Path
) -> None:
    document = make_document(library, "en", sections=("tricky_text",), custom=TRICKY)
    data = render_pdf(document)
    assert b"/Lang (en)" in data
    assert verify_pdf(data, document) == []
    text = "".join(w["text"] for page in pdf_words(data) for w in page)
    assert "<b>notmarkup</b>" in text
    assert "\ufffd" in text  # the emoji's placeholder, with its neighbours kept
    assert "anemoji\ufffdthentheend." in text


def test_arabic_tricky_section_reads_back_in_order(library: Library) -> None:
    document = make_document(library, "ar", sections=("tricky_text",), custom=TRICKY)
    assert verify_pdf(render_pdf(document), document) == []


def test_bilingual_rows_put_arabic_on_the_right(library: Library, tmp_path: Path) -> None:
    sections = ("tricky_text", "middle_corridor")
    document = make_document(library, "bi", sections=sections, custom=TRICKY)
    kinds = (Parallel, ParallelList, ParallelTable)
    assert all(isinstance(block, kinds) for block in document.blocks)
    data = render_pdf(document)
    assert b"/Lang (ar)" in data
    assert verify_pdf(data, document) == []
    pages = pdf_words(data)
    arabic = find(pages[0], shown("النقاط"))
    english = find(pages[0], "Key")
    assert arabic["xMin"] > english["xMax"]
    assert abs(arabic["yMin"] - english["yMin"]) < 6  # the row keeps both languages level


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ar", "en", "bi"])
@pytest.mark.parametrize("template", ["ministry", "minimal", "bilingual"])
def test_whole_library_renders_and_reads_back(library: Library, lang: str, template: str) -> None:
    document = make_document(library, lang, template=template)
    data = render_pdf(document)
    assert verify_pdf(data, document) == []
    key_points = [
        b for b in document.blocks
        if (isinstance(b, BulletList) and b.role == "key_points")
        or (isinstance(b, ParallelList) and b.role == "key_points")
    ]
    assert key_points
    charts = sum(1 for _ in re.finditer(rb"/Subtype /Image", data))
    assert charts >= 5 if load_template(template).charts else charts >= 0


def test_pictures_reach_the_pdf_pixel_for_pixel(tmp_path: Path) -> None:
    import io

    from PIL import Image
    from reportlab.platypus import SimpleDocTemplate

    from briefing.render.pdf_flowables import Picture

    opaque = Image.new("RGB", (40, 30), (200, 30, 30))
    for x in range(40):
        opaque.putpixel((x, x % 30), (10, 120, 250))  # rows that PNG filters differ on
    clear = Image.new("RGBA", (20, 10), (0, 0, 0, 0))
    clear.paste((0, 90, 0, 255), (0, 0, 10, 10))
    files = []
    for picture in (opaque, clear):
        buffer = io.BytesIO()
        picture.save(buffer, "PNG")
        files.append(buffer.getvalue())
    target = tmp_path / "pictures.pdf"
    SimpleDocTemplate(str(target), invariant=1).build(
        [Picture(files[0], 80, 60), Picture(files[1], 40, 20)]
    )
    subprocess.run(["pdfimages", "-png", str(target), str(tmp_path / "img")], check=True)
    first = Image.open(tmp_path / "img-000.png").convert("RGB")
    second = Image.open(tmp_path / "img-001.png").convert("RGB")
    assert first.tobytes() == opaque.tobytes()  # passed through with PNG row filters
    assert second.getpixel((2, 2)) == (0, 90, 0)
    assert second.getpixel((15, 5)) == (255, 255, 255)  # transparency flattened on white


def test_bilingual_outline_names_both_languages(
    library: Library, tmp_path: Path, qapp: Any
) -> None:
    document = make_document(library, "bi", sections=("middle_corridor", "port_of_baku"))
    titles = [title for title, _page in outline(render_pdf(document), tmp_path)]
    assert titles == [
        "1. الممر الأوسط: شراكة في النقل العابر والطاقة / "
        "1. The Middle Corridor: A Partnership in Transit and Energy",
        "2. ميناء باكو البحري الدولي / 2. The Baku International Sea Trade Port",
    ]


def test_every_diacritic_reaches_the_text_layer(library: Library, tmp_path: Path) -> None:
    from briefing.verify import expected_paragraphs

    document = make_document(library, "ar", sections=("tricky_text",), custom=TRICKY)
    path = tmp_path / "brief.pdf"
    path.write_bytes(render_pdf(document))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    harakat = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
    expected = "".join(item.text for item in expected_paragraphs(document))
    for mark in harakat:
        assert text.count(mark) == expected.count(mark), f"U+{ord(mark):04X}"
    assert sum(expected.count(mark) for mark in harakat) > 40


@pytest.mark.parametrize("template", ["ministry", "bilingual"])
def test_bilingual_items_start_level_and_values_never_wrap(
    library: Library, template: str, tmp_path: Path
) -> None:
    document = make_document(library, "bi", template=template)
    pages = pdf_words(render_pdf(document))
    lists = [b for b in document.blocks if isinstance(b, ParallelList)]
    assert {b.role for b in lists} == {"key_points", "talking_points"}
    middle = 595 / 2
    for block in lists:
        for ar_item, en_item in block.items:
            en_first, ar_first = en_item.split()[0], shown(ar_item.split()[0])
            gaps = [
                abs(e["yMin"] - a["yMin"])
                for words in pages
                for e in words
                if e["text"] == en_first and e["xMax"] < middle
                for a in words
                if a["text"] == ar_first and a["xMin"] > middle
            ]
            assert gaps and min(gaps) < 1.0, (en_item[:40], sorted(gaps)[:3])
    tables = [b for b in document.blocks if isinstance(b, ParallelTable)]
    assert [b.role for b in tables] == ["key_figures", "sources"]
    # Every value and date cell of both tables is on one line: its words level and in
    # order. The cell's words are tied by no-break spaces, which pdftotext keeps inside
    # one word, so a run of one or more consecutive words must read as the whole cell.
    for table in tables:
        for column in table.en.nowrap:
            for row in table.en.rows:
                whole = canonical(row[column])
                assert whole and " " not in row[column]
                lines = [
                    words[i:j]
                    for words in pages
                    for i in range(len(words))
                    for j in range(i + 1, min(i + len(row[column].split()), len(words)) + 1)
                    if "".join(w["text"] for w in words[i:j]) == whole
                ]
                level = [
                    line for line in lines if max(w["yMin"] for w in line) - min(
                        w["yMin"] for w in line
                    ) < 1
                ]
                assert level, (table.role, row[column])


@pytest.mark.parametrize("lang", ["ar", "en", "bi"])
def test_ministry_cover_names_authority_distribution_and_reference(
    library: Library, lang: str, tmp_path: Path
) -> None:
    document = make_document(library, lang, template="ministry", sections=("port_of_baku",))
    meta = replace(
        edits.default_brief(library).meta,
        date=date(2025, 10, 20),
        reference="MFA/PP-2025/042",
        distribution=LocalText(ar="مكتب الوزير", en="Minister's office"),
    )
    brief = replace(edits.set_sections(edits.default_brief(library), ("port_of_baku",)), meta=meta)
    document = build_document(brief, library, load_template("ministry"), lang)  # type: ignore[arg-type]
    data = render_pdf(document)
    path = tmp_path / "cover.pdf"
    path.write_bytes(data)
    pages = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    cover = re.sub("[\u202a-\u202e]", "", unicodedata.normalize("NFKC", pages[0]))
    langs = ("ar", "en") if lang == "bi" else (lang,)
    for code in langs:
        for line in load_template("ministry").authority.get(code).splitlines():
            for word in line.split():
                assert word in cover, (code, word)
    if "en" in langs:
        assert "Distribution: Minister's office" in cover
    if "ar" in langs:
        for word in ("التوزيع", "مكتب", "الوزير"):
            assert word in cover, word
    words = pdf_words(data)
    for page in words:
        footer = [w for w in page if w["text"] == "MFA/PP-2025/042" and w["yMin"] > 760]
        assert len(footer) == len(langs)  # the reference in each language's footer
    assert sum(w["text"] == "MFA/PP-2025/042" for w in words[0]) == 2 * len(langs)
