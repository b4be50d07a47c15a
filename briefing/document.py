"""Brief + library + template -> Document: ordered blocks with language and numbers resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from briefing.calendars import Calendar, MonthStyle
from briefing.chartdata import ChartData, resolve_chart
from briefing.errors import BriefingError
from briefing.library import Library, with_section_figures
from briefing.model import (
    PLACEHOLDER,
    Brief,
    DigitStyle,
    Figure,
    Lang,
    LocalText,
    OutputLang,
    Section,
    check_talking_points,
)
from briefing.numbers import (
    figure_number,
    figure_phrase,
    figure_unit_cell,
    figure_value_cell,
    format_date,
    localize_digits,
    localize_text,
    tie,
)
from briefing.templates import Template
from briefing.typography import NBSP, quotes, tie_last_words

# Fixed wording of the brief's furniture, per language.
LABELS: dict[str, LocalText] = {
    "key_points": LocalText(ar="النقاط الرئيسية", en="Key points"),
    "key_figures": LocalText(ar="الأرقام الرئيسية", en="Key figures"),
    "talking_points": LocalText(ar="نقاط للحديث", en="Talking points"),
    "sources": LocalText(ar="ملحق المصادر", en="Sources annex"),
    "figure": LocalText(ar="المؤشر", en="Figure"),
    "figures": LocalText(ar="المؤشرات", en="Figures"),
    "value": LocalText(ar="القيمة", en="Value"),
    "unit": LocalText(ar="الوحدة", en="Unit"),
    "as_of": LocalText(ar="بتاريخ", en="As of"),
    "source": LocalText(ar="المصدر", en="Source"),
    "recipient": LocalText(ar="إلى", en="To"),
    "drafter": LocalText(ar="من", en="From"),
    "subject": LocalText(ar="الموضوع", en="Subject"),
    "date": LocalText(ar="التاريخ", en="Date"),
    "reference": LocalText(ar="المرجع", en="Reference"),
    "distribution": LocalText(ar="التوزيع", en="Distribution"),
    "chart": LocalText(ar="الشكل", en="Figure"),
    "contents": LocalText(ar="المحتويات", en="Contents"),
}

DEFAULT_TITLE = LocalText(
    ar="التعاون بين أذربيجان وكازاخستان في النقل العابر والطاقة",
    en="Azerbaijan–Kazakhstan cooperation in transit and energy",
)
DEFAULT_SUBTITLE = LocalText(
    ar="الممر الأوسط والموانئ والسكك الحديدية والطاقة الخضراء",
    en="The Middle Corridor, ports, railways and green energy",
)


@dataclass(frozen=True)
class Cover:
    """The cover block: title, subtitle and labelled fields (To, From, Subject …)."""

    lang: Lang
    title: str
    subtitle: str
    fields: tuple[tuple[str, str], ...]
    style: str
    authority: tuple[str, ...] = ()  # lines naming the issuing ministry and department
    distribution: str = ""  # "Distribution: …", printed under the fields


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 headings open sections and become bookmarks."""

    lang: Lang
    text: str
    level: int
    number: str = ""
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text in logical order (renderers shape and reorder)."""

    lang: Lang
    text: str
    role: str = "body"  # body | lead | caption | note


@dataclass(frozen=True)
class BulletList:
    """A bulleted list (key points, talking points)."""

    lang: Lang
    items: tuple[str, ...]
    role: str = "bullets"  # bullets | key_points | talking_points


@dataclass(frozen=True)
class Table:
    """A table: header and rows of cell texts; ``numeric`` columns hold numbers."""

    lang: Lang
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    role: str = "key_figures"  # key_figures | sources
    numeric: tuple[int, ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths, in logical order
    nowrap: tuple[int, ...] = ()  # columns whose cells never wrap (values, dates)


@dataclass(frozen=True)
class Chart:
    """A chart picture with its caption and alternative text."""

    lang: Lang
    data: ChartData
    caption: str
    alt: str
    number: int


@dataclass(frozen=True)
class Parallel:
    """Arabic and English blocks laid side by side (bilingual briefs), Arabic on the right."""

    ar: tuple[Block, ...]
    en: tuple[Block, ...]
    role: str = ""


@dataclass(frozen=True)
class ParallelList:
    """A bilingual list (key points, talking points): each item one row, Arabic on the right.

    ``items`` pairs each Arabic item with its English translation, so that both start
    level and break across pages together.
    """

    ar: Heading
    en: Heading
    items: tuple[tuple[str, str], ...]  # (Arabic, English)
    role: str = "bullets"  # key_points | talking_points


@dataclass(frozen=True)
class ParallelTable:
    """One bilingual table: English columns on the left, Arabic columns mirrored on the right.

    ``ar`` and ``en`` have the same columns and rows (row ``i`` of each is the same
    figure), so every row is one line of the table in both languages.
    """

    ar_heading: Heading
    en_heading: Heading
    ar: Table
    en: Table
    role: str = "key_figures"  # key_figures | sources


Block = (
    Cover
    | Heading
    | Paragraph
    | BulletList
    | Table
    | Chart
    | Parallel
    | ParallelList
    | ParallelTable
)

def unbroken(text: str) -> str:
    """Return ``text`` with its spaces made no-break spaces (a value kept on one line)."""
    return " ".join(text.split()).replace(" ", NBSP)


@dataclass(frozen=True)
class Document:
    """One brief in one output language, ready for a renderer."""

    lang: OutputLang
    langs: tuple[Lang, ...]
    digits: DigitStyle
    title: str
    subject: str
    author: str
    marking: dict[Lang, str] = field(hash=False)
    header: dict[Lang, str] = field(hash=False)
    footer: dict[Lang, str] = field(hash=False)
    blocks: tuple[Block, ...]
    template: Template
    date: date | None = None
    brief_key: str = ""  # which brief the file comes from, written into its properties

    @property
    def language_tag(self) -> str:
        """Return the BCP 47 tag of the main language."""
        return "ar" if self.lang in ("ar", "bi") else "en"

    def page_text(self, template_text: str, page: int, pages: int, lang: Lang) -> str:
        """Return header/footer text with the page fields filled in the brief's digits."""
        text = template_text.replace("{page}", str(page)).replace("{pages}", str(pages))
        return localize_text(text, lang, self.digits)


