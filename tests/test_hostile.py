"""Hostile input: odd text is exported and reads back, bad input is one line, nothing is lost."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from readback import pdf_boxes, tagged

from briefing import edits
from briefing.cli import main
from briefing.errors import BriefingError
from briefing.export import export
from briefing.library import Library
from briefing.model import Brief, LocalText, Section
from briefing.templates import load_template
from briefing.text import FontBook, FontSet, font_book
from briefing.text.script import is_invisible, script_of
from briefing.verify import canonical

LANGUAGES = ("ar", "en", "bi")
NAMES = [f"brief-{lang}.{fmt}" for lang in LANGUAGES for fmt in ("pdf", "docx")]
OLD_PDF = b"%PDF-1.4 yesterday's export, which a failed export must leave alone\n"
OLD_DOCX = b"PK yesterday's Word brief\n"

# -- reading exports back -----------------------------------------------------------------------


def fonts_of(template_id: str = "ministry") -> FontBook:
    """Return the font book the PDF renderer uses with a template."""
    fonts = load_template(template_id).fonts
    return font_book(FontSet(fonts.arabic, fonts.latin))


def _letter_script(char: str) -> str:
    """Return "arabic" or "latin" for a letter of those scripts, "" for anything else."""
    if not unicodedata.category(char).startswith("L"):
        return ""
    if script_of(char) == "arabic":
        return "arabic"
    return "latin" if unicodedata.name(char, "").startswith("LATIN") else ""


def words_of(text: str, book: FontBook, longest: int | None = None) -> list[str]:
    """Return the Arabic and Latin words of two or more letters in ``text``, as compared.

    Text is taken as :func:`briefing.verify.canonical` sees it (NFKC, no invisible
    characters). A word is a run of letters of one script with the marks on them; digits,
    punctuation, symbols, bidi controls and script changes end it. A character no bundled
    font draws ends a word too, as the PDF shows a placeholder there (a mark no font draws
    is left out, as the PDF leaves it out).

    With ``longest``, words are taken only from runs without a break opportunity of at
    most that many characters: a longer run may not fit on a line, and is then cut at
    any letter, its pieces landing on lines that mixed-direction text may order apart.
    """
    # Overrides first: a long run dropped below may hold the override that still rules
    # the words after it. Blanked letters keep their run's length (no break is added).
    text = outside_overrides(text, blank="\ufffc")
    if longest is not None:
        text = " ".join(run for run in BREAKS.split(text) if len(run) <= longest)
    words: list[str] = []
    # Directional marks and controls split a word: the runs on either side of one are
    # ordered apart ("B\u200fA" in Arabic text shows "A B").
    for token in text.translate(BIDI_BREAKS).split():
        drawn = "".join(
            char if is_invisible(char) or book.printable(char)
            else "" if unicodedata.category(char) in ("Mn", "Me") else "\ufffd"
            for char in token
        )
        current, script = "", ""
        for char in canonical(drawn) + " ":
            kind = _letter_script(char)
            if current and not kind and unicodedata.category(char) in ("Mn", "Me"):
                current += char
                continue
            if current and kind != script:
                if sum(1 for c in current if _letter_script(c)) >= 2:
                    words.append(current)
                current = ""
            if kind:
                current, script = current + char, kind
    return words


# Where the PDF may break a line: white space except the no-break spaces (as the renderer).
BREAKS = re.compile(r"[ \t\n\r\f\v\x85\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+")
EMBEDDINGS = {"\u202a", "\u202b"}  # LRE, RLE
OVERRIDES = {"\u202d", "\u202e"}  # LRO, RLO
ISOLATES = {"\u2066", "\u2067", "\u2068"}  # LRI, RLI, FSI
POP_FORMATTING, POP_ISOLATE = "\u202c", "\u2069"
BIDI_BREAKS = str.maketrans(dict.fromkeys(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", " "
))


def outside_overrides(text: str, blank: str = " ") -> str:
    """Return ``text`` with the characters under a directional override (LRO, RLO) blanked.

    An override sets its letters in forced order: "\u202eabc\u202c" reads "cba" on the
    page, in Word as in the PDF, so words there are not looked for as typed. Embeddings,
    isolates and their ends nest as the Unicode bidi algorithm says. An override left
    open runs to the end of ``text``: where a paragraph ends (a blank line, or a single
    newline that the brief joins into a space) is the renderer's business, and a word
    left out cannot fail a check wrongly.
    """
    kept: list[str] = []
    stack: list[str] = []
    for char in text:
        if char in EMBEDDINGS | OVERRIDES | ISOLATES:
            stack.append(char)
        elif char == POP_FORMATTING:
            if stack and stack[-1] not in ISOLATES:
                stack.pop()
        elif char == POP_ISOLATE and ISOLATES.intersection(stack):
            while stack.pop() not in ISOLATES:
                pass
        kept.append(blank if stack and stack[-1] in OVERRIDES else char)
    return "".join(kept)


# Bands of an A4 page (in points) the header and the footer of the default template use.
BODY_TOP = 60
BODY_BOTTOM = 60


def pdf_text(data: bytes, columns: bool = False) -> str:
    """Return the text layer of a PDF in reading order, as pdftotext gives it.

    With ``columns``, the right half of every page is read first, then the left half: a
    bilingual brief sets Arabic and English side by side, and pdftotext would otherwise
    interleave their lines (and the two pieces of a word broken across lines).
    """
    with tempfile.TemporaryDirectory(prefix="briefing-hostile-") as folder:
        path = Path(folder) / "read.pdf"
        path.write_bytes(data)
        crops: list[list[str]] = [[]]
        if columns:
            info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                                  check=True, timeout=120).stdout
            width, height = (float(v) for v in info.split("Page size:")[1].split()[0:3:2])
            half = str(int(width / 2))
            # Only the body: a page's header and footer would otherwise fall between the
            # two pieces of a paragraph that a page break splits.
            body = ["-y", str(BODY_TOP), "-H", str(int(height) - BODY_TOP - BODY_BOTTOM)]
            crops = [["-x", half, "-W", str(int(width) + 1), *body],
                     ["-x", "0", "-W", half, *body]]
        return "\n".join(
            subprocess.run(
                ["pdftotext", "-enc", "UTF-8", "-r", "72", *crop,
                 str(path), "-"] if crop else ["pdftotext", "-enc", "UTF-8", str(path), "-"],
                capture_output=True, text=True, check=True, timeout=120,
            ).stdout
            for crop in crops
        )


def docx_text(data: bytes) -> str:
    """Return the text of a Word file's body paragraphs and table cells, as python-docx reads it."""
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def missing_words(
    texts: Iterable[str], extracted: str, book: FontBook, marks: bool = True,
    longest: int | None = None,
) -> list[str]:
    """Return the words of ``texts`` that ``extracted`` lacks (both compared canonically).

    A word typed n times must be found at least n times, so that one good copy cannot hide
    a broken one. With ``marks`` False, diacritics are left out on both sides: only
    letters are compared. ``longest`` is passed on to :func:`words_of`.
    """
    found = canonical(extracted) if marks else without_marks(canonical(extracted))
    words = Counter(
        word if marks else without_marks(word)
        for text in texts for word in words_of(text, book, longest)
    )
    return [word for word, count in words.items() if found.count(word) < count]


