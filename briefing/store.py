"""`.brief` project files: versioned JSON, written atomically, read with clear errors."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from briefing.atomic import write_atomic
from briefing.calendars import check_calendar, check_months
from briefing.errors import BriefingError
from briefing.model import (
    MARKING_LEVELS,
    Brief,
    BriefMeta,
    Figure,
    LocalText,
    Section,
    check_digits,
    check_id,
    check_languages,
    check_talking_points,
    level_of_marking,
    parse_decimal,
)
from briefing.textfile import read_text_file

FORMAT_NAME = "briefing.brief"
FORMAT_VERSION = 1


def _local(value: LocalText | None) -> dict[str, str] | None:
    return None if value is None else value.to_dict()


def _figure_to_json(figure: Figure) -> dict[str, Any]:
    return {
        "id": figure.id,
        "value": str(figure.value),
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "kind": figure.kind,
        "label": figure.label.to_dict(),
        "source": figure.source.to_dict(),
        "as_of": figure.as_of.isoformat() if figure.as_of else None,
        "min": None if figure.minimum is None else str(figure.minimum),
        "max": None if figure.maximum is None else str(figure.maximum),
        "note": figure.note.to_dict(),
    }


def _section_to_json(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": section.title.to_dict(),
        "body": section.body.to_dict(),
        "key_point": section.key_point.to_dict(),
        "talking_points": [p.to_dict() for p in section.talking_points],
        "charts": list(section.charts),
        "figures": [_figure_to_json(f) for f in section.figures],
    }


def _migrate_marking(marking: LocalText) -> LocalText:
    """Return a marking whose free text names one level in that level's own wording.

    Files from before levels existed hold typed text ("restricted", "Secret"): when both
    languages name the same level it becomes that level, so it prints the same everywhere.
    """
    level = level_of_marking(marking)
    return MARKING_LEVELS[level] if level is not None else marking


def brief_to_json(brief: Brief) -> dict[str, Any]:
    """Return the brief as JSON-ready data (with format name and version)."""
    meta = brief.meta
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "meta": {
            "title": meta.title.to_dict(),
            "subtitle": meta.subtitle.to_dict(),
            "recipient": meta.recipient.to_dict(),
            "drafter": meta.drafter.to_dict(),
            "date": meta.date.isoformat() if meta.date else None,
            "reference": meta.reference,
            "marking": _local(meta.marking),
            "distribution": meta.distribution.to_dict(),
        },
        "sections": list(brief.sections),
        "custom_sections": [_section_to_json(s) for s in brief.custom_sections],
        "figure_overrides": [_figure_to_json(f) for f in brief.figure_overrides],
        "languages": list(brief.languages),
        "template": brief.template,
        "digits": brief.digits,
        "calendar": brief.calendar,
        "months": brief.months,
        "talking_points": brief.talking_points,
    }


def dumps(brief: Brief) -> str:
    """Return the brief as the text of a `.brief` file."""
    return json.dumps(brief_to_json(brief), ensure_ascii=False, indent=2) + "\n"


def _user_template_text(template_id: str) -> str | None:
    """Return the template.toml of the user's own template ``template_id``, if it is one."""
    from briefing.templates import TEMPLATE_FILE, TEMPLATE_ID, user_templates_dir

    if not TEMPLATE_ID.match(template_id):
        return None
    file = user_templates_dir() / template_id / TEMPLATE_FILE
    try:
        return file.read_text(encoding="utf-8") if file.is_file() else None
    except (OSError, UnicodeDecodeError):
        return None


def save_brief(brief: Brief, path: Path) -> None:
    """Write the brief to ``path`` atomically (the old file survives any failure).

    A brief using one of the user's own templates carries that template's settings, so
    that it opens with the same look on a machine that does not have the template.
    """
    data = brief_to_json(brief)
    own = _user_template_text(brief.template)
    if own is not None:
        data["template_file"] = own
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    try:
        write_atomic(Path(path), text.encode("utf-8"))
    except OSError as exc:
        raise BriefingError(f"{path}: cannot write ({exc.strerror or exc})") from None


