"""Vowelled Arabic lines keep clear of each other: marks over tall letters, under descenders."""

from __future__ import annotations

import itertools
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from readback import pdf_boxes, tagged
from samples import make_document

from briefing.library import Library
from briefing.model import LocalText, Section
from briefing.render.pdf import render_pdf

DPI = 150

# Shadda with tanween over alef and lam, kasratan under descenders, on every line.
DENSE = " ".join(
    [
        "كان المنفذُ العابرُ منفذاً ضرورياً، وأمراً مُتَّحِدًا بالشدّة؛ قُوَّةٌ مُسْتَمِرَّةٌ",
        "لِلتَّعاوُنِ، وَمُحَمَّدٌ كَتَبَ تَقْرِيراً مُهِمّاً عَنِ الشَّراكةِ، ولا يزال الحَجُّ",
        "مُتَّصِلاً بِالتِّجارةِ الدَّوْلِيَّةِ، وَالرَّجُلُ العابرُ يَرى مَنْفَذاً آخَرَ.",
    ]
    * 6
)
SECTION = Section(
    id="dense_marks",
    title=LocalText(ar="فقرة مشكولة", en="A vowelled paragraph"),
    body=LocalText(ar=DENSE, en="An English paragraph beside it. " * 30),
    custom=True,
)


def render(library: Library, template: str, lang: str, path: Path) -> None:
    document = make_document(
        library, lang, sections=("dense_marks",), custom=SECTION, template=template
    )
    path.write_bytes(render_pdf(document))


def arabic_lines(pdf: Path) -> tuple[int, list[tuple[float, float, float, float]]]:
    """Return the page with the most full Arabic lines, and those lines' boxes (points)."""
    best: tuple[int, list[tuple[float, float, float, float]]] = (0, [])
    for number, page in enumerate(tagged(pdf_boxes(pdf), "page"), 1):
        found = []
        for line in tagged(page, "line"):
            text = unicodedata.normalize(
                "NFKC", "".join(word.text or "" for word in tagged(line, "word"))
            )
            if sum("\u0621" <= char <= "\u064a" for char in text) < 20:
                continue
            box = tuple(float(line.get(key, 0)) for key in ("xMin", "yMin", "xMax", "yMax"))
            found.append(box)
        widest = max((box[2] - box[0] for box in found), default=0.0)
        full = sorted((box for box in found if box[2] - box[0] > 0.8 * widest), key=lambda b: b[1])
        if len(full) > len(best[1]):
            best = (number, full)
    return best  # type: ignore[return-value]


def touching_lines(pdf: Path, tmp_path: Path) -> tuple[int, list[int]]:
    """Return how many line pairs were checked and which ones have no white row between them."""
    number, lines = arabic_lines(pdf)
    assert len(lines) >= 6, f"only {len(lines)} full Arabic lines found"
    stem = tmp_path / "page"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(DPI),
            "-gray",
            "-png",
            "-f",
            str(number),
            "-l",
            str(number),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    image = Image.open(f"{stem}.png").convert("L")
    pixels = image.load()
    scale = DPI / 72
    touching = []
    for index, (upper, lower) in enumerate(itertools.pairwise(lines)):
        left = int(min(upper[0], lower[0]) * scale)
        right = int(max(upper[2], lower[2]) * scale)
        top = int((upper[1] + upper[3]) / 2 * scale)
        bottom = int((lower[1] + lower[3]) / 2 * scale)
        blank = any(all(pixels[x, y] > 200 for x in range(left, right)) for y in range(top, bottom))
        if not blank:
            touching.append(index)
    return len(lines) - 1, touching


@pytest.mark.parametrize(
    ("template", "lang"),
    [("bilingual", "bi"), ("bilingual", "ar"), ("minimal", "ar"), ("ministry", "ar")],
)
def test_vowelled_arabic_lines_do_not_touch(
    library: Library, tmp_path: Path, template: str, lang: str
) -> None:
    """Between every two lines of a fully vowelled paragraph a row of white runs across."""
    pdf = tmp_path / "brief.pdf"
    render(library, template, lang, pdf)
    checked, touching = touching_lines(pdf, tmp_path)
    assert checked >= 5
    assert not touching, f"{template}/{lang}: lines {touching} of {checked} pairs touch"


def test_english_beside_vowelled_arabic_keeps_its_leading(library: Library, tmp_path: Path) -> None:
    """The Arabic column grows to hold its marks; the English one stays at the template's 1.4."""
    pdf = tmp_path / "brief.pdf"
    render(library, "bilingual", "bi", pdf)
    tops = sorted(
        float(line.get("yMin", 0))
        for line in tagged(pdf_boxes(pdf, "-f", "1", "-l", "1", "-bbox-layout"), "line")
        if "paragraph beside" in " ".join(word.text or "" for word in tagged(line, "word"))
    )
    pitches = [lower - upper for upper, lower in itertools.pairwise(tops)]
    assert len(pitches) >= 10
    assert max(pitches) <= 1.5 * 10 + 0.1  # size_body 10 in the bilingual template
    assert min(pitches) >= 1.4 * 10 - 0.1