def effective_figures(brief: Brief, library: Library) -> dict[str, Figure]:
    """Return every figure as the brief sees it: library values with the user's edits.

    The figures users' own sections bring count as library figures.
    """
    figures = dict(with_section_figures(library, brief.custom_sections).figures)
    for figure in brief.figure_overrides:
        if figure.id not in figures:
            raise BriefingError(f"figure {figure.id!r} is not in the library")
        figures[figure.id] = figure
    return figures


def selected_sections(brief: Brief, library: Library) -> list[Section]:
    """Return the brief's sections in order, library and custom, or raise on an unknown id."""
    sections = []
    for section_id in brief.sections:
        section = brief.custom(section_id) or library.section(section_id)
        if section is None:
            known = ", ".join(library.section_ids())
            raise BriefingError(f"unknown section {section_id!r} (library: {known})")
        sections.append(section)
    return sections


def date_style(brief: Brief, template: Template) -> tuple[Calendar, MonthStyle]:
    """Return the calendar(s) and Arabic month names: the brief's choice, else the template's."""
    return brief.calendar or template.calendar, brief.months or template.months


class _Builder:
    """Build the blocks of one language; shared by single-language and bilingual briefs."""

    def __init__(self, brief: Brief, library: Library, template: Template) -> None:
        self.brief = brief
        self.library = with_section_figures(library, brief.custom_sections)
        self.template = template
        self.figures = effective_figures(brief, library)
        self.sections = selected_sections(brief, library)
        self.digits = brief.digits
        self.calendar, self.months = date_style(brief, template)

    # -- text -------------------------------------------------------------------------------
    def date(self, value: date | None, lang: Lang) -> str:
        """Return ``value`` in the brief's digits, calendar(s) and month-name style."""
        return format_date(value, lang, self.digits, self.calendar, self.months)

    def fill(self, text: str, lang: Lang, where: str) -> str:
        """Return ``text`` with figure placeholders replaced by formatted figures."""

        def replace(match: re.Match[str]) -> str:
            figure = self.figures.get(match.group(2))
            if figure is None:
                raise BriefingError(f"{where} cites unknown figure {match.group(2)!r}")
            if match.group(1) == "val":
                return figure_number(figure, lang, self.digits)
            unit = self.library.units[figure.unit]
            return tie(figure_phrase(figure, unit, lang, self.digits))

        return self.local(quotes(PLACEHOLDER.sub(replace, text), lang), lang)

    def local(self, text: str, lang: Lang) -> str:
        """Return content text in the brief's digits (Arabic words only, see localize_text)."""
        return localize_text(text, lang, self.digits)

    def running(self, text: str, lang: Lang, where: str) -> str:
        """Return a paragraph, list item or caption filled, with its last two words tied."""
        return tie_last_words(self.fill(text, lang, where))

    def label(self, key: str, lang: Lang) -> str:
        return LABELS[key].get(lang)

    def number(self, value: int, lang: Lang) -> str:
        return localize_digits(str(value), lang, self.digits)

    def cited(self) -> list[Figure]:
        """Return the figures the selected sections cite, in order of first use."""
        seen: dict[str, Figure] = {}
        for section in self.sections:
            for figure_id in section.cited_figures():
                if figure_id in self.figures:
                    seen.setdefault(figure_id, self.figures[figure_id])
            for chart_id in section.charts if self.template.charts else ():
                spec = self.library.charts.get(chart_id)
                for item in spec.items if spec else ():
                    seen.setdefault(item.figure, self.figures[item.figure])
        return list(seen.values())

    def title(self, lang: Lang) -> str:
        # Never the other language's title: the shipped one in this language instead.
        title = self.brief.meta.title.get(lang, fallback=False) or DEFAULT_TITLE.get(lang)
        return self.local(title, lang)

    def subtitle(self, lang: Lang) -> str:
        subtitle = self.brief.meta.subtitle.get(lang, fallback=False) or DEFAULT_SUBTITLE.get(lang)
        return self.local(subtitle, lang)

    # -- blocks -----------------------------------------------------------------------------
    def cover(self, lang: Lang) -> list[Block]:
        meta = self.brief.meta
        values = {
            "recipient": self.local(meta.recipient.get(lang, fallback=False), lang),
            "drafter": self.local(meta.drafter.get(lang, fallback=False), lang),
            "subject": self.title(lang),
            "date": self.date(meta.date, lang),
            "reference": meta.reference,
        }
        fields = tuple(
            (self.label(name, lang), values[name])
            for name in self.template.cover_fields
            if values[name]
        )
        return [
            Cover(
                lang=lang,
                title=self.title(lang),
                subtitle=self.subtitle(lang),
                fields=fields,
                style=self.template.cover_style,
                authority=tuple(
                    line.strip()
                    for line in self.template.authority.get(lang).splitlines()
                    if line.strip()
                ),
                distribution=(
                    f"{self.label('distribution', lang)}: {meta.distribution.get(lang)}"
                    if not meta.distribution.is_empty()
                    else ""
                ),
            )
        ]

    def list_items(self, role: str) -> list[tuple[LocalText, str]]:
        """Return the items of the key points or talking points, each with where it is from."""
        if role == "key_points":
            return [
                (s.key_point, f"section {s.id} key point")
                for s in self.sections
                if not s.key_point.is_empty()
            ]
        return [
            (point, f"section {section.id} talking point")
            for section, point in self.chosen_talking_points()
        ]

    def parallel_list(self, role: str) -> list[Block]:
        """Return key points or talking points as one bilingual list, item beside item."""
        items = tuple(
            (self.running(text.get("ar"), "ar", where), self.running(text.get("en"), "en", where))
            for text, where in self.list_items(role)
        )
        if not items:
            return []
        ar, en = (Heading(code, self.label(role, code), 2, anchor=role) for code in ("ar", "en"))
        return [ParallelList(ar, en, items, role=role)]

    def parallel_table(self, role: str) -> list[Block]:
        """Return the key figures or the sources as one bilingual table, row beside row."""
        make = self.key_figures if role == "key_figures" else self.sources
        ar, en = make("ar", joined=True), make("en", joined=True)
        if not ar or not en:
            return []
        ar_heading, ar_table = ar
        en_heading, en_table = en
        assert isinstance(ar_heading, Heading) and isinstance(en_heading, Heading)
        assert isinstance(ar_table, Table) and isinstance(en_table, Table)
        return [ParallelTable(ar_heading, en_heading, ar_table, en_table, role=role)]

    def key_points(self, lang: Lang) -> list[Block]:
        return self.bullet_list("key_points", lang)

    def bullet_list(self, role: str, lang: Lang) -> list[Block]:
        """Return the key points or talking points in ``lang`` under their heading."""
        items = tuple(
            self.running(text.get(lang), lang, where) for text, where in self.list_items(role)
        )
        if not items:
            return []
        return [
            Heading(lang, self.label(role, lang), 2, anchor=role),
            BulletList(lang, items, role=role),
        ]

    def key_figures(self, lang: Lang, joined: bool = False) -> list[Block]:
        """Return the key-figures table; ``joined`` puts value and unit in one cell."""
        figures = self.cited()
        if not figures:
            return []
        heading = Heading(lang, self.label("key_figures", lang), 2, anchor="key_figures")
        units = self.library.units
        if joined:
            rows = tuple(
                (
                    self.local(figure.label.get(lang), lang),
                    unbroken(
                        f"{figure_value_cell(figure, lang, self.digits)} "
                        f"{self.local(figure_unit_cell(figure, units[figure.unit], lang), lang)}"
                    ),
                    unbroken(self.date(figure.as_of, lang)),
                )
                for figure in figures
            )
            header = tuple(self.label(k, lang) for k in ("figure", "value", "as_of"))
            table = Table(
                lang, header, rows, role="key_figures", numeric=(1,), widths=(4.2, 2.4, 2.3),
                nowrap=(1, 2),
            )
            return [heading, table]
        rows = tuple(
            (
                self.local(figure.label.get(lang), lang),
                figure_value_cell(figure, lang, self.digits).replace(" ", NBSP),
                tie(self.local(figure_unit_cell(figure, units[figure.unit], lang), lang)),
                self.date(figure.as_of, lang),
            )
            for figure in figures
        )
        header = tuple(self.label(k, lang) for k in ("figure", "value", "unit", "as_of"))
        return [
            heading,
            Table(
                lang, header, rows, role="key_figures", numeric=(1,), widths=(4.2, 1.9, 1.6, 2.3)
            ),
        ]

    def section_heading(self, section: Section, index: int, lang: Lang) -> Heading:
        number = f"{self.number(index, lang)}." if self.template.numbered_headings else ""
        title = self.fill(section.title.get(lang), lang, f"section {section.id} title")
        return Heading(lang, title, 1, number=number, anchor=f"section-{section.id}")

    def paragraphs(self, section: Section, lang: Lang) -> list[str]:
        return [
            self.running(text, lang, f"section {section.id}") for text in section.paragraphs(lang)
        ]

    def charts(self, section: Section, lang: Lang, first_number: int) -> list[Chart]:
        if not self.template.charts:
            return []
        charts = []
        for offset, chart_id in enumerate(section.charts):
            spec = self.library.charts[chart_id]
            figure = self.figures[spec.items[0].figure]
            source = self.local(figure.source.get(lang), lang)
            where = f"chart {spec.id}"

            def fill(text: str, lang: Lang = lang, where: str = where) -> str:
                return self.fill(text, lang, where)

            data = resolve_chart(
                spec, self.figures, self.library.units, lang, self.digits, source, fill=fill
            )
            number = first_number + offset
            caption_text = fill(spec.caption.get(lang)) or data.title
            caption = tie_last_words(
                f"{self.label('chart', lang)} {self.number(number, lang)}: {caption_text}"
            )
            alt = "; ".join(
                f"{category}: {value}"
                for category, value in zip(data.categories, data.value_labels, strict=True)
            )
            alt = f"{data.title}. {alt}. {self.label('source', lang)}: {source}"
            charts.append(Chart(lang, data, caption, alt, number))
        return charts

    def ranked_talking_points(self) -> list[tuple[Section, LocalText]]:
        """Return every talking point by rank: each section's first point in section
        order, then each section's second, and so on, so that the first few cover the
        whole brief rather than its first section."""
        per_section = [
            [point for point in section.talking_points if not point.is_empty()]
            for section in self.sections
        ]
        ranked: list[tuple[Section, LocalText]] = []
        for depth in range(max((len(points) for points in per_section), default=0)):
            for section, points in zip(self.sections, per_section, strict=True):
                if depth < len(points):
                    ranked.append((section, points[depth]))
        return ranked

    def chosen_talking_points(self) -> list[tuple[Section, LocalText]]:
        """Return the talking points the brief keeps (see Brief.talking_points), by rank."""
        ranked = self.ranked_talking_points()
        wanted = check_talking_points(self.brief.talking_points)
        if isinstance(wanted, int):
            return ranked[:wanted]
        return [ranked[rank - 1] for rank in sorted(wanted) if rank <= len(ranked)]

    def talking_points(self, lang: Lang) -> list[Block]:
        return self.bullet_list("talking_points", lang)

    def sources(self, lang: Lang, joined: bool = False) -> list[Block]:
        """Return the sources annex; ``joined`` (bilingual) keeps each date on one line."""
        figures = self.cited()
        if not figures:
            return []
        keep = unbroken if joined else str
        # One row per source and date, listing the figures it gives: a source that gives
        # fifteen figures is named once, not fifteen times.
        grouped: dict[tuple[str, str], list[str]] = {}
        for figure in figures:
            key = (
                self.local(figure.source.get(lang), lang),
                keep(self.date(figure.as_of, lang)),
            )
            grouped.setdefault(key, []).append(self.local(figure.label.get(lang), lang))
        separator = "، " if lang == "ar" else "; "
        rows = tuple(
            (source, separator.join(labels), when) for (source, when), labels in grouped.items()
        )
        header = tuple(self.label(k, lang) for k in ("source", "figures", "as_of"))
        return [
            Heading(lang, self.label("sources", lang), 2, anchor="sources"),
            Table(lang, header, rows, role="sources", widths=(3.5, 5.0, 2.0), nowrap=(2,)),
        ]


