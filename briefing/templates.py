"""Load, validate, list, copy and save templates: templates/<id>/template.toml with inheritance."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from briefing.atomic import write_atomic
from briefing.calendars import CALENDARS, MONTH_STYLES, Calendar, MonthStyle
from briefing.errors import BriefingError
from briefing.fonts import BUNDLED_FAMILIES, FontFace, bundled_face
from briefing.model import MARKING_LEVELS, LocalText, check_marking
from briefing.resources import as_path, templates_root
from briefing.textfile import read_text_file

TEMPLATE_FILE = "template.toml"
# Tests and portable set-ups point this at another folder of user templates.
USER_TEMPLATES_ENV = "BRIEFING_USER_TEMPLATES"

BLOCKS = ("cover", "key_points", "key_figures", "sections", "talking_points", "sources")
COVER_STYLES = ("memo", "title", "none")
COVER_FIELDS = ("recipient", "drafter", "subject", "date", "reference")
HEADER_FIELDS = ("title", "date", "page", "pages", "marking", "reference")
PAGE_SIZES = ("A4", "Letter")
COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
COLOUR_KEYS = (
    "primary",
    "accent",
    "text",
    "muted",
    "rule",
    "table_header",
    "table_header_text",
    "table_stripe",
    "box",
    "marking",
)
MARGIN_KEYS = ("margin_top_mm", "margin_bottom_mm", "margin_left_mm", "margin_right_mm")
TEMPLATE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MAX_PARENTS = 16
MAX_ASSET_BYTES = 20 * 1024 * 1024

# Tables whose keys are the two languages; a plain string gives both languages the same text.
LOCAL_KEYS = ("name", "description", "marking", "header", "footer", "authority")
TABLES = (
    "page",
    "fonts",
    "colours",
    "marking",
    "header",
    "footer",
    "authority",
    "cover",
    "layout",
    "dates",
    "assets",
)
TOP_KEYS = ("name", "description", "parent", *TABLES)


@dataclass(frozen=True)
class Rule:
    """How one key of template.toml is checked: its kind and the limits of its value."""

    kind: str
    choices: tuple[str, ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None
    script: str = ""
    suffixes: tuple[str, ...] = ()


def _number(low: int | str, high: int | str) -> Rule:
    return Rule("number", low=Decimal(low), high=Decimal(high))


# The whole schema in one place: every allowed key (dotted) and its rule.
RULES: dict[str, Rule] = {
    "name.ar": Rule("line"),
    "name.en": Rule("line"),
    "description.ar": Rule("text"),
    "description.en": Rule("text"),
    "parent": Rule("id"),
    "page.size": Rule("choice", PAGE_SIZES),
    **{f"page.{key}": _number(5, 60) for key in MARGIN_KEYS},
    "fonts.arabic": Rule("font", script="arabic"),
    "fonts.arabic_bold": Rule("font_file", script="arabic"),
    "fonts.latin": Rule("font", script="latin"),
    "fonts.latin_bold": Rule("font_file", script="latin"),
    "fonts.size_body": _number(7, 16),
    "fonts.size_heading": _number(9, 28),
    "fonts.size_title": _number(12, 40),
    "fonts.line_spacing": _number("1.0", "2.5"),
    **{f"colours.{key}": Rule("colour") for key in COLOUR_KEYS},
    "colours.chart": Rule("colours"),
    "marking.ar": Rule("line"),
    "marking.en": Rule("line"),
    "marking.level": Rule("choice", ("", *MARKING_LEVELS)),
    "header.ar": Rule("fields"),
    "header.en": Rule("fields"),
    "footer.ar": Rule("fields"),
    "footer.en": Rule("fields"),
    # The issuing authority (ministry, department) printed at the head of the cover.
    "authority.ar": Rule("text"),
    "authority.en": Rule("text"),
    "cover.style": Rule("choice", COVER_STYLES),
    "cover.fields": Rule("choices", COVER_FIELDS),
    "layout.blocks": Rule("choices", BLOCKS),
    "layout.numbered_headings": Rule("bool"),
    "layout.charts": Rule("bool"),
    "dates.calendar": Rule("choice", CALENDARS),
    "dates.months": Rule("choice", MONTH_STYLES),
    "assets.letterhead": Rule("file", suffixes=(".docx",)),
    "assets.logo": Rule("file", suffixes=(".png", ".jpg", ".jpeg")),
}

SCHEMA: dict[str, set[str]] = {"": set(TOP_KEYS)} | {
    table: {key.split(".", 1)[1] for key in RULES if key.startswith(f"{table}.")}
    for table in (*TABLES, "name", "description")
}

# What a template gets for every key that neither it nor its parents set.
DEFAULTS: dict[str, Any] = {
    "page.size": "A4",
    "page.margin_top_mm": Decimal(22),
    "page.margin_bottom_mm": Decimal(22),
    "page.margin_left_mm": Decimal(20),
    "page.margin_right_mm": Decimal(20),
    "fonts.size_body": Decimal(11),
    "fonts.size_heading": Decimal(14),
    "fonts.size_title": Decimal(20),
    "fonts.line_spacing": Decimal("1.45"),
    "colours.primary": "#1F3A5F",
    "colours.accent": "#A67C2E",
    "colours.text": "#1E1E1E",
    "colours.muted": "#5F6B7A",
    "colours.rule": "#C9CED6",
    "colours.table_header": "#1F3A5F",
    "colours.table_header_text": "#FFFFFF",
    "colours.table_stripe": "#F1F4F8",
    "colours.box": "#EEF2F7",
    "colours.marking": "#B22222",
    "colours.chart": ("#1F3A5F", "#A67C2E", "#7A9CC6", "#5B8C5A", "#B22222"),
    "marking.ar": "",
    "marking.en": "",
    "marking.level": "",
    "header.ar": "{title}",
    "header.en": "{title}",
    "footer.ar": "صفحة {page} من {pages}",
    "footer.en": "Page {page} of {pages}",
    "authority.ar": "",
    "authority.en": "",
    "cover.style": "title",
    "cover.fields": ("date", "reference"),
    "layout.blocks": BLOCKS,
    "layout.numbered_headings": False,
    "layout.charts": True,
    "dates.calendar": "gregorian",
    "dates.months": "egyptian",
    "assets.letterhead": None,
    "assets.logo": None,
    "description.ar": "",
    "description.en": "",
}
DEFAULT_FONTS = {"fonts.arabic": "Amiri", "fonts.latin": "Noto Serif"}


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
    """A brief's look: page, fonts, colours, marking, header/footer, cover and block order.

    ``header`` and ``footer`` hold text whose only ``{…}`` markers are known fields
    (HEADER_FIELDS); a literal brace written ``{{`` or ``}}`` in template.toml is already a
    single brace here. ``marking`` is printed as it is. ``files`` lists the template.toml of
    every ancestor first and of this template last.
    """

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
    calendar: Calendar = "gregorian"  # dates: gregorian, hijri (Umm al-Qura) or both
    months: MonthStyle = "egyptian"  # Arabic Gregorian months: egyptian, levantine or both
    logo: Path | None = None
    authority: LocalText = field(default_factory=LocalText)
    description: LocalText = field(default_factory=LocalText)
    user: bool = False
    parent: str | None = None
    files: tuple[Path, ...] = ()


# -- where things are ---------------------------------------------------------------------------


def user_templates_dir() -> Path:
    """Return the folder where a user's own templates live."""
    override = os.environ.get(USER_TEMPLATES_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("Briefing", "Briefing")) / "templates"