def without_marks(text: str) -> str:
    """Return ``text`` without combining marks (Arabic diacritics, accents given apart)."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Me"))


def presentation_forms(text: str) -> str:
    """Return the Arabic presentation-form characters in ``text`` (a defect in Word files)."""
    return "".join(c for c in text if 0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFF)


def expected_texts(section: Section, lang: str) -> list[str]:
    """Return the texts of ``section`` an export in ``lang`` shows."""
    langs = ("ar", "en") if lang == "bi" else (lang,)
    texts = []
    for code in langs:
        for local in (section.title, section.body, section.key_point, *section.talking_points):
            texts.append(local.get(code))  # type: ignore[arg-type]
    return texts


def check_exports(
    folder: Path, section: Section, book: FontBook, longest: int | None = None
) -> None:
    """Check that every word of ``section`` reads back from each PDF and Word file in ``folder``.

    ``longest`` is passed on to :func:`words_of` for the PDFs (Word breaks no words).
    """
    for lang in LANGUAGES:
        expected = expected_texts(section, lang)
        pdf = (folder / f"brief-{lang}.pdf").read_bytes()
        lost = missing_words(expected, pdf_text(pdf, columns=lang == "bi"), book,
                             longest=longest)
        assert not lost, f"brief-{lang}.pdf lost {lost[:8]}"
        word = docx_text((folder / f"brief-{lang}.docx").read_bytes())
        lost = missing_words(expected, word, book)
        assert not lost, f"brief-{lang}.docx lost {lost[:8]}"
        typed = set(presentation_forms("".join(expected)))  # only what the user typed
        assert set(presentation_forms(word)) <= typed, f"brief-{lang}.docx holds shaped Arabic"


def test_words_of_reads_text_as_a_reader_would() -> None:
    book = fonts_of()
    assert words_of("دوراً مُهِمّاً (Port of Baku) 3.8%", book) == [
        "دوراً", "مُهِمّاً", "Port", "of", "Baku"
    ]
    # Joiners vanish; a bidi control, a script change or an emoji ends a word.
    assert words_of("\u202babc\u202c ab\u200dcd x😀yz عربيabc de\u200ffg", book) == [
        "abc", "abcd", "yz", "عربي", "abc", "de", "fg"
    ]
    assert words_of("a ب 12 ١٢ 😀 ﻻ", book) == ["لا"]
    # A letter no font draws is a placeholder on the page; an accent given apart joins.
    assert words_of("ab\U0001d5d6cd e\u0301te\u0301", book) == ["ab", "cd", "été"]
    # Letters under an override are set in forced order, so they are not words as typed.
    assert words_of("ab\u202ecd ef\u202cgh \u202d\u2067ij\u2069kl\u202c mn", book) == [
        "ab", "gh", "ij", "mn"
    ]
    assert words_of("\u202eab\ncd\n\nef \u202cgh", book) == ["gh"]
    # Runs too long for a line may be cut anywhere: they can be left out.
    assert words_of("short words\u00a0joined averyveryverylongword", book, longest=12) == [
        "short", "words", "joined"
    ]


# -- unusual text is exported, not refused ---------------------------------------------------------

LONG_AR = "الاستراتيجيات" * 14
LONG_EN = "Donaudampfschifffahrtsgesellschaft" * 6

UNUSUAL: dict[str, tuple[str, str]] = {
    "markup": (
        "نص <b>غامق</b> و<font color='red'>أحمر</font> &amp; <br/> </para> <![CDATA[x]]> & <",
        "Text <b>bold</b> and <font color='red'>red</font> &amp; &lt; <br/> </para> <![CDATA[x]]>"
        " & < > \"quoted\" 'single' \\backslash {braces} {fig:} %s",
    ),
    "bidi_embeddings": (
        "قبل \u202eمعكوس\u202c بعد \u202bمضمن\u202c و\u200fعلامة \u202aLatin inside\u202c نهاية",
        "before \u202ereversed\u202c after \u202bembedded\u202c and\u200emark \u202dforced\u202c"
        " \u202c\u202c\u202b unclosed",
    ),
    "bidi_isolates": (
        "قبل \u2067معزول\u2069 ثم \u2066isolated\u2069 ثم \u2068أول\u2069 بعد",
        "before \u2067isolated\u2069 then \u2066inner\u2069 and \u2068first\u2069 after \u2069",
    ),
    "zero_width": (
        "لا\u200dحقة ب\u200cعد كلمة\u200bأخرى \u2060 \ufeffنص",
        "join\u200der non\u200cjoiner zero\u200bwidth word\u2060joiner \ufeffbom",
    ),
    "tatweel": (
        "العـــــلاقات الاقتصـــادية ـ كلمة",
        "The word العـــــلاقات inside English",
    ),
    "emoji": (
        "العلم 🇦🇿 و🇰🇿 سفينة 🚢 👨\u200d👩\u200d👧 وجه😀مبتسم ✔️",
        "flags 🇦🇿 and 🇰🇿 ship 🚢 family 👨\u200d👩\u200d👧 face😀smile ✔️ skin 👍🏽",
    ),
    "digits": (
        "في عام ٢٠٢٥ بلغت ١٫٥ مليون و۱۲۳ طنًا و3.8% و(٤٢) و١٢٣٬٤٥٦",
        "in ٢٠٢٥ it reached ١٫٥ million, ۱۲۳ tonnes, 3.8% and (٤٢) and 1,234.5",
    ),
    "diacritics_and_brackets": (
        "دوراً مُهِمّاً في الشَّدَّة (ميناء باكو) [أ] {ب} «نعم» <سهم>",
        "Crème brûlée, naïve coöperation, ﬁne ligature, Ǆ, (Port of Baku) [a] {b} «yes»",
    ),
    "long_word": (f"{LONG_AR} بعد", f"{LONG_EN} after"),
    "spaces": (
        "\tمسافات\u00a0غير\u202fمنكسرة   متتالية\u3000عريضة\u2028سطر",
        "\tno\u00a0break\u202fspace   runs\u3000ideographic\u2028line\u2029para",
    ),
}


# Known defects of the PDF renderer, by sample name: a sample that shows one is a strict
# expected failure, so that it turns red once the defect is fixed. None is open.
KNOWN_FAILURES: dict[str, str] = {}


def unusual_section(name: str, ar: str, en: str) -> Section:
    """Return a user's section that carries the unusual text everywhere a section has text."""
    return Section(
        id=f"odd_{name}",
        title=LocalText(ar=f"عنوان {ar[:30]}", en=f"Title {en[:30]}"),
        body=LocalText(ar=f"{ar}\n\nفقرة ثانية: {ar}", en=f"{en}\n\nSecond paragraph: {en}"),
        key_point=LocalText(ar=ar, en=en),
        talking_points=(LocalText(ar=ar, en=en),),
    )


