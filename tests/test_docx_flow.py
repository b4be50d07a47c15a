"""The page estimate that floats Word charts: a chart that does not fit lets text pass."""

from __future__ import annotations

from docx.oxml import OxmlElement

from briefing.render import docx_flow as flow

PAGE = 700.0


def _paragraph(body, lines: int, keep_next: bool = False, page_break: bool = False):
    element = OxmlElement("w:p")
    body.append(element)
    return flow.Unit(
        elements=[element], before=0.0, after=6.0, lines=lambda _n: [14.0] * lines,
        splits=True, keep_next=keep_next, page_break=page_break, anchorable=True,
        insertion=element,
    )


def _chart(body, height: float):
    picture, caption = OxmlElement("w:p"), OxmlElement("w:p")
    body.extend([picture, caption])
    return flow.Unit(
        elements=[picture, caption], before=6.0, after=12.0, lines=lambda _n: [height],
        splits=False, chart=True, insertion=picture,
    )


def _order(body, units):
    flow.apply(flow.reflow(units, PAGE))
    return [units.index(next(u for u in units if u.elements[0] is e)) for e in body
            if any(u.elements[0] is e for u in units)]


def test_a_chart_that_fits_stays_where_it_is_written() -> None:
    body = OxmlElement("w:body")
    units = [_paragraph(body, 10), _chart(body, 200), _paragraph(body, 10)]
    assert _order(body, units) == [0, 1, 2]


def test_a_chart_that_does_not_fit_lets_the_text_after_it_fill_the_page() -> None:
    body = OxmlElement("w:body")
    # 40 lines (566 pt) leave 134 pt: the 200 pt chart waits for the next page while a
    # heading and the paragraphs after it fill the room; it opens the next page.
    units = [
        _paragraph(body, 40), _chart(body, 200), _paragraph(body, 1, keep_next=True),
        _paragraph(body, 4), _paragraph(body, 6), _paragraph(body, 30),
    ]
    order = _order(body, units)
    assert order.index(1) > order.index(4)
    assert order == [0, 2, 3, 4, 1, 5]


def test_a_moved_chart_never_parts_a_heading_from_its_text() -> None:
    body = OxmlElement("w:body")
    # The heading (kept with the next paragraph) is the last thing that would fit.
    units = [
        _paragraph(body, 40), _chart(body, 200), _paragraph(body, 7),
        _paragraph(body, 1, keep_next=True), _paragraph(body, 10),
    ]
    order = _order(body, units)
    assert order.index(1) == order.index(3) - 1


def test_charts_keep_their_order_and_never_pass_a_page_break() -> None:
    body = OxmlElement("w:body")
    units = [
        _paragraph(body, 45), _chart(body, 200), _paragraph(body, 2), _chart(body, 150),
        _paragraph(body, 2), _paragraph(body, 1, page_break=True), _paragraph(body, 5),
    ]
    order = _order(body, units)
    assert order.index(1) < order.index(3) < order.index(5)
    assert order[:3] == [0, 2, 4]


def test_a_small_chart_that_does_not_fit_moves_to_the_next_page_first_paragraph() -> None:
    body = OxmlElement("w:body")
    units = [_paragraph(body, 44), _paragraph(body, 3), _paragraph(body, 3), _paragraph(body, 5)]
    run = OxmlElement("w:r")
    units[1].elements[0].append(run)
    units[1].float = flow.Float(run, 150.0, 180.0, 11.0)
    flow.apply(flow.reflow(units, PAGE))
    # The third paragraph (too short to part) is the first to start on page 2.
    assert run.getparent() is units[2].elements[0]
