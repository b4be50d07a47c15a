"""Resolve a chart spec against the brief's figures into plain data for one language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from briefing.model import ChartSpec, DigitStyle, Figure, Lang, Unit
from briefing.numbers import format_number, unit_short


@dataclass(frozen=True)
class ChartData:
    """Everything a chart renderer draws, already in the target language and digits.

    ``values`` are in the chart's unit; ``value_labels`` are the same numbers formatted
    for the language (with the unit's short label where it reads naturally).
    """

    id: str
    kind: str
    lang: Lang
    digits: DigitStyle
    title: str
    unit_label: str
    categories: tuple[str, ...]
    values: tuple[float, ...]
    value_labels: tuple[str, ...]
    roles: tuple[str, ...]
    maximum: float | None
    maximum_label: str
    source: str
    remainder_label: str = ""

    def key(self) -> tuple[object, ...]:
        """Return a hashable summary of the content, for caching rendered pictures."""
        return (
            self.id, self.kind, self.lang, self.digits, self.title, self.unit_label,
            self.categories, self.values, self.value_labels, self.roles, self.maximum,
            self.maximum_label, self.source, self.remainder_label,
        )


def plotted_value(
    figure: Figure,
    units: dict[str, Unit],
    target: Unit,
    scale: Decimal,
    per: Figure | None,
    times: Figure | None = None,
) -> Decimal:
    """Return a figure's value converted to ``target`` and scaled (``per`` divides)."""
    unit = units[figure.unit]
    value = figure.value * scale
    if times is not None:
        value = value * times.value
    if per is not None:
        value = value / per.value if per.value else Decimal(0)
    if unit.dimension == target.dimension:
        value = value * unit.factor / target.factor
    return value


def _round(value: Decimal) -> Decimal:
    """Return ``value`` rounded to what a chart label shows (three significant digits)."""
    if value == 0:
        return Decimal(0)
    digits = max(0, 2 - value.copy_abs().adjusted())
    return value.quantize(Decimal(1).scaleb(-digits)).normalize()


def resolve_chart(
    spec: ChartSpec,
    figures: dict[str, Figure],
    units: dict[str, Unit],
    lang: Lang,
    digits: DigitStyle,
    source: str,
    fill: Callable[[str], str] = lambda text: text,
) -> ChartData:
    """Return the chart's data for ``lang`` from the brief's current figures.

    ``fill`` replaces figure placeholders in titles and labels, so that a title such as
    "{fig:az_green_capacity} of green capacity" follows the figure.
    """
    target = units[spec.unit]
    short = unit_short(target, lang)
    categories, values, labels, roles = [], [], [], []
    for item in spec.items:
        figure = figures[item.figure]
        per = figures[item.per] if item.per else None
        times = figures[item.times] if item.times else None
        value = plotted_value(figure, units, target, item.scale, per, times)
        categories.append(fill(item.label.get(lang) or figure.label.get(lang)))
        values.append(float(value))
        labels.append(_value_label(_round(value), short, target, lang, digits))
        roles.append(item.role)
    maximum = None
    maximum_label = ""
    if spec.maximum:
        figure = figures[spec.maximum]
        max_value = plotted_value(figure, units, target, Decimal(1), None)
        maximum = float(max_value)
        maximum_label = _value_label(_round(max_value), short, target, lang, digits)
    return ChartData(
        id=spec.id,
        kind=spec.kind,
        lang=lang,
        digits=digits,
        title=fill(spec.title.get(lang)),
        unit_label=short,
        categories=tuple(categories),
        values=tuple(values),
        value_labels=tuple(labels),
        roles=tuple(roles),
        maximum=maximum,
        maximum_label=maximum_label,
        source=source,
        remainder_label=fill(spec.remainder.get(lang)),
    )


def _value_label(value: Decimal, short: str, unit: Unit, lang: Lang, digits: DigitStyle) -> str:
    number = format_number(value, lang, digits)
    if unit.dimension == "share":
        return f"{number}{'٪' if lang == 'ar' else '%'}"
    return f"{number} {short}".strip()