def brief_with(library: Library, *sections: Section) -> Brief:
    """Return a brief holding only ``sections``."""
    brief = edits.default_brief(library)
    for section in sections:
        brief = edits.add_custom_section(brief, library, section)
    return edits.set_sections(brief, tuple(section.id for section in sections))


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[name]))
        if name in KNOWN_FAILURES else name
        for name in UNUSUAL
    ],
)
def test_unusual_text_is_exported_and_reads_back(
    name: str, library: Library, tmp_path: Path
) -> None:
    ar, en = UNUSUAL[name]
    section = unusual_section(name, ar, en)
    result = export(
        brief_with(library, section), tmp_path, languages=LANGUAGES, formats=("pdf", "docx"),
        library=library,
    )
    assert sorted(path.name for path in result.paths) == sorted(NAMES)
    check_exports(tmp_path, section, fonts_of())


def test_tatweel_is_drawn_with_a_width(library: Library, tmp_path: Path) -> None:
    """A word stretched with tatweel (kashida) is wider on the page than the plain word."""
    stretched, plain = "العـــــــــــــلاقات", "العلاقات"
    section = Section(
        id="kashida", title=LocalText(ar="كشيدة", en="Kashida"),
        body=LocalText(ar=f"{stretched}\n\n{plain}", en=f"{stretched}\n\n{plain}"),
    )
    export(brief_with(library, section), tmp_path, languages=("ar",), formats=("pdf",),
           library=library)
    letters = sorted(canonical(plain))
    widths = [
        width for text, width in line_widths(tmp_path / "brief-ar.pdf")
        if sorted(c for c in text if c != "\u0640") == letters
    ]
    assert len(widths) == 2, widths  # the stretched word's line and the plain word's line
    assert max(widths) > 1.5 * min(widths) > 0, widths


