"""The read-back check: good PDFs pass; reversed, bottom-up, mirrored or lossy text is caught."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing import edits
from briefing.document import Document, build_document
from briefing.errors import BriefingError
from briefing.library import Library
from briefing.model import BriefMeta, LocalText, Section
from briefing.render import pdf_flowables
from briefing.render.pdf import render_pdf
from briefing.templates import load_template
from briefing.text import layout as text_layout
from briefing.text.draw import forget_drawn
from briefing.text.shaping import reshape
from briefing.verify import (
    canonical,
    expected_paragraphs,
    extract_lines,
    presentation_form_problems,
    verify_pdf,
)

SECTION = Section(
    id="verify_text",
    title=LocalText(ar="ميناء باكو (Port of Baku) والممر الأوسط", en="Port of Baku (COP29)"),
    body=LocalText(
        ar=(
            "قال الرئيس في مؤتمر الأطراف (COP29) إن الممر الأوسط ينقل 4.4 مليار طن سنوياً "
            "عبر Port of Baku بنسبة 45.5% منذ عام 2020، وهو رقم يفوق ما سُجّل في الأعوام "
            "السابقة بكثير، وفق «تقرير الوزارة» الصادر في 20/10/2025.\n\n"
            "وتبلغ سعة مناولة البضائع في ميناء باكو {fig:baku_port_capacity} ويمكن زيادتها إلى 25 "
            "مليون طن بحلول عام 2030 مع استكمال أعمال التوسعة في المرحلتين الثانية والثالثة."
        ),
        en=(
            "The Middle Corridor (الممر الأوسط) carries 4.4 billion tonnes a year through "
            "the Port of Baku, up 45.5% since 2020, according to «the ministry's report» of "
            "20/10/2025, which puts Baku at {fig:baku_port_capacity} and also lists the "
            "capacity of the ports of Aktau and Kuryk."
        ),
    ),
    custom=True,
)


def make_document(library: Library, lang: str) -> Document:
    brief = edits.add_custom_section(edits.default_brief(library), library, SECTION)
    brief = edits.set_sections(brief, ("verify_text",))
    brief = replace(brief, meta=BriefMeta(date=date(2025, 10, 20), reference="BR-1"))
    return build_document(brief, library, load_template("ministry"), lang)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def fresh_drawing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Forget the operators kept for paragraphs drawn before, and keep none in the user's
    cache: tests here break steps of the drawing, whose output must neither be written
    again for them nor outlive them."""
    from briefing.text import kept_layouts

    monkeypatch.setattr(kept_layouts, "drawn_key", lambda *_args: None)
    forget_drawn()
    yield
    forget_drawn()


@pytest.fixture
def fresh_layout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Forget laid-out paragraphs so that a patched step is really used, and after it:
    neither this process's memory of them nor those kept between exports is read."""
    from briefing.text import kept_layouts

    monkeypatch.setattr(kept_layouts, "kept", lambda _fonts: None)
    text_layout.layout_text.cache_clear()
    yield
    text_layout.layout_text.cache_clear()


@pytest.mark.parametrize("lang", ["ar", "en", "bi"])
def test_a_correct_pdf_passes(library: Library, lang: str) -> None:
    document = make_document(library, lang)
    assert verify_pdf(render_pdf(document), document) == []


def test_expected_paragraphs_cover_headings_cells_and_captions(library: Library) -> None:
    document = make_document(library, "ar")
    texts = [item.text for item in expected_paragraphs(document)]
    assert any(text.startswith("قال الرئيس") for text in texts)
    assert "1. ميناء باكو (Port of Baku) والممر الأوسط" in texts
    assert "المؤشر" in texts  # a table header cell
    assert all(item.lang == "ar" for item in expected_paragraphs(document))


