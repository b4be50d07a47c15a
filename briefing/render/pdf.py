"""Render a Document as a PDF brief with reportlab: shaped Arabic, RTL tables, bilingual rows."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import cm, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Frame,
    PageTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import Flowable

from briefing.document import (
    Block,
    BulletList,
    Chart,
    Cover,
    Document,
    Heading,
    Paragraph,
    Parallel,
    ParallelList,
    ParallelTable,
)
from briefing.document import Table as TableBlock
from briefing.errors import BriefingError
from briefing.model import Lang
from briefing.render.pdf_flowables import (
    Box,
    ChartBlock,
    ChartFloat,
    FloatingDocTemplate,
    Picture,
    Rule,
    SideBySide,
    TextBlock,
)
from briefing.render.pdf_tags import Recorder, Tag, TagTree
from briefing.text import Direction, FontSet, TextStyle, draw_lines, font_book, layout_text
from briefing.text.fonts import arabic_scale
from briefing.text.layout import Align, measure_text

# Streams are written as compressed binary: ASCII85 on top only served 7-bit mail
# transport, makes files a quarter larger and, in pure Python, costs most of a render.
rl_config.useA85 = 0

PAGE_SIZES = {"A4": A4, "Letter": LETTER}
GUTTER = 8 * mm  # between the Arabic and English columns of a bilingual brief
BULLET = "•"
CELL_PADDING = 5.0  # points left and right of a table cell's text
FIELD_GAP = re.compile(r"\s{2,}")  # separates the fields of a header or footer


def base_direction(lang: Lang) -> Direction:
    """Return the paragraph direction of a language: right-to-left for Arabic."""
    return "R" if lang == "ar" else "L"


class _Kit:
    """Styles, colours and page geometry of one document, and the blocks-to-flowables rules."""

    def __init__(self, document: Document) -> None:
        self.document = document
        template = document.template
        self.template = template
        typography = template.fonts
        self.fonts = FontSet(typography.arabic, typography.latin)
        font_book(self.fonts)  # registers the template's faces, before layout starts
        body = float(typography.size_body)
        heading = float(typography.size_heading)
        title = float(typography.size_title)
        spacing = float(typography.line_spacing)

        scale = arabic_scale(self.fonts)
        cell_share = 0.8 if document.lang == "bi" else 0.88

        def style(
            size: float, leading: float, bold: bool = False, align: Align = "start"
        ) -> TextStyle:
            return TextStyle(self.fonts, round(size, 2), round(leading, 2), bold, align, scale)

        self.styles: dict[str, TextStyle] = {
            "body": style(body, body * spacing, align="justify"),
            "lead": style(body * 1.08, body * 1.08 * spacing, align="justify"),
            "note": style(body * 0.9, body * 0.9 * spacing),
            "caption": style(body * 0.85, body * 0.85 * 1.45, align="center"),
            "bullet": style(body, body * spacing),
            "heading1": style(heading, heading * 1.5, bold=True),
            "heading2": style(heading * 0.88, heading * 0.88 * 1.5, bold=True),
            "title": style(title, title * 1.5, bold=True),
            "subtitle": style(heading, heading * 1.5),
            # A bilingual brief's tables share half a page: smaller type keeps words whole.
            "cell": style(body * cell_share, body * cell_share * 1.45),
            "cell_head": style(body * cell_share, body * cell_share * 1.45, bold=True),
            "label": style(body, body * 1.6, bold=True),
            "field": style(body, body * 1.6),
            "marking": style(9.5, 12, bold=True, align="center"),
            "running": style(8, 11),
        }
        self.colours: dict[str, Color] = {
            key: HexColor(value) for key, value in template.colours.items()
        }
        page = template.page
        self.page_size = PAGE_SIZES[page.size]
        self.margins = {
            side: float(getattr(page, f"margin_{side}_mm")) * mm
            for side in ("top", "bottom", "left", "right")
        }
        self.width = self.page_size[0] - self.margins["left"] - self.margins["right"]
        self.bilingual = document.lang == "bi"
        self.column = (self.width - GUTTER) / 2 if self.bilingual else self.width
        # Outline titles of bilingual sections: "Arabic heading / English heading".
        self._bookmark_titles: dict[str, str] = {}
        self._covers_without_logo = False  # set while a bilingual cover row is built
        self._cell_scale = 1.0  # type size of a bilingual table, relative to "cell"
        # The tagged PDF's structure, filled as flowables are made, in reading order.
        self.tags = TagTree(document.language_tag)

    @staticmethod
    def _tagged(flowable: TextBlock, tag: Tag) -> TextBlock:
        flowable.tag = tag
        return flowable

    # -- blocks ------------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        """Return the flowables of the whole document.

        A heading starts a new page when less than a few lines' room is left under it,
        instead of being kept with what follows: kept together, a heading and a long
        table would both move on and leave half a page empty. A heading over a chart
        asks for the room of the chart at its least size.

        A chart takes the paragraphs of its section that follow it (see ChartFloat): a
        small one has them beside it, and any chart that does not fit lets them fill
        the page before it.
        """
        flowables = self.flow(self.document.blocks, self.width, boxed=False)
        if not self.bilingual:
            flowables = self._floated(flowables)
        story: list[Flowable] = []
        # Room for lines as tall as the language sets them (Arabic lines are taller).
        base: Direction = "R" if self.document.lang == "ar" else "L"
        body = TextBlock("", base, self.styles["body"], white)
        room = 2 * self.styles["heading1"].leading + 4 * body.text_style.leading
        for position, flowable in enumerate(flowables):
            if isinstance(flowable, (TextBlock, SideBySide)) and flowable.getKeepWithNext():
                flowable.keepWithNext = False
                following = flowables[position + 1] if position + 1 < len(flowables) else None
                needed = room
                if isinstance(following, ChartFloat) and not following.text_first:
                    chart = following.chart
                    width = following._columns(self.width)[0] if following.side else self.width
                    needed = max(room, 2 * self.styles["heading1"].leading
                                 + chart.min_height(width))
                elif following is not None:
                    # A heading may take more lines than two (a bilingual row), and what
                    # follows starts only with two lines of text (of each language) or a
                    # table's first rows: never part them.
                    _, heading = flowable.wrapOn(None, self.width, 1e6)
                    start = self._least_start(following, body.text_style.leading)
                    spaces = flowable.getSpaceBefore() + flowable.getSpaceAfter()
                    needed = max(room, heading + spaces + start)
                story.append(CondPageBreak(needed))
            story.append(flowable)
        return story

    def _least_start(self, flowable: Flowable, step: float) -> float:
        """Return the least height at which ``flowable`` can start at the foot of a page."""
        _, full = flowable.wrapOn(None, self.width, 1e6)
        height = step
        while height < full:
            if flowable.splitOn(None, self.width, height):
                return height
            # Finely over the first lines, coarsely past them (a table's tall first row).
            height += step / 2 if height < 12 * step else 2 * step
        return full

    def _floated(self, flowables: Sequence[Flowable]) -> list[Flowable]:
        """Return ``flowables`` with each chart holding the paragraphs that follow it."""
        result: list[Flowable] = []
        index = 0
        while index < len(flowables):
            flowable = flowables[index]
            index += 1
            if not isinstance(flowable, ChartBlock):
                result.append(flowable)
                continue
            followers: list[Flowable] = []
            while (
                index < len(flowables)
                and isinstance(flowables[index], TextBlock)
                and not flowables[index].getKeepWithNext()
            ):
                followers.append(flowables[index])
                index += 1
            after = bool(followers)
            side = ""
            if flowable.small:
                if not followers:
                    # A chart closing its section stands beside the paragraphs before it.
                    while (
                        result
                        and isinstance(result[-1], TextBlock)
                        and not result[-1].getKeepWithNext()
                        and not result[-1].bullet
                    ):
                        followers.insert(0, result.pop())
                if followers:
                    # On the side a line ends: the left in Arabic, the right in English.
                    side = "left" if self.document.lang == "ar" else "right"
            chart_float = ChartFloat(flowable, followers, side)
            # Text read before the chart: a page may end after some of it.
            chart_float.text_first = bool(side) and not after
            result.append(chart_float)
        return result

    def flow(self, blocks: Sequence[Block], width: float, boxed: bool) -> list[Flowable]:
        """Return the flowables of ``blocks`` set in a column ``width`` wide.

        A key-points heading and its list go in a shaded box unless ``boxed`` says the
        caller already shades them (a bilingual row).
        """
        result: list[Flowable] = []
        index = 0
        while index < len(blocks):
            block = blocks[index]
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if (
                not boxed
                and isinstance(block, Heading)
                and isinstance(following, BulletList)
                and following.role == "key_points"
            ):
                content = [*self.block(block, width), *self.block(following, width)]
                base = base_direction(block.lang)
                result.append(Box(content, self.colours["box"], self.colours["accent"], base))
                index += 2
                continue
            result += self.block(block, width)
            index += 1
        return result

    def block(self, block: Block, width: float) -> list[Flowable]:
        """Return the flowables of one block."""
        if isinstance(block, Parallel):
            return self.parallel(block)
        if isinstance(block, ParallelList):
            return self.parallel_list(block)
        if isinstance(block, ParallelTable):
            return self.parallel_table(block)
        if isinstance(block, Cover):
            return self.cover(block, width)
        if isinstance(block, Heading):
            return [self.heading(block)]
        if isinstance(block, Paragraph):
            return [self.paragraph(block)]
        if isinstance(block, BulletList):
            return self.bullets(block)
        if isinstance(block, TableBlock):
            return [self.table(block, width)]
        if isinstance(block, Chart):
            return self.chart(block, width)
        raise BriefingError(f"PDF: unknown block {type(block).__name__}")

    def parallel(self, block: Parallel) -> list[Flowable]:
        """Return a bilingual row: Arabic blocks on the right, English on the left.

        The two covers of a bilingual brief share one logo, centred above them.
        """
        boxed = block.role == "key_points"
        shared_logo = any(isinstance(b, Cover) and b.style != "none" for b in block.ar)
        self._covers_without_logo = shared_logo
        try:
            right = self.flow(self._titled(block.ar, block.en), self.column, boxed=boxed)
            left = self.flow(self._untitled(block.en), self.column, boxed=boxed)
        finally:
            self._covers_without_logo = False
        if boxed:
            return [
                SideBySide(
                    right,
                    left,
                    GUTTER,
                    background=self.colours["box"],
                    padding=8.0,
                    space_before=4.0,
                    space_after=10.0,
                )
            ]
        heading = block.role == "heading"
        # The two charts of a row float together: both languages keep the same top.
        row = SideBySide(right, left, GUTTER, keep_with_next=heading, floats=block.role == "chart")
        if shared_logo and self.template.logo is not None:
            return [self._logo(None), row]
        return [row]

    def parallel_list(self, block: ParallelList) -> list[Flowable]:
        """Return a bilingual list: one row per item, the Arabic item level with its English one.

        Each row breaks across pages with both items split at the same height, or moves on
        whole; key points sit in one shaded box.
        """
        sides: dict[str, tuple[Flowable, list[Flowable]]] = {}
        for position, lang in enumerate(("ar", "en")):
            heading = self.heading(block.ar if lang == "ar" else block.en)
            style = self.styles["bullet"]
            base = base_direction(lang)
            listing = self.tags.add("L", lang=lang)
            items = [
                self._tagged(
                    TextBlock(
                        pair[position],
                        base,
                        style,
                        self.colours["text"],
                        space_after=style.size * 0.35,
                        indent_start=style.size * 1.4,
                        bullet=BULLET if pair[position] else "",
                    ),
                    listing.child("LI").child("LBody"),
                )
                for pair in block.items
            ]
            sides[lang] = (heading, items)
        (ar_heading, ar_items), (en_heading, en_items) = sides["ar"], sides["en"]
        ar_heading.keepWithNext = en_heading.keepWithNext = False
        rows: list[Flowable] = [SideBySide([ar_heading], [en_heading], GUTTER, keep_with_next=True)]
        rows += [
            SideBySide([right], [left], GUTTER, level=True)
            for right, left in zip(ar_items, en_items, strict=True)
        ]
        if block.role == "key_points":
            return [Box(rows, self.colours["box"], None, "R")]
        return rows

    def parallel_table(self, block: ParallelTable) -> list[Flowable]:
        """Return one bilingual table: English columns on the left, Arabic mirrored on the right.

        Value and date columns are as wide as their widest cell, so that no value wraps;
        the label and source columns share what is left.
        """
        ar_heading = self.heading(block.ar_heading)
        en_heading = self.heading(block.en_heading)
        ar_heading.keepWithNext = en_heading.keepWithNext = False
        heading_row = SideBySide([ar_heading], [en_heading], GUTTER, keep_with_next=True)
        ar, en = block.ar, block.en
        columns = len(en.header)
        table_tag = self.tags.add("Table", lang=self.document.language_tag)
        widths_en = self._parallel_widths(en, ar, self.width)
        base_style = self.styles["cell"]

        def cell(text: str, lang: Lang, column: int, header: bool, row_tag: Tag) -> Flowable:
            table = ar if lang == "ar" else en
            style = self.styles["cell_head" if header else "cell"]
            style = replace(
                style,
                size=base_style.size * self._cell_scale,
                leading=base_style.leading * self._cell_scale,
                align="center" if column in table.numeric else "start",
            )
            colour = self.colours["table_header_text" if header else "text"]
            tag = row_tag.child("TH" if header else "TD", lang=lang, once=header)
            return self._tagged(TextBlock(text, base_direction(lang), style, colour), tag)

        rows = []
        lines = [(ar.header, en.header, True)] + [
            (a, e, False) for a, e in zip(ar.rows, en.rows, strict=True)
        ]
        for ar_cells, en_cells, header in lines:
            row_tag = table_tag.child("TR")
            right = [cell(t, "ar", c, header, row_tag) for c, t in enumerate(ar_cells)]
            left = [cell(t, "en", c, header, row_tag) for c, t in enumerate(en_cells)]
            rows.append([*left, *reversed(right)])
        col_widths = [*widths_en[:columns], *reversed(widths_en[columns:])]
        # A thin rule between the English and the Arabic halves.
        rule = ("LINEAFTER", (columns - 1, 0), (columns - 1, -1), 0.6, self.colours["rule"])
        return [heading_row, self._data_table(rows, col_widths, rule)]

    def _parallel_widths(self, en: TableBlock, ar: TableBlock, width: float) -> list[float]:
        """Return the widths of a bilingual table's columns: English ones, then Arabic ones.

        A column that never wraps is as wide as its widest body cell (a header may wrap);
        if those alone would take more than two thirds of the width, the table's type is
        set smaller until they fit. The other columns share the rest by weight.
        """
        padding = 2 * CELL_PADDING + 2
        columns = len(en.header)
        weights = list(en.widths) if len(en.widths) == columns else [1.0] * columns
        tables = ((en, "L"), (ar, "R"))
        self._cell_scale = 1.0
        for _ in range(6):
            style = replace(
                self.styles["cell"],
                size=self.styles["cell"].size * self._cell_scale,
                leading=self.styles["cell"].leading * self._cell_scale,
            )
            head = replace(style, bold=True)
            natural: list[float] = []
            widest: list[float] = []
            for table, base in tables:
                for column in range(columns):
                    body = [measure_text(row[column], base, style) for row in table.rows]
                    header = measure_text(table.header[column], base, head)
                    if column in table.nowrap:
                        natural.append(max((n for n, _ in body), default=0.0) + padding)
                    else:
                        natural.append(0.0)
                    widest.append(max([header[1], *(w for _, w in body)]) + padding)
            fixed = sum(natural)
            if fixed <= width * 2 / 3:
                break
            self._cell_scale *= 0.92
        free = [c for c in range(2 * columns) if not natural[c]]
        room = width - fixed
        share = sum(weights[c % columns] for c in free) or 1.0
        result = [
            natural[c] if natural[c] else max(widest[c], room * weights[c % columns] / share)
            for c in range(2 * columns)
        ]
        # Wide words may push the free columns past the room: take it from them only.
        over = sum(result) - width
        if over > 0 and free:
            loose = sum(result[c] for c in free)
            for c in free:
                result[c] -= over * result[c] / loose
        return result

    def _titled(self, ar: Sequence[Block], en: Sequence[Block]) -> list[Block]:
        """Return the Arabic blocks; a section heading carries the bookmark of both languages."""
        titles = {b.anchor: self._heading_text(b) for b in en if isinstance(b, Heading)}
        result: list[Block] = []
        for block in ar:
            if isinstance(block, Heading) and block.anchor in titles:
                self._bookmark_titles[block.anchor] = (
                    f"{self._heading_text(block)} / {titles[block.anchor]}"
                )
            result.append(block)
        return result

    def _untitled(self, blocks: Sequence[Block]) -> list[Block]:
        """Return the English blocks of a row; their headings add no second bookmark."""
        return [replace(b, anchor="") if isinstance(b, Heading) else b for b in blocks]

    @staticmethod
    def _heading_text(block: Heading) -> str:
        return f"{block.number} {block.text}" if block.number else block.text

    def heading(self, block: Heading) -> Flowable:
        """Return a heading; a level-1 heading with an anchor adds a bookmark."""
        text = self._heading_text(block)
        style = self.styles["heading1" if block.level == 1 else "heading2"]
        bookmark = None
        if block.level == 1 and block.anchor:
            bookmark = (self._bookmark_titles.get(block.anchor, text), block.anchor)
        tag = self.tags.add("H2" if block.level == 1 else "H3", lang=block.lang)
        return self._tagged(
            TextBlock(
                text,
                base_direction(block.lang),
                style,
                self.colours["primary"],
                space_before=style.size * (1.0 if block.level == 1 else 0.6),
                space_after=style.size * 0.3,
                bookmark=bookmark,
                keep_with_next=True,
            ),
            tag,
        )

    def paragraph(self, block: Paragraph) -> Flowable:
        """Return a paragraph in the style of its role."""
        role = block.role if block.role in ("lead", "caption", "note") else "body"
        style = self.styles[role]
        if self.bilingual and style.align == "justify":
            # A half-page column holds too few words a line to justify without gaps.
            style = replace(style, align="start")
        colour = self.colours["muted" if role in ("caption", "note") else "text"]
        flowable = TextBlock(
            block.text,
            base_direction(block.lang),
            style,
            colour,
            space_after=style.size * 0.6,
        )
        return self._tagged(flowable, self.tags.add("P", lang=block.lang))

    def bullets(self, block: BulletList) -> list[Flowable]:
        """Return one bulleted paragraph per item, the bullet on the reading side."""
        style = self.styles["bullet"]
        base = base_direction(block.lang)
        listing = self.tags.add("L", lang=block.lang)
        return [
            self._tagged(
                TextBlock(
                    item,
                    base,
                    style,
                    self.colours["text"],
                    space_after=style.size * 0.35,
                    indent_start=style.size * 1.4,
                    bullet=BULLET,
                ),
                listing.child("LI").child("LBody"),
            )
            for item in block.items
        ]

    def table(self, block: TableBlock, width: float) -> Flowable:
        """Return a table; for Arabic the columns run right to left and cells are RTL text."""
        base = base_direction(block.lang)
        weights = list(block.widths) if len(block.widths) == len(block.header) else []
        weights = weights or [1.0] * len(block.header)
        col_widths = self._column_widths(block, base, weights, width)
        table_tag = self.tags.add("Table", lang=block.lang)

        def cell(text: str, column: int, header: bool, row_tag: Tag) -> Flowable:
            style = self.styles["cell_head" if header else "cell"]
            style = replace(style, align="center" if column in block.numeric else "start")
            colour = self.colours["table_header_text" if header else "text"]
            # A header row repeated on the next page is furniture there.
            tag = row_tag.child("TH", once=True) if header else row_tag.child("TD")
            return self._tagged(TextBlock(text, base, style, colour), tag)

        head = table_tag.child("TR")
        rows = [[cell(text, col, True, head) for col, text in enumerate(block.header)]]
        for row in block.rows:
            cells = list(row) + [""] * (len(block.header) - len(row))
            row_tag = table_tag.child("TR")
            rows.append([cell(text, col, False, row_tag) for col, text in enumerate(cells)])
        if base == "R":
            rows = [list(reversed(row)) for row in rows]
            col_widths.reverse()
        return self._data_table(rows, col_widths)

    def _column_widths(
        self, block: TableBlock, base: Direction, weights: list[float], width: float
    ) -> list[float]:
        """Return column widths: short columns as wide as their text, the rest by weight.

        A date or a number column gets its natural width when that is less than its
        share; the long text columns share what is left, never narrower than their
        longest word, so "20 October 2025" is not cut in a narrow bilingual column.
        """
        padding = 2 * CELL_PADDING + 1
        columns = len(weights)
        natural = [0.0] * columns
        widest = [0.0] * columns
        wraps = [0] * columns  # cells that would wrap at the column's share of the width
        for row_index, row in enumerate((block.header, *block.rows)):
            style = self.styles["cell_head" if row_index == 0 else "cell"]
            for column, text in enumerate(row[:columns]):
                line, word = measure_text(text, base, style)
                natural[column] = max(natural[column], line + padding)
                widest[column] = max(widest[column], word + padding)
                wraps[column] += line + padding > width * weights[column] / sum(weights)
        # The heaviest column holds the running text: keep it from being squeezed.
        main = max(range(columns), key=lambda c: weights[c])
        floor = [max(widest[c], 0.3 * width if c == main else 0.0) for c in range(columns)]
        # Columns that would wrap in most rows (dates) get their natural width first.
        fixed: set[int] = set()
        for column in sorted(range(columns), key=lambda c: (-wraps[c], natural[c])):
            trial = fixed | {column}
            room = width - sum(natural[c] for c in trial)
            if room >= sum(floor[c] for c in range(columns) if c not in trial):
                fixed = trial
        room = width - sum(natural[c] for c in fixed)
        free = [c for c in range(columns) if c not in fixed]
        result = [natural[c] if c in fixed else 0.0 for c in range(columns)]
        if free:
            share = sum(weights[c] for c in free)
            for column in free:
                result[column] = max(floor[column], room * weights[column] / share)
        else:
            # Everything fits on one line: spread the spare room by weight.
            spare = room / sum(weights)
            result = [result[c] + spare * weights[c] for c in range(columns)]
        scale = width / sum(result)
        return [value * scale for value in result]

    def chart(self, block: Chart, width: float) -> list[Flowable]:
        """Return the chart picture and its caption, kept together.

        A small chart (donut, progress) of a one-language brief is set at half size, in
        a column beside the text that follows it.
        """
        from briefing.render.charts import (
            chart_picture,
            chart_size_cm,
            pdf_chart_size,
            picture_name,
        )

        size = pdf_chart_size(block.data.kind, self.document.lang)
        width_cm, height_cm = chart_size_cm(block.data.kind, size)
        picture_width, picture_height = width_cm * cm, height_cm * cm
        if picture_width > width:
            picture_height *= width / picture_width
            picture_width = width
        data, template = block.data, self.template
        # The picture is taken when the file is written: during an export, other
        # processes draw it meanwhile.
        image = Picture(
            chart_picture(data, template, size),
            picture_width,
            picture_height,
            what=f"chart {block.data.id}",
            name=picture_name(data, template, size),
        )
        image.tag = self.tags.add("Figure", lang=block.lang, alt=block.alt or block.caption)
        style = self.styles["caption"]
        caption = TextBlock(
            block.caption,
            base_direction(block.lang),
            style,
            self.colours["muted"],
            space_before=3,
            space_after=style.size * 1.2,
        )
        chart = ChartBlock(image, self._tagged(caption, self.tags.add("Caption", lang=block.lang)))
        chart.small = not self.bilingual and size == "half"
        return [chart]

    def cover(self, block: Cover, width: float) -> list[Flowable]:
        """Return the cover block: logo, title, subtitle and the labelled fields."""
        if block.style == "none":
            return []
        base = base_direction(block.lang)
        align: Align = "center" if block.style == "title" else "start"
        result: list[Flowable] = []
        if self.template.logo is not None and not self._covers_without_logo:
            result.append(self._logo(base if block.style != "title" else None))
        for number, line in enumerate(block.authority):
            # The ministry first, in the title's colour; the department under it.
            style = replace(self.styles["label" if number == 0 else "field"], align=align)
            colour = self.colours["primary" if number == 0 else "accent"]
            last = number == len(block.authority) - 1
            authority = TextBlock(line, base, style, colour, space_after=10 if last else 0)
            result.append(self._tagged(authority, self.tags.add("P", lang=block.lang)))
        title_style = replace(self.styles["title"], align=align)
        if self.bilingual:
            title_style = replace(
                title_style, size=title_style.size * 0.8, leading=title_style.leading * 0.8
            )
        if block.style == "title":
            title_style = replace(
                title_style, size=title_style.size * 1.25, leading=title_style.leading * 1.25
            )
        title = TextBlock(
            block.title,
            base,
            title_style,
            self.colours["primary"],
            space_before=40 if block.style == "title" else 0,
            space_after=2,
        )
        result.append(self._tagged(title, self.tags.add("H1", lang=block.lang)))
        if block.subtitle:
            subtitle = TextBlock(
                block.subtitle,
                base,
                replace(self.styles["subtitle"], align=align),
                self.colours["muted"],
                space_after=4,
            )
            result.append(self._tagged(subtitle, self.tags.add("P", lang=block.lang)))
        result.append(Rule(self.colours["accent"], 1.4, space_before=4, space_after=6))
        if block.fields:
            result.append(self._fields(block, width, base, align))
            result.append(Rule(self.colours["rule"], 0.6, space_before=4, space_after=14))
        if block.distribution:
            line = TextBlock(
                block.distribution,
                base,
                replace(self.styles["note"], align=align),
                self.colours["muted"],
                space_after=12,
            )
            result.append(self._tagged(line, self.tags.add("P", lang=block.lang)))
        return result

    def _fields(self, block: Cover, width: float, base: Direction, align: Align) -> Flowable:
        """Return the To / From / Subject / Date / Reference rows as a two-column table."""
        # The label column is as wide as the longest label ("Reference"), within reason.
        label_style = self.styles["label"]
        longest = max(measure_text(label, base, label_style)[0] for label, _ in block.fields)
        label_width = min(max(longest + 8, 24 * mm), width * 0.45)
        value_width = width - label_width
        if align == "center":
            value_width = min(width * 0.5, value_width)
        rows = []
        table_tag = self.tags.add("Table", lang=block.lang)
        for label, value in block.fields:
            row_tag = table_tag.child("TR")
            label_cell = self._tagged(
                TextBlock(label, base, self.styles["label"], self.colours["muted"]),
                row_tag.child("TH"),
            )
            value_cell = self._tagged(
                TextBlock(value, base, self.styles["field"], self.colours["text"]),
                row_tag.child("TD"),
            )
            rows.append([value_cell, label_cell] if base == "R" else [label_cell, value_cell])
        widths = [value_width, label_width] if base == "R" else [label_width, value_width]
        table = Table(rows, colWidths=widths, hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    self._table_font(),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return table

    def _data_table(
        self, rows: list[list[Flowable]], col_widths: list[float], *rules: tuple[Any, ...]
    ) -> Table:
        """Return a table of figures in the brief's look: a shaded header row repeated on
        every page, striped rows, a rule under each row (and ``rules`` after those)."""
        table = Table(rows, colWidths=col_widths, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    self._table_font(),
                    ("BACKGROUND", (0, 0), (-1, 0), self.colours["table_header"]),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, self.colours["table_stripe"]]),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, self.colours["rule"]),
                    *rules,
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        table.spaceBefore = 2
        table.spaceAfter = 12
        return table

    def _table_font(self) -> tuple[Any, ...]:
        """Return a table style command naming a bundled font.

        Cells hold flowables, but reportlab still selects the cell font (Helvetica
        unless told), which would put an unembedded font in the file.
        """
        name = font_book(self.fonts).primary("latin", False)
        return ("FONTNAME", (0, 0), (-1, -1), name)

    def _logo(self, base: Direction | None) -> Flowable:
        """Return the template's logo, 16 mm high, on the reading side (or centred)."""
        assert self.template.logo is not None
        try:
            data = self.template.logo.read_bytes()
        except OSError as exc:
            raise BriefingError(f"logo {self.template.logo} cannot be read: {exc}") from None
        height = 16 * mm
        image = Picture(data, 1.0, height, what=f"logo {self.template.logo}")
        picture = image.picture
        assert picture is not None  # given as bytes, so read at once
        image.width = picture.width * height / max(1, picture.height)
        image.hAlign = "CENTER" if base is None else ("RIGHT" if base == "R" else "LEFT")
        image.spaceAfter = 8
        return image

    # -- page furniture ------------------------------------------------------------------------
    def decorate(self, canvas: Canvas, page: int, pages: int) -> None:
        """Draw the marking, header and footer of one page, knowing the page count."""
        document = self.document
        page_width, page_height = self.page_size
        left, right = self.margins["left"], page_width - self.margins["right"]
        marking = " · ".join(dict.fromkeys(t for t in document.marking.values() if t.strip()))
        if marking:
            style = self.styles["marking"]
            base = base_direction(document.langs[0])
            colour = self.colours["marking"]
            for top in (page_height - 6 * mm, 6 * mm + style.leading):
                self._text(canvas, marking, base, style, colour, left, right - left, top)
        running = self.styles["running"]
        muted = self.colours["muted"]
        header_top = page_height - self.margins["top"] + 4 * mm + running.leading
        footer_top = self.margins["bottom"] - 4 * mm
        rule_colour = self.colours["rule"]
        canvas.saveState()
        canvas.setStrokeColor(rule_colour)
        canvas.setLineWidth(0.5)
        canvas.line(
            left,
            page_height - self.margins["top"] + 3 * mm,
            right,
            page_height - self.margins["top"] + 3 * mm,
        )
        canvas.line(left, self.margins["bottom"] - 3 * mm, right, self.margins["bottom"] - 3 * mm)
        canvas.restoreState()
        slots: list[tuple[Lang, float, float]] = (
            [("ar", right - self.column, self.column), ("en", left, self.column)]
            if self.bilingual
            else [(document.langs[0], left, right - left)]
        )
        for lang, x, width in slots:
            base = base_direction(lang)
            header = document.header.get(lang, "")
            footer = document.page_text(document.footer.get(lang, ""), page, pages, lang)
            self._running(canvas, header, base, running, muted, x, width, header_top)
            self._running(canvas, footer, base, running, muted, x, width, footer_top)

    def _running(
        self,
        canvas: Canvas,
        text: str,
        base: Direction,
        style: TextStyle,
        colour: Color,
        x: float,
        width: float,
        top: float,
    ) -> None:
        """Draw a header or footer whose fields are separated by two or more spaces.

        Each field ("BR-2025/117", "2 / 7") is set on its own, from the reading side
        on, so that a page number is not pulled into the direction of a Latin
        reference next to it ("2 / 7" reads right to left in an Arabic footer).
        """
        gap = style.size * 2
        offset = 0.0
        for field in FIELD_GAP.split(text.strip()):
            if not field or offset >= width:
                continue
            layout = layout_text(field, base, replace(style, align="start"), width - offset)
            # A right-to-left field is set flush right in what is left of the width.
            left = x + offset if base == "L" else x
            draw_lines(canvas, layout.lines[:1], style, left, top, colour)
            offset += layout.lines[0].width + gap

    def _text(
        self,
        canvas: Canvas,
        text: str,
        base: Direction,
        style: TextStyle,
        colour: Color,
        x: float,
        width: float,
        top: float,
    ) -> None:
        """Draw one running line of text (first line only: the furniture never wraps)."""
        layout = layout_text(text, base, style, width)
        draw_lines(canvas, layout.lines[:1], style, x, top, colour)


