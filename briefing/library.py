"""Load the content library (units, figures, charts, sections) and users' section files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError
from briefing.model import (
    AS_OF,
    CHART_KINDS,
    PLACEHOLDER,
    RELATION_OPS,
    ChartItem,
    ChartSpec,
    Figure,
    LocalText,
    Relation,
    Section,
    Unit,
    check_id,
    relation_problems,
    validate_figure,
)
from briefing.resources import resource
from briefing.tomlio import Table, read_toml

SECTION_KEYS = {"id", "title", "body", "key_point", "talking_points", "charts", "figures"}
FIGURE_KEYS = {
    "value", "unit", "qualifier", "kind", "min", "max", "as_of", "source", "label", "note",
    "relations",
}
CHART_KEYS = {"kind", "title", "unit", "items", "caption", "maximum", "remainder"}
ITEM_KEYS = {"figure", "label", "scale", "per", "times", "role"}


@dataclass(frozen=True)
class Library:
    """The shipped content: sections in library order, figures, units and charts by id."""

    sections: tuple[Section, ...]
    figures: dict[str, Figure] = field(hash=False)
    units: dict[str, Unit] = field(hash=False)
    charts: dict[str, ChartSpec] = field(hash=False)

    def section(self, section_id: str) -> Section | None:
        """Return the library section with this id, if any."""
        for section in self.sections:
            if section.id == section_id:
                return section
        return None

    def section_ids(self) -> tuple[str, ...]:
        """Return every library section id in library order."""
        return tuple(section.id for section in self.sections)


# Keys whose string values name a unit, figure, chart or section.
_ID_VALUES = {"id", "unit", "figure", "per", "times", "maximum", "other", "charts"}
_HYPHENATED_PLACEHOLDER = re.compile(r"\{(fig|val):([A-Za-z0-9_-]+)\}")


def _underscored(value: str) -> str:
    return value.replace("-", "_")


def hyphens_as_underscores(data: Any, where: str, top: bool = True) -> Any:
    """Return parsed TOML with ids written with hyphens ("kz-oil") spelt as the library's
    ("kz_oil"): table names, id values, chart lists and {fig:…}/{val:…} placeholders.

    People write ids both ways in files; one spelling inside keeps every lookup simple.
    """

    def text(value: str) -> str:
        return _HYPHENATED_PLACEHOLDER.sub(
            lambda m: "{" + m.group(1) + ":" + _underscored(m.group(2)) + "}", value
        )

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            return _underscored(value) if key in _ID_VALUES else text(value)
        return value

    if not isinstance(data, dict):
        return data
    if not top:
        return walk(data)
    result: dict[str, Any] = {}
    for name, body in data.items():
        spelt = _underscored(name) if isinstance(body, dict) else name
        if spelt in result:
            raise BriefingError(f"{where}: [{name}] is defined twice ({spelt!r})")
        result[spelt] = walk(body, name if not isinstance(body, dict) else "")
    return result


def parse_units(data: dict[str, Any], where: str) -> dict[str, Unit]:
    """Return the units defined in a units TOML document."""
    units: dict[str, Unit] = {}
    for unit_id, body in data.items():
        table = Table(body if isinstance(body, dict) else {}, f"{where}: [{unit_id}]")
        if not isinstance(body, dict):
            raise BriefingError(f"{where}: [{unit_id}] must be a table")
        check_id("unit", unit_id)
        table.reject_unknown({"dimension", "factor", "ar", "en"})
        forms = {}
        for lang in ("ar", "en"):
            sub = table.table(lang, required=True)
            for key, value in sub.data.items():
                if not isinstance(value, str):
                    raise BriefingError(f"{where}: [{unit_id}.{lang}] key '{key}' must be a string")
            forms[lang] = tuple(sorted(sub.data.items()))
        units[unit_id] = Unit(
            id=unit_id,
            dimension=table.str("dimension"),
            factor=table.decimal("factor", Decimal(1)),
            ar=forms["ar"],
            en=forms["en"],
        )
    return units


def parse_figure(figure_id: str, body: Any, where: str, units: dict[str, Unit]) -> Figure:
    """Return one figure from its TOML table, validated."""
    if not isinstance(body, dict):
        raise BriefingError(f"{where}: [{figure_id}] must be a table")
    table = Table(body, f"{where}: [{figure_id}]")
    table.reject_unknown(FIGURE_KEYS)
    figure = Figure(
        id=figure_id,
        value=table.decimal("value", required=True),
        unit=table.str("unit"),
        label=table.local("label", required=True),
        source=table.local("source"),
        as_of=table.date("as_of"),
        qualifier=table.str("qualifier", ""),
        kind=table.str("kind", "quantity"),
        minimum=table.decimal("min"),
        maximum=table.decimal("max"),
        note=table.local("note"),
        relations=_relations(table.raw("relations", []), f"{where}: [{figure_id}] relations"),
    )
    try:
        validate_figure(figure, units)
    except BriefingError as exc:
        raise BriefingError(f"{where}: {exc}") from None
    return figure


def parse_chart(chart_id: str, body: Any, where: str) -> ChartSpec:
    """Return one chart spec from its TOML table."""
    if not isinstance(body, dict):
        raise BriefingError(f"{where}: [{chart_id}] must be a table")
    check_id("chart", chart_id)
    table = Table(body, f"{where}: [{chart_id}]")
    table.reject_unknown(CHART_KEYS)
    kind = table.str("kind")
    if kind not in CHART_KINDS:
        raise BriefingError(
            f"{where}: [{chart_id}] kind {kind!r} is not known (use {', '.join(CHART_KINDS)})"
        )
    raw_items = table.raw("items", [])
    if not isinstance(raw_items, list) or not raw_items:
        raise BriefingError(f"{where}: [{chart_id}] key 'items' must be a non-empty list")
    items = []
    for number, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            raise BriefingError(f"{where}: [{chart_id}] item {number} must be a table")
        item = Table(raw, f"{where}: [{chart_id}] item {number}")
        item.reject_unknown(ITEM_KEYS)
        per = item.str("per", "") or None
        items.append(
            ChartItem(
                figure=item.str("figure"),
                label=item.local("label"),
                scale=item.decimal("scale", Decimal(1)),
                per=per,
                times=item.str("times", "") or None,
                role=item.str("role", ""),
            )
        )
    maximum = table.str("maximum", "") or None
    return ChartSpec(
        id=chart_id,
        kind=kind,
        title=table.local("title", required=True),
        unit=table.str("unit"),
        items=tuple(items),
        caption=table.local("caption"),
        maximum=maximum,
        remainder=table.local("remainder"),
    )


def parse_section(data: dict[str, Any], where: str, custom: bool) -> Section:
    """Return a section from a parsed section TOML document."""
    table = Table(data, where)
    table.reject_unknown(SECTION_KEYS)
    section_id = table.str("id")
    try:
        check_id("section", section_id)
    except BriefingError as exc:
        raise BriefingError(f"{where}: {exc}") from None
    title = table.local("title", required=True)
    body = table.local("body", required=True)
    raw_points = table.raw("talking_points", [])
    if not isinstance(raw_points, list):
        raise BriefingError(f"{where}: key 'talking_points' must be a list of tables")
    points = []
    for number, raw in enumerate(raw_points, start=1):
        if isinstance(raw, str):
            points.append(LocalText(ar=raw, en=raw))
            continue
        if not isinstance(raw, dict):
            raise BriefingError(f"{where}: talking point {number} must be a table with ar and en")
        point = Table(raw, f"{where}: talking point {number}")
        point.reject_unknown({"ar", "en"})
        points.append(LocalText(ar=point.str("ar", ""), en=point.str("en", "")))
    return Section(
        id=section_id,
        title=title,
        body=body,
        key_point=table.local("key_point"),
        talking_points=tuple(points),
        charts=table.str_list("charts"),
        custom=custom,
    )


def check_references(
    section: Section, figures: dict[str, Figure], charts: dict[str, ChartSpec], where: str
) -> None:
    """Raise naming the first figure placeholder or chart id a section cites but lacks."""
    for text in _all_texts(section):
        for match in PLACEHOLDER.finditer(text):
            if match.group(2) not in figures:
                raise BriefingError(
                    f"{where}: section {section.id} cites unknown figure {match.group(2)!r} "
                    f"in {match.group(0)}"
                )
    for chart_id in section.charts:
        if chart_id not in charts:
            raise BriefingError(f"{where}: section {section.id} names unknown chart {chart_id!r}")


def _all_texts(section: Section) -> list[str]:
    texts = [section.title.ar, section.title.en, section.body.ar, section.body.en]
    texts += [section.key_point.ar, section.key_point.en]
    for point in section.talking_points:
        texts += [point.ar, point.en]
    return texts


def _relations(raw: Any, where: str) -> tuple[Relation, ...]:
    """Return the relations of a figure: ``[{op = "<=", other = "figure_id"}, …]``."""
    if not isinstance(raw, list):
        raise BriefingError(f"{where}: must be a list of {{op, other}} tables")
    result = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or set(item) != {"op", "other"}:
            raise BriefingError(f"{where} {number}: give exactly op and other")
        op, other = item["op"], item["other"]
        if op not in RELATION_OPS:
            raise BriefingError(
                f"{where} {number}: unknown op {op!r} (use {', '.join(RELATION_OPS)})"
            )
        if not isinstance(other, str):
            raise BriefingError(f"{where} {number}: other must be a figure id")
        result.append(Relation(op=op, other=other))
    return tuple(result)


def check_relations(figures: dict[str, Figure], units: dict[str, Unit], where: str) -> None:
    """Raise if a relation names an unknown figure, compares dimensions, or is broken."""
    for figure in figures.values():
        for relation in figure.relations:
            if relation.other == AS_OF:
                continue
            other = figures.get(relation.other)
            if other is None:
                raise BriefingError(
                    f"{where}: [{figure.id}] relations: unknown figure {relation.other!r}"
                )
            if units[figure.unit].dimension != units[other.unit].dimension:
                raise BriefingError(
                    f"{where}: [{figure.id}] relations: {other.id} measures "
                    f"{units[other.unit].dimension}, not {units[figure.unit].dimension}"
                )
    problems = relation_problems(figures, figures, units)
    if problems:
        raise BriefingError(f"{where}: {problems[0]}")


def _read(path: Path, where: str) -> dict[str, Any]:
    return hyphens_as_underscores(read_toml(path, where), where)


@cache
def load_library() -> Library:
    """Return the shipped content library, read once per process."""
    content = resource("content")
    units = parse_units(_read(content / "units.toml", "units.toml"), "units.toml")
    figures = {
        figure_id: parse_figure(figure_id, body, "figures.toml", units)
        for figure_id, body in _read(content / "figures.toml", "figures.toml").items()
    }
    check_relations(figures, units, "figures.toml")
    charts_file = content / "charts.toml"
    charts = (
        {
            chart_id: parse_chart(chart_id, body, "charts.toml")
            for chart_id, body in _read(charts_file, "charts.toml").items()
        }
        if charts_file.is_file()
        else {}
    )
    for chart in charts.values():
        check_chart(chart, figures, units, "charts.toml")
    sections = []
    section_files = sorted(
        (item for item in (content / "sections").iterdir() if item.name.endswith(".toml")),
        key=lambda item: item.name,
    )
    for item in section_files:
        where = f"sections/{item.name}"
        section = parse_section(_read(item, where), where, custom=False)
        check_references(section, figures, charts, where)
        sections.append(section)
    ids = [section.id for section in sections]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise BriefingError(f"content library: section id {sorted(duplicates)[0]!r} is used twice")
    return Library(sections=tuple(sections), figures=figures, units=units, charts=charts)


def check_chart(
    chart: ChartSpec, figures: dict[str, Figure], units: dict[str, Unit], where: str
) -> None:
    """Raise naming the first unknown figure or unit a chart refers to."""
    if chart.unit not in units:
        raise BriefingError(f"{where}: chart {chart.id} has unknown unit {chart.unit!r}")
    wanted = [item.figure for item in chart.items]
    wanted += [ref for item in chart.items for ref in (item.per, item.times) if ref]
    if chart.maximum:
        wanted.append(chart.maximum)
    for figure_id in wanted:
        if figure_id not in figures:
            raise BriefingError(f"{where}: chart {chart.id} refers to unknown figure {figure_id!r}")
    for item in chart.items:
        figure_unit = units[figures[item.figure].unit]
        if figure_unit.dimension != units[chart.unit].dimension and not (item.per or item.times):
            raise BriefingError(
                f"{where}: chart {chart.id} plots {item.figure} ({figure_unit.dimension}) "
                f"on a {units[chart.unit].dimension} scale"
            )


def parse_section_figures(
    data: dict[str, Any], where: str, library: Library, taken: dict[str, str] | None = None
) -> tuple[Figure, ...]:
    """Return the ``[[figures]]`` a user's section file carries, each with its own ``id``.

    An id may not repeat one of the library's figures nor one that another added section
    already brought (``taken`` maps those ids to the section that brought them).
    """
    raw = data.get("figures", [])
    if not isinstance(raw, list):
        raise BriefingError(f"{where}: 'figures' must be a list of [[figures]] tables")
    figures: list[Figure] = []
    seen: set[str] = set()
    for number, body in enumerate(raw, start=1):
        if not isinstance(body, dict):
            raise BriefingError(f"{where}: figure {number} must be a [[figures]] table")
        figure_id = body.get("id")
        if not isinstance(figure_id, str) or not figure_id:
            raise BriefingError(f"{where}: figure {number} has no 'id'")
        try:
            check_id("figure", figure_id)
        except BriefingError as exc:
            raise BriefingError(f"{where}: figure {number}: {exc}") from None
        if figure_id in library.figures:
            raise BriefingError(
                f"{where}: figure id {figure_id!r} is already a library figure; rename it"
            )
        if taken and figure_id in taken:
            raise BriefingError(
                f"{where}: figure id {figure_id!r} is already used by section "
                f"{taken[figure_id]}; rename it"
            )
        if figure_id in seen:
            raise BriefingError(f"{where}: figure id {figure_id!r} is given twice")
        seen.add(figure_id)
        rest = {key: value for key, value in body.items() if key != "id"}
        figures.append(parse_figure(figure_id, rest, where, library.units))
    return tuple(figures)


def with_section_figures(
    library: Library, sections: tuple[Section, ...] | list[Section]
) -> Library:
    """Return the library with the figures users' sections bring added to its own."""
    extra = {figure.id: figure for section in sections for figure in section.figures}
    if not extra or all(library.figures.get(k) is f for k, f in extra.items()):
        return library
    return replace(library, figures={**library.figures, **extra})


def load_section_file(
    path: Path, library: Library, taken: dict[str, str] | None = None
) -> Section:
    """Return a user's section from a TOML file, with its own figures, checked."""
    where = str(path)
    data = _read(path, where)
    section = parse_section(data, where, custom=True)
    if library.section(section.id) is not None:
        raise BriefingError(
            f"{where}: section id {section.id!r} is already used by the library; choose another"
        )
    figures = parse_section_figures(data, where, library, taken)
    section = replace(section, figures=figures)
    known = {**library.figures, **{figure.id: figure for figure in figures}}
    check_references(section, known, library.charts, where)
    return section
