"""Font registration, glyph coverage and the order in which faces are tried."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from briefing.errors import BriefingError
from briefing.fonts import bundled_face
from briefing.text import FontSet, font_book, register_font_file
from briefing.text.fonts import covers, mark_lift
from briefing.text.script import is_invisible, script_of

AMIRI_SERIF = FontSet(bundled_face("Amiri"), bundled_face("Noto Serif"))
NASKH_SANS = FontSet(bundled_face("Noto Naskh Arabic"), bundled_face("Noto Sans"))


def test_a_font_file_is_registered_once_under_a_stable_name() -> None:
    path = bundled_face("Amiri").regular
    name = register_font_file(path)
    font = pdfmetrics.getFont(name)
    assert register_font_file(path) == name
    assert pdfmetrics.getFont(name) is font
    assert name == "Amiri-Regular"  # from the file, never from where it is installed


def test_an_unreadable_font_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "Broken.ttf"
    bad.write_bytes(b"not a font at all")
    with pytest.raises(BriefingError, match=r"Broken\.ttf"):
        register_font_file(bad)
    with pytest.raises(BriefingError, match="does not exist"):
        register_font_file(tmp_path / "Missing.ttf")


def test_chains_start_with_the_templates_face_and_include_every_fallback() -> None:
    book = font_book(NASKH_SANS)
    arabic = book.chain("arabic", False)
    latin = book.chain("latin", False)
    assert arabic[0] == "NotoNaskhArabic-Regular"
    assert latin[0] == "NotoSans-Regular"
    assert "Amiri-Regular" in arabic and "Amiri-Regular" in latin
    assert book.chain("arabic", True)[0] == "NotoNaskhArabic-Bold"
    assert font_book(NASKH_SANS) is book  # one book per font set


def test_font_choice_follows_coverage() -> None:
    book = font_book(NASKH_SANS)
    assert not covers("NotoNaskhArabic-Regular", "C")
    assert book.font_for("C", "latin", False) == "NotoSans-Regular"
    assert book.font_for("\ufefb", "arabic", False) == "NotoNaskhArabic-Regular"
    assert book.font_for("😀", "latin", False) is None
    char, font = book.placeholder(False)
    assert covers(font, char)
    assert book.printable("ب") and not book.printable("😀")


def test_scripts_of_characters() -> None:
    assert script_of("ب") == "arabic"
    assert script_of("\ufefb") == "arabic"  # presentation forms
    assert script_of("٣") == "arabic"
    assert script_of("Z") == "latin"
    assert script_of("Ж") == "latin"
    assert script_of("5") == "common"
    assert script_of("(") == "common"
    assert script_of("\u0301") == "inherited"
    assert is_invisible("\u200d") and is_invisible("\u200f") and is_invisible("\ufe0f")
    assert not is_invisible(" ") and not is_invisible("ب")


@pytest.mark.parametrize("fonts", [AMIRI_SERIF, NASKH_SANS])
def test_a_vowel_over_a_shadda_is_lifted_clear_of_it(fonts: FontSet) -> None:
    name = font_book(fonts).primary("arabic", False)
    lift = mark_lift(name, "\u064e", 10.0)
    assert 0.5 < lift < 5.0  # points at 10 pt: above the shadda, not off the line
    assert mark_lift(name, "\u064e", 20.0) == pytest.approx(2 * lift)