def test_lines_in_logical_order_are_caught(
    library: Library, monkeypatch: pytest.MonkeyPatch, fresh_layout: None
) -> None:
    def no_reordering(text: str, base: str) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
        return text, tuple(range(len(text))), tuple(0 for _ in text)

    monkeypatch.setattr(text_layout, "reorder_line", no_reordering)
    document = make_document(library, "ar")
    problems = verify_pdf(render_pdf(document), document)
    assert any("'قال الرئيس في مؤتمر الأطراف (COP29)…' reads out of order" in p for p in problems)
    assert all(p.startswith("page ") and p.endswith("reads out of order") for p in problems)


def test_lines_set_bottom_up_are_caught(
    library: Library, monkeypatch: pytest.MonkeyPatch, fresh_layout: None
) -> None:
    real = pdf_flowables.draw_lines

    def bottom_up(canvas: Any, lines: Any, *args: Any) -> None:
        real(canvas, tuple(reversed(lines)), *args)

    monkeypatch.setattr(pdf_flowables, "draw_lines", bottom_up)
    document = make_document(library, "ar")
    problems = verify_pdf(render_pdf(document), document)
    assert any("قال الرئيس" in p for p in problems)
    assert any("وتبلغ سعة" in p for p in problems)


def test_brackets_facing_the_wrong_way_are_caught(
    library: Library, monkeypatch: pytest.MonkeyPatch, fresh_layout: None
) -> None:
    # The glyphs are mirrored by the shaper; a text layer that gave each bracket the
    # other face (the mirrored character instead of the source's) must be caught.
    turn = str.maketrans("()«»", ")(»«")

    def mirrored(run: text_layout.Run) -> str:
        shown = run.logical[::-1] if run.rtl else run.logical
        return shown.translate(turn) if run.rtl else shown

    monkeypatch.setattr(text_layout.Run, "shown", property(mirrored))
    document = make_document(library, "ar")
    problems = verify_pdf(render_pdf(document), document)
    assert any("(COP29)" in p and "brackets out of order" in p for p in problems), problems


def test_brackets_placed_without_the_paired_bracket_rule_are_caught(
    library: Library, monkeypatch: pytest.MonkeyPatch, fresh_layout: None
) -> None:
    # The engine without rule N0 printed "Middle Corridor (TITR)." as ".(Middle Corridor (TITR":
    # its levels are used here with the rest of the reordering unchanged.
    from bidi import algorithm as old_engine

    from briefing.text import bidi as text_bidi

    def levels_without_n0(text: str, base: str) -> list[int]:
        storage = old_engine.get_empty_storage()
        storage["base_level"] = old_engine.PARAGRAPH_LEVELS[base]
        storage["base_dir"] = base
        old_engine.get_embedding_levels(text, storage)
        old_engine.explicit_embed_and_overrides(storage)
        old_engine.resolve_weak_types(storage)
        old_engine.resolve_neutral_types(storage, False)
        old_engine.resolve_implicit_levels(storage, False)
        return [char["level"] for char in storage["chars"]]

    ar = "يعرف هذا الطريق باسم Middle Corridor (TITR)."
    document = document_with(library, "ar", ar, "The Middle Corridor (TITR).")
    assert verify_pdf(render_pdf(document), document) == []
    text_layout.layout_text.cache_clear()
    text_bidi.reorder_line.cache_clear()
    monkeypatch.setattr(text_bidi, "_levels", levels_without_n0)
    try:
        problems = verify_pdf(render_pdf(document), document)
    finally:
        text_bidi.reorder_line.cache_clear()
    assert problems == [
        "page 1: paragraph 'يعرف هذا الطريق باسم Middle Corridor…' has its brackets "
        "out of order or facing the wrong way"
    ], problems