BRIEF_KEY_PREFIX = "briefing-brief:"


def brief_key(brief: Brief) -> str:
    """Return the mark naming a brief in its exported files: its reference, else its title.

    Re-exporting a brief finds its own mark in the files it replaces; another brief's
    files carry another mark.
    """
    import hashlib

    meta = brief.meta
    source = meta.reference.strip() or f"{meta.title.ar.strip()}\n{meta.title.en.strip()}"
    return BRIEF_KEY_PREFIX + hashlib.sha256(source.encode("utf-8")).hexdigest()[:20]


LANGUAGE_NAMES = {"ar": "Arabic", "en": "English"}


def untranslated_fields(brief: Brief, lang: Lang) -> list[str]:
    """Return the fields that have text only in the other language than ``lang``.

    Title and subtitle are not among them: a document in ``lang`` uses the shipped
    ones in its own language instead.
    """
    other: Lang = "en" if lang == "ar" else "ar"

    def only_other(text: LocalText) -> bool:
        return bool(text.get(other, fallback=False).strip()) and not text.get(
            lang, fallback=False
        ).strip()

    missing = []
    meta = brief.meta
    for name, text in (("To", meta.recipient), ("From", meta.drafter)):
        if only_other(text):
            missing.append(name)
    for section in brief.custom_sections:
        if section.id not in brief.sections:
            continue
        parts = [("title", section.title), ("body", section.body)]
        parts.append(("key point", section.key_point))
        parts += [(f"talking point {n}", p) for n, p in enumerate(section.talking_points, 1)]
        for part, text in parts:
            if only_other(text):
                missing.append(f"section {section.id} {part}")
    return missing


