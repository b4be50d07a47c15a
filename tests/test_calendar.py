"""Hijri (Umm al-Qura) and Gregorian dates, and the two Arabic month-name styles, end to end."""

from __future__ import annotations

import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import docx
import pytest
from samples import write_template

from briefing.calendars import arabic_month, date_text
from briefing.cli import main
from briefing.errors import BriefingError
from briefing.model import Brief
from briefing.store import dumps, loads
from briefing.templates import load_template_folder

# Known Umm al-Qura dates (Saudi official calendar).
KNOWN = [
    (date(2025, 10, 20), "28 ربيع الثاني 1447هـ", "28 Rabiʿ al-Thani 1447 AH"),
    (date(2025, 3, 1), "1 رمضان 1446هـ", "1 Ramadan 1446 AH"),
    (date(2024, 6, 16), "10 ذو الحجة 1445هـ", "10 Dhu al-Hijjah 1445 AH"),
]


@pytest.mark.parametrize(("day", "arabic", "english"), KNOWN)
def test_hijri_dates_match_the_umm_al_qura_calendar(day: date, arabic: str, english: str) -> None:
    assert date_text(day, "ar", "hijri") == arabic
    assert date_text(day, "en", "hijri") == english


def test_both_calendars_read_as_a_chancery_writes_them() -> None:
    day = date(2025, 10, 20)
    assert date_text(day, "ar", "both") == "20 أكتوبر 2025م الموافق 28 ربيع الثاني 1447هـ"
    assert date_text(day, "en", "both") == "20 October 2025 (28 Rabiʿ al-Thani 1447 AH)"
    assert date_text(day, "ar", "gregorian") == "20 أكتوبر 2025"
    assert date_text(day, "en", "gregorian") == "20 October 2025"


def test_month_styles() -> None:
    assert [arabic_month(10, s) for s in ("egyptian", "levantine", "both")] == [
        "أكتوبر", "تشرين الأول", "تشرين الأول/أكتوبر",
    ]
    assert arabic_month(1, "levantine") == "كانون الثاني"
    assert arabic_month(12, "levantine") == "كانون الأول"
    assert date_text(date(2025, 4, 1), "ar", "gregorian", "both") == "1 نيسان/أبريل 2025"
    # English is not affected by the Arabic month style.
    assert date_text(date(2025, 4, 1), "en", "gregorian", "levantine") == "1 April 2025"


def test_a_date_outside_the_umm_al_qura_tables_is_refused_by_name() -> None:
    with pytest.raises(BriefingError, match=r"1900-01-01.*Umm al-Qura"):
        date_text(date(1900, 1, 1), "ar", "both")
    # The Gregorian calendar alone still prints it.
    assert date_text(date(1900, 1, 1), "ar", "gregorian") == "1 يناير 1900"


def test_the_brief_file_keeps_the_choices() -> None:
    brief = Brief(calendar="both", months="levantine")
    again = loads(dumps(brief), "test.brief")
    assert (again.calendar, again.months) == ("both", "levantine")
    assert loads(dumps(Brief()), "test.brief").calendar is None
    with pytest.raises(BriefingError, match="calendar 'julian'"):
        loads(dumps(Brief()).replace('"calendar": null', '"calendar": "julian"'), "x.brief")


def test_template_keys_set_the_default_and_are_checked(tmp_path: Path) -> None:
    folder = write_template(
        tmp_path / "hijri-house",
        '[name]\nen = "Hijri house"\nar = "هجري"\n[dates]\ncalendar = "hijri"\nmonths = "both"\n',
    )
    template = load_template_folder(folder)
    assert (template.calendar, template.months) == ("hijri", "both")
    write_template(folder, '[name]\nen = "x"\n[dates]\ncalendar = "lunar"\n')
    with pytest.raises(BriefingError, match=r"dates\.calendar.*lunar"):
        load_template_folder(folder)


def pdf_text(path: Path) -> str:
    """Text layer of a PDF, NFKC-folded (presentation forms to letters) without bidi controls."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def docx_text(path: Path) -> str:
    """Body paragraphs and table cells (the memo block is a table) of a Word file."""
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def export(tmp_path: Path, *options: str) -> Path:
    out = tmp_path / "out"
    status = main([
        "export", "--lang", "ar,en", "--format", "pdf,docx", "--out", str(out), "--quiet",
        "--sections", "middle_corridor", "--date", "2025-10-20", *options,
    ])
    assert status == 0
    return out


def words_in_order(text: str, phrase: str) -> bool:
    """True when ``phrase``'s words appear in ``text`` on one line (any visual order of runs)."""
    wanted = phrase.split()
    return any(all(word in line for word in wanted) for line in text.splitlines())


def test_exported_briefs_print_both_calendars(tmp_path: Path) -> None:
    out = export(tmp_path, "--calendar", "both", "--months", "levantine")
    word_en = docx_text(out / "brief-en.docx")
    assert "20 October 2025 (28 Rabiʿ al-Thani 1447 AH)" in word_en
    assert "20 October 2025 (28 Rabiʿ al-Thani 1447 AH)" in pdf_text(out / "brief-en.pdf")
    word_ar = docx_text(out / "brief-ar.docx")
    assert "20 تشرين الأول 2025م الموافق 28 ربيع الثاني 1447هـ" in word_ar
    assert "أكتوبر" not in word_ar.split("الموافق")[0].splitlines()[-1]
    expected = "تشرين الأول 2025م الموافق ربيع الثاني 1447هـ"
    assert words_in_order(pdf_text(out / "brief-ar.pdf"), expected)


def test_arabic_digits_reach_the_hijri_date(tmp_path: Path) -> None:
    out = export(tmp_path, "--calendar", "hijri", "--digits", "arabic")
    assert "٢٨ ربيع الثاني ١٤٤٧هـ" in docx_text(out / "brief-ar.docx")
    text = pdf_text(out / "brief-ar.pdf")
    assert words_in_order(text, "٢٨ ربيع الثاني ١٤٤٧هـ")
    assert "1447" not in text
    # English keeps Western digits.
    assert "28 Rabiʿ al-Thani 1447 AH" in docx_text(out / "brief-en.docx")


def test_month_style_both_in_the_exported_date(tmp_path: Path) -> None:
    out = export(tmp_path, "--months", "both")
    assert "20 تشرين الأول/أكتوبر 2025" in docx_text(out / "brief-ar.docx")


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--calendar", "lunar"], "--calendar"),
        (["--months", "syriac"], "--months"),
        (["--date", "20/10/2025"], "--date"),
        (["--date", "1901-02-03", "--calendar", "hijri"], "1901-02-03"),
    ],
)
def test_bad_calendar_options_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], named: str
) -> None:
    out = tmp_path / "out"
    status = main(["export", "--lang", "ar", "--format", "pdf", "--out", str(out), *options])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and named in err, err
    assert not out.exists() or not any(out.iterdir())