def test_lost_latin_words_are_caught(
    library: Library, monkeypatch: pytest.MonkeyPatch, fresh_layout: None
) -> None:
    real = pdf_flowables.draw_lines

    def without_latin(canvas: Any, lines: Any, *args: Any) -> None:
        def arabic_only(run: Any) -> bool:
            return not any("A" <= char <= "z" for char in run.text)

        kept = tuple(replace(line, runs=tuple(filter(arabic_only, line.runs))) for line in lines)
        real(canvas, kept, *args)

    monkeypatch.setattr(pdf_flowables, "draw_lines", without_latin)
    document = make_document(library, "ar")
    problems = verify_pdf(render_pdf(document), document)
    assert any("قال الرئيس" in p for p in problems)
    assert not any("وتبلغ سعة" in p for p in problems)  # that paragraph has no Latin


def test_a_pdf_of_other_text_fails_every_paragraph(library: Library) -> None:
    arabic = make_document(library, "ar")
    english = make_document(library, "en")
    problems = verify_pdf(render_pdf(english), arabic)
    assert len(problems) >= 3


def test_canonical_form_folds_presentation_forms_and_spaces() -> None:
    assert canonical("\ufefb \ufe8d\u200f") == "لاا"
    assert canonical(" a\u00a0b ") == "ab"


def test_missing_poppler_is_one_clear_error(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.verify as verify_module

    monkeypatch.setattr(verify_module.shutil, "which", lambda name: None)
    document = make_document(library, "en")
    with pytest.raises(BriefingError, match="poppler-utils"):
        verify_pdf(b"%PDF-1.4", document)


def test_an_unreadable_pdf_is_one_clear_error(library: Library) -> None:
    document = make_document(library, "en")
    with pytest.raises(BriefingError, match="pdftotext cannot read"):
        verify_pdf(b"not a pdf", document)


def test_text_with_nothing_visible_is_not_reported(library: Library) -> None:
    invisible = replace(SECTION, body=LocalText(ar=SECTION.body.ar + "\n\n\u200f\u200d", en="x"))
    brief = edits.add_custom_section(edits.default_brief(library), library, invisible)
    brief = edits.set_sections(brief, ("verify_text",))
    document = build_document(brief, library, load_template("ministry"), "ar")
    assert "\u200f\u200d" in [p.text for p in expected_paragraphs(document)]
    assert verify_pdf(render_pdf(document), document) == []


def document_with(library: Library, lang: str, ar: str, en: str) -> Document:
    """Return the document of a brief whose only section has ``ar`` and ``en`` as its body."""
    section = replace(SECTION, body=LocalText(ar=ar, en=en))
    brief = edits.add_custom_section(edits.default_brief(library), library, section)
    brief = edits.set_sections(brief, ("verify_text",))
    return build_document(brief, library, load_template("ministry"), lang)  # type: ignore[arg-type]


def test_the_anchor_is_made_of_letters_that_keep_their_order() -> None:
    from briefing.verify import _core

    assert _core("(COP29)") == "COP"
    assert _core("٧6٣") == ""  # digits can change places with the next word's
    assert _core("ﺀBC") == "BC"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "٧6٣ ٧6٣ then words"),  # the first word's digits reorder with the next word's
        ("ar", "بتث\u202aجح ab cd هنا"),  # an embedding splits the first word's letters
        ("en", "ab" + "٣" * 60 + "cdefghijklmnopqrstuvwxyzabcdefghijklmnop after"),  # cut
    ],
    ids=["digits", "embedding", "cut-word"],
)
def test_a_correct_line_passes_where_the_first_word_does_not_show_whole(
    library: Library, lang: str, text: str
) -> None:
    document = document_with(library, lang, ar=text, en=text)
    assert verify_pdf(render_pdf(document), document) == []