def check_text_languages(brief: Brief, langs: tuple[Lang, ...]) -> None:
    """Raise naming the fields a document in ``langs`` would have to borrow from the other."""
    for code in langs:
        missing = untranslated_fields(brief, code)
        if missing:
            raise BriefingError(
                f"the {LANGUAGE_NAMES[code]} brief has no {LANGUAGE_NAMES[code]} text for: "
                + ", ".join(missing)
            )


def build_document(
    brief: Brief, library: Library, template: Template, lang: OutputLang
) -> Document:
    """Return the document of ``brief`` in ``lang`` ("ar", "en" or "bi")."""
    builder = _Builder(brief, library, template)
    langs: tuple[Lang, ...] = ("ar", "en") if lang == "bi" else (lang,)
    check_text_languages(brief, langs)
    blocks: list[Block] = []
    for name in template.blocks:
        if name == "sections":
            blocks += _section_blocks(builder, langs)
            continue
        if len(langs) == 2 and name in ("key_points", "talking_points"):
            blocks += builder.parallel_list(name)
            continue
        if len(langs) == 2 and name in ("key_figures", "sources"):
            blocks += builder.parallel_table(name)
            continue
        make = getattr(builder, name)
        if len(langs) == 1:
            blocks += make(langs[0])
        else:
            ar, en = make("ar"), make("en")
            if ar or en:
                blocks.append(Parallel(tuple(ar), tuple(en), role=name))
    marking_text = brief.meta.marking if brief.meta.marking is not None else template.marking
    meta_values = {
        "title": {code: builder.title(code) for code in langs},
        "date": {code: builder.date(brief.meta.date, code) for code in langs},
        "reference": {code: brief.meta.reference for code in langs},
        "marking": {code: marking_text.get(code, fallback=False) for code in langs},
    }

    def page_template(text: LocalText, code: Lang) -> str:
        result = text.get(code)
        for name, values in meta_values.items():
            result = result.replace("{" + name + "}", values[code])
        return localize_text(result.strip(), code, brief.digits)

    title = " / ".join(builder.title(code) for code in langs)
    return Document(
        lang=lang,
        langs=langs,
        digits=brief.digits,
        title=title,
        subject=" / ".join(builder.subtitle(c) for c in langs),
        author=" / ".join(
            dict.fromkeys(d for c in langs if (d := brief.meta.drafter.get(c, fallback=False)))
        )
        or "Briefing",
        marking={code: marking_text.get(code, fallback=False) for code in langs},
        header={code: page_template(template.header, code) for code in langs},
        footer={code: page_template(template.footer, code) for code in langs},
        blocks=tuple(blocks),
        template=template,
        date=brief.meta.date,
        brief_key=brief_key(brief),
    )