def line_widths(path: Path) -> list[tuple[str, float]]:
    """Return each text line of a PDF as (canonical letters in any order, width in points)."""
    return [
        (
            canonical("".join(word.text or "" for word in tagged(line, "word"))),
            float(line.get("xMax", 0)) - float(line.get("xMin", 0)),
        )
        for line in tagged(pdf_boxes(path, "-bbox-layout", "-enc", "UTF-8"), "line")
    ]


def toml_string(text: str) -> str:
    """Return ``text`` as a TOML basic string (control characters escaped)."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif unicodedata.category(char) == "Cc":
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


# Runs without a break opportunity up to this many characters fit on the narrowest line
# (a bilingual column), so they are never cut.
LONGEST_UNCUT = 20


@pytest.mark.slow
def test_hundreds_of_unusual_paragraphs_through_the_command_line(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path
) -> None:
    """A section file of 240 paragraphs mixing every unusual text exports in every language."""
    samples = list(UNUSUAL.values())
    paragraphs = [samples[i % len(samples)] for i in range(240)]
    body_ar = "\n\n".join(f"{i}. {ar}" for i, (ar, _) in enumerate(paragraphs, start=1))
    body_en = "\n\n".join(f"{i}. {en}" for i, (_, en) in enumerate(paragraphs, start=1))
    title = LocalText(ar="قسم طويل <غريب> & \u202eمعكوس", en="A long <odd> & \u202ereversed one")
    file = tmp_path / "long.toml"
    file.write_text(
        f'id = "long_unusual"\n'
        f"title = {{ ar = {toml_string(title.ar)}, en = {toml_string(title.en)} }}\n"
        f"[body]\nar = {toml_string(body_ar)}\nen = {toml_string(body_en)}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    status = main([
        "export", "--lang", ",".join(LANGUAGES), "--format", "pdf,docx", "--out", str(out),
        "--sections", "long_unusual", "--add-section", str(file), "--quiet",
    ])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert captured.out == captured.err == ""
    section = Section(id="long_unusual", title=title, body=LocalText(ar=body_ar, en=body_en))
    # Words longer than a line are cut, and over so many pages a page break (its footer
    # and header) falls inside some of them: the long_word sample checks them on their own.
    check_exports(out, section, fonts_of(), longest=LONGEST_UNCUT)


# -- bad input: one line naming the problem, exit status 2, nothing written ---------------------


def assert_one_line_error(status: int, out: str, err: str, *names: str) -> None:
    """Check the contract for bad input: status 2, one ``error:`` line naming what is wrong."""
    assert status == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for name in names:
        assert name in lines[0], (name, lines[0])
    assert out == ""


def refused_cleanly(
    capsys: pytest.CaptureFixture[str], out_dir: Path, args: list[str], *names: str
) -> str:
    """Run the command line with ``args``: it must refuse in one line naming ``names`` and
    leave ``out_dir`` as it was. Return what it wrote to stderr."""
    before = folder_state(out_dir)
    status = main(args)
    captured = capsys.readouterr()
    assert_one_line_error(status, captured.out, captured.err, *names)
    assert folder_state(out_dir) == before
    return captured.err


def bad_file(path: Path, content: bytes | None) -> Path:
    """Write ``content`` at ``path``, or make a folder there for None; return the path."""
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    return path


def folder_state(folder: Path) -> dict[str, bytes]:
    """Return every file under ``folder``, hidden ones too, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """Return an output folder holding yesterday's exports."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "brief-en.pdf").write_bytes(OLD_PDF)
    (folder / "brief-en.docx").write_bytes(OLD_DOCX)
    return folder


# Figures and ids the command line must refuse (test_cli.py holds the everyday cases).
BAD_ARGUMENTS = [
    (["--set", "kz_fdi_total="], ["kz_fdi_total", "''"]),
    (["--set", "kz_fdi_total=-٥"], ["kz_fdi_total", "-5"]),
    (["--set", "kz_fdi_total=٣٦٥٫٥٫٥"], ["kz_fdi_total", "٣٦٥٫٥٫٥"]),
    (["--set", "kz_fdi_total=1e999999999"], ["kz_fdi_total", "too large"]),
    (["--set", "kz_fdi_total=" + "9" * 5000], ["kz_fdi_total", "too large"]),
    (["--set", "kz_fdi_total=1e-999999999999999999"], ["kz_fdi_total", "too small"]),
    (["--set", "kz_fdi_total=1e-99999"], ["kz_fdi_total", "too small"]),
    (["--set", "kz_fdi_total=1.000000000000000000001"], ["kz_fdi_total", "significant"]),
    (["--set", "kz_fdi_total=sNaN"], ["kz_fdi_total", "'sNaN'"]),
    (["--set", "kz_fdi_total=-Infinity"], ["kz_fdi_total", "'-Infinity'"]),
    (["--set", "kz_fdi_total=0x10"], ["kz_fdi_total", "'0x10'"]),
    (["--set", "kz_fdi_total=5,5"], ["kz_fdi_total", "'5,5'"]),
    (["--set", "kz_fdi_total=\u202e5"], ["kz_fdi_total"]),
    (["--set", "btk_period_months=0"], ["btk_period_months", "minimum"]),
    (["--set", "kz_renewables_target_year=1e3"], ["kz_renewables_target_year", "minimum"]),
    (["--set", "KZ_FDI_TOTAL=5"], ["'KZ_FDI_TOTAL'"]),
    (["--set", "kz_fdi_total\u200b=5"], ["kz_fdi_total\\u200b"]),  # shown, not hidden
    (["--sections", "Middle_Corridor"], ["'Middle_Corridor'"]),
    (["--sections", "middle_corridor,../etc/passwd"], ["'../etc/passwd'"]),
    (["--lang", "AR"], ["'AR'"]),
    (["--lang", "ar;en"], ["'ar;en'"]),
    (["--format", "PDF"], ["'PDF'"]),
    (["--template", "../../../etc"], ["../../../etc"]),
    (["--template", "ministry\u0000"], ["ministry"]),
    (["--digits", "hindi"], ["'hindi'"]),
]


@pytest.mark.parametrize(
    ("extra", "names"), BAD_ARGUMENTS, ids=[" ".join(extra)[:48] for extra, _ in BAD_ARGUMENTS]
)
def test_bad_arguments_are_one_line(
    capsys: pytest.CaptureFixture[str], out_dir: Path, extra: list[str], names: list[str]
) -> None:
    refused_cleanly(capsys, out_dir, ["export", "--lang", "en", "--out", str(out_dir), *extra],
                    *names)


SECTION_OK = (
    'id = "mine"\ntitle = { ar = "عنوان", en = "Title" }\nbody = { ar = "نص", en = "Text" }\n'
)
BAD_SECTION_FILES: list[tuple[bytes | None, list[str]]] = [
    (b'id = "mine"\ntitle = "x\n', ["invalid TOML"]),
    (SECTION_OK.encode("utf-16"), ["not UTF-8"]),
    ("عنوان".encode("cp1256"), ["not UTF-8"]),
    (b"", ["'id'", "missing"]),
    (b"\x00\x01\x02", ["invalid TOML"]),
    (SECTION_OK.replace('"mine"', '"Mine Section"').encode(), ["'Mine Section'"]),
    (SECTION_OK.replace('"mine"', "42").encode(), ["'id'"]),
    (SECTION_OK.replace('en = "Text"', "en = 7").encode(), ["body.en"]),
    (SECTION_OK.replace('body = { ar = "نص", en = "Text" }', 'body = ["a"]').encode(),
     ["'body'"]),
    (SECTION_OK.replace('title = { ar = "عنوان", en = "Title" }', 'title = { ar = "", en = "" }')
     .encode(), ["'title'"]),
    ((SECTION_OK + 'charts = ["pie_of_everything"]\n').encode(), ["'pie_of_everything'"]),
    ((SECTION_OK + "talking_points = 5\n").encode(), ["talking_points"]),
    ((SECTION_OK + "talking_points = [5]\n").encode(), ["talking point 1"]),
    ((SECTION_OK + 'title_fr = "Titre"\n').encode(), ["'title_fr'"]),
    (SECTION_OK.replace('"Text"', '"{fig:kz_coal} and {val:}"').encode(), ["'kz_coal'"]),
    (None, ["is a folder"]),  # the path names a folder
]


@pytest.mark.parametrize(
    ("content", "names"), BAD_SECTION_FILES,
    ids=[repr(content[-40:]) if content else "folder" for content, _ in BAD_SECTION_FILES],
)
def test_bad_section_files_are_one_line(
    capsys: pytest.CaptureFixture[str], out_dir: Path, tmp_path: Path, content: bytes | None,
    names: list[str],
) -> None:
    path = bad_file(tmp_path / "section.toml", content)
    args = ["export", "--lang", "en", "--out", str(out_dir), "--add-section", str(path)]
    refused_cleanly(capsys, out_dir, args, str(path), *names)


def test_the_same_section_file_twice_is_one_line(
    capsys: pytest.CaptureFixture[str], out_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(SECTION_OK, encoding="utf-8")
    status = main(["export", "--out", str(out_dir), "--add-section", str(path),
                   "--add-section", str(path)])
    captured = capsys.readouterr()
    assert_one_line_error(status, captured.out, captured.err, "'mine'", "already used")


BAD_BRIEF_FILES: list[tuple[bytes | None, list[str]]] = [
    (b"", ["not valid JSON"]),
    (b"\x89PNG\r\n\x1a\n\x00\x00", ["not UTF-8"]),
    (b"[1, 2, 3]", ["must be an object"]),
    (b"null", ["must be an object"]),
    (b'"briefing.brief"', ["must be an object"]),
    (b"[" * 100_000 + b"]" * 100_000, []),
    (b'{"format": "briefing.brief", "version": true}', ["'version'"]),
    (b'{"format": "briefing.brief", "version": 1, "sections": "middle_corridor"}',
     ["'sections'"]),
    (b'{"format": "briefing.brief", "version": 1, "sections": ["middle_corridor"], '
     b'"figure_overrides": [{"id": "kz_fdi_total", "value": "1e999"}]}',
     ["figure_overrides[1].value", "too large"]),
    (b'{"format": "briefing.brief", "version": 1, "sections": ["middle_corridor"], '
     b'"figure_overrides": [{"id": "kz_fdi_total", "value": 1e999}]}',
     ["figure_overrides[1].value"]),
    (b'{"format": "briefing.brief", "version": 1, "sections": ["middle_corridor"], '
     b'"figure_overrides": [{"id": "kz_fdi_total", "value": ' + b"9" * 5000 + b"}]}", []),
    (b'{"format": "briefing.brief", "version": 1, "sections": ["x"], "custom_sections": '
     b'[{"id": "x", "title": {"ar": "a", "en": "b"}, "body": {"ar": 1}}]}', ["body.ar"]),
    (b'{"format": "briefing.brief", "version": 1, "sections": ["Bad Id"], "custom_sections": '
     b'[{"id": "Bad Id", "title": {"ar": "a", "en": "b"}, "body": {"ar": "c"}}]}', ["'Bad Id'"]),
    (b'{"format": "briefing.brief", "version": 1, "sections": ["middle_corridor"], '
     b'"meta": {"date": "2025-02-30"}}', ["2025-02-30"]),
    (b'{"format": "briefing.brief", "version": 1, "sections": ["middle_corridor"], '
     b'"template": "../../etc"}', ["../../etc"]),
    (None, ["is a folder"]),
]


@pytest.mark.parametrize(
    ("content", "names"), BAD_BRIEF_FILES,
    ids=[repr(content[-40:]) if content else "folder" for content, _ in BAD_BRIEF_FILES],
)
def test_bad_brief_files_are_one_line(
    capsys: pytest.CaptureFixture[str], out_dir: Path, tmp_path: Path, content: bytes | None,
    names: list[str],
) -> None:
    path = bad_file(tmp_path / "odd.brief", content)
    args = ["export", str(path), "--lang", "en", "--out", str(out_dir)]
    err = refused_cleanly(capsys, out_dir, args, *names)
    if "template" not in err:  # a template is named by its id, not by the brief
        assert str(path) in err


def test_broken_user_template_is_one_line(
    capsys: pytest.CaptureFixture[str], out_dir: Path, tmp_path: Path
) -> None:
    template = tmp_path / "mine"
    template.mkdir()
    (template / "template.toml").write_text('parent = "ministry"\n[page\nsize = "A4"\n')
    status = main(["export", "--lang", "en", "--out", str(out_dir), "--template", str(template)])
    captured = capsys.readouterr()
    assert_one_line_error(status, captured.out, captured.err, "template.toml")
    file_instead = tmp_path / "template.txt"
    file_instead.write_text("not a folder", encoding="utf-8")
    status = main(["export", "--lang", "en", "--out", str(out_dir), "--template",
                   str(file_instead)])
    captured = capsys.readouterr()
    assert_one_line_error(status, captured.out, captured.err, "template.txt")


@pytest.mark.parametrize(
    "target",
    [
        "x" * 300,  # a name longer than any file system allows
        "/proc/briefing-exports",  # a folder that cannot be created
        "/dev/null/exports",  # under a device, not a folder
        "exports\u0000hidden",  # a NUL character (a GUI could pass one)
    ],
)
def test_invalid_output_folders_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str, library: Library
) -> None:
    out = target if target.startswith("/") else str(tmp_path / target)
    status = main(["export", "--lang", "en", "--format", "docx", "--sections", "conclusion",
                   "--out", out])
    captured = capsys.readouterr()
    assert_one_line_error(status, captured.out, captured.err)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_negative_zero_is_zero(library: Library) -> None:
    brief = edits.set_figure_value(edits.default_brief(library), library, "kz_fdi_total", "-0")
    value = brief.override("kz_fdi_total").value  # type: ignore[union-attr]
    assert value == 0 and not value.is_signed()


# -- writes are atomic: a failure leaves earlier exports as they were ----------------------------


def one_section_brief(library: Library) -> Brief:
    """Return a small brief (one section with a chart) that renders quickly."""
    return replace(edits.set_sections(edits.default_brief(library), ("port_of_baku",)),
                   languages=LANGUAGES)


def test_a_chart_failure_mid_export_publishes_nothing(
    library: Library, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing a chart fails while the second language is rendered (out of memory)."""
    import briefing.render.charts as charts
    import briefing.render.docx as word_renderer
    import briefing.render.pdf  # noqa: F401  (imported before patching, as in a real run)

    calls = {"n": 0}
    real = charts.render_chart_png

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] >= 3:
            raise MemoryError("picture too large")
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "render_chart_png", flaky)
    monkeypatch.setattr(word_renderer, "render_chart_png", flaky)
    monkeypatch.setattr(charts, "render_charts_parallel",
                        lambda items, workers=None: [flaky(*item) for item in items])
    charts.clear_cache()
    monkeypatch.setenv("BRIEFING_CHART_CACHE", "off")
    # One process, so that the calls counted are all here (a second process drawing
    # the pictures is tested with the export's processes).
    monkeypatch.setenv("BRIEFING_EXPORT_PROCESSES", "1")
    before = folder_state(out_dir)
    with pytest.raises(MemoryError):
        export(one_section_brief(library), out_dir, formats=("pdf", "docx"), library=library)
    charts.clear_cache()
    assert calls["n"] >= 3, "the chart renderer was not reached"
    assert folder_state(out_dir) == before


