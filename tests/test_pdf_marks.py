"""Marks where the font puts them, checked against the old drawing; Latin in brackets copied out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops
from reportlab.lib.colors import black
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont
from reportlab.pdfgen.canvas import Canvas

from briefing.cli import main
from briefing.templates import load_template
from briefing.text import FontSet, TextStyle, draw_lines, layout_text, normalize, reshape
from briefing.text.shaping import cluster_texts, font_file

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="needs poppler-utils"
)

GOLDENS = Path(__file__).parent / "goldens"
DPI = 200
SIZE = 40.0  # points: the marks are some twenty pixels wide at 200 dpi
PRESENTATION = [(0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]
HARAKAT = set("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")
# Direction marks that pdftotext does not add itself (it wraps lines in U+202A-U+202C).
STRAY = set("\u200e\u200f\u061c")

# Never part of the library: harakat on most words, Arabic and Latin in brackets.
UNSEEN = (
    "تَسْعى الوُفودُ إلى اتِّفاقٍ شامِلٍ قَبْلَ نِهايةِ العامِ، وَقَدْ أَكَّدَ المُشارِكونَ "
    "أنَّ التَّعاوُنَ ضَرورِيٌّ جِدّاً لِمِنْطَقةِ بَحْرِ قَزْوينَ [المرحلة الثانية] بِأَسْرِها، "
    "وَيُسَمّى الطَّريقُ (الممر الأوسط) عِنْدَ Port of Baku أَيْضاً."
)
BRACKETED_LATIN = "وَيُعْرَفُ الطَّريقُ باسم (Middle Corridor) مُنْذُ سَنَواتٍ."


def presentation_forms(text: str) -> int:
    return sum(1 for c in text if any(low <= ord(c) <= high for low, high in PRESENTATION))


def pdftotext(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout


def readable(text: str) -> str:
    """Return extracted text in NFC, without pdftotext's own embedding marks, spaces folded.

    No-break spaces (the typography ties a paragraph's last two words) count as spaces.
    """
    text = "".join(c for c in text if c not in "\u202a\u202b\u202c")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return normalize(text)


@pytest.fixture(scope="module")
def default_briefs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("briefs")
    assert main(["export", "--lang", "ar,bi", "--format", "pdf", "--out", str(out), "--quiet"]) == 0
    return out


@pytest.mark.parametrize("language", ["ar", "bi"])
def test_the_text_layer_holds_letters_not_presentation_forms(
    default_briefs: Path, language: str
) -> None:
    text = pdftotext(default_briefs / f"brief-{language}.pdf")
    assert presentation_forms(text) == 0
    letters = sum(1 for c in text if "\u0621" <= c <= "\u064a")
    assert letters > 3000
    assert not STRAY & set(text)
    # The shipped content is vowelled in places (منفذاً، أمراً): its tanween comes back.
    assert text.count("\u064b") >= 10
    # Words are separated: no Arabic line is one long word.
    for line in text.splitlines():
        arabic = [c for c in line if "\u0621" <= c <= "\u064a"]
        if len(arabic) > 40:
            assert " " in line.strip(), line


def export_section(tmp_path: Path, body: str, template: str) -> str:
    file = tmp_path / "section.toml"
    file.write_text(
        'id = "unseen_vowelled"\n'
        'title = { ar = "فقرة لم تنشر", en = "An unpublished paragraph" }\n'
        f'[body]\nar = "{body}"\nen = "An unpublished paragraph."\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    status = main([
        "export", "--lang", "ar", "--format", "pdf", "--out", str(out), "--template", template,
        "--sections", "unseen_vowelled", "--add-section", str(file), "--quiet",
    ])
    assert status == 0
    return readable(pdftotext(out / "brief-ar.pdf"))


@pytest.mark.parametrize("template", ["minimal", "ministry"])
def test_an_unseen_vowelled_paragraph_comes_back_verbatim(tmp_path: Path, template: str) -> None:
    text = export_section(tmp_path, UNSEEN, template)
    assert presentation_forms(text) == 0
    # Every word comes back whole, marks and all, in the source's order...
    words = normalize(UNSEEN).split(" ")
    assert " ".join(words[:7]) in text
    # ...and so does the whole paragraph once white space is left out: pdftotext places
    # a space by the gap between glyphs, so next to punctuation or a Latin run inside an
    # Arabic line it may move one (", و" for "، و") or drop it.
    assert "".join(words) in text.replace(" ", "")


def test_latin_in_brackets_keeps_its_words_and_the_arabic_its_marks(tmp_path: Path) -> None:
    # pdftotext puts the brackets of a Latin run inside Arabic on the wrong side of it
    # in any PDF (it reorders a line by the glyphs' positions, without the paired-bracket
    # rule), so only the words around them are compared.
    text = export_section(tmp_path, BRACKETED_LATIN, "minimal")
    before, after = normalize(BRACKETED_LATIN).split(" (Middle Corridor) ")
    assert before in text and after in text
    assert "Middle Corridor" in text
    assert text.count("(") == text.count(")") == 1


# -- marks over their letters -----------------------------------------------------------------

NASKH = FontSet(load_template("minimal").fonts.arabic, load_template("minimal").fonts.latin)
AMIRI = FontSet(load_template("ministry").fonts.arabic, load_template("ministry").fonts.latin)
# (word, face, mark, the letter it sits on)
WORDS = [
    ("منفذاً", "naskh", "\u064b", "\u0627"),
    ("أمراً", "naskh", "\u064b", "\u0627"),
    ("ضرورياً", "naskh", "\u064b", "\u0627"),
    ("شدّة", "naskh", "\u0651", "\u062f"),
    ("منفذاً", "amiri", "\u064b", "\u0627"),
    ("ضرورياً", "amiri", "\u064b", "\u0627"),
    ("شدّة", "amiri", "\u0651", "\u062f"),
]
FACES = {"naskh": NASKH, "amiri": AMIRI}
LEFT, TOP, PAGE = 20.0, 100.0, (300.0, 130.0)
# Pixels a mark's ink edge may lie from where the font puts it (rasterisers round edges).
TOLERANCE = 3.0


def test_the_templates_use_the_faces_checked_here() -> None:
    assert NASKH.arabic.family == "Noto Naskh Arabic"
    assert AMIRI.arabic.family == "Amiri"


def render(draw, path: Path) -> Image.Image:  # type: ignore[no-untyped-def]
    canvas = Canvas(str(path), pagesize=PAGE, invariant=1)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-gray", "-singlefile", "-png", str(path),
         str(path.with_suffix(""))],
        check=True, timeout=120,
    )
    with Image.open(path.with_suffix(".png")) as image:
        return image.convert("L")


def px(points: float) -> float:
    return points * DPI / 72.0


def ink_columns(with_mark: Image.Image, without: Image.Image) -> tuple[float, float]:
    """Return the pixel columns (first, last) where the two renderings differ: the mark's ink."""
    difference = ImageChops.difference(with_mark, without).point(lambda v: 255 if v > 24 else 0)
    box = difference.getbbox()
    assert box is not None, "the mark left no ink"
    return float(box[0]), float(box[2])


def glyph_extent(filename: str, gid: int) -> tuple[float, float]:
    """Return the glyph's ink from its origin, (xMin, xMax) in em."""
    with TTFont(filename) as font:
        glyph = font["glyf"][font.getGlyphOrder()[gid]]
        units = font["head"].unitsPerEm
        return glyph.xMin / units, glyph.xMax / units


def style(fonts: FontSet) -> TextStyle:
    return TextStyle(fonts, SIZE, SIZE * 2.0, False, "start")


def shaped_letter(
    word: str, fonts: FontSet, mark: str, letter: str
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return the page x extents (points) of ``letter`` and of the ``mark`` on it, as shaped."""
    layout = layout_text(word, "R", style(fonts), PAGE[0] - 2 * LEFT)
    (run,) = layout.lines[0].runs
    index = next(
        i for i, c in enumerate(run.logical) if c == letter and run.logical[i + 1 : i + 2] == mark
    )
    extents: dict[int, tuple[float, float]] = {}
    pen = LEFT + run.x
    for glyph, chars in zip(run.glyphs, cluster_texts(run.logical, run.glyphs), strict=True):
        if glyph.cluster in (index, index + 1) and chars:
            low, high = glyph_extent(font_file(run.font), glyph.gid)
            extents[glyph.cluster] = (pen + glyph.dx + low * SIZE, pen + glyph.dx + high * SIZE)
        pen += glyph.advance
    assert set(extents) == {index, index + 1}, f"no glyphs for {letter!r} and its mark in {word!r}"
    return extents[index], extents[index + 1]


def shaped_image(word: str, fonts: FontSet, path: Path) -> Image.Image:
    text_style = style(fonts)
    layout = layout_text(word, "R", text_style, PAGE[0] - 2 * LEFT)
    return render(lambda c: draw_lines(c, layout.lines, text_style, LEFT, TOP, black), path)


def mark_is_placed(
    ink: tuple[float, float], letter: tuple[float, float], offset: tuple[float, float]
) -> bool:
    """Return whether the mark's ink (pixels) sits over ``letter`` (points) as the font says.

    ``offset`` is where the font's mark positioning puts the mark's left and right ink
    edges relative to the letter's left edge, in points. The ink must lie over the
    letter for at least half of the narrower of the two (a thin alef under a wide
    tanween, a short shadda over a long letter), and within three pixels (0.03 em) of
    that place.
    """
    overlap = min(ink[1], px(letter[1])) - max(ink[0], px(letter[0]))
    narrower = min(ink[1] - ink[0], px(letter[1]) - px(letter[0]))
    expected = (px(letter[0] + offset[0]), px(letter[0] + offset[1]))
    return (
        overlap >= narrower / 2
        and abs(ink[0] - expected[0]) <= TOLERANCE
        and abs(ink[1] - expected[1]) <= TOLERANCE
    )


def font_offset(word: str, fonts: FontSet, mark: str, letter: str) -> tuple[float, float]:
    """Return the mark's ink edges relative to its letter's left edge, as shaped (points)."""
    letter_extent, mark_extent = shaped_letter(word, fonts, mark, letter)
    return mark_extent[0] - letter_extent[0], mark_extent[1] - letter_extent[0]


@pytest.mark.parametrize(("word", "face", "mark", "letter"), WORDS)
def test_the_mark_sits_over_its_letter(
    tmp_path: Path, word: str, face: str, mark: str, letter: str
) -> None:
    fonts = FACES[face]
    with_mark = shaped_image(word, fonts, tmp_path / "with.pdf")
    without = shaped_image(word.replace(mark, ""), fonts, tmp_path / "without.pdf")
    assert with_mark.size == without.size
    ink = ink_columns(with_mark, without)
    extent, _ = shaped_letter(word, fonts, mark, letter)
    offset = font_offset(word, fonts, mark, letter)
    assert mark_is_placed(ink, extent, offset), (ink, px(extent[0]), px(extent[1]), offset)


def test_the_old_presentation_form_drawing_fails_the_same_check(tmp_path: Path) -> None:
    """Drawn as presentation forms, Noto Naskh Arabic's tanween is not where the font puts it."""
    filename = str(NASKH.arabic.regular)
    name = "NaskhPresentationForms"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(ReportlabTTFont(name, filename))
    from bidi import get_display

    def draw_old(text: str):  # type: ignore[no-untyped-def]
        return lambda canvas: (canvas.setFont(name, SIZE), canvas.drawString(LEFT, 60.0, text))

    word = "منفذاً"
    visual = get_display(reshape(word))
    plain = get_display(reshape(word.replace("\u064b", "")))
    with_mark = render(draw_old(visual), tmp_path / "old_with.pdf")
    without = render(draw_old(plain), tmp_path / "old_without.pdf")
    ink = ink_columns(with_mark, without)
    # The final alef is the leftmost letter: its form follows the tanween in visual order.
    alef = next(i for i, c in enumerate(visual) if c not in HARAKAT)
    with TTFont(filename) as font:
        gid = font.getGlyphID(font.getBestCmap()[ord(visual[alef])])
    start = LEFT + pdfmetrics.stringWidth(visual[:alef], name, SIZE)
    low, high = glyph_extent(filename, gid)
    extent = (start + low * SIZE, start + high * SIZE)
    offset = font_offset(word, NASKH, "\u064b", "\u0627")
    assert not mark_is_placed(ink, extent, offset), (ink, px(extent[0]), px(extent[1]), offset)


# -- goldens ----------------------------------------------------------------------------------

GOLDEN_WORDS = [("منفذاً", "naskh"), ("أمراً", "naskh"), ("منفذاً", "amiri"), ("الشّدّة", "amiri")]


def crop(image: Image.Image) -> Image.Image:
    inverted = ImageChops.invert(image)
    box = inverted.point(lambda v: 255 if v > 32 else 0).getbbox()
    assert box is not None
    return image.crop(box)


@pytest.mark.parametrize(("index", "word", "face"), [(i, *w) for i, w in enumerate(GOLDEN_WORDS)])
def test_vowelled_words_match_their_golden_pictures(
    tmp_path: Path, index: int, word: str, face: str
) -> None:
    picture = crop(shaped_image(word, FACES[face], tmp_path / "word.pdf"))
    golden_path = GOLDENS / f"marks-{face}-{index}.png"
    with Image.open(golden_path) as image:
        golden = image.convert("L")
    # Rasterisers differ by a pixel at the edges: the size may differ by two pixels, and
    # the mean difference over the crop must stay small.
    assert abs(picture.width - golden.width) <= 2 and abs(picture.height - golden.height) <= 2
    picture = picture.resize(golden.size)
    histogram = ImageChops.difference(picture, golden).histogram()
    mean = sum(value * count for value, count in enumerate(histogram)) / (
        golden.width * golden.height
    )
    assert mean < 12.0, mean


def test_the_golden_check_tells_a_misplaced_mark(tmp_path: Path) -> None:
    """The golden of منفذاً in Naskh does not match the same word drawn without its tanween."""
    with Image.open(GOLDENS / "marks-naskh-0.png") as image:
        golden = image.convert("L")
    plain = crop(shaped_image("منفذا", NASKH, tmp_path / "plain.pdf")).resize(golden.size)
    histogram = ImageChops.difference(plain, golden).histogram()
    mean = sum(value * count for value, count in enumerate(histogram)) / (
        golden.width * golden.height
    )
    assert mean >= 12.0, mean


