"""Brief + library + template -> Document: ordered blocks with language and numbers resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

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
)
from briefing.numbers import (
    figure_number,
    figure_phrase,
    figure_value_cell,
    format_date,
    localize_digits,
    unit_short,
)
from briefing.templates import Template

# Fixed wording of the brief's furniture, per language.
LABELS: dict[str, LocalText] = {
    "key_points": LocalText(ar="النقاط الرئيسية", en="Key points"),
    "key_figures": LocalText(ar="الأرقام الرئيسية", en="Key figures"),
    "talking_points": LocalText(ar="نقاط للحديث", en="Talking points"),
    "sources": LocalText(ar="ملحق المصادر", en="Sources annex"),
    "figure": LocalText(ar="المؤشر", en="Figure"),
    "value": LocalText(ar="القيمة", en="Value"),
    "unit": LocalText(ar="الوحدة", en="Unit"),
    "as_of": LocalText(ar="بتاريخ", en="As of"),
    "source": LocalText(ar="المصدر", en="Source"),
    "recipient": LocalText(ar="إلى", en="To"),
    "drafter": LocalText(ar="من", en="From"),
    "subject": LocalText(ar="الموضوع", en="Subject"),
    "date": LocalText(ar="التاريخ", en="Date"),
    "reference": LocalText(ar="المرجع", en="Reference"),
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


Block = Cover | Heading | Paragraph | BulletList | Table | Chart | Parallel


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

    @property
    def language_tag(self) -> str:
        """Return the BCP 47 tag of the main language."""
        return "ar" if self.lang in ("ar", "bi") else "en"

    def page_text(self, template_text: str, page: int, pages: int, lang: Lang) -> str:
        """Return header/footer text with the page fields filled in the brief's digits."""
        text = template_text.replace("{page}", str(page)).replace("{pages}", str(pages))
        return localize_digits(text, lang, self.digits)


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