def _shipped_root() -> Path:
    return as_path(templates_root())


def _is_template(folder: Path) -> bool:
    return (folder / TEMPLATE_FILE).is_file()


def _known_ids() -> list[str]:
    ids: list[str] = []
    for root in (_shipped_root(), user_templates_dir()):
        if root.is_dir():
            ids += [f.name for f in sorted(root.iterdir()) if _visible(f) and _is_template(f)]
    return list(dict.fromkeys(ids))


def _visible(folder: Path) -> bool:
    # Saving stages a new template in a hidden folder beside the others.
    return not folder.name.startswith(".")


def find_template_folder(id_or_dir: str) -> Path:
    """Return the folder of a template given by id (user templates first) or by path."""
    path = Path(id_or_dir).expanduser()
    if path.is_dir() or "/" in id_or_dir or "\\" in id_or_dir or id_or_dir.startswith("."):
        if not path.is_dir():
            raise BriefingError(f"template folder {id_or_dir} does not exist")
        if not _is_template(path):
            raise BriefingError(f"template folder {id_or_dir} has no {TEMPLATE_FILE}")
        return path.resolve()
    user = user_templates_dir() / id_or_dir
    if _is_template(user):
        return user.resolve()
    shipped = _shipped_root() / id_or_dir
    if TEMPLATE_ID.match(id_or_dir) and _is_template(shipped):
        return shipped.resolve()
    raise BriefingError(f"unknown template {id_or_dir!r} (known: {', '.join(_known_ids())})")


def _parent_folder(parent: str, child: Path, child_id: str) -> Path | None:
    """Return the folder of ``parent`` as seen from the template in ``child``.

    A template's siblings come first, then the user's templates, then the shipped ones. A
    template may name its own id as parent (a user's "ministry" built on the shipped one):
    the folder that holds the child itself is then skipped.
    """
    candidates = [child.parent, user_templates_dir(), _shipped_root()]
    for root in dict.fromkeys(c.resolve() for c in candidates):
        if parent == child_id and root == child.parent.resolve():
            continue
        folder = (root / parent).resolve()
        if folder != child.resolve() and _is_template(folder):
            return folder
    return None


# -- reading one template.toml ------------------------------------------------------------------


class _Locator:
    """Name a key of one template.toml in errors, with its line when it can be found."""

    def __init__(self, file: Path | str, text: str = "") -> None:
        self.file = file
        self.lines = text.splitlines()

    def line_of(self, dotted: str) -> int | None:
        """Return the 1-based line that sets ``dotted`` (e.g. colours.primary), if found."""
        table, _, key = dotted.rpartition(".")
        current = ""
        for number, raw in enumerate(self.lines, start=1):
            line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
            header = re.match(r"^\[\s*([A-Za-z0-9_.\-\s]+?)\s*\]$", line)
            if header:
                current = header.group(1).replace(" ", "")
                continue
            name = re.match(r"^([A-Za-z0-9_.\-\s\"']+?)\s*=", line)
            if not name:
                continue
            left = name.group(1).replace(" ", "").replace('"', "").replace("'", "")
            full = f"{current}.{left}" if current else left
            if full == dotted or (table and full == table and "{" in line):
                return number
            if not table and current == "" and left == key:
                return number
        return None

    def error(self, dotted: str, problem: str) -> BriefingError:
        """Return the error for key ``dotted``: 'file line N: key 'x' problem'."""
        number = self.line_of(dotted)
        where = f"{self.file} line {number}" if number else f"{self.file}"
        return BriefingError(f"{where}: key '{dotted}' {problem}")


