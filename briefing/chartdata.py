"""Resolve a chart spec against the brief's figures into plain data for one language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from briefing.errors import BriefingError
from briefing.model import ChartSpec, DigitStyle, Figure, Lang, Unit
from briefing.numbers import (
    QUALIFIER_PATTERNS,
    format_number,
    localize_text,
    unit_short,
    unit_words,
)

# What is left of a whole when a part is qualified: the rest of "more than 70 %" is
# "less than 30 %". Keys are the part's qualifier, values the remainder's pattern.
REMAINDER_PATTERNS: dict[str, dict[str, str]] = {
    "": {"en": "{}", "ar": "{}"},
    "more_than": {"en": "less than {}", "ar": "أقل من {}"},
    "at_least": {"en": "at most {}", "ar": "{} على الأكثر"},
    "about": {"en": "about {}", "ar": "نحو {}"},
    "up_to": {"en": "at least {}", "ar": "{} على الأقل"},
}

# Chart kinds that show parts of a whole (a remainder completes them).
WHOLE_KINDS = ("donut", "progress")


@dataclass(frozen=True)
class ChartData:
    """Everything a chart renderer draws, already in the target language and digits.

    ``values`` are in the chart's unit; ``value_labels`` are the same numbers formatted
    for the language with their qualifier ("more than 70%", "7 غيغاواط على الأقل").
    For donut and progress charts a last item with role ``remainder`` completes the
    whole, and its label is qualified the other way ("less than 30%"). ``maximum`` is
    the scale's end or, for parts of a whole, the whole itself; ``maximum_name`` says
    what it is.
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
    qualifiers: tuple[str, ...] = ()
    maximum_name: str = ""
    is_share: bool = False

    def key(self) -> tuple[object, ...]:
        """Return a hashable summary of the content, for caching rendered pictures."""
        return (
            self.id,
            self.kind,
            self.lang,
            self.digits,
            self.title,
            self.unit_label,
            self.categories,
            self.values,
            self.value_labels,
            self.roles,
            self.maximum,
            self.maximum_label,
            self.source,
            self.remainder_label,
            self.qualifiers,
            self.maximum_name,
            self.is_share,
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
    elif times is not None and units[times.unit].dimension == target.dimension:
        # A share times a quantity: the quantity's unit decides the conversion.
        value = value * units[times.unit].factor / target.factor
    return value


def shown_value(value: Decimal, qualifier: str = "") -> Decimal:
    """Return ``value`` as a label shows it.

    A figure as given keeps up to four significant digits (1.625 stays 1.625); longer
    values are rounded to three significant digits but never beyond the units
    (12345.6 becomes 12346). An approximate value ("about") keeps two, so that it
    claims no precision it lacks ("about 0.43", not 0.429; "about 12,000").
    """
    if value == 0:
        return Decimal(0)
    normal = value.normalize()
    significant = 2 if qualifier == "about" else 3
    if qualifier != "about" and len(normal.as_tuple().digits) <= 4:
        return normal
    if len(normal.as_tuple().digits) <= significant:
        return normal
    places = significant - 1 - value.copy_abs().adjusted()
    if qualifier != "about":
        places = max(0, places)
    return value.quantize(Decimal(1).scaleb(-places)).normalize()


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
    short = localize_text(unit_short(target, lang), lang, digits)
    is_share = target.dimension == "share"
    categories, values, labels, roles, qualifiers = [], [], [], [], []
    exact: list[Decimal] = []
    for item in spec.items:
        figure = figures[item.figure]
        per = figures[item.per] if item.per else None
        times = figures[item.times] if item.times else None
        value = plotted_value(figure, units, target, item.scale, per, times)
        if value < 0:
            raise BriefingError(f"chart {spec.id}: figure {figure.id} gives a negative value")
        qualifier = figure.qualifier or (times.qualifier if times else "")
        if not qualifier and item.role == "estimate":
            qualifier = "about"  # a derived rate is an estimate, and says so
        categories.append(fill(item.label.get(lang) or figure.label.get(lang)))
        exact.append(value)
        values.append(float(value))
        roles.append(item.role)
        qualifiers.append(qualifier)
    maximum: Decimal | None = None
    maximum_label = ""
    maximum_name = ""
    if spec.maximum:
        figure = figures[spec.maximum]
        maximum = plotted_value(figure, units, target, Decimal(1), None)
        maximum_label = _qualified(
            _value_label(shown_value(maximum, figure.qualifier), target, is_share, lang, digits),
            figure.qualifier,
            lang,
        )
        maximum_name = fill(figure.label.get(lang))
    if spec.kind in WHOLE_KINDS:
        whole = maximum if maximum is not None else (Decimal(100) if is_share else sum(exact))
        total = sum(exact, Decimal(0))
        if whole and total > whole * Decimal("1.0000001"):
            raise BriefingError(
                f"chart {spec.id}: the parts add up to {total}, more than the whole {whole}"
            )
        remainder_text = fill(spec.remainder.get(lang))
        if remainder_text and whole and whole > total:
            categories.append(remainder_text)
            exact.append(whole - total)
            values.append(float(whole - total))
            roles.append("remainder")
            # The rest of one qualified part is qualified the other way.
            single = [q for q in qualifiers if q]
            qualifiers.append(single[0] if len(single) == 1 else "")
        # Parts of a whole in a unit other than percent are labelled as shares of it.
        as_share = is_share or maximum is not None
        for index, value in enumerate(exact):
            shown = qualifiers[index]
            if is_share or not as_share:
                text = _value_label(shown_value(value, shown), target, is_share, lang, digits)
            else:
                share = value * 100 / whole if whole else Decimal(0)
                text = _value_label(shown_value(share, shown), None, True, lang, digits)
            labels.append(_qualify_part(text, qualifiers[index], roles[index], lang))
    else:
        for value, qualifier in zip(exact, qualifiers, strict=True):
            text = _value_label(shown_value(value, qualifier), target, is_share, lang, digits)
            labels.append(_qualified(text, qualifier, lang))
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
        maximum=float(maximum) if maximum is not None else None,
        maximum_label=maximum_label,
        source=source,
        remainder_label=fill(spec.remainder.get(lang)),
        qualifiers=tuple(qualifiers),
        maximum_name=maximum_name,
        is_share=is_share,
    )


def _qualified(text: str, qualifier: str, lang: Lang) -> str:
    return QUALIFIER_PATTERNS.get(qualifier, QUALIFIER_PATTERNS[""])[lang].format(text)


def _qualify_part(text: str, qualifier: str, role: str, lang: Lang) -> str:
    patterns = REMAINDER_PATTERNS if role == "remainder" else QUALIFIER_PATTERNS
    return patterns.get(qualifier, patterns[""])[lang].format(text)


def _value_label(
    value: Decimal, unit: Unit | None, is_share: bool, lang: Lang, digits: DigitStyle
) -> str:
    """Return a number with its unit as the prose writes it: the unit agrees with the
    number ("5 ملايين طن", "7 غيغاواطات", "1 gigawatt"), a share takes the percent sign."""
    number = format_number(value, lang, digits)
    if is_share or unit is None:
        return f"{number}{'٪' if lang == 'ar' else '%'}"
    words = localize_text(unit_words(unit, value, lang) or unit_short(unit, lang), lang, digits)
    return f"{number} {words}".strip()
