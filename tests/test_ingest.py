"""Dispatch ingestion: the quantity detector, the section file it writes, that file in a brief."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from briefing import edits
from briefing.cli import main
from briefing.errors import BriefingError
from briefing.ingest import parse_dispatch, section_toml
from briefing.library import load_library, load_section_file
from briefing.store import dumps, loads

TODAY = date(2026, 12, 7)


def detect(text: str) -> list[tuple[Decimal, str, str]]:
    """Return (value, unit, qualifier) of every figure found in one dispatch paragraph."""
    dispatch = parse_dispatch(f"باكو، 3 مارس (أذرتاج)\n\n{text}", today=TODAY)
    return [(f.value, f.unit, f.qualifier) for f in dispatch.figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بلغ الحجم ٤٫٤ مليار طن.", [(Decimal("4.4"), "billion_tonnes", "")]),
        ("بلغ الحجم 4.4 مليارات طن.", [(Decimal("4.4"), "billion_tonnes", "")]),
        ("نقل ١٬٦٢٥ ألف طن من البضائع", [(Decimal("1625"), "thousand_tonnes", "")]),
        ("نقل 1,625 طناً", []),  # an accusative form not in the list stays text, never misread
        ("نقل 300 أطنان", [(Decimal("300"), "tonnes", "")]),
        ("بنسبة 12% عن العام", [(Decimal("12"), "percent", "")]),
        ("بنسبة ١٢٪ عن العام", [(Decimal("12"), "percent", "")]),
        ("أكثر من 50 في المائة من الصادرات", [(Decimal("50"), "percent", "more_than")]),
        ("نحو 6.4 بالمائة من الإنتاج", [(Decimal("6.4"), "percent", "about")]),
        ("30 في المئة على الأقل", [(Decimal("30"), "percent", "at_least")]),
        ("على الأقل 30 في المئة", [(Decimal("30"), "percent", "at_least")]),
        ("استثمارات بقيمة 365 مليار دولار", [(Decimal("365"), "billion_usd", "")]),
        ("قرض بقيمة 2.5 مليون يورو", [(Decimal("2.5"), "million_eur", "")]),
        ("ميزانية قدرها 40 مليون مناة،", [(Decimal("40"), "million_manat", "")]),
        ("بقيمة 700 مليار تنغي", [(Decimal("700"), "billion_tenge", "")]),
        ("بطول 826 كيلومتراً", [(Decimal("826"), "kilometres", "")]),
        ("بطول ٨٢٦ كم،", [(Decimal("826"), "kilometres", "")]),
        ("قدرة 1٬000 ميغاواط", [(Decimal("1000"), "megawatts", "")]),
        ("قدرة 3,500 ميجاوات", [(Decimal("3500"), "megawatts", "")]),
        ("قدرة 6 غيغاواط", [(Decimal("6"), "gigawatts", "")]),
        ("ما يصل إلى 10 جيجاوات", [(Decimal("10"), "gigawatts", "up_to")]),
        ("في عام 2024 وعام ٢٠٣٠ افتتح 3 موانئ", []),  # years and bare counts stay text
        ("من 15 إلى 17 مليون طن", [(Decimal("15"), "million_tonnes", ""),
                                    (Decimal("17"), "million_tonnes", "")]),
        ("بين ١٥ و١٧ مليون طن", [(Decimal("15"), "million_tonnes", ""),
                                  (Decimal("17"), "million_tonnes", "")]),
        ("ما بين 10-12 في المائة",
         [(Decimal("10"), "percent", ""), (Decimal("12"), "percent", "")]),
        ("more than 50 percent of exports", [(Decimal("50"), "percent", "more_than")]),
        ("$365 billion of investment", [(Decimal("365"), "billion_usd", "")]),
        ("a 1,200 km line and 2.5 GW", [(Decimal("1200"), "kilometres", ""),
                                         (Decimal("2.5"), "gigawatts", "")]),
    ],
)
def test_detector_reads_value_unit_and_qualifier(
    text: str, expected: list[tuple[Decimal, str, str]]
) -> None:
    assert detect(text) == expected


def test_dateline_gives_city_agency_and_date() -> None:
    dispatch = parse_dispatch("أستانا، 14 نوفمبر (أذرتاج)\nنص الخبر 5 أطنان.", today=TODAY)
    assert (dispatch.city, dispatch.agency) == ("أستانا", "أذرتاج")
    assert dispatch.day == date(2026, 11, 14)
    assert dispatch.source("en") == "AZERTAC, Astana, 14 November 2026"
    assert dispatch.source("ar") == "أذرتاج، أستانا، 14 نوفمبر 2026"
    # A day and month after today belong to last year; years in the text do not count.
    later = parse_dispatch("باكو، ٢٠ ديسمبر (أذرتاج) حتى عام 2030 نقل 5 أطنان.", today=TODAY)
    assert later.day == date(2025, 12, 20)
    assert parse_dispatch("Baku, 20 October (AZERTAC) - 5 tonnes.", year=2025).day == \
        date(2025, 10, 20)


def test_range_is_two_figures_cited_as_one_phrase() -> None:
    dispatch = parse_dispatch("باكو، 3 مارس (أذرتاج)\n\nسترتفع من 15 إلى 17 مليون طن.",
                              today=TODAY)
    low, high = dispatch.figures
    text = section_toml(dispatch)
    assert f"من {{val:{low.id}}} إلى {{fig:{high.id}}}" in text


def test_bad_dispatch_is_refused() -> None:
    with pytest.raises(BriefingError, match="empty"):
        parse_dispatch("  \n\n ")
    with pytest.raises(BriefingError, match="no text"):
        parse_dispatch("باكو، 3 مارس (أذرتاج)\n\n", today=TODAY)


# The done test: a dispatch written for it, not the library's, with six quantities.
DISPATCH = "\n".join([
    "طشقند، 9 سبتمبر (أذرتاج)",
    "",
    "أعلن الجانبان اليوم عن خطة مشتركة لتطوير ممر النقل بين أوزبكستان وأذربيجان، إذ نقلت السكك"
    " الحديدية ٣٫٢ مليون طن من القطن والأسمدة خلال الأشهر الثمانية الأولى من عام 2026.",
    "",
    "وارتفع حجم التبادل التجاري بنسبة 18% مقارنة بالفترة نفسها من العام"
    " الماضي، فيما تشكل المنتجات الزراعية أكثر من 40 في المائة من الصادرات.",
    "",
    "وقال الوزير إن البنك الآسيوي خصص 620 مليون دولار لتحديث خط يمتد على طول 1,150"
    " كيلومتراً، إضافة إلى محطة شمسية بقدرة 1,500 ميغاواط تدخل الخدمة بحلول عام 2028.",
])

EXPECTED = [
    (Decimal("3.2"), "million_tonnes", ""),
    (Decimal("18"), "percent", ""),
    (Decimal("40"), "percent", "more_than"),
    (Decimal("620"), "million_usd", ""),
    (Decimal("1150"), "kilometres", ""),
    (Decimal("1500"), "megawatts", ""),
]


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    # Arabic comes back in presentation forms and bidi marks: compare plain letters.
    out = re.sub("[\u202a-\u202e\u200e\u200f]", "", unicodedata.normalize("NFKC", out))
    return re.sub(r"\s+", " ", out)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return re.sub(r"\s+", " ", "\n".join(parts))


def test_unseen_dispatch_becomes_a_section_that_exports_and_follows_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "tashkent.txt"
    source.write_text(DISPATCH, encoding="utf-8")
    section_file = tmp_path / "tashkent.toml"
    assert main(["ingest", str(source), "--out", str(section_file), "--year", "2026"]) == 0
    capsys.readouterr()
    library = load_library()
    section = load_section_file(section_file, library)
    found = [(f.value, f.unit, f.qualifier) for f in section.figures]
    hits = [item for item in EXPECTED if item in found]
    assert len(hits) >= 5, found
    # Each detected quantity is cited by its placeholder where the number stood.
    for figure in section.figures:
        assert f"{{fig:{figure.id}}}" in section.body.ar + section.title.ar
        assert f"{{fig:{figure.id}}}" in section.body.en  # left for the user to translate
        assert figure.as_of == date(2026, 9, 9)
        assert figure.source.ar == "أذرتاج، طشقند، 9 سبتمبر 2026"
        assert figure.source.en == "AZERTAC, Tashkent, 9 September 2026"
    assert "٣٫٢" not in section.body.ar and "1,150" not in section.body.ar
    assert "2026" in section.body.ar and "2028" in section.body.ar  # years stay text
    assert "Translation to be written" in section.body.en

    tonnes = next(f for f in section.figures if f.unit == "million_tonnes").id
    megawatts = next(f for f in section.figures if f.unit == "megawatts").id
    out = tmp_path / "out"
    status = main([
        "export", "--lang", "ar,en", "--format", "pdf,docx", "--out", str(out),
        "--sections", f"{section.id},middle_corridor", "--add-section", str(section_file),
        "--set", f"{tonnes}=4.75", "--set", f"{megawatts}=2250", "--quiet",
    ])
    assert status == 0, capsys.readouterr().err
    ar_pdf, en_pdf = pdf_text(out / "brief-ar.pdf"), pdf_text(out / "brief-en.pdf")
    ar_doc, en_doc = docx_text(out / "brief-ar.docx"), docx_text(out / "brief-en.docx")
    for text in (ar_pdf, ar_doc):
        assert "4.75" in text and "2,250" in text and "3.2" not in text
        assert "620" in text and "1,150" in text and "طشقند" in text
    for text in (en_pdf, en_doc):
        assert "4.75 million tonnes" in text
        assert "2,250 megawatts" in text
        assert "more than 40 percent" in text
        assert "620 million US dollars" in text
        assert "AZERTAC, Tashkent, 9 September 2026" in text
        assert "Translation to be written" in text
    # The key-figures table lists the dispatch's figures beside the library's, its units
    # written out.
    import docx

    word = docx.Document(str(out / "brief-en.docx"))
    rows = [[c.text for c in row.cells] for table in word.tables for row in table.rows]
    assert any(row[0].startswith("Capacity") and "megawatts" in " ".join(row) for row in rows)

    # A share cannot pass 100 percent: the dispatch's bounds hold for --set too.
    share = next(f for f in section.figures if f.unit == "percent").id
    assert main(["export", "--out", str(tmp_path / "bad"), "--add-section", str(section_file),
                 "--set", f"{share}=140"]) == 2
    assert share in capsys.readouterr().err and not (tmp_path / "bad").exists()

    # Saved in a .brief and read back, the section keeps its figures and the edit.
    brief = edits.add_custom_section(edits.default_brief(library), library, section)
    brief = edits.set_figure_value(brief, library, tonnes, "4.75")
    again = loads(dumps(brief), "test.brief")
    assert again.custom(section.id).figures == section.figures
    assert again.override(tonnes).value == Decimal("4.75")


def test_section_figure_ids_may_not_clash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        'id = "mine"\n[title]\nar = "ع"\nen = "t"\n[body]\nar = "{fig:kz_fdi_total}"\nen = "x"\n'
        '[[figures]]\nid = "kz_fdi_total"\nvalue = 1\nunit = "percent"\n'
        'label = { ar = "ع", en = "l" }\n'
    )
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    status = main(["export", "--out", str(tmp_path / "o"), "--add-section", str(path)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1
    assert str(path) in err and "'kz_fdi_total'" in err and "library figure" in err
    assert not (tmp_path / "o").exists()
    # Two added sections may not bring the same id either.
    for name in ("a", "b"):
        (tmp_path / f"{name}.toml").write_text(
            text.replace('"mine"', f'"{name}"').replace("kz_fdi_total", "shared_id"),
            encoding="utf-8")
    status = main(["export", "--out", str(tmp_path / "o"), "--add-section",
                   str(tmp_path / "a.toml"), "--add-section", str(tmp_path / "b.toml")])
    err = capsys.readouterr().err
    assert status == 2 and "b.toml" in err and "'shared_id'" in err and "section a" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n  \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text"),
        (b"abc\x00def", "not a text file"),
        ("باكو، 3 مارس (أذرتاج)\n".encode(), "no text"),
    ],
)
def test_ingest_errors_are_one_line_and_leave_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(content)
    out = tmp_path / "section.toml"
    assert main(["ingest", str(source), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert message in err and str(source) in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_english_dispatch_keeps_english_and_leaves_arabic(tmp_path: Path) -> None:
    text = ("Astana, 14 November (Kazinform) - Kazakhstan exported more than 2.5 million "
            "tonnes of grain, up 12% on 2024.\n\nThe new line runs 1,200 km.\n")
    dispatch = parse_dispatch(text, year=2026)
    assert dispatch.lang == "en" and dispatch.agency == "Kazinform"
    toml = section_toml(dispatch)
    assert "الترجمة العربية" in toml
    assert re.search(r"exported \{fig:dispatch_20261114_f1\} of grain", toml)
    assert [(f.value, f.unit, f.qualifier) for f in dispatch.figures] == [
        (Decimal("2.5"), "million_tonnes", "more_than"), (Decimal("12"), "percent", ""),
        (Decimal("1200"), "kilometres", ""),
    ]