@dataclass
class _Layer:
    """One template.toml: its folder, its raw keys and their checked values."""

    folder: Path
    file: Path
    locator: _Locator
    raw: dict[str, Any]
    values: dict[str, Any]


def _read_text(file: Path) -> str:
    return read_text_file(file, str(file), "TOML file")


def _flatten(data: dict[str, Any], locator: _Locator) -> dict[str, Any]:
    """Return the keys of a parsed template.toml as ``{dotted key: raw value}``."""
    flat: dict[str, Any] = {}
    known_top = ", ".join(TOP_KEYS)
    for key, value in data.items():
        if key not in TOP_KEYS:
            raise locator.error(key, f"is not a template key (known: {known_top})")
        if key in LOCAL_KEYS and isinstance(value, str):
            value = {"ar": value, "en": value}
        if key in SCHEMA and key != "parent":
            if not isinstance(value, dict):
                kind = "a table with ar and en" if key in LOCAL_KEYS else "a table"
                raise locator.error(key, f"must be {kind}, not {_kind(value)}")
            for sub, sub_value in value.items():
                dotted = f"{key}.{sub}"
                if dotted not in RULES:
                    known = ", ".join(sorted(SCHEMA[key]))
                    raise locator.error(dotted, f"is not known here (known in [{key}]: {known})")
                flat[dotted] = sub_value
        else:
            flat[key] = value
    return flat