class _DeferredCanvas(Canvas):
    """A canvas that holds every page until the end, so each can say "page X of Y".

    Bookmarks and outline entries made while a page is drawn are replayed when the page
    is finally written: made at once they would all point at the first page, since the
    PDF's page counter only moves when a page is written.
    """

    # Set to record the tagged PDF's marked content and structure tree.
    tag_recorder: Recorder | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._page_marks: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:
        """Record a destination on the current page; it is made when the page is written."""
        self._page_marks.append(("bookmark", (key,), kwargs))

    def addOutlineEntry(
        self, title: str, key: str, level: int = 0, closed: bool | None = None
    ) -> None:
        """Record an outline entry; it is made when its page is written."""
        self._page_marks.append(("outline", (title, key, level, closed), {}))

    def showPage(self) -> None:
        """Hold the finished page and start the next one."""
        self._held_pages.append(dict(self.__dict__))
        self._page_marks = []
        self._startPage()

    def decorate_page(self, page: int, pages: int) -> None:
        """Draw what every page carries (marking, header, footer); nothing by default."""

    def save(self) -> None:
        """Write every held page with its furniture, then the file."""
        pages = len(self._held_pages)
        outlined = False
        recorder = self.tag_recorder
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            if recorder is not None:
                recorder.open_page(self)
            self.decorate_page(number, pages)
            if recorder is not None:
                recorder.close_page(self)
            for kind, args, kwargs in state["_page_marks"]:
                if kind == "bookmark":
                    Canvas.bookmarkPage(self, *args, **kwargs)
                else:
                    Canvas.addOutlineEntry(self, *args)
                    outlined = True
            Canvas.showPage(self)
        if outlined:
            self.showOutline()
        if recorder is not None:
            recorder.finish(self._doc)
        Canvas.save(self)

    def _setAnnotations(self, page: Any) -> None:
        """Add the page's annotations and, in a tagged PDF, its structure entries."""
        super()._setAnnotations(page)
        if self.tag_recorder is not None:
            self.tag_recorder.mark_page(page, self._pageNumber - 1)


