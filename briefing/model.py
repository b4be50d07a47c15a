"""Frozen data of a brief: figures, sections, charts, metadata; validation without I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal, cast

from briefing.errors import BriefingError

Lang = Literal["ar", "en"]
OutputLang = Literal["ar", "en", "bi"]
DigitStyle = Literal["latin", "arabic"]

LANGS: tuple[Lang, ...] = ("ar", "en")
OUTPUT_LANGS: tuple[OutputLang, ...] = ("ar", "en", "bi")
FORMATS: tuple[str, ...] = ("pdf", "docx")
DIGIT_STYLES: tuple[DigitStyle, ...] = ("latin", "arabic")
QUALIFIERS: tuple[str, ...] = ("", "more_than", "at_least", "about", "up_to")
FIGURE_KINDS: tuple[str, ...] = ("quantity", "share", "money", "year", "duration")
CHART_KINDS: tuple[str, ...] = ("bar", "barh", "progress", "donut")

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
PLACEHOLDER = re.compile(r"\{(fig|val):([A-Za-z0-9_]+)\}")


def check_id(kind: str, value: str) -> str:
    """Return ``value`` if it is a valid id, else raise naming the ``kind`` of id."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise BriefingError(
            f"{kind} id {value!r} is not valid: use lower-case letters, digits and '_', "
            "starting with a letter"
        )
    return value


@dataclass(frozen=True)
class LocalText:
    """A text in Arabic and English; either may be empty."""

    ar: str = ""
    en: str = ""

    def get(self, lang: Lang, fallback: bool = True) -> str:
        """Return the text in ``lang``, or in the other language when it is empty."""
        text = self.ar if lang == "ar" else self.en
        if not text and fallback:
            text = self.en if lang == "ar" else self.ar
        return text

    def is_empty(self) -> bool:
        """Return True when neither language has text."""
        return not (self.ar.strip() or self.en.strip())

    def to_dict(self) -> dict[str, str]:
        """Return ``{"ar": …, "en": …}``."""
        return {"ar": self.ar, "en": self.en}


@dataclass(frozen=True)
class Unit:
    """A unit of measure with its word forms per language.

    ``ar`` holds CLDR plural categories (zero, one, two, few, many, other) and
    ``short``; ``en`` holds one, other and short. Forms are stored as sorted tuples of
    pairs so that a unit stays immutable.
    """

    id: str
    dimension: str
    factor: Decimal
    ar: tuple[tuple[str, str], ...]
    en: tuple[tuple[str, str], ...]

    def form(self, lang: Lang, category: str) -> str:
        """Return the word form for a plural ``category`` (falls back to ``other``)."""
        forms = dict(self.ar if lang == "ar" else self.en)
        if category in forms:
            return forms[category]
        return forms.get("other", "")


# How a figure may relate to another: at most, at least, below, above, a later year.
RELATION_OPS: dict[str, str] = {
    "<=": "at most",
    ">=": "at least",
    "<": "below",
    ">": "above",
    "later_than": "later than",
}
AS_OF = "as_of"  # ``other`` naming the year of the figure's own as-of date


@dataclass(frozen=True)
class Relation:
    """A figure's value compared with another figure's (or its own as-of year)."""

    op: str
    other: str


@dataclass(frozen=True)
class Figure:
    """A typed, sourced number cited by the prose, the key-figures table and the charts."""

    id: str
    value: Decimal
    unit: str
    label: LocalText
    source: LocalText
    as_of: date | None = None
    qualifier: str = ""
    kind: str = "quantity"
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    note: LocalText = field(default_factory=LocalText)
    # Declared by the library, not by a brief: two figures differing only here are equal.
    relations: tuple[Relation, ...] = field(default=(), compare=False)

    def with_value(self, value: Decimal) -> Figure:
        """Return a copy holding ``value`` after checking it against the bounds."""
        check_figure_value(self, value)
        return replace(self, value=value)


