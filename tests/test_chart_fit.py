"""Chart pictures are sized to their content, and a lower-bound share is drawn open."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from briefing.chartdata import resolve_chart
from briefing.library import Library
from briefing.render.chart_drawing import chart_figure, draw_png
from briefing.templates import load_template


def _filled_rows(png: bytes) -> float:
    """Return the share of the picture's rows between its first and last inked row."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    inked = np.where((pixels < 235).any(axis=1))[0]
    return (inked[-1] - inked[0] + 1) / pixels.shape[0]


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("size", ["full", "half"])
def test_progress_bar_fills_its_picture(library: Library, lang: str, size: str) -> None:
    data = resolve_chart(
        library.charts["kz_renewables_target"], library.figures, library.units, lang, "arabic", "s"
    )
    assert _filled_rows(draw_png(data, load_template("ministry"), size)) > 0.7


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_more_than_half_is_drawn_with_an_open_end(library: Library, lang: str) -> None:
    data = resolve_chart(
        library.charts["eu_export_share"], library.figures, library.units, lang, "arabic", "s"
    )
    assert data.qualifiers[0] == "more_than"
    with chart_figure(data, load_template("ministry"), "full") as figure:
        hatched = [
            patch
            for ax in figure.axes
            for patch in ax.patches
            if patch.get_gid() == "open-end" and patch.get_hatch()
        ]
    assert len(hatched) == 1
    exact = data.kind
    assert exact == "donut"
