"""HarfBuzz shaping in the PDF: a text layer of source characters, marks over their letters."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.lib.colors import black
from reportlab.pdfgen.canvas import Canvas

from briefing.cli import main
from briefing.fonts import bundled_face
from briefing.text import FontSet, TextStyle, draw_lines, layout_text

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("pdftoppm"), reason="needs poppler-utils"
)

GOLDENS = Path(__file__).parent / "goldens"
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
# pdftotext wraps right-to-left lines in embedding controls of its own (U+202A-U+202C);
# they are the reader's, not the PDF's. Direction marks would be the PDF's.
READER_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c"))
# Never part of the library: vowelled throughout, with the three bracket patterns that
# the paired-bracket rule decides (a bracket after Latin, Latin with a bracketed acronym,
# bracketed Arabic after Latin), and an Arabic clause last so that the line holding the
# paragraph's full stop is Arabic only.
UNSEEN = (
    "تَسْعَى الحُكُومَةُ إِلَى تَطْوِيرِ الْمِينَاءِ الْجَدِيدِ قُرْبَ بَاكُو بِالتَّعَاوُنِ مَعَ "
    "شَرِكَةِ Caspian Link (CLX) وَيُعْرَفُ الْمَشْرُوعُ بِاسْمِ Green Gate (البوابة الخضراء) "
    "وَيَبْدَأُ فِي Phase [two] مِنَ الْخُطَّةِ عِنْدَ مِينَاءِ Aktau (Kazakhstan) فِي الْعَامِ "
    "الْمُقْبِلِ، عَلَى أَنْ تَكْتَمِلَ الْأَعْمَالُ كُلُّهَا قَبْلَ نِهَايَةِ الْعَقْدِ وَفْقَ "
    "الْجَدْوَلِ الزَّمَنِيِّ الَّذِي أَقَرَّتْهُ اللَّجْنَةُ الْمُشْتَرَكَةُ بَيْنَ الْبَلَدَيْنِ."
)


def text_of(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.translate(READER_CONTROLS)


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shaping")
    assert main(["export", "--lang", "ar,bi", "--format", "pdf", "--out", str(folder)]) == 0
    return folder


@pytest.mark.parametrize("lang", ["ar", "bi"])
def test_the_text_layer_has_letters_not_presentation_forms(briefs: Path, lang: str) -> None:
    text = text_of(briefs / f"brief-{lang}.pdf")
    arabic = [c for c in text if "\u0600" <= c <= "\u06ff"]
    assert len(arabic) > 2000
    assert not PRESENTATION_FORMS.findall(text)
    assert "\u200e" not in text and "\u200f" not in text
    # Arabic words are separated by spaces, and the harakat of the content are kept.
    assert "الممر الأوسط" in text
    assert "منفذاً" in flat(text)


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("unseen")
    section = folder / "unseen.toml"
    section.write_text(
        f'id = "unseen_port"\n[title]\nar = "ميناء جديد"\nen = "A new port"\n'
        f'[body]\nar = "{UNSEEN}"\nen = "A new port."\n',
        encoding="utf-8",
    )
    status = main([
        "export", "--lang", "ar", "--format", "pdf", "--out", str(folder / "out"),
        "--add-section", str(section), "--sections", "unseen_port", "--quiet",
    ])
    assert status == 0
    return folder / "out" / "brief-ar.pdf"


def test_an_unseen_paragraph_with_latin_in_brackets_copies_verbatim(unseen: Path) -> None:
    # A reader that takes the glyphs in the order they are written, maps each through
    # ToUnicode and reverses right-to-left stretches itself (pypdf, as many viewers do)
    # gets the paragraph back character for character, brackets included.
    pypdf = pytest.importorskip("pypdf")
    text = flat("\n".join(page.extract_text() for page in pypdf.PdfReader(unseen).pages))
    assert flat(UNSEEN) in text
    assert not PRESENTATION_FORMS.findall(text)


def test_pdftotext_gives_the_arabic_verbatim_and_the_latin_whole(unseen: Path) -> None:
    # pdftotext reads the /ActualText of each run but puts a line back in logical order
    # with a reordering of its own that is not the bidi algorithm: reading the page from
    # the right, it gives every neutral (space, bracket, full stop) between a Latin run
    # and the Arabic after it to the Arabic, so no text layer can make it give "(CLX)
    # وَيُعْرَفُ" (it gives ") Caspian Link (CLXوَيُعْرَفُ"), and it does the same with other
    # producers' files. Its character table also gives the Arabic comma (U+060C) the
    # class of a digit, so "الْمُقْبِلِ، عَلَى" at a line's start comes back "الْمُقْبِلِ ،عَلَى".
    # The Arabic between the Latin runs and commas, harakat and spaces included, and
    # each Latin run's words come back as they are.
    text = flat(text_of(unseen))
    stretches = re.split(r" ?(?:[(\[]?[A-Za-z]+[)\]]? ?)+", flat(UNSEEN))
    assert len(stretches) == 5
    for stretch in stretches:
        for piece in stretch.split("،"):
            assert flat(piece.strip(" ()[]")) in text, piece
    for latin in ("Caspian Link", "CLX", "Green Gate", "Phase", "two", "Aktau", "Kazakhstan"):
        assert latin in text
    assert sorted(c for c in text if c in "()[]") == sorted(c for c in UNSEEN if c in "()[]")


def render_word(word: str, fonts: FontSet, path: Path) -> np.ndarray:
    """Return the ink of ``word`` drawn alone at 28 pt, rendered at 200 dpi (True = ink)."""
    style = TextStyle(fonts, 28, 60, False, "start")
    canvas = Canvas(str(path), pagesize=(200, 80), invariant=1)
    draw_lines(canvas, layout_text(word, "R", style, 180).lines, style, 10, 75, black)
    canvas.showPage()
    canvas.save()
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", "-singlefile", str(path),
         str(path.with_suffix(""))],
        check=True,
    )
    return np.asarray(Image.open(path.with_suffix(".png")).convert("L")) < 128


FACES = {
    "naskh": FontSet(bundled_face("Noto Naskh Arabic"), bundled_face("Noto Sans")),
    "amiri": FontSet(bundled_face("Amiri"), bundled_face("Noto Serif")),
}
# (word with the mark, the word without it, the word without the marked letter): the
# marked letter follows one that does not join it, so removing it changes nothing else.
MARKED = {
    "tanween-alef": ("منفذاً", "منفذا", "منفذ"),
    "tanween-alef-2": ("أمراً", "أمرا", "أمر"),
    "shadda": ("ودّ", "ود", "و"),
}


@pytest.mark.parametrize("face", list(FACES))
@pytest.mark.parametrize("case", list(MARKED))
def test_marks_sit_over_their_letter(face: str, case: str, tmp_path: Path) -> None:
    marked, bare, without = (
        render_word(word, FACES[face], tmp_path / f"{n}.pdf")
        for n, word in enumerate(MARKED[case])
    )
    mark = marked & ~bare
    letter = bare & ~without
    assert mark.sum() > 20 and letter.sum() > 20
    mark_columns = np.nonzero(mark.any(axis=0))[0]
    letter_columns = np.nonzero(letter.any(axis=0))[0]
    centre = (mark_columns.min() + mark_columns.max()) / 2
    assert letter_columns.min() - 2 <= centre <= letter_columns.max() + 2, (
        mark_columns, letter_columns,
    )
    # The mark is above the letter, not beside or under it.
    assert np.nonzero(mark.any(axis=1))[0].max() < np.nonzero(letter.any(axis=1))[0].min() + 4
    golden = GOLDENS / f"{case}-{face}.png"
    crop = Image.fromarray(((~marked) * 255).astype(np.uint8))
    if not golden.exists():
        crop.save(golden)
        pytest.skip(f"wrote {golden.name}")
    expected = np.asarray(Image.open(golden).convert("L")) < 128
    assert expected.shape == marked.shape
    assert (expected ^ marked).mean() < 0.01