def parse_decimal(text: object, what: str) -> Decimal:
    """Return ``text`` as a finite Decimal, or raise naming ``what``.

    Accepts Western and Arabic-Indic digits and the Arabic decimal separator, so
    that a value typed in an Arabic interface is understood.
    """
    if isinstance(text, bool):
        raise BriefingError(f"{what}: {text!r} is not a number")
    if isinstance(text, (int, Decimal)):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(repr(text))
    elif isinstance(text, str):
        cleaned = text.strip().translate(_DIGIT_FOLD).replace("\u066c", "").replace("_", "")
        try:
            value = Decimal(cleaned)
        except Exception:
            raise BriefingError(f"{what}: {text!r} is not a number") from None
    else:
        raise BriefingError(f"{what}: {text!r} is not a number")
    if not value.is_finite():
        raise BriefingError(f"{what}: {text!r} is not a finite number")
    if value.is_zero():
        return value.copy_abs()  # "-0" would print as "-0 billion tonnes"
    # Printing writes every digit out: 1e-99999 would need 100 000 of them.
    if not MIN_MAGNITUDE <= value.adjusted() <= MAX_MAGNITUDE:
        size = "large" if value.adjusted() > 0 else "small"
        raise BriefingError(f"{what}: {text!r} is too {size} a number")
    significant = len("".join(map(str, value.as_tuple().digits)).rstrip("0"))
    if significant > MAX_SIGNIFICANT_DIGITS:
        raise BriefingError(
            f"{what}: {text!r} has more than {MAX_SIGNIFICANT_DIGITS} significant digits"
        )
    return value


# Powers of ten a figure may reach (1e-12 … 999 trillion) and its digits: wide enough for
# any statistic, narrow enough that a number always prints as a short string.
MIN_MAGNITUDE = -12
MAX_MAGNITUDE = 14
MAX_SIGNIFICANT_DIGITS = 20


_DIGIT_FOLD = str.maketrans(
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫",
    "01234567890123456789.",
)


def check_figure_value(figure: Figure, value: Decimal) -> None:
    """Raise if ``value`` breaks the figure's bounds or kind."""
    if figure.minimum is not None and value < figure.minimum:
        raise BriefingError(
            f"figure {figure.id}: value {value} is below its minimum {figure.minimum}"
        )
    if figure.maximum is not None and value > figure.maximum:
        raise BriefingError(
            f"figure {figure.id}: value {value} is above its maximum {figure.maximum}"
        )
    if figure.kind == "share" and not (0 <= value <= 100):
        raise BriefingError(f"figure {figure.id}: a share must be 0 to 100, got {value}")
    if figure.kind == "year" and value != value.to_integral_value():
        raise BriefingError(f"figure {figure.id}: a year must be a whole number, got {value}")


def validate_figure(figure: Figure, units: dict[str, Unit]) -> None:
    """Raise the first problem found in a figure's definition."""
    check_id("figure", figure.id)
    if figure.unit not in units:
        raise BriefingError(f"figure {figure.id}: unknown unit {figure.unit!r}")
    if figure.qualifier not in QUALIFIERS:
        raise BriefingError(
            f"figure {figure.id}: unknown qualifier {figure.qualifier!r} "
            f"(use one of {', '.join(repr(q) for q in QUALIFIERS)})"
        )
    if figure.kind not in FIGURE_KINDS:
        raise BriefingError(f"figure {figure.id}: unknown kind {figure.kind!r}")
    if figure.label.is_empty():
        raise BriefingError(f"figure {figure.id}: the label is empty")
    if (
        figure.minimum is not None
        and figure.maximum is not None
        and figure.minimum > figure.maximum
    ):
        raise BriefingError(
            f"figure {figure.id}: minimum {figure.minimum} is above maximum {figure.maximum}"
        )
    check_figure_value(figure, figure.value)


def _holds(op: str, left: Decimal, right: Decimal) -> bool:
    return {
        "<=": left <= right,
        ">=": left >= right,
        "<": left < right,
        ">": left > right,
        "later_than": left > right,
    }[op]


def relation_problems(
    figures: dict[str, Figure], relations_of: dict[str, Figure], units: dict[str, Unit],
    only: str | None = None,
) -> list[str]:
    """Return a sentence for every broken relation between ``figures``' values.

    ``relations_of`` holds the figures whose ``relations`` count (the library's, so that a
    .brief cannot drop them); ``only`` limits the check to relations naming that figure.
    Values in different units of one dimension are compared after conversion.
    """
    problems = []
    for figure_id, declared in relations_of.items():
        figure = figures.get(figure_id)
        if figure is None:
            continue
        for relation in declared.relations:
            if only is not None and only not in (figure_id, relation.other):
                continue
            left = figure.value * units[figure.unit].factor
            if relation.other == AS_OF:
                if figure.as_of is None:
                    continue
                right = Decimal(figure.as_of.year)
                left = figure.value
                if _holds(relation.op, left, right):
                    continue
                problems.append(
                    f"figure {figure_id} ({figure.label.en or figure.label.ar}) {figure.value} "
                    f"must be {RELATION_OPS[relation.op]} the year of its date, {right}"
                )
                continue
            other = figures.get(relation.other)
            if other is None:
                continue
            right = other.value * units[other.unit].factor
            if relation.op == "later_than":
                left, right = figure.value, other.value
            if _holds(relation.op, left, right):
                continue
            problems.append(
                f"figure {figure_id} ({figure.label.en or figure.label.ar}) {figure.value} "
                f"{figure.unit} must be {RELATION_OPS[relation.op]} figure {other.id} "
                f"({other.label.en or other.label.ar}) {other.value} {other.unit}"
            )
    return problems


