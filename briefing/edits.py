"""Pure Brief -> Brief operations; the GUI's undo stack keeps the snapshots."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from briefing.errors import BriefingError
from briefing.library import Library, check_references
from briefing.model import (
    Brief,
    BriefMeta,
    DigitStyle,
    Figure,
    OutputLang,
    Section,
    check_digits,
    check_id,
    check_languages,
    parse_decimal,
    validate_figure,
)


def default_brief(library: Library, template: str = "ministry") -> Brief:
    """Return a new brief holding every library section in library order."""
    return Brief(meta=BriefMeta(), sections=library.section_ids(), template=template)


def set_sections(brief: Brief, section_ids: tuple[str, ...]) -> Brief:
    """Return the brief with exactly these sections, in this order."""
    return replace(brief, sections=tuple(dict.fromkeys(section_ids)))


def toggle_section(brief: Brief, section_id: str, included: bool) -> Brief:
    """Return the brief with a section added at the end or removed."""
    sections = [s for s in brief.sections if s != section_id]
    if included:
        sections.append(section_id)
    return replace(brief, sections=tuple(sections))


def move_section(brief: Brief, section_id: str, new_index: int) -> Brief:
    """Return the brief with a selected section moved to ``new_index``."""
    if section_id not in brief.sections:
        raise BriefingError(f"section {section_id!r} is not in the brief")
    sections = [s for s in brief.sections if s != section_id]
    new_index = max(0, min(new_index, len(sections)))
    sections.insert(new_index, section_id)
    return replace(brief, sections=tuple(sections))


def set_figure(brief: Brief, library: Library, figure: Figure) -> Brief:
    """Return the brief with the user's version of a library figure (validated)."""
    if figure.id not in library.figures:
        raise BriefingError(f"unknown figure {figure.id!r}")
    validate_figure(figure, library.units)
    others = tuple(f for f in brief.figure_overrides if f.id != figure.id)
    if figure == library.figures[figure.id]:
        return replace(brief, figure_overrides=others)
    return replace(brief, figure_overrides=(*others, figure))


def set_figure_value(brief: Brief, library: Library, figure_id: str, value: object) -> Brief:
    """Return the brief with a figure's value changed; ``value`` may be text."""
    current = brief.override(figure_id) or library.figures.get(figure_id)
    if current is None:
        known = ", ".join(sorted(library.figures))
        raise BriefingError(f"unknown figure {figure_id!r} (known: {known})")
    number: Decimal = parse_decimal(value, f"figure {figure_id}")
    return set_figure(brief, library, current.with_value(number))


def reset_figure(brief: Brief, figure_id: str) -> Brief:
    """Return the brief with a figure back at its library value."""
    return replace(
        brief, figure_overrides=tuple(f for f in brief.figure_overrides if f.id != figure_id)
    )


def add_custom_section(
    brief: Brief, library: Library, section: Section, index: int | None = None
) -> Brief:
    """Return the brief with a user's own section added and selected."""
    check_id("section", section.id)
    if library.section(section.id) or brief.custom(section.id):
        raise BriefingError(f"section id {section.id!r} is already used")
    if section.title.is_empty():
        raise BriefingError(f"section {section.id}: the title is empty")
    check_references(section, library.figures, library.charts, f"section {section.id}")
    section = replace(section, custom=True)
    sections = list(brief.sections)
    sections.insert(len(sections) if index is None else index, section.id)
    return replace(
        brief, custom_sections=(*brief.custom_sections, section), sections=tuple(sections)
    )


def update_custom_section(brief: Brief, library: Library, section: Section) -> Brief:
    """Return the brief with a user's section replaced by a new version (same id)."""
    if brief.custom(section.id) is None:
        raise BriefingError(f"section {section.id!r} is not one of your sections")
    if section.title.is_empty():
        raise BriefingError(f"section {section.id}: the title is empty")
    check_references(section, library.figures, library.charts, f"section {section.id}")
    section = replace(section, custom=True)
    return replace(
        brief,
        custom_sections=tuple(section if s.id == section.id else s for s in brief.custom_sections),
    )


def remove_custom_section(brief: Brief, section_id: str) -> Brief:
    """Return the brief without a user's section."""
    if brief.custom(section_id) is None:
        raise BriefingError(f"section {section_id!r} is not one of your sections")
    return replace(
        brief,
        custom_sections=tuple(s for s in brief.custom_sections if s.id != section_id),
        sections=tuple(s for s in brief.sections if s != section_id),
    )


def set_meta(brief: Brief, **changes: object) -> Brief:
    """Return the brief with metadata fields changed (title, recipient, date …)."""
    try:
        return replace(brief, meta=replace(brief.meta, **changes))  # type: ignore[arg-type]
    except TypeError as exc:
        raise BriefingError(f"unknown brief field: {exc}") from None


def set_languages(brief: Brief, languages: tuple[str, ...]) -> Brief:
    """Return the brief with new output languages."""
    langs: tuple[OutputLang, ...] = check_languages(languages)
    return replace(brief, languages=langs)


def set_digits(brief: Brief, digits: str) -> Brief:
    """Return the brief with a digit style (latin or arabic)."""
    style: DigitStyle = check_digits(digits)
    return replace(brief, digits=style)


def set_template(brief: Brief, template_id: str) -> Brief:
    """Return the brief using another template (checked when exporting)."""
    if not template_id:
        raise BriefingError("template id is empty")
    return replace(brief, template=template_id)
