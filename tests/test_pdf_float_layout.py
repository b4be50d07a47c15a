"""Long briefs lay out: a floating chart always finds a place, whatever text surrounds it,
and charts floated on to a later page keep their order.

The library's sections are repeated (and some made several times longer) and laid out
in every shipped template and language, in the library's order and in seeded random
orders and subsets; each PDF must come out, with every chart picture drawn on a page and
every section's heading in the text layer.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
from collections import Counter
from dataclasses import replace

import pikepdf
import pytest

from briefing import edits
from briefing.document import build_document
from briefing.library import Library, load_library
from briefing.model import Brief, LocalText, Section
from briefing.render.charts import pdf_chart_size, picture_name
from briefing.render.pdf import render_pdf
from briefing.templates import load_template

SHIPPED = ("ministry", "minimal", "bilingual")
LANGS = ("ar", "en", "bi")
COPIES = 5


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def longer(text: str, times: int) -> str:
    """Return ``text`` with each paragraph said ``times`` times over (one long paragraph)."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(" ".join([paragraph] * times) for paragraph in paragraphs)


def section_pool(library: Library) -> list[Section]:
    """Return the library's sections, renamed copies of them, and long copies."""
    originals = [library.section(section_id) for section_id in library.section_ids()]
    pool: list[Section] = []
    for copy in range(1, COPIES):
        for section in originals:
            assert section is not None
            pool.append(replace(section, id=f"{section.id}_copy{copy}"))
    for section in originals:
        assert section is not None
        body = LocalText(longer(section.body.ar, 7), longer(section.body.en, 7))
        pool.append(replace(section, id=f"{section.id}_long", body=body))
    return pool


def brief_of(library: Library, order: list[str], template: str) -> Brief:
    pool = section_pool(library)
    return replace(
        edits.default_brief(library, template),
        custom_sections=tuple(pool),
        sections=tuple(order),
    )


def chart_blocks(blocks: object) -> list[object]:
    """Return every chart block of a document, bilingual rows included."""
    found: list[object] = []
    for block in blocks:  # type: ignore[attr-defined]
        if type(block).__name__ == "Chart":
            found.append(block)
        for side in ("ar", "en"):
            inner = getattr(block, side, None)
            if isinstance(inner, tuple):
                found += chart_blocks(inner)
    return found


def check_laid_out(library: Library, brief: Brief, lang: str) -> None:
    """Render ``brief`` in ``lang`` and read the file: each chart drawn, each heading set."""
    template = load_template(brief.template)
    document = build_document(brief, library, template, lang)  # type: ignore[arg-type]
    pdf = render_pdf(document)
    order: list[str] = []
    for chart in chart_blocks(document.blocks):
        data = chart.data  # type: ignore[attr-defined]
        name = picture_name(data, template, pdf_chart_size(data.kind, lang))
        order.append(f"/FormXob.chart{name[:16]}")
    wanted = Counter(order)
    drawn: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        pages = len(opened.pages)
        for page in opened.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "Do" and str(operands[0]) in wanted:
                    drawn.append(str(operands[0]))
    # Each chart's picture is drawn once for each time the brief holds it, on some page.
    assert Counter(drawn) == wanted and wanted, (brief.template, lang, len(brief.sections))
    # Charts floated on to a later page keep their order (Arabic before English in a
    # bilingual row, as the row draws them).
    assert drawn == order, (brief.template, lang, len(brief.sections))
    assert pages >= 2
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    if lang != "ar":
        # Every section's English heading is set (none lost behind a float).
        flat = re.sub(r"[^a-z0-9]", "", text.lower())
        sections = {section.id: section for section in brief.custom_sections}
        for section_id in brief.sections:
            section = sections.get(section_id) or library.section(section_id)
            assert section is not None
            start = re.sub(r"[^a-z0-9]", "", section.title.en.lower())[:12]
            assert start in flat, (section_id, start)


@pytest.mark.parametrize("template", SHIPPED)
@pytest.mark.parametrize("lang", LANGS)
def test_the_library_five_times_over_lays_out(library: Library, template: str, lang: str) -> None:
    pool = section_pool(library)
    order = [*library.section_ids(), *(s.id for s in pool if "_copy" in s.id)]
    check_laid_out(library, brief_of(library, order, template), lang)


@pytest.mark.parametrize("template", SHIPPED)
@pytest.mark.parametrize("lang", LANGS)
def test_long_sections_in_random_orders_lay_out(library: Library, template: str, lang: str) -> None:
    pool = section_pool(library)
    ids = [*library.section_ids(), *(section.id for section in pool)]
    chance = random.Random(f"{template}-{lang}")
    for _trial in range(3):
        order = chance.sample(ids, chance.randint(4, 16))
        check_laid_out(library, brief_of(library, order, template), lang)