WORDS = st.lists(
    st.one_of(
        st.sampled_from(["ميناء", "باكو", "الطاقة", "لا", "ءB", "Baku", "of", "COP29", "3.8%"]),
        st.sampled_from(["(", ")", "«", "»", "،", ".", "-", "–", "1,234.5", "٣٫٨", "20/10/2025"]),
        st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةىABCxyz0123456789", min_size=1,
                max_size=12),
    ),
    min_size=1,
    max_size=40,
)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ar=WORDS, en=WORDS, lang=st.sampled_from(["ar", "en", "bi"]))
# Two numbers after Arabic words end an English paragraph: tying them with a no-break
# space (a number separator to the bidi algorithm) made them one number.
@example(ar=["ميناء"], en=["ميناء"] * 5 + ["1,234.5", "0"], lang="en")
def test_generated_mixed_text_reads_back(
    library: Library, ar: list[str], en: list[str], lang: str
) -> None:
    section = replace(
        SECTION,
        body=LocalText(ar=" ".join(ar), en=" ".join(en)),
        title=LocalText(ar=" ".join(ar[:4]), en=" ".join(en[:4])),
    )
    brief = edits.add_custom_section(edits.default_brief(library), library, section)
    brief = edits.set_sections(brief, ("verify_text",))
    document = build_document(brief, library, load_template("ministry"), lang)  # type: ignore[arg-type]
    assert verify_pdf(render_pdf(document), document) == []


def presentation_forms(run: text_layout.Run) -> str:
    """Return a run's text as the old engine's text layer had it: joined presentation forms."""
    shaped = reshape(run.logical)
    return shaped[::-1] if run.rtl else shaped


def test_a_text_layer_of_presentation_forms_is_caught(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same pages, but each run's text layer holds what arabic-reshaper made of it:
    # NFKC folds the forms back to letters, so only the text-layer check can tell.
    monkeypatch.setattr(text_layout.Run, "shown", property(presentation_forms))
    document = make_document(library, "ar")
    problems = verify_pdf(render_pdf(document), document)
    # (Ligatures read back as one character also put letters out of order.)
    assert problems[0].startswith("page 1: the text layer gives "), problems
    assert "Arabic presentation forms (U+FE" in problems[0]


def test_the_old_presentation_form_drawing_is_caught(tmp_path: Path) -> None:
    # Drawn as the first engine drew Arabic: reshaped, reordered, one string per line.
    from bidi import get_display
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from briefing.fonts import bundled_face

    name = "OldEngineAmiri"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(bundled_face("Amiri").regular)))
    canvas = Canvas(str(tmp_path / "old.pdf"), pagesize=(400, 200), invariant=1)
    canvas.setFont(name, 16)
    canvas.drawRightString(380, 150, get_display(reshape("يعرف هذا الطريق باسم الممر الأوسط")))
    canvas.showPage()
    canvas.save()
    lines = extract_lines((tmp_path / "old.pdf").read_bytes())
    assert len(lines) == 1 and "\u0627" not in lines[0].raw  # no plain alef: all forms
    (problem,) = presentation_form_problems(lines)
    assert problem.startswith("page 1: the text layer gives ") and "U+FE" in problem


@pytest.mark.parametrize("lang", ["ar", "bi"])
def test_the_shipped_briefs_pass(library: Library, lang: str) -> None:
    brief = replace(
        edits.default_brief(library), meta=BriefMeta(date=date(2025, 10, 20), reference="BR-2")
    )
    document = build_document(brief, library, load_template("ministry"), lang)  # type: ignore[arg-type]
    assert verify_pdf(render_pdf(document), document) == []


def test_verify_on_the_command_line_fails_with_one_line_per_problem(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefing.cli import EXIT_VERIFY_FAILED, main

    monkeypatch.setattr(text_layout.Run, "shown", property(presentation_forms))
    status = main([
        "export", "--lang", "ar", "--format", "pdf", "--out", str(tmp_path), "--verify",
        "--quiet", "--sections", "middle_corridor",
    ])
    assert status == EXIT_VERIFY_FAILED != 0
    errors = capsys.readouterr().err.strip().splitlines()
    assert errors[0].startswith("verify: brief-ar.pdf: page 1: the text layer gives ")
    assert "presentation forms" in errors[0]
    assert all(line.startswith("verify: brief-ar.pdf: page ") for line in errors), errors