@dataclass(frozen=True)
class ChartItem:
    """One bar, slice or mark of a chart: a figure, optionally scaled.

    The plotted value is ``figure.value * scale * times.value / per.value`` (``times``
    and ``per`` are optional figure ids), converted to the chart's unit; so 250 kt in
    7 months annualised is ``scale=12, per="btk_period_months"``.
    """

    figure: str
    label: LocalText = field(default_factory=LocalText)
    scale: Decimal = Decimal(1)
    per: str | None = None
    times: str | None = None
    role: str = ""


@dataclass(frozen=True)
class ChartSpec:
    """A chart bound to figure ids; rendering turns it into a picture per language."""

    id: str
    kind: str
    title: LocalText
    unit: str
    items: tuple[ChartItem, ...]
    caption: LocalText = field(default_factory=LocalText)
    maximum: str | None = None  # figure id giving the scale's end (e.g. a capacity)
    remainder: LocalText = field(default_factory=LocalText)  # label of the rest of a whole


@dataclass(frozen=True)
class Section:
    """A content section: title and body in both languages, and what it cites."""

    id: str
    title: LocalText
    body: LocalText
    key_point: LocalText = field(default_factory=LocalText)
    talking_points: tuple[LocalText, ...] = ()
    charts: tuple[str, ...] = ()
    custom: bool = False
    figures: tuple[Figure, ...] = ()  # a user's section may bring its own figures

    def paragraphs(self, lang: Lang) -> list[str]:
        """Return the body's paragraphs in ``lang`` (blank lines separate them)."""
        return split_paragraphs(self.body.get(lang))

    def cited_figures(self) -> list[str]:
        """Return the figure ids the section's texts cite, in order of first use."""
        seen: dict[str, None] = {}
        texts = [self.body.ar, self.body.en, self.key_point.ar, self.key_point.en]
        for point in self.talking_points:
            texts += [point.ar, point.en]
        for text in texts:
            for match in PLACEHOLDER.finditer(text):
                seen.setdefault(match.group(2), None)
        return list(seen)