def _read_layer(folder: Path) -> _Layer:
    file = folder / TEMPLATE_FILE
    text = _read_text(file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BriefingError(f"{file}: invalid TOML: {exc}") from None
    locator = _Locator(file, text)
    raw = _flatten(data, locator)
    values = {key: _check(RULES[key], value, key, locator, folder) for key, value in raw.items()}
    return _Layer(folder=folder, file=file, locator=locator, raw=raw, values=values)


# -- checking one value -------------------------------------------------------------------------


def _kind(value: Any) -> str:
    names = {
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def parse_fields(text: str) -> list[tuple[str, str]]:
    """Return header/footer text as parts ``("text", s)`` and ``("field", name)``.

    ``{name}`` is a field; ``{{`` and ``}}`` stand for one literal brace. Raise ValueError
    naming the column of a lone brace or of a field that is never closed.
    """
    parts: list[tuple[str, str]] = []
    literal: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        pair = text[index : index + 2]
        if pair in ("{{", "}}"):
            literal.append(char)
            index += 2
            continue
        if char == "}":
            raise ValueError(f"has a lone '}}' at column {index + 1} (write }}}} for a brace)")
        if char == "{":
            end = text.find("}", index)
            name = text[index + 1 : end] if end != -1 else ""
            if end == -1 or "{" in name:
                raise ValueError(f"has a lone '{{' at column {index + 1} (write {{{{ for a brace)")
            if literal:
                parts.append(("text", "".join(literal)))
                literal = []
            parts.append(("field", name))
            index = end + 1
            continue
        literal.append(char)
        index += 1
    if literal:
        parts.append(("text", "".join(literal)))
    return parts


def _check_fields(text: str) -> str:
    """Return header/footer text with literal braces unescaped, or raise ValueError."""
    result: list[str] = []
    for kind, value in parse_fields(text):
        if kind == "field" and value not in HEADER_FIELDS:
            known = ", ".join("{" + name + "}" for name in HEADER_FIELDS)
            raise ValueError(f"has unknown field {{{value}}} (known: {known})")
        if kind == "text" and re.search(r"\{(" + "|".join(HEADER_FIELDS) + r")\}", value):
            # Once unescaped, "{{page}}" would read as the page field itself.
            raise ValueError("prints a field name in braces literally, which is not supported")
        result.append("{" + value + "}" if kind == "field" else value)
    return "".join(result)


def _check(rule: Rule, value: Any, key: str, locator: _Locator, folder: Path) -> Any:
    """Return ``value`` checked against ``rule`` (numbers as Decimal, files as paths)."""

    def fail(problem: str) -> BriefingError:
        return locator.error(key, problem)

    kind = rule.kind
    textual = ("line", "text", "fields", "id", "choice", "colour", "font", "font_file", "file")
    if kind in textual and not isinstance(value, str):
        raise fail(f"must be a string, not {_kind(value)} ({value!r})")
    if kind in ("line", "fields"):
        if re.search(r"[\x00-\x1f\x7f]", value):
            raise fail("must be one line of text (no line breaks or control characters)")
        if len(value) > 200:
            raise fail(f"is {len(value)} characters long (at most 200)")
    if kind == "text":
        if "\x00" in value or len(value) > 1000:
            raise fail("must be text of at most 1000 characters")
        return value
    if kind == "line":
        return value
    if kind == "fields":
        try:
            return _check_fields(value)
        except ValueError as exc:
            raise fail(f"= {value!r} {exc}") from None
    if kind == "id":
        if not TEMPLATE_ID.match(value):
            raise fail(f"= {value!r} must be a template id (letters, digits, - and _)")
        return value
    if kind == "choice":
        if value not in rule.choices:
            raise fail(f"= {value!r} (use one of {', '.join(rule.choices)})")
        return value
    if kind == "choices":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"must be a list of strings, not {_kind(value)}")
        for item in value:
            if item not in rule.choices:
                raise fail(f"has unknown item {item!r} (use {', '.join(rule.choices)})")
        repeated = [item for item in dict.fromkeys(value) if value.count(item) > 1]
        if repeated:
            raise fail(f"names {repeated[0]!r} twice")
        if key == "layout.blocks" and "sections" not in value:
            raise fail("must include 'sections' (the brief's text)")
        return tuple(value)
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail(f"must be a number, not {_kind(value)} ({value!r})")
        number = Decimal(str(value))
        assert rule.low is not None and rule.high is not None
        if not number.is_finite() or not rule.low <= number <= rule.high:
            raise fail(f"= {value} must be from {rule.low} to {rule.high}")
        return number
    if kind == "bool":
        if not isinstance(value, bool):
            raise fail(f"must be true or false, not {value!r}")
        return value
    if kind == "colour":
        if not COLOUR.match(value):
            raise fail(f"= {value!r} is not a colour like #1F3A5F")
        return value.upper()
    if kind == "colours":
        if not isinstance(value, list) or not 1 <= len(value) <= 12:
            raise fail('must be a list of 1 to 12 colours like ["#1F3A5F", "#A67C2E"]')
        for item in value:
            if not isinstance(item, str) or not COLOUR.match(item):
                raise fail(f"has {item!r}, which is not a colour like #1F3A5F")
        return tuple(item.upper() for item in value)
    if kind == "font":
        if value in BUNDLED_FAMILIES:
            face = bundled_face(value)
            _check_font_file(face.regular, rule.script, fail, shown=value, named=False)
            return face
        if not value.lower().endswith(".ttf"):
            bundled = ", ".join(BUNDLED_FAMILIES)
            raise fail(f"= {value!r} is neither a bundled family ({bundled}) nor a .ttf file")
        path = _inside(folder, value, fail)
        family = _check_font_file(path, rule.script, fail)
        return FontFace(family=family, regular=path, bold=path)
    if kind == "font_file":
        if not value.lower().endswith(".ttf"):
            raise fail(f"= {value!r} must be a .ttf file in the template folder")
        path = _inside(folder, value, fail)
        _check_font_file(path, rule.script, fail, named=False)
        return path
    if kind == "file":
        if value == "":
            return None  # an empty name switches off an asset a parent set
        if not value.lower().endswith(rule.suffixes):
            raise fail(f"= {value!r} must be a {' or '.join(rule.suffixes)} file")
        path = _inside(folder, value, fail)
        _check_asset(path, fail)
        return path
    raise AssertionError(f"rule kind {kind!r} has no check")


def _inside(folder: Path, value: str, fail: Callable[[str], BriefingError]) -> Path:
    """Return the file ``value`` names inside ``folder``, refusing any way out of it."""
    if value.startswith(("/", "\\", "~")) or PureWindowsPath(value).drive or os.path.isabs(value):
        raise fail(f"= {value!r} must be a file inside the template folder, not an absolute path")
    if "\\" in value:
        raise fail(f"= {value!r} must use / between folder names")
    if ".." in Path(value).parts:
        raise fail(f"= {value!r} leaves the template folder ('..' is not allowed)")
    candidate = folder / value
    resolved = candidate.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise fail(f"= {value!r} leaves the template folder through a symbolic link")
    if not resolved.exists():
        raise fail(f"names a missing file {value!r} (looked in {folder})")
    if not resolved.is_file():
        raise fail(f"= {value!r} is not a file")
    if resolved.stat().st_size > MAX_ASSET_BYTES:
        raise fail(f"= {value!r} is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MB")
    return resolved


def _file_key(path: Path) -> tuple[Path, int, int]:
    stat = path.stat()
    return path, stat.st_mtime_ns, stat.st_size


def _check_font_file(
    path: Path,
    script: str,
    fail: Callable[[str], BriefingError],
    shown: str = "",
    named: bool = True,
) -> str:
    """Return the family name of the TrueType font at ``path`` after checking it fits
    ("" unless ``named``: reading the name table costs more than the checks together)."""
    problem, family = _font_problem(*_file_key(path), script, named)
    if problem:
        raise fail(f"= {(shown or path.name)!r} {problem}")
    return family


# Bump when a check of a template's font or picture changes what it finds, so that the
# results kept in the user's cache folder (by the file's bytes) are found again.
CHECKS_VERSION = "1"
CHECKS_FOLDER = "template-checks"
CHECKS_ENTRIES = 256


def _kept_check(path: Path, kind: str, args: list[Any], check: Callable[[], Any]) -> Any:
    """Return what ``check`` of the file ``path`` found, kept in the user's cache folder by
    a hash of the file's bytes, ``kind``, ``args``, fontTools' version and CHECKS_VERSION,
    so that the next run reads it back instead of opening the font or picture again."""
    import hashlib
    import json

    from briefing.render import font_subsets

    try:
        digest = font_subsets.font_digest(path)
    except OSError:
        return check()  # the check says what is wrong with a file that cannot be read
    name = json.dumps([CHECKS_VERSION, font_subsets.fonttools_version(), kind, digest, *args])
    key = hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".json"
    stored = font_subsets.read_cached(CHECKS_FOLDER, key)
    if stored is not None:
        try:
            return json.loads(stored)
        except ValueError:
            pass  # torn: checked again
    found = check()
    font_subsets.write_cached(CHECKS_FOLDER, key, json.dumps(found).encode("utf-8"),
                              CHECKS_ENTRIES)
    return found


@cache
def _font_problem(
    path: Path, _mtime: int, _size: int, script: str, named: bool = True
) -> tuple[str, str]:
    """Return (problem or "", family name or "" unless ``named``) for a font file; cached
    per file version, and in the user's cache folder by the file's bytes."""
    problem, family = _kept_check(
        path, "font", [script, named], lambda: _read_font_problem(path, script, named)
    )
    return str(problem), str(family)


def _read_font_problem(path: Path, script: str, named: bool) -> tuple[str, str]:
    from fontTools.ttLib import TTFont

    try:
        with path.open("rb") as handle, TTFont(handle, lazy=True) as font:
            if "glyf" not in font:
                return "has PostScript outlines; the PDF engine needs TrueType outlines", ""
            fs_type = font["OS/2"].fsType if "OS/2" in font else 0
            if fs_type & 0x000F == 0x0002:
                return "does not allow embedding (its licence bits say restricted)", ""
            cmap = font.getBestCmap() or {}
            family = (font["name"].getBestFamilyName() or path.stem) if named else ""
    except Exception as exc:  # a damaged font can fail anywhere inside the parser
        return f"is not a readable TrueType font ({type(exc).__name__}: {exc})", ""
    needed = "ابتثجحدرسعلمنهوي" if script == "arabic" else "AaBbEeZz0123456789"
    missing = [char for char in needed if ord(char) not in cmap]
    if missing:
        writing = "Arabic" if script == "arabic" else "Latin"
        return f"has no {writing} letters (it lacks {''.join(missing[:4])!r})", ""
    return "", family


WORD_MAIN_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _check_asset(path: Path, fail: Callable[[str], BriefingError]) -> None:
    problem = _asset_problem(*_file_key(path))
    if problem:
        raise fail(f"= {path.name!r} {problem}")


@cache
def _asset_problem(path: Path, _mtime: int, _size: int) -> str:
    """Return what is wrong with a logo or letterhead file, or ""; cached per file version,
    and in the user's cache folder by the file's bytes."""
    kind = f"asset{path.suffix.lower()}"
    return str(_kept_check(path, kind, [], lambda: _read_asset_problem(path)))


def _read_asset_problem(path: Path) -> str:
    if path.suffix.lower() == ".docx":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return "is not a Word .docx file (not a zip archive)"
        if "word/document.xml" not in names:
            return "is not a Word .docx file (no word/document.xml)"
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return "contains macros; templates are data only"
        # The parts every Word package needs must be whole, well-formed XML. (Loading the
        # Word library only to check this would cost a tenth of a second at each start.)
        from xml.etree import ElementTree

        for part in ("[Content_Types].xml", "_rels/.rels"):
            if part not in names:
                return f"is not a Word .docx file (no {part})"
        try:
            with zipfile.ZipFile(path) as archive:
                for part in ("[Content_Types].xml", "_rels/.rels", "word/document.xml"):
                    root = ElementTree.fromstring(archive.read(part))
        except Exception as exc:  # a damaged member can fail in the zip or the XML reader
            return f"cannot be opened as a Word document ({exc})"
        if root.tag != f"{{{WORD_MAIN_NAMESPACE}}}document":
            return "cannot be opened as a Word document (word/document.xml is not one)"
        return ""
    from PIL import Image

    expected = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}[path.suffix.lower()]
    try:
        with Image.open(path) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except Exception as exc:  # a damaged picture can fail anywhere inside the decoder
        return f"is not a readable image ({exc})"
    if kind != expected:
        return f"holds a {kind} picture, not {expected}"
    if not (16 <= width <= 6000 and 16 <= height <= 6000):
        return f"is {width}×{height} pixels (use 16 to 6000 on each side)"
    return ""