class _Builder:
    """Build the blocks of one language; shared by single-language and bilingual briefs."""

    def __init__(self, brief: Brief, library: Library, template: Template) -> None:
        self.brief = brief
        self.library = with_section_figures(library, brief.custom_sections)
        self.template = template
        self.figures = effective_figures(brief, library)
        self.sections = selected_sections(brief, library)
        self.digits = brief.digits

    # -- text -------------------------------------------------------------------------------
    def fill(self, text: str, lang: Lang, where: str) -> str:
        """Return ``text`` with figure placeholders replaced by formatted figures."""

        def replace(match: re.Match[str]) -> str:
            figure = self.figures.get(match.group(2))
            if figure is None:
                raise BriefingError(f"{where} cites unknown figure {match.group(2)!r}")
            if match.group(1) == "val":
                return figure_number(figure, lang, self.digits)
            unit = self.library.units[figure.unit]
            return figure_phrase(figure, unit, lang, self.digits)

        return PLACEHOLDER.sub(replace, text)

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
        title = self.brief.meta.title
        return (title if not title.is_empty() else DEFAULT_TITLE).get(lang)

    # -- blocks -----------------------------------------------------------------------------
    def cover(self, lang: Lang) -> list[Block]:
        meta = self.brief.meta
        subtitle = meta.subtitle if not meta.subtitle.is_empty() else DEFAULT_SUBTITLE
        values = {
            "recipient": meta.recipient.get(lang),
            "drafter": meta.drafter.get(lang),
            "subject": self.title(lang),
            "date": format_date(meta.date, lang, self.digits),
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
                subtitle=subtitle.get(lang),
                fields=fields,
                style=self.template.cover_style,
            )
        ]

    def key_points(self, lang: Lang) -> list[Block]:
        items = tuple(
            self.fill(s.key_point.get(lang), lang, f"section {s.id} key point")
            for s in self.sections
            if not s.key_point.is_empty()
        )
        if not items:
            return []
        return [
            Heading(lang, self.label("key_points", lang), 2, anchor="key_points"),
            BulletList(lang, items, role="key_points"),
        ]

    def key_figures(self, lang: Lang) -> list[Block]:
        figures = self.cited()
        if not figures:
            return []
        rows = tuple(
            (
                figure.label.get(lang),
                figure_value_cell(figure, lang, self.digits),
                unit_short(self.library.units[figure.unit], lang),
                format_date(figure.as_of, lang, self.digits),
            )
            for figure in figures
        )
        header = tuple(self.label(k, lang) for k in ("figure", "value", "unit", "as_of"))
        return [
            Heading(lang, self.label("key_figures", lang), 2, anchor="key_figures"),
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
            self.fill(text, lang, f"section {section.id}") for text in section.paragraphs(lang)
        ]

    def charts(self, section: Section, lang: Lang, first_number: int) -> list[Chart]:
        if not self.template.charts:
            return []
        charts = []
        for offset, chart_id in enumerate(section.charts):
            spec = self.library.charts[chart_id]
            figure = self.figures[spec.items[0].figure]
            source = figure.source.get(lang)
            where = f"chart {spec.id}"

            def fill(text: str, lang: Lang = lang, where: str = where) -> str:
                return self.fill(text, lang, where)

            data = resolve_chart(
                spec, self.figures, self.library.units, lang, self.digits, source, fill=fill
            )
            number = first_number + offset
            caption_text = fill(spec.caption.get(lang)) or data.title
            caption = f"{self.label('chart', lang)} {self.number(number, lang)}: {caption_text}"
            alt = "; ".join(
                f"{category}: {value}"
                for category, value in zip(data.categories, data.value_labels, strict=True)
            )
            alt = f"{data.title}. {alt}. {self.label('source', lang)}: {source}"
            charts.append(Chart(lang, data, caption, alt, number))
        return charts

    def talking_points(self, lang: Lang) -> list[Block]:
        items = tuple(
            self.fill(point.get(lang), lang, f"section {section.id} talking point")
            for section in self.sections
            for point in section.talking_points
            if not point.is_empty()
        )
        if not items:
            return []
        return [
            Heading(lang, self.label("talking_points", lang), 2, anchor="talking_points"),
            BulletList(lang, items, role="talking_points"),
        ]

    def sources(self, lang: Lang) -> list[Block]:
        figures = self.cited()
        if not figures:
            return []
        rows = tuple(
            (
                figure.label.get(lang),
                figure.source.get(lang),
                format_date(figure.as_of, lang, self.digits),
            )
            for figure in figures
        )
        header = tuple(self.label(k, lang) for k in ("figure", "source", "as_of"))
        return [
            Heading(lang, self.label("sources", lang), 2, anchor="sources"),
            Table(lang, header, rows, role="sources", widths=(4.0, 4.0, 2.0)),
        ]


def build_document(
    brief: Brief, library: Library, template: Template, lang: OutputLang
) -> Document:
    """Return the document of ``brief`` in ``lang`` ("ar", "en" or "bi")."""
    builder = _Builder(brief, library, template)
    langs: tuple[Lang, ...] = ("ar", "en") if lang == "bi" else (lang,)
    blocks: list[Block] = []
    for name in template.blocks:
        if name == "sections":
            blocks += _section_blocks(builder, langs)
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
        "date": {code: format_date(brief.meta.date, code, brief.digits) for code in langs},
        "reference": {code: brief.meta.reference for code in langs},
        "marking": {code: marking_text.get(code, fallback=False) for code in langs},
    }

    def page_template(text: LocalText, code: Lang) -> str:
        result = text.get(code)
        for name, values in meta_values.items():
            result = result.replace("{" + name + "}", values[code])
        return result.strip()

    title = " / ".join(builder.title(code) for code in langs)
    return Document(
        lang=lang,
        langs=langs,
        digits=brief.digits,
        title=title,
        subject=" / ".join(
            (brief.meta.subtitle if not brief.meta.subtitle.is_empty() else DEFAULT_SUBTITLE).get(c)
            for c in langs
        ),
        author=" / ".join(dict.fromkeys(brief.meta.drafter.get(c) for c in langs)) or "Briefing",
        marking={code: marking_text.get(code, fallback=False) for code in langs},
        header={code: page_template(template.header, code) for code in langs},
        footer={code: page_template(template.footer, code) for code in langs},
        blocks=tuple(blocks),
        template=template,
        date=brief.meta.date,
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
