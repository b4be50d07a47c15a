"""The app's chart drawing process: the same pictures as drawn here, and a fall-back."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from dataclasses import replace

import pytest

from briefing.chartdata import ChartData, resolve_chart
from briefing.errors import BriefingError
from briefing.gui.chart_server import ChartServer
from briefing.library import Library
from briefing.render import charts
from briefing.render.chart_drawing import draw_png
from briefing.templates import Template, load_template


@pytest.fixture
def template() -> Template:
    return load_template("ministry")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ChartServer]:
    monkeypatch.setenv("BRIEFING_CHART_CACHE", "off")
    charts.clear_cache()
    server = ChartServer()
    yield server
    charts.set_remote_drawer(None)
    server.close()
    charts.clear_cache()


def data_for(library: Library, chart_id: str, lang: str) -> ChartData:
    return resolve_chart(library.charts[chart_id], library.figures, library.units, lang, "arabic",
                         "source")


def test_the_process_draws_what_this_process_would(
    server: ChartServer, library: Library, template: Template
) -> None:
    asked: list[str] = []

    def drawer(data: ChartData, template: Template, size: str) -> bytes | None:
        asked.append(data.id)
        return server.draw(data, template, size)

    charts.set_remote_drawer(drawer)
    for chart_id, size in (("eu_export_share", "full"), ("kz_renewables_target", "half")):
        data = data_for(library, chart_id, "ar")
        png = charts.render_chart_png(data, template, size)
        assert png.startswith(b"\x89PNG")
        assert png == draw_png(data, template, size)
    assert asked == ["eu_export_share", "kz_renewables_target"]
    assert charts.cache_info()["draws"] == 2
    # A picture drawn once is cached here: the process is not asked again.
    charts.render_chart_png(data_for(library, "eu_export_share", "ar"), template, "full")
    assert len(asked) == 2


def test_a_failed_chart_is_drawn_here_and_reports_its_error(
    server: ChartServer, library: Library, template: Template
) -> None:
    charts.set_remote_drawer(server.draw)
    broken = replace(data_for(library, "baku_port", "en"), kind="radar")
    assert server.draw(broken, template, "half") is None
    with pytest.raises(BriefingError, match=r"baku_port.*kind 'radar'"):
        charts.render_chart_png(broken, template, "half")
    assert server.alive, "one failed chart does not end the process"


def test_a_dead_process_leaves_the_drawing_to_this_one(
    server: ChartServer, library: Library, template: Template
) -> None:
    charts.set_remote_drawer(server.draw)
    os.kill(server.pid, signal.SIGKILL)
    data = data_for(library, "eu_export_share", "en")
    assert server.draw(data, template, "full") is None
    assert not server.alive
    assert charts.render_chart_png(data, template, "full") == draw_png(data, template, "full")


def test_a_process_that_does_not_answer_is_given_up(
    server: ChartServer, library: Library, template: Template, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.gui import chart_server

    monkeypatch.setattr(chart_server, "DRAW_TIMEOUT_S", 0.5)
    os.kill(server.pid, signal.SIGSTOP)
    assert server.draw(data_for(library, "eu_export_share", "en"), template, "full") is None
    assert not server.alive