def split_paragraphs(text: str) -> list[str]:
    """Return the paragraphs of ``text``: blank-line separated, inner newlines joined."""
    paragraphs = []
    for chunk in re.split(r"\n[ \t\u00a0]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        joined = " ".join(line.strip() for line in chunk.split("\n") if line.strip())
        if joined:
            paragraphs.append(joined)
    return paragraphs


# Security markings: one level, worded in each language. A brief or template names a
# level; free text is allowed only when both languages are filled.
MARKING_LEVELS: dict[str, LocalText] = {
    "unclassified": LocalText(ar="غير مصنف", en="UNCLASSIFIED"),
    "restricted": LocalText(ar="مقيد", en="RESTRICTED"),
    "confidential": LocalText(ar="سري", en="CONFIDENTIAL"),
    "secret": LocalText(ar="سري للغاية", en="SECRET"),
}


def marking_for_level(level: str) -> LocalText:
    """Return the wording of a marking level, or raise naming the known ones."""
    key = level.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in MARKING_LEVELS:
        raise BriefingError(
            f"unknown marking level {level!r} (use {', '.join(MARKING_LEVELS)})"
        )
    return MARKING_LEVELS[key]


def _fold_marking(text: str) -> str:
    return " ".join(text.replace("\u0640", "").split()).casefold()


def marking_level_of(text: str, lang: Lang) -> str | None:
    """Return the level whose ``lang`` wording ``text`` is, or None for other text."""
    folded = _fold_marking(text)
    for level, wording in MARKING_LEVELS.items():
        if folded == _fold_marking(wording.get(lang, fallback=False)):
            return level
    return None


def level_of_marking(marking: LocalText) -> str | None:
    """Return the level both languages of ``marking`` name, else None."""
    ar, en = marking_level_of(marking.ar, "ar"), marking_level_of(marking.en, "en")
    return ar if ar is not None and ar == en else None


def check_marking(marking: LocalText, where: str = "marking") -> None:
    """Raise if a marking's free text is in one language only."""
    if bool(marking.ar.strip()) != bool(marking.en.strip()):
        missing = "Arabic" if not marking.ar.strip() else "English"
        raise BriefingError(
            f"{where}: the {missing} wording is empty; fill both languages or choose a level "
            f"({', '.join(MARKING_LEVELS)})"
        )


def marking_warnings(marking: LocalText, where: str = "marking") -> list[str]:
    """Return a warning when the Arabic and English wordings name different levels."""
    ar, en = marking_level_of(marking.ar, "ar"), marking_level_of(marking.en, "en")
    if ar is not None and en is not None and ar != en:
        return [
            f"{where}: Arabic {marking.ar.strip()!r} is {ar} but English "
            f"{marking.en.strip()!r} is {en}"
        ]
    return []


@dataclass(frozen=True)
class BriefMeta:
    """What the cover block says: title, recipient, drafter, date, reference, marking."""

    title: LocalText = field(default_factory=LocalText)
    subtitle: LocalText = field(default_factory=LocalText)
    recipient: LocalText = field(default_factory=LocalText)
    drafter: LocalText = field(default_factory=LocalText)
    date: date | None = None
    reference: str = ""
    marking: LocalText | None = None  # None: the template's marking
    distribution: LocalText = field(default_factory=LocalText)  # who receives copies


@dataclass(frozen=True)
class Brief:
    """Everything a user decides: sections and order, figure edits, languages, template."""

    meta: BriefMeta = field(default_factory=BriefMeta)
    sections: tuple[str, ...] = ()
    custom_sections: tuple[Section, ...] = ()
    figure_overrides: tuple[Figure, ...] = ()
    languages: tuple[OutputLang, ...] = ("ar",)
    template: str = "ministry"
    digits: DigitStyle = "latin"
    # Calendar(s) and Arabic month names for dates; None: the template's choice.
    calendar: str | None = None
    months: str | None = None
    # Which talking points the brief keeps, by rank: "" the first DEFAULT_TALKING_POINTS,
    # "5" the first five, "1,3,4" those three (see check_talking_points).
    talking_points: str = ""

    def override(self, figure_id: str) -> Figure | None:
        """Return the user's version of a figure, if any."""
        for figure in self.figure_overrides:
            if figure.id == figure_id:
                return figure
        return None

    def custom(self, section_id: str) -> Section | None:
        """Return the user's own section with this id, if any."""
        for section in self.custom_sections:
            if section.id == section_id:
                return section
        return None


DEFAULT_TALKING_POINTS = 6


def check_talking_points(value: str) -> tuple[int, ...] | int:
    """Return the talking points asked for: a count ("5") or ranks ("1,3,4", from 1).

    An empty value is the default count. Anything else raises naming the value.
    """
    text = value.strip()
    if not text:
        return DEFAULT_TALKING_POINTS
    parts = [part.strip() for part in text.split(",")]
    if not all(part.isdigit() and int(part) > 0 for part in parts if part) or not any(parts):
        raise BriefingError(
            f"talking points {value!r}: give a count (5) or ranks from 1 (1,3,4)"
        )
    if "," not in text:
        return int(text)
    return tuple(dict.fromkeys(int(part) for part in parts if part))


def check_languages(values: list[str] | tuple[str, ...]) -> tuple[OutputLang, ...]:
    """Return the output languages, or raise naming the unknown one."""
    chosen = _check_choices(values, OUTPUT_LANGS, "language", "ar, en or bi")
    return cast(tuple[OutputLang, ...], chosen)


def check_formats(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Return the output formats, or raise naming the unknown one."""
    return _check_choices(values, FORMATS, "format", "pdf or docx")


def _check_choices(
    values: list[str] | tuple[str, ...], allowed: tuple[str, ...], what: str, choices: str
) -> tuple[str, ...]:
    """Return ``values`` without repeats, in order; refuse an unknown one and an empty list."""
    result: list[str] = []
    for value in values:
        if value not in allowed:
            raise BriefingError(f"unknown {what} {value!r} (use {choices})")
        if value not in result:
            result.append(value)
    if not result:
        raise BriefingError(f"no {what} given (use {choices})")
    return tuple(result)


def check_digits(value: str) -> DigitStyle:
    """Return the digit style, or raise naming the bad value."""
    if value not in DIGIT_STYLES:
        raise BriefingError(f"unknown digit style {value!r} (use latin or arabic)")
    return value
