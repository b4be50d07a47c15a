"""Value labels of the half-size charts of a bilingual brief stand clear of each other."""

from __future__ import annotations

from typing import Any, cast

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from briefing.chartdata import resolve_chart
from briefing.library import Library
from briefing.render.chart_drawing import chart_figure
from briefing.templates import load_template

SHIPPED = ("ministry", "minimal", "bilingual")


def _bar_charts(library: Library) -> list[str]:
    return sorted(key for key, spec in library.charts.items() if spec.kind == "bar")


def _label_boxes(figure: Any) -> list[Any]:
    canvas = cast(FigureCanvasAgg, figure.canvas)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [
        text.get_window_extent(renderer)
        for ax in figure.axes
        for text in ax.texts
        if text.get_gid() == "value-label"
    ]


@pytest.mark.parametrize("template", SHIPPED)
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("size", ["half", "full"])
def test_bar_value_labels_do_not_overlap(
    library: Library, template: str, lang: str, size: str
) -> None:
    charts = _bar_charts(library)
    assert charts
    for key in charts:
        data = resolve_chart(
            library.charts[key], library.figures, library.units, lang, "arabic", "s"
        )
        with chart_figure(data, load_template(template), size) as figure:
            boxes = _label_boxes(figure)
            height = figure.bbox.height
        assert len(boxes) == len(data.values)
        for first in range(len(boxes)):
            assert boxes[first].y1 <= height, f"{key}: a value label runs off the picture"
            for second in range(first + 1, len(boxes)):
                a, b = boxes[first], boxes[second]
                apart = a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0
                assert apart, f"{key} ({lang}, {template}, {size}): value labels overlap"
