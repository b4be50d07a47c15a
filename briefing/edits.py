"""Pure Brief -> Brief operations; the GUI's undo stack keeps the snapshots."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from briefing.errors import BriefingError
from briefing.library import Library, check_references, with_section_figures
from briefing.model import (
    Brief,
    BriefMeta,
    DigitStyle,
    Figure,
    LocalText,
    OutputLang,
    Section,
    check_digits,
    check_id,
    check_languages,
    parse_decimal,
    relation_problems,
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
    library = with_section_figures(library, brief.custom_sections)
    if figure.id not in library.figures:
        raise BriefingError(f"unknown figure {figure.id!r}")
    validate_figure(figure, library.units)
    others = tuple(f for f in brief.figure_overrides if f.id != figure.id)
    if figure == library.figures[figure.id]:
        return replace(brief, figure_overrides=others)
    return replace(brief, figure_overrides=(*others, figure))


def set_figure_value(brief: Brief, library: Library, figure_id: str, value: object) -> Brief:
    """Return the brief with a figure's value changed; ``value`` may be text."""
    library = with_section_figures(library, brief.custom_sections)
    current = brief.override(figure_id) or library.figures.get(figure_id)
    if current is None:
        known = ", ".join(sorted(library.figures))
        raise BriefingError(f"unknown figure {figure_id!r} (known: {known})")
    number: Decimal = parse_decimal(value, f"figure {figure_id}")
    changed = set_figure(brief, library, current.with_value(number))
    check_figure_relations(changed, library, figure_id)
    return changed


def check_figure_relations(brief: Brief, library: Library, figure_id: str | None = None) -> None:
    """Raise naming both figures when a value breaks a relation the library declares."""
    figures = {f_id: brief.override(f_id) or f for f_id, f in library.figures.items()}
    problems = relation_problems(figures, library.figures, library.units, only=figure_id)
    if problems:
        raise BriefingError(problems[0])


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
    _check_section_figures(brief, library, section)
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
    _check_section_figures(brief, library, section)
    section = replace(section, custom=True)
    return replace(
        brief,
        custom_sections=tuple(section if s.id == section.id else s for s in brief.custom_sections),
    )


def _check_section_figures(brief: Brief, library: Library, section: Section) -> None:
    """Raise if a section's own figures clash with others' or its placeholders are unknown."""
    where = f"section {section.id}"
    others = [s for s in brief.custom_sections if s.id != section.id]
    taken = {figure.id: other.id for other in others for figure in other.figures}
    for figure in section.figures:
        if figure.id in library.figures:
            raise BriefingError(f"{where}: figure id {figure.id!r} is already a library figure")
        if figure.id in taken:
            raise BriefingError(
                f"{where}: figure id {figure.id!r} is already used by section {taken[figure.id]}"
            )
        validate_figure(figure, library.units)
    known = with_section_figures(library, (*others, section)).figures
    check_references(section, known, library.charts, where)


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


FIGURE_FIELDS = ("value", "unit", "qualifier", "as_of", "label_ar", "label_en", "source_ar",
                 "source_en")


def set_figure_field(
    brief: Brief, library: Library, figure_id: str, field_name: str, value: str
) -> Brief:
    """Return the brief with one field of a figure changed from text (as typed in a table).

    ``field_name`` is one of FIGURE_FIELDS; a unit may only change to one of the same
    dimension, so that the charts that plot the figure keep their scale.
    """
    library = with_section_figures(library, brief.custom_sections)
    current = brief.override(figure_id) or library.figures.get(figure_id)
    if current is None:
        raise BriefingError(f"unknown figure {figure_id!r}")
    text = value.strip() if isinstance(value, str) else value
    if field_name == "value":
        return set_figure_value(brief, library, figure_id, text)
    if field_name == "unit":
        unit = library.units.get(str(text))
        if unit is None:
            raise BriefingError(f"figure {figure_id}: unknown unit {text!r}")
        old = library.units[library.figures[figure_id].unit]
        if unit.dimension != old.dimension:
            raise BriefingError(
                f"figure {figure_id}: unit {unit.id!r} measures {unit.dimension}, "
                f"not {old.dimension}"
            )
        changed = replace(current, unit=unit.id)
    elif field_name == "qualifier":
        changed = replace(current, qualifier=str(text))
    elif field_name == "as_of":
        changed = replace(current, as_of=parse_date(str(text), f"figure {figure_id}: as-of"))
    elif field_name in ("label_ar", "label_en", "source_ar", "source_en"):
        attribute, lang = field_name.split("_")
        local = getattr(current, attribute)
        changed = replace(current, **{attribute: replace(local, **{lang: str(value)})})
    else:
        raise BriefingError(f"figure {figure_id}: unknown field {field_name!r}")
    return set_figure(brief, library, changed)


def parse_date(text: str, what: str) -> date | None:
    """Return an ISO date (2025-10-20) from ``text``, None when empty, or raise naming ``what``."""
    cleaned = text.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        raise BriefingError(f"{what}: {text!r} is not a date like 2025-10-20") from None


META_TEXT_FIELDS = ("title", "subtitle", "recipient", "drafter", "marking")


def set_meta_text(brief: Brief, field_name: str, lang: str, text: str) -> Brief:
    """Return the brief with one language of a bilingual metadata field (title …) changed.

    Typing a marking replaces the template's marking with the brief's own.
    """
    if field_name not in META_TEXT_FIELDS:
        raise BriefingError(f"unknown brief field {field_name!r}")
    if lang not in ("ar", "en"):
        raise BriefingError(f"unknown language {lang!r} (use ar or en)")
    current = getattr(brief.meta, field_name) or LocalText()
    return set_meta(brief, **{field_name: replace(current, **{lang: text})})
