"""Charts of a Word brief floated like a book's figures, by an estimate of its pages.

Word (and LibreOffice) lays the pages out itself, and a picture that does not fit in the
room left on a page moves on to the next with whatever is kept with it, leaving the foot
of the page empty. A book lets the text that follows fill that room and sets the figure
at the top of the next page. This module estimates where the pages of the written
document break (the lines of each paragraph broken by the brief's own line breaker at
the Word measure, the pictures at their drawn size) and moves each chart that would not
fit, keeping their order:

- a full-width chart (its picture and caption, or a bilingual chart row) goes before the
  first paragraph, heading or row that starts the next page;
- a small chart floating beside the text goes to the first paragraph that starts the
  next page, the text flowing around it there.

An estimate cannot be exact (Word's fonts and line breaks differ by a little), so a
chart is moved when it would fit with less than ``SLACK`` to spare; a chart moved that
would have fitted only stands a few lines lower, under text of the page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

# Room (points) a chart must fit in beyond its own height to stay where it is written.
SLACK = 14.0
# Lines of a paragraph Word keeps together at a page's foot and head (widow control).
WIDOW_LINES = 2

ARABIC = re.compile("[\u0600-\u06ff]")


@dataclass
class Float:
    """A small chart standing beside the text: its ``w:r`` and its box (points)."""

    run: BaseOxmlElement
    width: float
    height: float
    gap: float


@dataclass(eq=False)
class Unit:
    """What the estimate places in one piece: a paragraph, a table row or a chart."""

    elements: list[BaseOxmlElement]
    before: float
    after: float
    # Line heights at the full measure, and at the measure beside a float (None: whole).
    lines: Callable[[float], list[float]]
    splits: bool
    keep_next: bool = False
    chart: bool = False
    page_break: bool = False
    # A paragraph a floating chart may stand beside (its top).
    anchorable: bool = False
    float: Float | None = None
    # The element a chart moved before this unit is inserted before (None: not here).
    insertion: BaseOxmlElement | None = None
    # The paragraph style, and whether it drops its spacing next to its own kind.
    style: str | None = None
    contextual: bool = False
    _cache: dict[float, list[float]] = field(default_factory=dict)

    def heights(self, narrowing: float) -> list[float]:
        if narrowing not in self._cache:
            self._cache[narrowing] = self.lines(narrowing)
        return self._cache[narrowing]


def drop_contextual_spacing(units: Sequence[Unit]) -> None:
    """Drop the space between two paragraphs of one style that says so (a list's items)."""
    for first, second in itertools.pairwise(units):
        if first.contextual and second.contextual and first.style == second.style:
            first.after = 0.0
            second.before = 0.0


@dataclass
class _Page:
    """The estimate's place: the page number, the height used on it and a float's foot."""

    number: int = 0
    used: float = 0.0
    float_foot: float = 0.0
    float_narrowing: float = 0.0


def reflow(units: Sequence[Unit], body_height: float) -> list[Unit]:
    """Return ``units`` in the order a book would set them; move the floats' runs.

    Charts keep their order, never pass a page break or another chart, and go back
    into the container they came from.
    """
    page = _Page()
    order: list[Unit] = []
    pending: list[Unit] = []  # full charts waiting for the next page
    deferred_on = 0  # the page they did not fit on
    waiting: Float | None = None  # a small chart waiting for the next page
    waiting_from: Unit | None = None

    def fits(height: float) -> bool:
        return page.used == 0 or page.used + height <= body_height - SLACK

    def start_of(index: int) -> float:
        """Return the least height unit ``index`` needs at a page's foot to start there."""
        unit = units[index]
        heights = unit.heights(0.0)
        if unit.splits and len(heights) >= 2 * WIDOW_LINES:
            start = unit.before + sum(heights[:WIDOW_LINES])
        else:
            start = unit.before + sum(heights) + (unit.after if unit.keep_next else 0.0)
        if unit.keep_next and index + 1 < len(units):
            start = unit.before + sum(heights) + unit.after + start_of(index + 1)
        return start

    def flush(before: Unit | None) -> None:
        """Set the pending charts down before ``before`` (or after the last unit)."""
        home = pending[0].elements[0].getparent() if pending else None
        position = len(order)
        if before is not None:
            # Never between a heading and what it is kept with: before the heading.
            while (
                position > 0
                and order[position - 1].keep_next
                and order[position - 1].insertion is not None
                and order[position - 1].insertion.getparent() is home
            ):
                position -= 1
        for chart in pending:
            order.insert(position, chart)
            position += 1
            _place(page, chart, 0.0, body_height)
        pending.clear()

    for index, unit in enumerate(units):
        opens_page = page.used > 0 and page.used + start_of(index) > body_height
        same_home = (
            pending
            and unit.insertion is not None
            and unit.insertion.getparent() is pending[0].elements[0].getparent()
        )
        # A paragraph that went on over the page foot has taken the room: the charts
        # come after it.
        crossed = bool(pending) and page.number > deferred_on
        turns = (opens_page or crossed) and same_home and not unit.chart
        if pending and (unit.page_break or turns):
            if opens_page and turns:
                page.number += 1
                page.used = 0.0
                page.float_foot = 0.0
            flush(unit if same_home else None)
        elif pending and unit.insertion is not None and not same_home:
            flush(None)  # the container ends: the charts close it
        if waiting is not None and unit.anchorable and (opens_page or page.used == 0):
            _move_float(waiting, waiting_from, unit)
            waiting = None
        elif waiting is not None and unit.page_break:
            waiting = None  # it stays where it was written
        if unit.chart and not pending:
            height = unit.before + sum(unit.heights(0.0)) + unit.after
            if not fits(height):
                pending.append(unit)
                deferred_on = page.number
                continue
        elif unit.chart:
            pending.append(unit)
            continue
        top = _top_of(page, unit, body_height, start_of(index))
        if unit.float is not None and waiting is None:
            if top + unit.float.height > body_height - SLACK and top > 0:
                waiting, waiting_from = unit.float, unit
                unit.float = None
            else:
                page.float_foot = top + unit.float.height
                page.float_narrowing = unit.float.width + unit.float.gap
        order.append(unit)
        _place(page, unit, top, body_height)
        if unit.page_break:
            page.number += 1
            page.used = 0.0
            page.float_foot = 0.0
    flush(None)
    return order


def _top_of(page: _Page, unit: Unit, body_height: float, start: float) -> float:
    """Open a new page when ``unit`` cannot start on this one; return where its text starts."""
    if page.used > 0 and page.used + start > body_height:
        page.number += 1
        page.used = 0.0
        page.float_foot = 0.0
    return page.used + (unit.before if page.used > 0 else 0.0)


def _place(page: _Page, unit: Unit, top: float, body_height: float) -> None:
    """Advance ``page`` past ``unit``, whose first line stands at ``top``."""
    if top == 0.0 and page.used > 0:
        top = page.used + unit.before
    beside = top < page.float_foot
    heights = unit.heights(page.float_narrowing) if beside else unit.heights(0.0)
    if beside and page.float_narrowing:
        full = unit.heights(0.0)
        # Lines beside the float are narrow; past its foot the rest of the text is set
        # at the full measure, in proportion to what the narrow lines left.
        y, taken = top, 0
        while taken < len(heights) and y < page.float_foot:
            y += heights[taken]
            taken += 1
        rest = max(0, round(len(full) * (1 - taken / len(heights)))) if heights else 0
        heights = heights[:taken] + full[len(full) - rest :] if rest else heights[:taken]
    y = top
    for position, height in enumerate(heights):
        if y + height > body_height and y > 0:
            left = len(heights) - position
            if unit.splits and position >= WIDOW_LINES and left >= WIDOW_LINES:
                page.number += 1
                y = 0.0
                page.float_foot = 0.0
            elif unit.splits and position >= WIDOW_LINES:
                page.number += 1
                y = sum(heights[position - 1 : position])
                page.float_foot = 0.0
            else:
                page.number += 1
                y = sum(heights[:position])
                page.float_foot = 0.0
        y += height
    page.used = min(body_height, y + unit.after)


def _move_float(figure: Float, source: Unit | None, target: Unit) -> None:
    """Move a small chart's run from its paragraph to the start of ``target``'s paragraph."""
    paragraph = target.elements[0]
    properties = paragraph.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(figure.run)
    else:
        paragraph.insert(0, figure.run)
    target.float = figure
    if source is not None:
        source.float = None


def apply(order: Sequence[Unit]) -> None:
    """Write the estimate's order back into the XML: each moved chart before its follower.

    The charts are set from the last: what follows each is then already in its place
    (the other units never move).
    """
    placed = list(order)
    for position in reversed(range(len(placed))):
        unit = placed[position]
        if not unit.chart:
            continue
        home = unit.elements[0].getparent()
        follower = next(
            (
                u
                for u in placed[position + 1 :]
                if u.insertion is not None and u.insertion.getparent() is home
            ),
            None,
        )
        if follower is not None:
            for element in unit.elements:
                follower.insertion.addprevious(element)
            continue
        previous = next(
            (
                u
                for u in reversed(placed[:position])
                if not u.chart and u.elements[-1].getparent() is home
            ),
            None,
        )
        if previous is None:
            continue
        anchor = previous.elements[-1]
        for element in unit.elements:
            anchor.addnext(element)
            anchor = element


_TEXT, _TEXT_BOX = qn("w:t"), qn("w:txbxContent")


def plain_text(paragraph: BaseOxmlElement) -> str:
    """Return the text of a ``w:p`` (its runs' ``w:t``), outside any text box."""
    if next(paragraph.iter(_TEXT_BOX), None) is None:  # most paragraphs hold none
        return "".join(node.text or "" for node in paragraph.iter(_TEXT))
    return "".join(
        node.text or ""
        for node in paragraph.iter(_TEXT)
        if not any(a.tag == _TEXT_BOX for a in node.iterancestors())
    )


def is_arabic(text: str) -> bool:
    return bool(ARABIC.search(text))
