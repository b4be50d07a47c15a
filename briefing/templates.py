"""Load and validate templates: templates/<id>/template.toml, inheritance, user folder."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError
from briefing.fonts import BUNDLED_FAMILIES, FontFace, bundled_face
from briefing.model import LocalText
from briefing.resources import as_path, templates_root
from briefing.tomlio import Table, read_toml

BLOCKS = ("cover", "key_points", "key_figures", "sections", "talking_points", "sources")
COVER_STYLES = ("memo", "title", "none")
COVER_FIELDS = ("recipient", "drafter", "subject", "date", "reference")
HEADER_FIELDS = ("title", "date", "page", "pages", "marking", "reference")
PAGE_SIZES = ("A4", "Letter")
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
COLOUR_KEYS = (
    "primary", "accent", "text", "muted", "rule", "table_header", "table_header_text",
    "table_stripe", "box", "marking",
)

SCHEMA: dict[str, set[str]] = {
    "": {"name", "description", "parent", "page", "fonts", "colours", "marking", "header",
         "footer", "cover", "layout", "assets"},
    "page": {"size", "margin_top_mm", "margin_bottom_mm", "margin_left_mm", "margin_right_mm"},
    "fonts": {"arabic", "arabic_bold", "latin", "latin_bold", "size_body", "size_heading",
              "size_title", "line_spacing"},
    "colours": set(COLOUR_KEYS) | {"chart"},
    "marking": {"ar", "en"},
    "header": {"ar", "en"},
    "footer": {"ar", "en"},
    "cover": {"style", "fields"},
    "layout": {"blocks", "numbered_headings", "charts"},
    "assets": {"letterhead", "logo"},
}


@dataclass(frozen=True)
class PageSetup:
    """Paper size and margins in millimetres."""

    size: str = "A4"
    margin_top_mm: Decimal = Decimal(22)
    margin_bottom_mm: Decimal = Decimal(22)
    margin_left_mm: Decimal = Decimal(20)
    margin_right_mm: Decimal = Decimal(20)


@dataclass(frozen=True)
class Typography:
    """Fonts for Arabic and Latin script and the type scale in points."""

    arabic: FontFace
    latin: FontFace
    size_body: Decimal = Decimal("11")
    size_heading: Decimal = Decimal("14")
    size_title: Decimal = Decimal("20")
    line_spacing: Decimal = Decimal("1.45")


@dataclass(frozen=True)
class Template:
    """A brief's look: page, fonts, colours, marking, header/footer, cover and block order."""

    id: str
    name: LocalText
    folder: Path
    page: PageSetup
    fonts: Typography
    colours: dict[str, str] = field(hash=False)
    chart_palette: tuple[str, ...]
    marking: LocalText
    header: LocalText
    footer: LocalText
    cover_style: str
    cover_fields: tuple[str, ...]
    blocks: tuple[str, ...]
    numbered_headings: bool
    charts: bool
    letterhead: Path | None = None
    logo: Path | None = None
    description: LocalText = field(default_factory=LocalText)
    user: bool = False


def merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` updated by ``child``, tables merged key by key."""
    result = dict(base)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def user_templates_dir() -> Path:
    """Return the folder where a user's own templates live."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("Briefing", "Briefing")) / "templates"


def _shipped_folder(template_id: str) -> Path | None:
    folder = as_path(templates_root() / template_id)
    return folder if (folder / "template.toml").is_file() else None


def find_template_folder(id_or_dir: str) -> Path:
    """Return the folder of a template given by id (shipped or user) or by path."""
    path = Path(id_or_dir)
    if path.is_dir() or "/" in id_or_dir or "\\" in id_or_dir or id_or_dir.startswith("."):
        if not path.is_dir():
            raise BriefingError(f"template folder {id_or_dir} does not exist")
        if not (path / "template.toml").is_file():
            raise BriefingError(f"template folder {id_or_dir} has no template.toml")
        return path.resolve()
    user = user_templates_dir() / id_or_dir
    if (user / "template.toml").is_file():
        return user
    shipped = _shipped_folder(id_or_dir)
    if shipped is not None:
        return shipped
    known = ", ".join(t["id"] for t in list_templates())
    raise BriefingError(f"unknown template {id_or_dir!r} (known: {known})")


def _read_chain(folder: Path, seen: tuple[Path, ...] = ()) -> list[tuple[Path, dict[str, Any]]]:
    """Return [(folder, data)] from the root ancestor down to ``folder``."""
    if folder in seen:
        raise BriefingError(f"{folder / 'template.toml'}: parent templates form a loop")
    data = read_toml(folder / "template.toml")
    _check_keys(data, folder / "template.toml")
    parent = data.get("parent")
    if parent is None:
        return [(folder, data)]
    if not isinstance(parent, str) or not parent:
        raise BriefingError(f"{folder / 'template.toml'}: key 'parent' must be a template id")
    parent_folder = (
        _shipped_folder(parent) if parent != folder.name else None
    ) or find_template_folder(parent)
    return [*_read_chain(parent_folder, (*seen, folder)), (folder, data)]


def _check_keys(data: dict[str, Any], where: Path) -> None:
    for key, value in data.items():
        if key not in SCHEMA[""]:
            raise BriefingError(f"{where}: unknown key '{key}'")
        if key in SCHEMA and key != "":
            if not isinstance(value, dict):
                raise BriefingError(f"{where}: key '{key}' must be a table")
            for sub in value:
                if sub not in SCHEMA[key]:
                    raise BriefingError(f"{where}: unknown key '{key}.{sub}'")


def _asset(folder_of: dict[str, Path], key: str, value: Any, where: Path) -> Path:
    """Return an asset path inside the folder of the template that named it."""
    if not isinstance(value, str) or not value:
        raise BriefingError(f"{where}: key '{key}' must be a file name")
    folder = folder_of[key]
    candidate = (folder / value).resolve()
    if not candidate.is_relative_to(folder.resolve()):
        raise BriefingError(f"{where}: key '{key}' = {value!r} leaves the template's folder")
    if not candidate.is_file():
        raise BriefingError(f"{where}: key '{key}' names a missing file {value!r}")
    return candidate


def _font(
    folder_of: dict[str, Path], data: dict[str, Any], key: str, where: Path
) -> FontFace:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise BriefingError(f"{where}: key 'fonts.{key}' must be a font family or file")
    if value in BUNDLED_FAMILIES:
        return bundled_face(value)
    if not value.lower().endswith((".ttf", ".otf")):
        raise BriefingError(
            f"{where}: key 'fonts.{key}' = {value!r} is not a bundled family "
            f"({', '.join(BUNDLED_FAMILIES)}) nor a .ttf file"
        )
    regular = _asset(folder_of, f"fonts.{key}", value, where)
    bold_value = data.get(f"{key}_bold")
    bold = _asset(folder_of, f"fonts.{key}_bold", bold_value, where) if bold_value else regular
    return FontFace(family=regular.stem, regular=regular, bold=bold)


def load_template_folder(folder: Path, user: bool = False) -> Template:
    """Return the template in ``folder``, merged over its parents and validated."""
    chain = _read_chain(folder)
    merged: dict[str, Any] = {}
    folder_of: dict[str, Path] = {}
    for chain_folder, data in chain:
        merged = merge(merged, data)
        for table in ("fonts", "assets"):
            for key in data.get(table, {}):
                folder_of[f"{table}.{key}"] = chain_folder
    where = folder / "template.toml"
    top = Table(merged, str(where))
    page = top.table("page")
    fonts = top.table("fonts")
    colours_table = top.table("colours")
    colours: dict[str, str] = {}
    for key in COLOUR_KEYS:
        value = colours_table.str(key, "")
        if not COLOUR.match(value):
            raise BriefingError(f"{where}: key 'colours.{key}' = {value!r} is not a colour #RRGGBB")
        colours[key] = value.upper()
    palette = colours_table.raw("chart", [])
    if not isinstance(palette, list) or not palette:
        raise BriefingError(f"{where}: key 'colours.chart' must be a list of colours")
    for value in palette:
        if not isinstance(value, str) or not COLOUR.match(value):
            raise BriefingError(f"{where}: key 'colours.chart' has a bad colour {value!r}")
    size = page.str("size", "A4")
    if size not in PAGE_SIZES:
        raise BriefingError(f"{where}: key 'page.size' = {size!r} (use {', '.join(PAGE_SIZES)})")
    margins = {}
    for key in ("margin_top_mm", "margin_bottom_mm", "margin_left_mm", "margin_right_mm"):
        value = page.decimal(key, Decimal(20))
        if not Decimal(5) <= value <= Decimal(60):
            raise BriefingError(f"{where}: key 'page.{key}' = {value} must be 5 to 60 mm")
        margins[key] = value
    sizes = {}
    for key, low, high in (("size_body", 7, 16), ("size_heading", 9, 28), ("size_title", 12, 40)):
        value = fonts.decimal(key, None)
        if value is None:
            raise BriefingError(f"{where}: key 'fonts.{key}' is missing")
        if not Decimal(low) <= value <= Decimal(high):
            raise BriefingError(f"{where}: key 'fonts.{key}' = {value} must be {low} to {high} pt")
        sizes[key] = value
    spacing = fonts.decimal("line_spacing", Decimal("1.45"))
    if not Decimal("1.0") <= spacing <= Decimal("2.5"):
        raise BriefingError(f"{where}: key 'fonts.line_spacing' = {spacing} must be 1.0 to 2.5")
    cover = top.table("cover")
    style = cover.str("style", "title")
    if style not in COVER_STYLES:
        raise BriefingError(f"{where}: key 'cover.style' = {style!r} (use {', '.join(COVER_STYLES)})")
    cover_fields = cover.str_list("fields")
    for value in cover_fields:
        if value not in COVER_FIELDS:
            raise BriefingError(f"{where}: key 'cover.fields' has unknown field {value!r}")
    layout = top.table("layout")
    blocks = layout.str_list("blocks") or BLOCKS
    for value in blocks:
        if value not in BLOCKS:
            raise BriefingError(
                f"{where}: key 'layout.blocks' has unknown block {value!r} (use {', '.join(BLOCKS)})"
            )
    for key in ("header", "footer"):
        for lang, text in top.table(key).data.items():
            for name in re.findall(r"\{([^{}]*)\}", text if isinstance(text, str) else ""):
                if name not in HEADER_FIELDS:
                    raise BriefingError(
                        f"{where}: key '{key}.{lang}' has unknown field {{{name}}} "
                        f"(use {', '.join('{' + f + '}' for f in HEADER_FIELDS)})"
                    )
    assets = top.table("assets")
    letterhead = (
        _asset(folder_of, "assets.letterhead", assets.raw("letterhead"), where)
        if assets.raw("letterhead")
        else None
    )
    if letterhead is not None and letterhead.suffix.lower() != ".docx":
        raise BriefingError(f"{where}: key 'assets.letterhead' must be a .docx file")
    logo = _asset(folder_of, "assets.logo", assets.raw("logo"), where) if assets.raw("logo") else None
    if logo is not None and logo.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise BriefingError(f"{where}: key 'assets.logo' must be a PNG or JPEG file")
    return Template(
        id=folder.name,
        name=top.local("name", required=True),
        description=top.local("description"),
        folder=folder,
        page=PageSetup(size=size, **margins),
        fonts=Typography(
            arabic=_font(folder_of, fonts.data, "arabic", where),
            latin=_font(folder_of, fonts.data, "latin", where),
            line_spacing=spacing,
            **sizes,
        ),
        colours=colours,
        chart_palette=tuple(v.upper() for v in palette),
        marking=top.local("marking"),
        header=top.local("header"),
        footer=top.local("footer"),
        cover_style=style,
        cover_fields=cover_fields,
        blocks=blocks,
        numbered_headings=layout.bool("numbered_headings", False),
        charts=layout.bool("charts", True),
        letterhead=letterhead,
        logo=logo,
        user=user,
    )


@cache
def _load_cached(folder: Path, mtime: float, user: bool) -> Template:
    return load_template_folder(folder, user)


def load_template(id_or_dir: str) -> Template:
    """Return the template named by id (user templates first) or by folder path."""
    folder = find_template_folder(id_or_dir)
    mtime = (folder / "template.toml").stat().st_mtime
    return _load_cached(folder, mtime, folder.parent == user_templates_dir())


def list_templates() -> list[dict[str, str]]:
    """Return ``[{id, name, path}]`` for shipped templates and then the user's own."""
    found: list[dict[str, str]] = []
    shipped_root = as_path(templates_root())
    roots = [(shipped_root, "shipped"), (user_templates_dir(), "user")]
    for root, origin in roots:
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if not (folder / "template.toml").is_file():
                continue
            try:
                name = load_template_folder(folder, origin == "user").name.en
            except BriefingError as exc:
                name = f"(invalid: {exc})"
            found.append({"id": folder.name, "name": name, "path": str(folder), "origin": origin})
    return found