# -- inheritance and the merged template ------------------------------------------------------


def _read_chain(folder: Path, template_id: str, identity: Path | None = None) -> list[_Layer]:
    """Return the layers from the root ancestor down to the template in ``folder``."""
    layers: list[_Layer] = []
    seen: list[tuple[Path, str]] = []
    current, current_id = folder, template_id
    while True:
        here = identity if identity is not None and not seen else current.resolve()
        seen.append((here, current_id))
        layer = _read_layer(current)
        layers.insert(0, layer)
        parent = layer.values.get("parent")
        if parent is None:
            return layers
        parent_folder = _parent_folder(parent, current, current_id)
        if parent_folder is None and parent == current_id:
            raise layer.locator.error("parent", f"= {parent!r} names the template itself")
        if parent_folder is None:
            known = ", ".join(i for i in _known_ids() if i != current_id)
            raise layer.locator.error(
                "parent", f"names unknown template {parent!r} (known: {known})"
            )
        if any(parent_folder == path for path, _ in seen):
            names = " → ".join([*(name for _, name in seen), parent])
            raise layer.locator.error("parent", f"= {parent!r} makes a loop: {names}")
        if len(seen) > MAX_PARENTS:
            raise layer.locator.error("parent", f"starts more than {MAX_PARENTS} parents")
        current, current_id = parent_folder, parent