def _stamp_date(canvas: Canvas, document: Document) -> None:
    """Date the file (CreationDate, ModDate) by the brief, at 09:00 UTC, as the Word file is.

    The same brief still gives the same bytes; a brief without a date keeps the fixed
    date of reportlab's invariant mode.
    """
    day = document.date
    if day is None:
        return
    stamp = canvas._doc._timeStamp
    stamp.YMDhms = (day.year, day.month, day.day, 9, 0, 0)
    stamp.dhh = stamp.dmm = 0


def render_pdf(document: Document, *, tagged: bool = True) -> bytes:
    """Return ``document`` as the bytes of a PDF brief (same inputs give the same bytes).

    ``tagged`` adds the structure tree (headings, paragraphs, lists, tables, figures)
    that screen readers and reflow follow; without it the pages draw the same.
    """
    return finish_pdf(start_pdf(document, tagged=tagged))


@dataclass
class PendingPdf:
    """A PDF laid out and drawn, not yet written: see ``start_pdf``."""

    template: Any
    buffer: io.BytesIO


def start_pdf(document: Document, *, tagged: bool = True) -> PendingPdf:
    """Lay out and draw ``document``'s pages; ``finish_pdf`` writes the file.

    The chart pictures are only taken when the file is written, so a renderer whose
    pictures another process is still drawing can go on to other work in between.
    """
    kit = _Kit(document)
    story = kit.story()
    buffer = io.BytesIO()
    body_font = font_book(kit.fonts).primary(
        "arabic" if document.langs[0] == "ar" else "latin", False
    )

    class BriefCanvas(_DeferredCanvas):
        tag_recorder = Recorder(kit.tags) if tagged else None

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            _stamp_date(self, document)

        def decorate_page(self, page: int, pages: int) -> None:
            kit.decorate(self, page, pages)

    template = FloatingDocTemplate(
        buffer,
        pagesize=kit.page_size,
        leftMargin=kit.margins["left"],
        rightMargin=kit.margins["right"],
        topMargin=kit.margins["top"],
        bottomMargin=kit.margins["bottom"],
        title=document.title,
        author=document.author,
        subject=document.subject,
        creator="Briefing",
        keywords=document.brief_key,
        lang=document.language_tag,
        invariant=1,
        initialFontName=body_font,
    )
    frame = Frame(
        kit.margins["left"],
        kit.margins["bottom"],
        kit.width,
        kit.page_size[1] - kit.margins["top"] - kit.margins["bottom"],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    template._doSave = 0  # written by finish_pdf
    try:
        template.build(story, canvasmaker=BriefCanvas)
    except LayoutError as exc:
        raise BriefingError(f"PDF layout: a block does not fit on a page ({exc})") from None
    return PendingPdf(template, buffer)


def finish_pdf(pending: PendingPdf) -> bytes:
    """Write the pages ``start_pdf`` drew (with their pictures) and return the file."""
    pending.template.canv.save()
    return pending.buffer.getvalue()
