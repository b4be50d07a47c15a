"""Property tests: any text exports to PDF and Word and reads back; any typed value is safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from test_hostile import docx_text, fonts_of, missing_words, pdf_text, presentation_forms

from briefing import edits
from briefing.document import build_document
from briefing.errors import BriefingError
from briefing.export import export
from briefing.library import load_library
from briefing.model import PLACEHOLDER, LocalText, Section
from briefing.store import dumps, loads
from briefing.templates import load_template

# Rendering takes a fraction of a second per example: a few dozen examples keep the suite
# quick while still mixing every kind of character below many times over.
settings.register_profile(
    "briefing-export",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "briefing-fast",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
EXPORT = settings.get_profile("briefing-export")
FAST = settings.get_profile("briefing-fast")

ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
ARABIC_MARKS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]
LATIN_LETTERS = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèçñßøåüÉÖ")
DIGITS = list("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")
PUNCTUATION = list(".,;:!?-–—'\"«»()[]{}<>&%/\\*#@+=_|~`^،؛؟٪٫٬")
SPACES = [" ", " ", " ", "\n", "\n\n", "\t", "\u00a0", "\u202f", "\u3000"]
BIDI_CONTROLS = list("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
JOINERS = list("\u200c\u200d\u200b\u2060\ufeff")
EMOJI = ["😀", "🚢", "🇦🇿", "🇰🇿", "👍🏽", "👨\u200d👩\u200d👧", "✔️", "⚡"]

arabic_words = st.builds(
    "".join,
    st.lists(
        st.one_of(st.sampled_from(ARABIC_LETTERS), st.sampled_from(ARABIC_MARKS)),
        min_size=1, max_size=12,
    ),
)
latin_words = st.text(alphabet=LATIN_LETTERS, min_size=1, max_size=14)
numbers = st.text(alphabet=[*DIGITS, ".", ",", "٫"], min_size=1, max_size=8)
anything = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    max_size=12,
)
pieces = st.one_of(
    arabic_words, arabic_words, latin_words, latin_words, numbers,
    st.sampled_from(PUNCTUATION), st.sampled_from(SPACES), st.sampled_from(SPACES),
    st.sampled_from(BIDI_CONTROLS), st.sampled_from(JOINERS), st.sampled_from(EMOJI), anything,
)
# Text a user might paste: words of both scripts, numbers, marks, controls and anything else.
texts = st.lists(pieces, max_size=60).map("".join)
# A word as a user writes it starts with a letter; a mark with no letter before it
# (pasted or mistyped) is in ``texts`` above, which must export but is not read back.
written_arabic_words = st.builds(
    "".join, st.tuples(st.sampled_from(ARABIC_LETTERS), arabic_words | st.just(""))
)
# Text a user might write: words of both scripts, Western numbers, everyday punctuation.
prose = st.lists(
    st.one_of(
        written_arabic_words, written_arabic_words, latin_words,
        st.text(alphabet="0123456789.,%", min_size=1, max_size=6),
        st.sampled_from(list(".,;:!?()[]«»-–،؛؟\"'")), st.just(" "), st.just(" "),
        st.just(" "), st.just("\n\n"),
    ),
    max_size=60,
).map("".join)

# The narrowest line (a bilingual column, in heading type) holds more characters than this.
LONGEST_RUN = 20

LIBRARY = load_library()  # not a fixture: examples are printed with their arguments


def section_of(ar: str, en: str, title: str) -> Section:
    """Return a user's section holding the generated texts."""
    return Section(
        id="generated",
        title=LocalText(ar=f"عنوان {title}", en=f"Title {title}"),
        body=LocalText(ar=ar, en=en),
        key_point=LocalText(ar=title, en=title),
    )


def borrowed_parts(section: Section, lang: str) -> list[str]:
    """Return the parts of ``section`` a brief in ``lang`` would have to take from the other
    language: blank in a language the brief prints, written in the other one."""
    langs = ("ar", "en") if lang == "bi" else (lang,)
    parts = {"title": section.title, "body": section.body, "key point": section.key_point}
    return [
        name
        for code in langs
        for name, text in parts.items()
        if not getattr(text, code).strip() and getattr(text, "en" if code == "ar" else "ar").strip()
    ]


def export_section(
    section: Section, out: Path, lang: str, verify: bool = False
) -> list[str] | None:
    """Export a brief holding only ``section`` to PDF and Word; return the verify problems.

    A section that would print the other language's text is refused by name, and nothing is
    written: then None is returned.
    """
    brief = edits.add_custom_section(edits.default_brief(LIBRARY), LIBRARY, section)
    brief = edits.set_sections(brief, (section.id,))
    borrowed = borrowed_parts(section, lang)
    if borrowed:
        # Hypothesis runs many examples in one tmp_path: compare with what was there.
        before = sorted(out.iterdir()) if out.exists() else []
        stamps = [(path, path.stat().st_mtime_ns) for path in before]
        with pytest.raises(BriefingError) as refused:
            export(brief, out, languages=(lang,), formats=("pdf", "docx"), library=LIBRARY)
        message = str(refused.value)
        assert "\n" not in message
        assert all(f"section {section.id} {part}" in message for part in borrowed), message
        assert (sorted(out.iterdir()) if out.exists() else []) == before
        assert [(path, path.stat().st_mtime_ns) for path in before] == stamps
        return None
    result = export(brief, out, languages=(lang,), formats=("pdf", "docx"), verify=verify,
                    library=LIBRARY)
    return result.problems


