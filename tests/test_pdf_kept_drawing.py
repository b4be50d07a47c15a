"""Paragraphs drawn again are written from the operators kept for them, never with stale codes."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

from briefing.render import font_subsets
from briefing.templates import load_template
from briefing.text import FontSet, TextStyle, draw_lines, kept_layouts, layout_text
from briefing.text import draw as draw_module
from briefing.text.embed import embedded_font

FONTS = FontSet(load_template("ministry").fonts.arabic, load_template("ministry").fonts.latin)
STYLE = TextStyle(FONTS, 11.0, 18.0, False, "start")
TEXT = "يمر الممر الأوسط (Middle Corridor) عبر ميناء باكو، وطاقته ١٥ مليون طن."


@pytest.fixture(autouse=True)
def fresh_kept(tmp_path: Path) -> Iterator[None]:
    """Forget the operators kept in this process, and keep the user's cache in a folder of
    the test's own."""
    font_subsets.configure(disk=tmp_path / "cache", shipped=None)
    forget_everything()
    yield
    font_subsets.configure()
    forget_everything()


def forget_everything() -> None:
    draw_module.forget_drawn()
    kept_layouts.forget_kept_layouts()


def new_process() -> None:
    """Write what was kept to the user's cache and forget it, as a program ending does."""
    kept_layouts.save_kept_layouts()
    forget_everything()


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the paragraphs whose operators are made (not taken from those kept)."""
    made: list[int] = []
    make = draw_module._operators

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(1)
        return make(*args, **kwargs)

    monkeypatch.setattr(draw_module, "_operators", counting)
    return made


def lines() -> tuple:  # type: ignore[type-arg]
    return layout_text(TEXT, "R", STYLE, 300.0).lines


def drawn(prepare=None, x: float = 20.0) -> tuple[Canvas, list[str]]:  # type: ignore[no-untyped-def]
    canvas = Canvas(io.BytesIO(), pagesize=(400, 200), invariant=1)
    if prepare is not None:
        prepare(canvas)
    start = len(canvas._code)
    draw_lines(canvas, lines(), STYLE, x, 150.0, black)
    return canvas, canvas._code[start:]


def glyph_codes(code: list[str]) -> list[str]:
    """Return the character codes shown (not the ActualText strings), four hex digits each."""
    shown = re.findall(r"(?<!ActualText )<([0-9A-F]+)>", " ".join(code))
    return [part[i : i + 4] for part in shown for i in range(0, len(part), 4)]


def test_a_paragraph_drawn_again_is_written_from_its_kept_operators(counted: list[int]) -> None:
    _, first = drawn()
    _, again = drawn()
    assert len(counted) == 1
    assert again == first
    # Kept or made, the file's fonts know the same glyphs, with the same texts.
    canvases = [drawn()[0] for _ in range(2)]
    draw_module.forget_drawn()
    canvases.append(drawn()[0])
    fonts = [
        {name: (font.glyph, font.text) for name, font in canvas._doc._glyph_fonts.items()}
        for canvas in canvases
    ]
    assert fonts[0] == fonts[1] == fonts[2]
    assert fonts[0]


def test_a_paragraph_whose_glyphs_get_other_codes_in_this_file_is_drawn_afresh(
    counted: list[int],
) -> None:
    _, first = drawn()
    run = next(run for line in lines() for run in line.runs if run.rtl and run.glyphs)
    gid = run.glyphs[0].gid

    def taken_first(canvas: Canvas) -> None:
        # Another paragraph of this file used the glyph first, for other characters: the
        # paragraph's glyph needs a code of its own here.
        embedded_font(canvas._doc, run.font).use(gid, "\u0621\u0621")

    _, second = drawn(taken_first)
    assert len(counted) == 2
    assert second != first
    assert f"{gid:04X}" in glyph_codes(first)
    assert f"{gid:04X}" not in glyph_codes(second)
    draw_module.forget_drawn()
    _, fresh = drawn(taken_first)
    assert second == fresh


def test_a_paragraph_drawn_elsewhere_is_not_written_where_it_was(counted: list[int]) -> None:
    _, first = drawn(x=20.0)
    _, moved = drawn(x=31.5)
    assert len(counted) == 2
    assert moved != first
    draw_module.forget_drawn()
    assert drawn(x=31.5)[1] == moved


def test_the_fonts_of_a_file_are_named_in_the_order_drawing_takes_them(
    counted: list[int],
) -> None:
    drawn()
    latin = next(run.font for line in lines() for run in line.runs if not run.rtl and run.glyphs)

    def latin_first(canvas: Canvas) -> None:
        embedded_font(canvas._doc, latin)

    _, code = drawn(latin_first)
    assert len(counted) == 2  # its resource names differ from those kept
    draw_module.forget_drawn()
    _, fresh = drawn(latin_first)
    assert code == fresh


def pdf_of(prepare=None) -> bytes:  # type: ignore[no-untyped-def]
    canvas, _ = drawn(prepare)
    canvas.showPage()
    return canvas.getpdfdata()


def test_a_paragraph_drawn_before_in_another_process_is_written_from_the_users_cache(
    counted: list[int],
) -> None:
    first = pdf_of()
    assert len(counted) == 1
    new_process()
    again = pdf_of()
    assert len(counted) == 1  # taken from the cache folder, not written again
    assert again == first
    # Elsewhere on the page it is written afresh, and kept too.
    _, moved = drawn(x=31.5)
    assert len(counted) == 2
    new_process()
    assert drawn(x=31.5)[1] == moved and len(counted) == 2


def test_a_paragraph_showing_its_glyphs_by_other_codes_in_two_files_keeps_both(
    counted: list[int],
) -> None:
    run = next(run for line in lines() for run in line.runs if run.rtl and run.glyphs)

    def taken_first(canvas: Canvas) -> None:
        embedded_font(canvas._doc, run.font).use(run.glyphs[0].gid, "\u0621\u0621")

    plain, other = pdf_of(), pdf_of(taken_first)
    assert len(counted) == 2 and plain != other
    new_process()
    assert pdf_of(taken_first) == other and pdf_of() == plain
    assert len(counted) == 2


def test_operators_kept_in_another_shape_are_written_afresh(counted: list[int]) -> None:
    first = pdf_of()
    new_process()
    found = kept_layouts.drawn_key(lines(), 20.0, 0.0, 0.0)
    assert found is not None
    kept, _key = found
    drawn_keys = [key for key in kept.entries if key[8:9] == (kept_layouts.DRAWN,)]
    assert len(drawn_keys) == 1
    kept.entries[drawn_keys[0]] = (("not", "operators"),)
    assert pdf_of() == first
    assert len(counted) == 2