class _Reader:
    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, key: str, problem: str) -> BriefingError:
        return BriefingError(f"{self.where}: '{key}' {problem}")

    def obj(self, data: Any, key: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(key, "must be an object")
        return data

    def text(self, data: dict[str, Any], key: str, path: str, default: str = "") -> str:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(f"{path}{key}", "must be a string")
        return value

    def local(self, data: dict[str, Any], key: str, path: str) -> LocalText:
        value = data.get(key)
        if value is None:
            return LocalText()
        if not isinstance(value, dict):
            raise self.fail(f"{path}{key}", "must be an object with ar and en")
        return LocalText(
            ar=self.text(value, "ar", f"{path}{key}."), en=self.text(value, "en", f"{path}{key}.")
        )

    def date(self, data: dict[str, Any], key: str, path: str) -> date | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.fail(
                f"{path}{key}", f"must be a date like 2025-10-20, not {value!r}"
            ) from None

    def decimal(self, data: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        return parse_decimal(value, f"{self.where}: '{path}{key}'")

    def str_list(self, data: dict[str, Any], key: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "must be a list of strings")
        return value


def brief_from_json(data: Any, where: str) -> Brief:
    """Return a Brief from parsed `.brief` JSON, or raise naming the bad key."""
    read = _Reader(where)
    data = read.obj(data, "(top level)")
    if data.get("format") != FORMAT_NAME:
        raise BriefingError(f"{where}: not a brief file (no \"format\": \"{FORMAT_NAME}\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise read.fail("version", "must be a whole number")
    if version > FORMAT_VERSION:
        raise BriefingError(
            f"{where}: written by a newer Briefing (file version {version}, this one reads "
            f"up to {FORMAT_VERSION}); update Briefing to open it"
        )
    if version < 1:
        raise BriefingError(f"{where}: file version {version} is not supported")
    meta_data = read.obj(data.get("meta", {}), "meta")
    marking = meta_data.get("marking")
    meta = BriefMeta(
        title=read.local(meta_data, "title", "meta."),
        subtitle=read.local(meta_data, "subtitle", "meta."),
        recipient=read.local(meta_data, "recipient", "meta."),
        drafter=read.local(meta_data, "drafter", "meta."),
        date=read.date(meta_data, "date", "meta."),
        reference=read.text(meta_data, "reference", "meta."),
        marking=None if marking is None else _migrate_marking(
            read.local(meta_data, "marking", "meta.")
        ),
        distribution=read.local(meta_data, "distribution", "meta."),
    )
    customs = []
    raw_customs = data.get("custom_sections", [])
    if not isinstance(raw_customs, list):
        raise read.fail("custom_sections", "must be a list")
    for number, raw in enumerate(raw_customs, start=1):
        path = f"custom_sections[{number}]."
        raw = read.obj(raw, path[:-1])
        section_id = read.text(raw, "id", path)
        try:
            check_id("section", section_id)
        except BriefingError as exc:
            raise BriefingError(f"{where}: {exc}") from None
        points = raw.get("talking_points", [])
        if not isinstance(points, list):
            raise read.fail(f"{path}talking_points", "must be a list")
        customs.append(
            Section(
                id=section_id,
                title=read.local(raw, "title", path),
                body=read.local(raw, "body", path),
                key_point=read.local(raw, "key_point", path),
                talking_points=tuple(
                    read.local({"p": p}, "p", f"{path}talking_points.") for p in points
                ),
                charts=tuple(read.str_list(raw, "charts")),
                custom=True,
                figures=tuple(_read_figures(read, raw, "figures", path)),
            )
        )
    overrides = _read_figures(read, data, "figure_overrides")
    try:
        languages = check_languages(read.str_list(data, "languages") or ["ar"])
        digits = check_digits(read.text(data, "digits", "", "latin"))
        calendar = read.text(data, "calendar", "", "") or None
        months = read.text(data, "months", "", "") or None
        if calendar is not None:
            check_calendar(calendar)
        if months is not None:
            check_months(months)
        talking_points = read.text(data, "talking_points", "", "")
        check_talking_points(talking_points)
    except BriefingError as exc:
        raise BriefingError(f"{where}: {exc}") from None
    return Brief(
        meta=meta,
        sections=tuple(read.str_list(data, "sections")),
        custom_sections=tuple(customs),
        figure_overrides=tuple(overrides),
        languages=languages,
        template=read.text(data, "template", "", "ministry") or "ministry",
        digits=digits,
        calendar=calendar,
        months=months,
        talking_points=talking_points,
    )


def loads(text: str, where: str) -> Brief:
    """Return the brief in a `.brief` file's text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BriefingError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except (ValueError, RecursionError) as exc:
        # Integers longer than Python's digit limit, or arrays nested thousands deep.
        raise BriefingError(f"{where}: not a usable brief file ({exc})") from None
    return brief_from_json(data, where)


def load_brief(path: Path, notices: list[str] | None = None) -> Brief:
    """Read a `.brief` file, or raise naming the file and what is wrong.

    When the brief's template is missing here, the copy saved in the file is restored
    among the user's templates; failing that, the brief falls back to the template it
    was made from. Each step adds a sentence to ``notices``.
    """
    path = Path(path)
    text = read_text_file(path, str(path), "brief file")
    brief = loads(text, str(path))
    from briefing.templates import find_template_folder

    try:
        find_template_folder(brief.template)
    except BriefingError:
        saved = json.loads(text).get("template_file")
        if not isinstance(saved, str):
            return brief  # nothing to restore: exporting names the unknown template
        return _restore_template(brief, saved, path, notices)
    return brief


def _restore_template(
    brief: Brief, saved: str, path: Path, notices: list[str] | None
) -> Brief:
    import tomllib
    from dataclasses import replace

    from briefing.templates import (
        TEMPLATE_FILE,
        TEMPLATE_ID,
        find_template_folder,
        load_template_folder,
        user_templates_dir,
    )

    notes = notices if notices is not None else []
    parent = "ministry"
    if TEMPLATE_ID.match(brief.template):
        try:
            declared = tomllib.loads(saved).get("parent")
        except tomllib.TOMLDecodeError:
            declared = None
        if isinstance(declared, str):
            parent = declared
        folder = user_templates_dir() / brief.template
        try:
            folder.mkdir(parents=True, exist_ok=False)
        except OSError:
            folder = None
        if folder is not None:
            try:
                write_atomic(folder / TEMPLATE_FILE, saved.encode("utf-8"))
                load_template_folder(folder, user=True)
            except (OSError, BriefingError) as exc:
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
                notes.append(f"{path}: the saved template {brief.template!r} cannot be "
                             f"restored ({exc})")
            else:
                notes.append(f"{path}: template {brief.template!r} restored from the brief "
                             f"into {folder}")
                return brief
    try:
        find_template_folder(parent)
    except BriefingError:
        parent = "ministry"
    notes.append(f"{path}: template {brief.template!r} is not installed; using {parent!r}")
    return replace(brief, template=parent)


def _read_figures(
    read: _Reader, data: dict[str, Any], key: str, where: str = ""
) -> list[Figure]:
    """Return the figures listed under ``key`` (overrides, or a section's own figures)."""
    figures = []
    raw_figures = data.get(key, [])
    if not isinstance(raw_figures, list):
        raise read.fail(f"{where}{key}", "must be a list")
    for number, raw in enumerate(raw_figures, start=1):
        path = f"{where}{key}[{number}]."
        raw = read.obj(raw, path[:-1])
        value = read.decimal(raw, "value", path)
        if value is None:
            raise read.fail(f"{path}value", "is missing")
        figures.append(
            Figure(
                id=read.text(raw, "id", path),
                value=value,
                unit=read.text(raw, "unit", path),
                qualifier=read.text(raw, "qualifier", path),
                kind=read.text(raw, "kind", path, "quantity"),
                label=read.local(raw, "label", path),
                source=read.local(raw, "source", path),
                as_of=read.date(raw, "as_of", path),
                minimum=read.decimal(raw, "min", path),
                maximum=read.decimal(raw, "max", path),
                note=read.local(raw, "note", path),
            )
        )
    return figures
