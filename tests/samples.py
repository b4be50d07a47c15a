"""Sample inputs for the tests: a brief with a filled-in cover as a Document, a template folder."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from briefing import edits
from briefing.document import Document, build_document
from briefing.library import Library
from briefing.model import BriefMeta, LocalText, Section
from briefing.templates import TEMPLATE_FILE, load_template


def write_template(folder: Path, text: str) -> Path:
    """Write ``text`` as folder/template.toml (making the folder) and return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TEMPLATE_FILE).write_text(text, encoding="utf-8")
    return folder


def make_document(
    library: Library,
    lang: str,
    *,
    sections: tuple[str, ...] | None = None,
    custom: Section | None = None,
    template: str = "ministry",
    digits: str = "latin",
    marking: LocalText | None = None,
) -> Document:
    """Return the library's brief (or its ``sections``, with ``custom`` added) in ``lang``
    with a dated cover naming recipient, drafter and reference."""
    brief = edits.default_brief(library)
    if custom is not None:
        brief = edits.add_custom_section(brief, library, custom)
    if sections is not None:
        brief = edits.set_sections(brief, sections)
    meta = BriefMeta(
        date=date(2025, 10, 20),
        recipient=LocalText(ar="معالي الوزير", en="The Minister"),
        drafter=LocalText(ar="إدارة آسيا", en="Asia Department"),
        reference="BR-2025/117",
        marking=marking,
    )
    brief = replace(brief, meta=meta, digits=digits)  # type: ignore[arg-type]
    return build_document(brief, library, load_template(template), lang)  # type: ignore[arg-type]
