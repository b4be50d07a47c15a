"""Typographic finish of the briefs: quotes, tied numbers and units, no lone last word."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from docx import Document as WordDocument

from briefing import edits
from briefing.document import BulletList, Paragraph, Parallel, Table, build_document
from briefing.library import Library
from briefing.render.docx import render_docx
from briefing.templates import load_template
from briefing.typography import NBSP, quotes, tie_last_words


def test_quotes_are_typographic_per_language() -> None:
    assert quotes('the "Middle Corridor" and Kazakhstan\'s exports', "en") == (
        "the \u201cMiddle Corridor\u201d and Kazakhstan\u2019s exports"
    )
    assert quotes("'quoted' word", "en") == "\u2018quoted\u2019 word"
    assert quotes('ممري "بحر الخزر" و("أوروبا")', "ar") == "ممري «بحر الخزر» و(«أوروبا»)"


def test_last_two_words_are_tied() -> None:
    assert tie_last_words("one two three.") == f"one two{NBSP}three."
    assert tie_last_words("two words") == "two words"
    # A long pair would leave a gap on the line before: it stays free.
    long = "a b extraordinarily-long-word anotherverylongword"
    assert tie_last_words(long) == long


def _texts(document) -> list[str]:  # type: ignore[no-untyped-def]
    texts: list[str] = []
    for block in document.blocks:
        inner = (*block.ar, *block.en) if isinstance(block, Parallel) else (block,)
        for item in inner:
            if isinstance(item, Paragraph):
                texts.append(item.text)
            elif isinstance(item, BulletList):
                texts += item.items
    return texts


@pytest.mark.parametrize("lang", ["ar", "en", "bi"])
def test_document_text_has_no_straight_quotes_and_tied_figures(
    library: Library, lang: str
) -> None:
    brief = replace(edits.default_brief(library, "ministry"), digits="arabic")
    document = build_document(brief, library, load_template("ministry"), lang)  # type: ignore[arg-type]
    texts = _texts(document)
    assert texts
    joined = "\n".join(texts)
    assert '"' not in joined and "'" not in joined
    assert "«" in joined or "\u201c" in joined
    for text in texts:
        assert NBSP in text.rstrip()[-30:], text  # last two words tied
    # Numbers and their units never part: no ordinary space after a digit in a figure.
    assert re.search(f"[0-9٠-٩]{NBSP}(million|percent|ملايين|مليار|في)", joined)
    for block in document.blocks:
        inner = (*block.ar, *block.en) if isinstance(block, Parallel) else (block,)
        for item in inner:
            if isinstance(item, Table) and item.role == "key_figures":
                for row in item.rows:
                    assert " " not in row[1], row  # "more than 50" never wraps


def test_word_file_keeps_the_no_break_spaces(library: Library) -> None:
    brief = edits.default_brief(library, "ministry")
    document = build_document(brief, library, load_template("ministry"), "en")
    word = WordDocument(io.BytesIO(render_docx(document)))
    text = "\n".join(p.text for p in word.paragraphs)
    assert f"more than{NBSP}50{NBSP}percent" in text
    assert "\u2019s" in text and "'" not in text


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_sources_annex_names_each_source_once(library: Library, tmp_path, lang: str) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from briefing.render.pdf import render_pdf

    brief = replace(edits.default_brief(library, "ministry"), digits="arabic")
    document = build_document(brief, library, load_template("ministry"), lang)  # type: ignore[arg-type]
    tables = [b for b in document.blocks if isinstance(b, Table) and b.role == "sources"]
    assert len(tables) == 1
    sources = [row[0] for row in tables[0].rows]
    assert len(sources) == len(set(sources))
    assert sum(len(row[1]) for row in tables[0].rows) > 100  # the figures are all listed
    path = tmp_path / "brief.pdf"
    path.write_bytes(render_pdf(document))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    heading = "Sources annex" if lang == "en" else "ملحق"
    # pdftotext gives Arabic words in visual order: letters reversed.
    start = max(text.rfind(heading), text.rfind(heading[::-1]))
    assert start > 0
    annex = text[start:]
    word = "AZERTAC" if lang == "en" else "أذرتاج"
    assert 1 <= annex.count(word) + annex.count(word[::-1]) <= 2, annex[:800]


def _talking_points(document) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    for block in document.blocks:
        if isinstance(block, BulletList) and block.role == "talking_points":
            return block.items
    return ()


def test_talking_points_default_to_a_few_ranked_across_sections(library: Library) -> None:
    brief = edits.default_brief(library, "ministry")
    template = load_template("ministry")
    every = replace(brief, talking_points="100")
    all_points = _talking_points(build_document(every, library, template, "en"))
    assert len(all_points) > 10
    points = _talking_points(build_document(brief, library, template, "en"))
    assert 5 <= len(points) <= 7
    # Ranked: the first points come from different sections, not all from the first.
    firsts = [s.talking_points[0].en for s in library.sections if s.talking_points]
    assert points[1].replace(NBSP, " ") == firsts[1].replace(NBSP, " ") or len(set(points)) == len(
        points
    )
    three = replace(brief, talking_points="1,3,5")
    assert _talking_points(build_document(three, library, template, "en")) == (
        points[0],
        points[2],
        points[4],
    )


def test_cli_talking_points_option(library: Library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from briefing.cli import main

    assert main(["export", "--out", str(tmp_path), "--format", "docx", "--lang", "en",
                 "--talking-points", "4", "--quiet"]) == 0
    word = WordDocument(io.BytesIO((tmp_path / "brief-en.docx").read_bytes()))
    texts = [p.text for p in word.paragraphs]
    start = next(i for i, t in enumerate(texts) if t == "Talking points")
    bullets = [t for t in texts[start + 1 : start + 8] if t and t != "Sources annex"]
    assert 4 <= len(bullets) < 7, bullets
    assert main(["export", "--out", str(tmp_path / "x"), "--talking-points", "two"]) == 2
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())
