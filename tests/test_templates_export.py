"""Every shipped template exports in ar, en and bi; a user's marking reaches every page."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import docx
import pytest

from briefing import edits
from briefing.export import export
from briefing.library import Library, load_library
from briefing.model import Brief, LocalText
from briefing.templates import load_template, save_user_template

pytestmark = pytest.mark.slow

SHIPPED = ("ministry", "minimal", "bilingual")
LANGS = ("ar", "en", "bi")
NEW_MARKING = LocalText(ar="سري للغاية", en="TOP SECRET")


@pytest.fixture(autouse=True)
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user templates folder at an empty temporary folder."""
    folder = tmp_path / "user-templates"
    monkeypatch.setenv("BRIEFING_USER_TEMPLATES", str(folder))
    return folder


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def brief(library: Library) -> Brief:
    """Return a brief with every section and every cover field filled in."""
    brief = edits.default_brief(library)
    return edits.set_meta(
        brief,
        recipient=LocalText(ar="معالي الوزير", en="The Minister"),
        drafter=LocalText(ar="إدارة التخطيط", en="Policy Planning"),
        date=date(2025, 10, 20),
        reference="PP/2025/117",
    )


BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), 0x200E, 0x200F, *range(0x2066, 0x206A)])


def plain(text: str) -> str:
    """Return extracted text in comparable form: base letters, no bidi controls."""
    return unicodedata.normalize("NFKC", text).translate(BIDI_CONTROLS)


def pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path: Path) -> list[str]:
    """Return the text of each page of a PDF, as pdftotext reads it."""
    return [plain(page) for page in pdftotext(path, "-layout").split("\f")[:-1]]


def page_strips(path: Path, share: float = 0.07) -> list[tuple[str, str]]:
    """Return, per page, the text in its top and in its bottom ``share`` of the height."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    strips = []
    for number, (width_text, height_text) in enumerate(sizes, start=1):
        width, height = float(width_text), float(height_text)
        band = int(height * share)
        page = ("-f", str(number), "-l", str(number), "-x", "0", "-W", str(int(width) + 1))
        top = pdftotext(path, *page, "-y", "0", "-H", str(band))
        bottom = pdftotext(path, *page, "-y", str(int(height) - band), "-H", str(band))
        strips.append((plain(top), plain(bottom)))
    return strips


def docx_body(path: Path) -> str:
    """Return every text run of the .docx body, tables included."""
    body = docx.Document(str(path)).element.body
    return "".join(node.text or "" for node in body.iter() if node.tag.endswith("}t"))


def docx_parts(path: Path) -> tuple[list[str], list[str]]:
    """Return the text of every header and every footer a page of the .docx can show."""
    document = docx.Document(str(path))
    headers, footers = [], []
    even = document.settings.odd_and_even_pages_header_footer
    for section in document.sections:
        pairs = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            pairs.append((section.first_page_header, section.first_page_footer))
        if even:
            pairs.append((section.even_page_header, section.even_page_footer))
        for header, footer in pairs:
            headers.append(_part_text(header))
            footers.append(_part_text(footer))
    return headers, footers


def _part_text(part: object) -> str:
    element = part._element  # type: ignore[attr-defined]
    return "".join(node.text or "" for node in element.iter() if node.tag.endswith("}t"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("template_id", SHIPPED)
def test_shipped_template_exports_pdf_and_word(
    tmp_path: Path, library: Library, brief: Brief, template_id: str, lang: str
) -> None:
    template = load_template(template_id)
    out = tmp_path / "out"
    result = export(brief, out, [lang], ("pdf", "docx"), template=template_id, library=library)
    assert sorted(p.name for p in result.paths) == [
        f"pp-2025-117-{lang}.docx", f"pp-2025-117-{lang}.pdf"]  # named from the reference
    pages = pdf_pages(out / f"pp-2025-117-{lang}.pdf")
    assert len(pages) >= 2
    body = docx_body(out / f"pp-2025-117-{lang}.docx")
    codes = ("ar", "en") if lang == "bi" else (lang,)
    for code in codes:
        marking = template.marking.get(code, fallback=False)
        if marking:
            assert all(marking in page for page in pages), f"{code} marking missing on a page"
    if not template.marking.ar and not template.marking.en:
        assert not any(m in "".join(pages) for m in ("RESTRICTED", "مقيد"))
    english = "\n".join(pages)
    if "en" in codes:
        assert ("Key figures" in english) == ("key_figures" in template.blocks)
        assert "Sources annex" in english
        assert ("1. The Middle Corridor" in re.sub(r"\s+", " ", english)) == (
            template.numbered_headings
        )
        assert "Middle Corridor" in body
    if "ar" in codes:
        assert "الممر الأوسط" in body
    headers, _ = docx_parts(out / f"pp-2025-117-{lang}.docx")
    has_letterhead = any("Ministry of Foreign Affairs" in text for text in headers)
    assert has_letterhead == (template.letterhead is not None)


def test_user_copy_with_new_marking_marks_every_page(
    tmp_path: Path, library: Library, brief: Brief, user_dir: Path
) -> None:
    base = load_template("ministry")
    folder = save_user_template(base, "top-secret", {"marking": NEW_MARKING})
    assert folder.parent == user_dir
    out = tmp_path / "out"
    export(brief, out, list(LANGS), ("pdf", "docx"), template="top-secret", library=library)
    for lang in LANGS:
        codes = ("ar", "en") if lang == "bi" else (lang,)
        strips = page_strips(out / f"pp-2025-117-{lang}.pdf")
        assert len(strips) >= 2
        for number, (top, bottom) in enumerate(strips, start=1):
            for code in codes:
                marking = NEW_MARKING.get(code)
                assert marking in top, f"{lang} page {number}: no {code} marking on top"
                assert marking in bottom, f"{lang} page {number}: no {code} marking below"
            assert not any(old in top + bottom for old in ("RESTRICTED", "مقيد")), number
        headers, footers = docx_parts(out / f"pp-2025-117-{lang}.docx")
        for code in codes:
            assert headers and all(NEW_MARKING.get(code) in text for text in headers), lang
            assert footers and all(NEW_MARKING.get(code) in text for text in footers), lang
        assert not any("RESTRICTED" in text or "مقيد" in text for text in headers + footers)