def _section_blocks(builder: _Builder, langs: tuple[Lang, ...]) -> list[Block]:
    blocks: list[Block] = []
    chart_number = 1
    for index, section in enumerate(builder.sections, start=1):
        if len(langs) == 1:
            lang = langs[0]
            blocks.append(builder.section_heading(section, index, lang))
            blocks += [Paragraph(lang, text) for text in builder.paragraphs(section, lang)]
            charts = builder.charts(section, lang, chart_number)
            blocks += charts
            chart_number += len(charts)
            continue
        blocks.append(
            Parallel(
                (builder.section_heading(section, index, "ar"),),
                (builder.section_heading(section, index, "en"),),
                role="heading",
            )
        )
        ar_paragraphs = builder.paragraphs(section, "ar")
        en_paragraphs = builder.paragraphs(section, "en")
        for position in range(max(len(ar_paragraphs), len(en_paragraphs))):
            pair_ar = ar_paragraphs[position : position + 1]
            pair_en = en_paragraphs[position : position + 1]
            blocks.append(
                Parallel(
                    tuple(Paragraph("ar", t) for t in pair_ar),
                    tuple(Paragraph("en", t) for t in pair_en),
                    role="paragraph",
                )
            )
        ar_charts = builder.charts(section, "ar", chart_number)
        en_charts = builder.charts(section, "en", chart_number)
        for chart_ar, chart_en in zip(ar_charts, en_charts, strict=True):
            blocks.append(Parallel((chart_ar,), (chart_en,), role="chart"))
        chart_number += len(ar_charts)
    return blocks