def shown_texts(section: Section, lang: str) -> list[str]:
    """Return the section's texts that a brief in ``lang`` shows."""
    langs = ("ar", "en") if lang == "bi" else (lang,)
    return [local.get(code) for code in langs  # type: ignore[arg-type]
            for local in (section.title, section.body, section.key_point)]


@pytest.mark.slow
@EXPORT
@given(ar=texts, en=texts, title=texts, lang=st.sampled_from(["ar", "en", "bi"]))
# A control character in a heading once reached the Word file's keywords, which XML refuses.
@example(ar="ء", en="", title="É:ÖÓ\x01.\u2066 \t", lang="bi")
# An override at the start of a heading, and Latin words after it in Arabic text.
@example(
    ar="ء۹۵\U0010cd42\xa0\x95ã\x8b\x0bá\U000cff6d\x8c\x9a\x06bاُِِِٰooE\u202f",
    en="",
    title="\u202eجًُُٰآٰآلىٍّ\ufeffzI\xa0🇦🇿—⚡🇦🇿cHicR\u202f\u200b\t🇰🇿aURv",
    lang="ar",
)
def test_any_text_exports_and_its_words_read_back(
    tmp_path: Path, ar: str, en: str, title: str, lang: str
) -> None:
    """Any text exports; the letters of its words read back from the PDF, whole words from Word.

    Diacritics are compared in the Word file only: pdftotext drops a mark drawn on the
    very spot of an identical one (it takes the pair for text printed twice to look
    bold), and generated text stacks marks that way ("ءًً"). Marks are compared in
    test_hostile.py (stacked diacritics, marks in English text). Runs of text without a space
    that may not fit on a line are checked in Word only (test_hostile.py, long_word,
    covers them in the PDF).
    """
    assume(not any(PLACEHOLDER.search(text) for text in (ar, en, title)))
    section = section_of(ar, en, title)
    out = tmp_path / f"out-{lang}"
    if export_section(section, out, lang) is None:
        return  # refused by name: the other language's text is never printed
    expected = shown_texts(section, lang)
    book = fonts_of()
    pdf = pdf_text((out / f"brief-{lang}.pdf").read_bytes(), columns=lang == "bi")
    lost = missing_words(expected, pdf, book, marks=False, longest=LONGEST_RUN)
    assert not lost, f"brief-{lang}.pdf lost {lost[:8]}"
    word = docx_text((out / f"brief-{lang}.docx").read_bytes())
    lost = missing_words(expected, word, book)
    assert not lost, f"brief-{lang}.docx lost {lost[:8]}"
    # Word shapes by itself: the only presentation forms in it are those the user typed.
    assert set(presentation_forms(word)) <= set(presentation_forms("".join(expected)))


@pytest.mark.slow
@EXPORT
@given(ar=prose, en=prose, title=prose, lang=st.sampled_from(["ar", "en", "bi"]))
# A mark on the last Arabic letter before two spaces and a Latin word.
@example(ar="ءءً  A", en="", title="", lang="ar")
def test_prose_reads_back_in_order(
    tmp_path: Path, ar: str, en: str, title: str, lang: str
) -> None:
    """Everyday mixed Arabic and English text passes the exporter's own read-back check."""
    problems = export_section(section_of(ar, en, title), tmp_path / f"out-{lang}", lang,
                              verify=True)
    assert problems in ([], None)  # None: refused, as it would borrow the other language


@FAST
@given(text=texts)
def test_any_text_survives_a_brief_file(text: str) -> None:
    assume(not PLACEHOLDER.search(text))
    library = LIBRARY
    section = Section(id="mine", title=LocalText(ar=f"ع{text}", en=f"T{text}"),
                      body=LocalText(ar=text, en=text), talking_points=(LocalText(text, text),))
    brief = edits.add_custom_section(edits.default_brief(library), library, section)
    brief = edits.set_meta_text(brief, "recipient", "ar", text)
    brief = edits.set_meta(brief, reference=text)
    assert loads(dumps(brief), "generated.brief") == brief


typed_values = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=[*DIGITS, *".,٫٬-+eE _", *BIDI_CONTROLS[:2]], max_size=14),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers().map(str),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-99, 99), st.integers(-10**6, 10**6)),
)
FIGURE_IDS = sorted(LIBRARY.figures)


@FAST
@given(figure_id=st.sampled_from(FIGURE_IDS), value=typed_values)
def test_any_typed_figure_value_is_taken_or_refused_in_one_line(figure_id: str, value: str) -> None:
    """A value typed for a figure is refused with a one-line error, or every document builds."""
    library = LIBRARY
    brief = edits.default_brief(library)
    try:
        brief = edits.set_figure_value(brief, library, figure_id, value)
    except BriefingError as exc:
        assert "\n" not in str(exc) and figure_id in str(exc)
        return
    figure = brief.override(figure_id) or library.figures[figure_id]
    assert figure.minimum is None or figure.value >= figure.minimum
    assert figure.maximum is None or figure.value <= figure.maximum
    assert not (figure.value.is_zero() and figure.value.is_signed())
    template = load_template(brief.template)
    for digits in ("latin", "arabic"):
        styled = edits.set_digits(brief, digits)
        for lang in ("ar", "en", "bi"):
            document = build_document(styled, library, template, lang)  # type: ignore[arg-type]
            assert document.blocks