def _merge(layers: list[_Layer]) -> tuple[dict[str, Any], dict[str, int]]:
    """Return merged values and, per key, the index of the layer that set it (-1: default)."""
    values: dict[str, Any] = dict(DEFAULTS)
    values.update({key: bundled_face(family) for key, family in DEFAULT_FONTS.items()})
    origin = dict.fromkeys(values, -1)
    for index, layer in enumerate(layers):
        for key, value in layer.values.items():
            values[key] = value
            origin[key] = index
    return values, origin


def _face(values: dict[str, Any], origin: dict[str, int], script: str) -> FontFace:
    face: FontFace = values[f"fonts.{script}"]
    bold_key = f"fonts.{script}_bold"
    # A bold file belongs to the regular face set in the same layer or an earlier one only.
    if bold_key in values and origin[bold_key] >= origin[f"fonts.{script}"]:
        return FontFace(family=face.family, regular=face.regular, bold=values[bold_key])
    return face


def _template_marking(values: dict[str, Any], origin: dict[str, int], own: Any) -> LocalText:
    """Return a template's marking: its level's wording, or free text in both languages.

    Whichever a later layer set wins: a child's free text replaces a parent's level.
    """
    text_origin = max(origin.get("marking.ar", -1), origin.get("marking.en", -1))
    if values["marking.level"] and origin.get("marking.level", -1) >= text_origin:
        return MARKING_LEVELS[values["marking.level"]]
    marking = LocalText(ar=values["marking.ar"], en=values["marking.en"])
    try:
        check_marking(marking)
    except BriefingError as exc:
        raise own.locator.error("marking", str(exc).removeprefix("marking: ")) from None
    return marking


def load_template_folder(
    folder: Path, user: bool = False, template_id: str | None = None, identity: Path | None = None
) -> Template:
    """Return the template in ``folder``, merged over its parents and validated."""
    folder = Path(folder)
    template_id = template_id or folder.resolve().name
    layers = _read_chain(folder, template_id, identity)
    values, origin = _merge(layers)
    own = layers[-1]
    if "name.ar" not in values and "name.en" not in values:
        raise own.locator.error("name", "is missing (give ar and en)")
    name = LocalText(ar=values.get("name.ar", ""), en=values.get("name.en", ""))
    if not name.ar.strip() and not name.en.strip():
        raise own.locator.error("name", "is empty (give ar and en)")

    def local(key: str) -> LocalText:
        return LocalText(ar=values[f"{key}.ar"], en=values[f"{key}.en"])

    return Template(
        id=template_id,
        name=LocalText(ar=name.ar or name.en, en=name.en or name.ar),
        description=local("description"),
        folder=folder.resolve(),
        page=PageSetup(size=values["page.size"], **{k: values[f"page.{k}"] for k in MARGIN_KEYS}),
        fonts=Typography(
            arabic=_face(values, origin, "arabic"),
            latin=_face(values, origin, "latin"),
            size_body=values["fonts.size_body"],
            size_heading=values["fonts.size_heading"],
            size_title=values["fonts.size_title"],
            line_spacing=values["fonts.line_spacing"],
        ),
        colours={key: values[f"colours.{key}"] for key in COLOUR_KEYS},
        chart_palette=values["colours.chart"],
        marking=_template_marking(values, origin, own),
        header=local("header"),
        footer=local("footer"),
        cover_style=values["cover.style"],
        cover_fields=values["cover.fields"],
        blocks=values["layout.blocks"],
        numbered_headings=values["layout.numbered_headings"],
        charts=values["layout.charts"],
        calendar=values["dates.calendar"],
        months=values["dates.months"],
        letterhead=values["assets.letterhead"],
        logo=values["assets.logo"],
        authority=local("authority"),
        user=user,
        parent=own.values.get("parent"),
        files=tuple(layer.file for layer in layers),
    )


def _is_user_folder(folder: Path) -> bool:
    root = user_templates_dir()
    return root.is_dir() and folder.resolve().parent == root.resolve()


def load_template(id_or_dir: str) -> Template:
    """Return the template named by id (user templates first) or by folder path."""
    folder = find_template_folder(id_or_dir)
    return load_template_folder(folder, user=_is_user_folder(folder))


def list_templates() -> list[dict[str, str]]:
    """Return ``[{id, name, path, origin, …}]`` for shipped templates and then the user's own."""
    found: list[dict[str, str]] = []
    for root, origin in ((_shipped_root(), "shipped"), (user_templates_dir(), "user")):
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if not _visible(folder) or not _is_template(folder):
                continue
            entry = {"id": folder.name, "path": str(folder), "origin": origin}
            try:
                template = load_template_folder(folder, origin == "user")
            except BriefingError as exc:
                entry |= {
                    "name": f"(invalid: {exc})",
                    "name_ar": "",
                    "parent": "",
                    "error": str(exc),
                }
            else:
                entry |= {
                    "name": template.name.en,
                    "name_ar": template.name.ar,
                    "parent": template.parent or "",
                    "error": "",
                }
            found.append(entry)
    return found


# -- writing templates --------------------------------------------------------------------------


