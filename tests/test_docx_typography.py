"""Word typography: Arabic sized to the Latin beside it, justified hyphenated English, tables."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from lxml import etree

from briefing.document import Document, Paragraph, build_document
from briefing.library import Library
from briefing.model import Brief, BriefMeta, LocalText
from briefing.render.docx import render_docx
from briefing.templates import list_templates, load_template
from briefing.text.fonts import FontSet, arabic_scale

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
TEMPLATES = sorted(entry["id"] for entry in list_templates() if entry["origin"] == "shipped")
LANGS = ("ar", "en", "bi")


def w(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _brief(library: Library) -> Brief:
    return Brief(
        meta=BriefMeta(
            recipient=LocalText(ar="سعادة وكيل الوزارة", en="The Under-Secretary"),
            drafter=LocalText(ar="إدارة تخطيط السياسات", en="Policy Planning"),
            date=date(2025, 10, 21),
            reference="AZ-KZ/2025/17",
        ),
        sections=tuple(library.section_ids()),
    )


@pytest.fixture(scope="module")
def rendered(library: Library) -> Iterator[dict[tuple[str, str], tuple[Document, bytes]]]:
    """Render every shipped template in every language once for the module."""
    brief = _brief(library)
    result = {}
    for template_id in TEMPLATES:
        template = load_template(template_id)
        for lang in LANGS:
            document = build_document(brief, library, template, lang)  # type: ignore[arg-type]
            result[(template_id, lang)] = (document, render_docx(document))
    yield result


def _part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def _half_points(properties: Any, tag: str) -> int | None:
    found = properties.find(w(tag))
    return None if found is None else int(found.get(w("w:val")))


def _pdf_scale(template_id: str) -> float:
    fonts = load_template(template_id).fonts
    return arabic_scale(FontSet(fonts.arabic, fonts.latin))


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_arabic_is_set_larger_by_the_pdf_scale(
    template_id: str, rendered: dict[tuple[str, str], tuple[Document, bytes]]
) -> None:
    """Every size pair (styles, defaults, Arabic runs) has szCs = sz x the PDF's x-height scale."""
    scale = _pdf_scale(template_id)
    for lang in LANGS:
        data = rendered[(template_id, lang)][1]
        pairs: list[tuple[str, int, int]] = []
        styles = _part(data, "word/styles.xml")
        for properties in styles.iter(w("w:rPr")):
            latin, arabic = _half_points(properties, "w:sz"), _half_points(properties, "w:szCs")
            if latin is not None and arabic is not None:
                owner = properties.getparent()
                name = owner.get(w("w:styleId")) or owner.tag
                pairs.append((f"style {name}", latin, arabic))
        arabic_runs = 0
        # The body (a letterhead's headers keep the sizes their designer gave them).
        for part in ("word/document.xml",):
            for run in _part(data, part).iter(w("w:r")):
                properties = run.find(w("w:rPr"))
                if properties is None or properties.find(w("w:rtl")) is None:
                    continue
                text = "".join(run.xpath(".//w:t/text()", namespaces=NS))
                latin = _half_points(properties, "w:sz")
                arabic = _half_points(properties, "w:szCs")
                assert arabic is not None, f"{template_id}/{lang}: Arabic run {text!r} has no szCs"
                if latin is not None and latin > 2:
                    pairs.append((f"run {text[:30]!r}", latin, arabic))
                    arabic_runs += 1
        if lang != "en":
            assert arabic_runs > 20, f"{template_id}/{lang}: too few Arabic runs ({arabic_runs})"
        assert len(pairs) > 25
        for what, latin, arabic in pairs:
            # Word sizes are whole half-points: the Arabic size is the nearest one.
            assert abs(arabic - latin * scale) <= 0.5 + 1e-9, (
                f"{template_id}/{lang} {what}: szCs {arabic} / sz {latin} = "
                f"{arabic / latin:.3f}, the PDF sets Arabic {scale} times larger"
            )
        if scale > 1.0:
            assert any(arabic > latin for _, latin, arabic in pairs)


def _paragraph_text(paragraph: Any) -> str:
    return "".join(paragraph.xpath(".//w:t/text()", namespaces=NS))


@pytest.mark.parametrize("template_id", TEMPLATES)
def test_english_running_text_is_justified_and_hyphenated(
    template_id: str, rendered: dict[tuple[str, str], tuple[Document, bytes]]
) -> None:
    document, data = rendered[(template_id, "en")]
    settings = _part(data, "word/settings.xml")
    assert settings.find(w("w:autoHyphenation")) is not None
    assert settings.find(w("w:consecutiveHyphenLimit")).get(w("w:val")) == "2"
    assert settings.find(w("w:doNotHyphenateCaps")) is not None
    styles = _part(data, "word/styles.xml")

    def style(style_id: str) -> Any:
        return styles.xpath(f'./w:style[@w:styleId="{style_id}"]', namespaces=NS)[0]

    assert not style("Normal").xpath("./w:pPr/w:suppressAutoHyphens", namespaces=NS)
    for style_id in ("Title", "Heading1", "Heading2", "Caption", "ListBullet"):
        assert style(style_id).xpath("./w:pPr/w:suppressAutoHyphens", namespaces=NS), style_id
    body = _part(data, "word/document.xml")
    by_text = {_paragraph_text(p): p for p in body.iter(w("w:p"))}
    texts = [
        block.text
        for block in document.blocks
        if isinstance(block, Paragraph) and block.role in ("body", "lead")
    ]
    assert len(texts) >= 10
    for text in texts:
        paragraph = by_text[text]
        assert paragraph.xpath("./w:pPr/w:jc/@w:val", namespaces=NS) == ["both"], text
    # Arabic paragraphs keep their alignment unset (a bidi paragraph flips left and right).
    arabic, arabic_data = rendered[(template_id, "ar")]
    arabic_body = _part(arabic_data, "word/document.xml")
    arabic_by_text = {_paragraph_text(p): p for p in arabic_body.iter(w("w:p"))}
    for block in arabic.blocks:
        if isinstance(block, Paragraph) and block.role == "body":
            assert not arabic_by_text[block.text].xpath("./w:pPr/w:jc", namespaces=NS)