def test_a_renderer_crash_is_one_line_status_3(
    capsys: pytest.CaptureFixture[str], library: Library, out_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import briefing.export

    real = briefing.export.render
    rendered: list[str] = []

    def render(document, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
        rendered.append(f"{document.lang}.{fmt}")
        if len(rendered) == 4:
            raise RuntimeError("renderer bug")
        return real(document, fmt)

    monkeypatch.setattr(briefing.export, "render", render)
    # Renders are counted in this process: no second one takes a share of the files
    # (forking is refused anyway once an earlier test has started a Qt thread).
    monkeypatch.setenv("BRIEFING_EXPORT_PROCESSES", "1")
    before = folder_state(out_dir)
    status = main(["export", "--lang", "ar,en,bi", "--sections", "conclusion", "--out",
                   str(out_dir)])
    captured = capsys.readouterr()
    assert status == 3
    assert captured.err.startswith("error: unexpected failure (RuntimeError: renderer bug)")
    assert len(captured.err.splitlines()) == 1 and "Traceback" not in captured.err
    assert len(rendered) == 4
    assert folder_state(out_dir) == before


def test_a_full_disk_while_writing_publishes_nothing(
    library: Library, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up while the fifth of six files is written."""
    real_fsync = os.fsync
    synced = {"n": 0}

    def fsync(fd: int) -> None:
        synced["n"] += 1
        if synced["n"] == 5:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    before = folder_state(out_dir)
    with pytest.raises(BriefingError, match=r"cannot write .*No space left on device"):
        export(one_section_brief(library), out_dir, formats=("pdf", "docx"), library=library)
    assert synced["n"] == 5
    assert folder_state(out_dir) == before


def test_a_failed_rename_half_way_puts_the_old_files_back(
    library: Library, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fourth of six renames fails (a viewer holds the file, the disk is full …).

    Three new files are already in place by then; they must go, and yesterday's English
    PDF and Word file must be there as they were.
    """
    real_replace = os.replace
    renamed: list[str] = []

    def replace_file(src, dst) -> None:  # type: ignore[no-untyped-def]
        if Path(dst).name.startswith("brief-") and Path(src).name.endswith(".tmp"):
            renamed.append(Path(dst).name)
            if len(renamed) == 4:
                raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_file)
    before = folder_state(out_dir)
    with pytest.raises(BriefingError, match="No space left on device"):
        export(one_section_brief(library), out_dir, formats=("pdf", "docx"), library=library)
    assert len(renamed) == 4
    assert folder_state(out_dir) == before


def test_a_folder_in_the_way_of_an_export_is_one_line(
    capsys: pytest.CaptureFixture[str], out_dir: Path
) -> None:
    (out_dir / "brief-ar.pdf").mkdir()
    args = ["export", "--lang", "ar,en", "--sections", "conclusion", "--out", str(out_dir)]
    refused_cleanly(capsys, out_dir, args, str(out_dir))
    assert (out_dir / "brief-ar.pdf").is_dir()


def test_exports_are_readable_like_any_saved_file(library: Library, tmp_path: Path) -> None:
    """Exports get the mode a new file gets (not the owner-only mode of a temporary file),
    and a replaced file keeps its mode."""
    (tmp_path / "brief-en.docx").write_bytes(OLD_DOCX)
    (tmp_path / "brief-en.docx").chmod(0o640)
    old_mask = os.umask(0o022)
    try:
        export(one_section_brief(library), tmp_path, languages=("en",), library=library)
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE((tmp_path / "brief-en.pdf").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "brief-en.docx").stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief-en.docx", "brief-en.pdf"]


# -- a killed app loses at most a second of edits ----------------------------------------------

APP_SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from briefing.gui import app as gui_app
    from briefing.gui.mainwindow import MainWindow

    qapp = QApplication(sys.argv)

    def type_an_edit():
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].autosaver.lock is None:
            QTimer.singleShot(50, type_an_edit)
            return
        window = windows[0]
        timer = window.autosaver.timer
        print("interval", timer.interval(), flush=True)
        editor = window.meta_editors["title"]["en"]
        editor.setFocus()
        QTest.keyClicks(editor, sys.argv[1])
        print("typed", flush=True)

    QTimer.singleShot(0, type_an_edit)
    sys.exit(gui_app.main(["briefing-app"]))
    """
)


@pytest.mark.slow
def test_a_killed_app_keeps_the_autosaved_edit(tmp_path: Path, library: Library) -> None:
    from briefing.gui.autosave import BRIEF_NAME
    from briefing.store import load_brief

    data = tmp_path / "userdata"
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "BRIEFING_DATA_DIR": str(data),
        "BRIEFING_USER_TEMPLATES": str(data / "templates"),
    }
    typed = "Brief typed just before the crash"
    process = subprocess.Popen(
        [sys.executable, "-c", APP_SCRIPT, typed], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env=env,
    )

    def journals() -> list[Path]:
        return list((data / "autosave").glob(f"*/{BRIEF_NAME}"))

    try:
        assert process.stdout is not None
        interval = process.stdout.readline().split()
        assert interval[:1] == ["interval"], process.stderr.read() if process.stderr else ""
        assert int(interval[1]) <= 1_000, "an edit must be journalled within a second"
        assert process.stdout.readline().strip() == "typed"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if any(typed in j.read_text(encoding="utf-8") for j in journals()):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the edit was never autosaved")
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    (autosaved,) = journals()
    recovered = load_brief(autosaved)
    assert recovered.meta.title.en == typed
    leftovers = [p.name for p in autosaved.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert json.loads((autosaved.parent / "origin.json").read_text(encoding="utf-8"))



def test_an_override_sets_letters_in_forced_order(library: Library, tmp_path: Path) -> None:
    """RLO reverses Latin letters on the page; Word gets the typed text and the control."""
    section = Section(
        id="forced", title=LocalText(ar="قسري", en="Forced"),
        body=LocalText(ar="قبل \u202eabc\u202c بعد", en="before \u202ereversed\u202c after"),
    )
    export(brief_with(library, section), tmp_path, languages=("en", "ar"), formats=("pdf", "docx"),
           library=library)
    assert "beforedesreverafter" in canonical(pdf_text((tmp_path / "brief-en.pdf").read_bytes()))
    assert "cba" in canonical(pdf_text((tmp_path / "brief-ar.pdf").read_bytes()))
    assert "\u202ereversed\u202c" in docx_text((tmp_path / "brief-en.docx").read_bytes())
    assert "\u202eabc\u202c" in docx_text((tmp_path / "brief-ar.docx").read_bytes())


def test_stacked_diacritics_read_back(library: Library, tmp_path: Path) -> None:
    """A fatha or damma set over a shadda keeps its word whole in the text layer."""
    words = ("الشَّدَّة", "مُهِمَّة", "عَلَّمَ", "يُعَلِّمُ")
    section = Section(
        id="stacked", title=LocalText(ar="حركات", en="Marks"),
        body=LocalText(ar=" ".join(words), en="Arabic: " + " ".join(words)),
    )
    export(brief_with(library, section), tmp_path, languages=LANGUAGES, formats=("pdf",),
           library=library)
    for lang in LANGUAGES:
        text = canonical(pdf_text((tmp_path / f"brief-{lang}.pdf").read_bytes()))
        lost = [word for word in words if canonical(word) not in text]
        assert not lost, (lang, lost)


def test_a_mark_ending_an_arabic_word_in_english_text_reads_back(
    library: Library, tmp_path: Path
) -> None:
    """Arabic quoted in English keeps each diacritic with its letter in the text layer.

    Copying "كتابٌ" out of an English line must give "كتابٌ", not "ٌ كتاب".
    """
    section = Section(
        id="quoted", title=LocalText(ar="اقتباس", en="Quoted"),
        body=LocalText(ar="الكلمة كتابٌ ودوراً هنا", en="The words كتابٌ and دوراً are Arabic."),
    )
    export(brief_with(library, section), tmp_path, languages=("ar", "en", "bi"),
           formats=("pdf",), library=library)
    for lang in LANGUAGES:
        text = canonical(pdf_text((tmp_path / f"brief-{lang}.pdf").read_bytes()))
        for word in ("كتابٌ", "دوراً"):
            assert canonical(word) in text, (lang, word)


def test_verify_accepts_digits_that_reorder_across_a_space(
    library: Library, tmp_path: Path
) -> None:
    """The PDF sets this line as the bidi algorithm says; --verify must not call it wrong."""
    from bidi.algorithm import get_display

    from briefing.verify import extract_lines

    text = "٧6٣ ٧6٣"  # Arabic-Indic digits around a space reorder as one right-to-left run
    section = Section(id="digits", title=LocalText(ar="أرقام", en="Digits"),
                      body=LocalText(ar=text, en=text))
    result = export(brief_with(library, section), tmp_path, languages=("en",), formats=("pdf",),
                    verify=True, library=library)
    lines = [line.text for line in extract_lines((tmp_path / "brief-en.pdf").read_bytes())]
    assert canonical(get_display(text, base_dir="L")) in lines  # the PDF is right
    assert result.problems == []