def _toml_string(text: str) -> str:
    escaped = []
    for char in text:
        if char in ('"', "\\"):
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        text = format(number.normalize(), "f")
        return text
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to a template")


def dump_template(flat: Mapping[str, Any], comment: str = "") -> str:
    """Return template.toml text for ``{dotted key: raw value}`` in the schema's order."""
    lines = [f"# {line}" for line in comment.splitlines()]
    if lines:
        lines.append("")
    for key in ("name", "description"):
        if f"{key}.ar" in flat or f"{key}.en" in flat:
            inner = ", ".join(
                f"{lang} = {_toml_string(flat[f'{key}.{lang}'])}"
                for lang in ("ar", "en")
                if f"{key}.{lang}" in flat
            )
            lines.append(f"{key} = {{ {inner} }}")
    if "parent" in flat:
        lines.append(f"parent = {_toml_string(flat['parent'])}")
    for table in TABLES:
        keys = [key for key in RULES if key.startswith(f"{table}.") and key in flat]
        if not keys:
            continue
        lines += ["", f"[{table}]"]
        lines += [f"{key.split('.', 1)[1]} = {_toml_value(flat[key])}" for key in keys]
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def _staging(root: Path, final_name: str) -> Iterator[Path]:
    """Yield a hidden folder beside ``root/final_name``; remove it unless it was moved."""
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final_name}.", suffix=".tmp", dir=root))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _publish(staging: Path, target: Path) -> None:
    """Move the finished ``staging`` folder to ``target``, replacing an older one there."""
    backup = None
    if target.exists():
        backup = target.with_name(f".{target.name}.{os.getpid()}.old")
        shutil.rmtree(backup, ignore_errors=True)
        os.replace(target, backup)
    try:
        os.replace(staging, target)
    except OSError:
        if backup is not None:
            os.replace(backup, target)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def _copy_in(source: Path, folder: Path, wanted: str, taken: set[str]) -> str:
    """Copy ``source`` into ``folder`` under a free name like ``wanted``; return the name."""
    wanted_path = PurePosixPath(wanted)
    stem, suffix = wanted_path.stem, wanted_path.suffix
    name, number = wanted, 2
    while name in taken:
        name = str(wanted_path.with_name(f"{stem}-{number}{suffix}"))
        number += 1
    taken.add(name)
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, source.read_bytes())
    return name


def _local_change(value: Any, key: str) -> LocalText:
    if isinstance(value, LocalText):
        return value
    if isinstance(value, str):
        return LocalText(ar=value, en=value)
    if isinstance(value, Mapping) and set(value) <= {"ar", "en"}:
        return LocalText(ar=str(value.get("ar", "")), en=str(value.get("en", "")))
    raise BriefingError(f"template changes: {key!r} must be a text or {{ar, en}}, not {value!r}")


CHANGE_KEYS = ("name", "description", "marking", "colours", "fonts", "logo", "margins")


def save_user_template(base: Template, new_id: str, changes: Mapping[str, Any]) -> Path:
    """Write a user template ``new_id`` built on ``base`` with ``changes``; return its folder.

    ``changes`` may hold ``name``/``description``/``marking`` (a LocalText, ``{ar, en}`` or
    one string; an empty marking prints none), ``colours`` (``{key: "#RRGGBB"}`` and
    ``chart``: a list), ``fonts`` (``arabic``/``latin``: a bundled family or a path to a .ttf
    file, which is copied; ``size_body``, ``size_heading``, ``size_title``, ``line_spacing``),
    ``logo`` (a path to a PNG or JPEG, copied; None or "" for no logo) and ``margins``
    (``top``, ``bottom``, ``left``, ``right`` in mm). Only values that differ from ``base``
    are written, under ``parent = base.id``. Saving over ``base`` itself (same id, already in
    the user folder) updates it in place. The folder is built and checked beside the others
    and then renamed into place, so a failure leaves nothing behind.
    """
    if not TEMPLATE_ID.match(new_id):
        raise BriefingError(f"template id {new_id!r} must be letters, digits, - and _")
    unknown = sorted(set(changes) - set(CHANGE_KEYS))
    if unknown:
        raise BriefingError(
            f"template changes: unknown key {unknown[0]!r} (known: {', '.join(CHANGE_KEYS)})"
        )
    root = user_templates_dir()
    target = root / new_id
    if target.exists() and not _is_template(target):
        raise BriefingError(f"{target} exists and is not a template folder")
    in_place = target.exists() and base.folder.resolve() == target.resolve()
    if not in_place:
        parent = _parent_folder(base.id, target, new_id)
        if parent is None or parent != base.folder.resolve():
            raise BriefingError(
                f"template {base.id!r} at {base.folder} cannot be a parent from {root}: "
                "copy it into the user templates folder first"
            )
    locator = _Locator("template changes")
    with _staging(root, new_id) as staging:
        taken: set[str] = set()
        if in_place:
            for item in target.iterdir():
                if item.name != TEMPLATE_FILE:
                    (shutil.copytree if item.is_dir() else shutil.copy2)(item, staging / item.name)
                    taken.add(item.name)
            flat = _flatten(tomllib.loads(_read_text(target / TEMPLATE_FILE)), locator)
        else:
            flat = {
                "parent": base.id,
                "name.ar": f"{base.name.ar} ({new_id})",
                "name.en": f"{base.name.en} ({new_id})",
            }

        def put(key: str, value: Any, current: Any) -> None:
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            checked = _check(RULES[key], value, key, locator, staging)
            if checked != current:
                flat[key] = value

        for key in ("name", "description"):
            if key in changes:
                given = _local_change(changes[key], key)
                for lang in ("ar", "en"):
                    dotted = f"{key}.{lang}"
                    flat[dotted] = _check(
                        RULES[dotted], given.get(lang, False), dotted, locator, staging
                    )
        if "marking" in changes:
            marking = _local_change(changes["marking"], "marking")
            put("marking.ar", marking.ar, base.marking.ar)
            put("marking.en", marking.en, base.marking.en)
        colours = changes.get("colours") or {}
        for key, value in dict(colours).items():
            if key == "chart":
                put("colours.chart", list(value), base.chart_palette)
            elif key in COLOUR_KEYS:
                put(f"colours.{key}", value, base.colours[key])
            else:
                raise BriefingError(f"template changes: unknown colour {key!r}")
        for key, value in dict(changes.get("fonts") or {}).items():
            _change_font(flat, base, key, value, staging, taken, put)
        for key, value in dict(changes.get("margins") or {}).items():
            page_key = key if key in MARGIN_KEYS else f"margin_{key}_mm"
            if page_key not in MARGIN_KEYS:
                raise BriefingError(f"template changes: unknown margin {key!r}")
            put(f"page.{page_key}", value, getattr(base.page, page_key))
        if "logo" in changes:
            logo = changes["logo"]
            if not logo:
                if base.logo is not None or in_place:
                    flat["assets.logo"] = ""
            elif base.logo is None or Path(logo).resolve() != base.logo:
                source = Path(logo)
                if not source.is_file():
                    raise BriefingError(f"template changes: logo {str(source)!r} is not a file")
                name = _copy_in(source, staging, f"logo{source.suffix.lower()}", taken)
                put("assets.logo", name, None)
        text = dump_template(flat, f"Template '{new_id}', saved by Briefing.")
        write_atomic(staging / TEMPLATE_FILE, text.encode("utf-8"))
        try:
            load_template_folder(staging, user=True, template_id=new_id, identity=target.resolve())
        except BriefingError as exc:
            message = str(exc).replace(str(staging / TEMPLATE_FILE), "the saved template")
            raise BriefingError(message) from None
        _publish(staging, target)
    return target


def _change_font(
    flat: dict[str, Any],
    base: Template,
    key: str,
    value: Any,
    staging: Path,
    taken: set[str],
    put: Callable[[str, Any, Any], None],
) -> None:
    """Apply one font change to ``flat``: a family, a .ttf copied in, or a size."""
    if key in ("arabic", "latin"):
        current: FontFace = getattr(base.fonts, key)
        if isinstance(value, str) and value in BUNDLED_FAMILIES:
            if value != current.family:
                put(f"fonts.{key}", value, None)
                flat.pop(f"fonts.{key}_bold", None)
            return
        source = Path(value)
        if not source.is_file() or source.suffix.lower() != ".ttf":
            raise BriefingError(
                f"template changes: font {key!r} = {str(value)!r} is neither a bundled family "
                f"({', '.join(BUNDLED_FAMILIES)}) nor a .ttf file"
            )
        if source.resolve() == current.regular:
            return
        name = _copy_in(source, staging, f"fonts/{source.name}", taken)
        put(f"fonts.{key}", name, None)
        flat.pop(f"fonts.{key}_bold", None)
        return
    if key in ("size_body", "size_heading", "size_title", "line_spacing"):
        put(f"fonts.{key}", value, getattr(base.fonts, key))
        return
    raise BriefingError(f"template changes: unknown font setting {key!r}")


def copy_template(id_or_dir: str, dest: Path) -> Path:
    """Write a self-contained copy of a template (parents merged in, files copied) to ``dest``.

    ``dest`` must not exist yet or be an empty folder; its name becomes the new id.
    """
    source = find_template_folder(id_or_dir)
    template = load_template_folder(source)
    dest = Path(dest).expanduser()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BriefingError(f"{dest} already exists and is not an empty folder")
    if not TEMPLATE_ID.match(dest.name):
        raise BriefingError(f"folder name {dest.name!r} must be letters, digits, - and _")
    layers = _read_chain(source, template.id)
    flat: dict[str, Any] = {}
    folder_of: dict[str, Path] = {}
    for layer in layers:
        for key, value in layer.raw.items():
            flat[key] = value
            folder_of[key] = layer.folder
    flat.pop("parent", None)
    root = dest.parent
    with _staging(root, dest.name) as staging:
        taken: set[str] = set()
        for key in [k for k in flat if RULES[k].kind in ("font", "font_file", "file")]:
            value = flat[key]
            if not value or (RULES[key].kind == "font" and value in BUNDLED_FAMILIES):
                continue
            origin_file = (folder_of[key] / value).resolve()
            name = _copy_in(origin_file, staging, value, taken)
            flat[key] = name
        comment = f"Copy of template '{template.id}' ({template.name.en}); edit freely."
        write_atomic(staging / TEMPLATE_FILE, dump_template(flat, comment).encode("utf-8"))
        load_template_folder(staging, template_id=dest.name, identity=dest.resolve())
        if dest.exists():
            dest.rmdir()
        _publish(staging, dest)
    return dest
