"""Chart pictures: every chart in both languages, mirrored Arabic, digits, fonts, caching."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.text import Text
from PIL import Image

from briefing.chartdata import ChartData, resolve_chart
from briefing.document import Chart, Parallel, build_document
from briefing.edits import default_brief, set_figure_value
from briefing.errors import BriefingError
from briefing.library import Library
from briefing.model import Lang
from briefing.render import charts
from briefing.templates import Template, load_template

CHART_IDS = (
    "baku_port",
    "btk_railway",
    "az_green_capacity",
    "kz_renewables_target",
    "eu_export_share",
)
VARIANTS = (("ar", "latin"), ("ar", "arabic"), ("en", "latin"))
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
ARABIC_LETTER = re.compile("[\u0621-\u064a]")
ARABIC_INDIC = re.compile("[\u0660-\u0669]")


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template("ministry")


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path: Path) -> Iterator[Path]:
    """Give every test an empty memory cache and its own disk cache folder, and no shipped
    pictures (the library's own figures would otherwise be found drawn already)."""
    folder = tmp_path / "chart-cache"
    charts.configure_disk_cache(folder)
    charts.configure_shipped_cache(None)
    charts.clear_cache()
    yield folder
    charts.configure_disk_cache(True)
    charts.configure_shipped_cache(True)
    charts.clear_cache()


def data_for(library: Library, chart_id: str, lang: Lang, digits: str = "latin") -> ChartData:
    return resolve_chart(
        library.charts[chart_id], library.figures, library.units, lang, digits, "source"
    )


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def colour_columns(png: bytes, colour: str) -> np.ndarray:
    """Return the x positions (0..1 of the width) of the pixels painted exactly ``colour``."""
    image = pixels(png)
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    _, xs = np.nonzero(np.all(image == rgb, axis=-1))
    assert xs.size > 100, f"no area painted {colour}"
    return xs / image.shape[1]


def columns_ar_en(
    library: Library, template: Template, chart_id: str, size: str, colour: str
) -> tuple[np.ndarray, np.ndarray]:
    """Return ``colour_columns`` of the chart drawn in Arabic, then of it in English."""
    arabic, english = (
        colour_columns(charts.render_chart_png(data_for(library, chart_id, lang), template, size),
                       colour)
        for lang in ("ar", "en")
    )
    return arabic, english


def figure_texts(data: ChartData, template: Template, size: str = "full") -> list[str]:
    """Return every non-empty text the chart draws, tick labels included."""
    with charts.chart_figure(data, template, size) as figure:
        figure.canvas.draw()
        return [
            text.get_text()
            for text in figure.findobj(Text)
            if text.get_visible() and text.get_text().strip()
        ]


# -- every chart, both languages -------------------------------------------------------


@pytest.mark.parametrize("size", ["full", "half"])
@pytest.mark.parametrize(("lang", "digits"), VARIANTS)
@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_chart_renders_at_print_resolution(
    library: Library, template: Template, chart_id: str, lang: Lang, digits: str, size: str
) -> None:
    # Warnings are errors here: a glyph missing from every font (tofu) fails the test.
    data = data_for(library, chart_id, lang, digits)
    png = charts.render_chart_png(data, template, size)
    image = Image.open(io.BytesIO(png))
    width_cm, height_cm = charts.chart_size_cm(data.kind, size)
    assert charts.DPI >= 200
    expected = (width_cm / 2.54 * charts.DPI, height_cm / 2.54 * charts.DPI)
    assert image.size == pytest.approx(expected, abs=1)
    assert image.info["dpi"] == pytest.approx((charts.DPI, charts.DPI), abs=0.5)
    assert b"Software" not in png and b"tIME" not in png


@pytest.mark.parametrize(("lang", "digits"), VARIANTS)
@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_text_is_logical_with_the_briefs_digits(
    library: Library, template: Template, chart_id: str, lang: Lang, digits: str
) -> None:
    texts = figure_texts(data_for(library, chart_id, lang, digits), template)
    joined = "\n".join(texts)
    assert not PRESENTATION_FORMS.search(joined), "pre-shaped text reaches matplotlib"
    if lang == "en":
        assert not ARABIC_LETTER.search(joined)
        return
    assert ARABIC_LETTER.search(joined)
    for text in texts:
        if ARABIC_LETTER.search(text):
            # Each Arabic line opens with a right-to-left mark: an RTL base direction.
            assert all(line.startswith("\u200f") for line in text.split("\n")), text
    if digits == "arabic":
        assert not re.search("[0-9]", joined), joined
        assert ARABIC_INDIC.search(joined)
    else:
        assert not ARABIC_INDIC.search(joined), joined


def test_qualifiers_are_drawn(library: Library, template: Template) -> None:
    english = "\n".join(figure_texts(data_for(library, "az_green_capacity", "en"), template))
    assert "at least 7\u00a0gigawatts" in english.replace("\n", " ")
    assert "more than 70%" in english and "less than 30%" in english
    arabic = "\n".join(figure_texts(data_for(library, "az_green_capacity", "ar"), template))
    assert "على الأقل" in arabic and "أكثر من 70٪" in arabic


def test_fonts_are_the_templates_own_script_first(library: Library, template: Template) -> None:
    fonts_folder = Path(template.fonts.arabic.regular).parent
    for lang, first in (("ar", template.fonts.arabic), ("en", template.fonts.latin)):
        data = data_for(library, "baku_port", lang)
        with charts.chart_figure(data, template) as figure:
            figure.canvas.draw()
            families = [t.get_fontproperties().get_family() for t in figure.findobj(Text)]
        assert families and all(f[0] == first.family for f in families), families
        for family in families[0]:
            found = font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
            assert Path(found).parent == fonts_folder, found


# -- mirrored Arabic layout ----------------------------------------------------------------


def test_horizontal_bars_grow_leftwards_in_arabic(library: Library, template: Template) -> None:
    colour = template.chart_palette[2]  # the expandable capacity, the longest bar
    arabic, english = columns_ar_en(library, template, "baku_port", "full", colour)
    # The baseline is on the right in Arabic (labels right of it), on the left in English.
    assert arabic.max() > 0.6 and arabic.min() < 0.2
    assert english.min() > 0.25 and english.max() > 0.8
    assert arabic.mean() < 0.5 < english.mean()


def test_vertical_bars_run_right_to_left_in_arabic(library: Library, template: Template) -> None:
    colour = template.chart_palette[0]  # the capacity, the third and last bar
    arabic, english = columns_ar_en(library, template, "btk_railway", "full", colour)
    assert arabic.max() < 0.4
    assert english.min() > 0.6


def test_progress_fills_from_the_right_in_arabic(library: Library, template: Template) -> None:
    colour = template.chart_palette[0]
    arabic, english = columns_ar_en(library, template, "kz_renewables_target", "half", colour)
    assert arabic.max() > 0.9 and arabic.min() > 0.45
    assert english.min() < 0.1 and english.max() < 0.55


def test_donut_and_legend_swap_sides_in_arabic(library: Library, template: Template) -> None:
    colour = template.chart_palette[0]
    arabic, english = columns_ar_en(library, template, "eu_export_share", "full", colour)
    # The EU part of the ring starts at twelve o'clock and runs anticlockwise in Arabic.
    assert np.median(arabic) > 0.5 > np.median(english)


# -- caching and determinism ---------------------------------------------------------------


def test_an_unchanged_chart_is_drawn_once(library: Library, template: Template) -> None:
    data = data_for(library, "baku_port", "ar")
    first = charts.render_chart_png(data, template, "full")
    second = charts.render_chart_png(data_for(library, "baku_port", "ar"), template, "full")
    assert first == second
    assert charts.cache_info()["draws"] == 1
    assert charts.cache_info()["memory_hits"] == 1
    charts.render_chart_png(data, template, "half")
    charts.render_chart_png(replace(data, value_labels=("1", "2", "3")), template, "full")
    recoloured = replace(template, chart_palette=("#000000", "#333333", "#666666"))
    other = charts.render_chart_png(data, recoloured, "full")
    assert other != first
    assert charts.cache_info()["draws"] == 4


def test_drawing_is_deterministic(library: Library, template: Template) -> None:
    data = data_for(library, "az_green_capacity", "ar", "arabic")
    first = charts.render_chart_png(data, template, "full")
    charts.clear_cache()
    charts.configure_disk_cache(None)
    again = charts.render_chart_png(data, template, "full")
    assert charts.cache_info()["draws"] == 1
    assert again == first


def test_drawing_is_the_same_in_another_process(
    library: Library, template: Template, tmp_path: Path
) -> None:
    data = data_for(library, "btk_railway", "en")
    here = charts.render_chart_png(data, template, "half")
    code = (
        "import sys; from briefing.library import load_library;"
        "from briefing.templates import load_template;"
        "from briefing.chartdata import resolve_chart;"
        "from briefing.render import charts; charts.configure_disk_cache(None);"
        "lib = load_library(); spec = lib.charts['btk_railway'];"
        "data = resolve_chart(spec, lib.figures, lib.units, 'en', 'latin', 'source');"
        "sys.stdout.buffer.write(charts.render_chart_png(data, load_template('ministry'), 'half'))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, timeout=120
    ).stdout
    assert there == here


def test_disk_cache_serves_a_new_process_and_ignores_broken_files(
    library: Library, template: Template, fresh_cache: Path
) -> None:
    data = data_for(library, "eu_export_share", "en")
    png = charts.render_chart_png(data, template, "half")
    files = list(fresh_cache.glob("*.png"))
    assert len(files) == 1 and files[0].read_bytes() == png
    assert not list(fresh_cache.glob(".*"))  # no temporary left behind
    charts.clear_cache()
    assert charts.render_chart_png(data, template, "half") == png
    assert charts.cache_info()["disk_hits"] == 1 and charts.cache_info()["draws"] == 0
    files[0].write_bytes(png[: len(png) // 2])  # a torn write from elsewhere
    charts.clear_cache()
    assert charts.render_chart_png(data, template, "half") == png
    assert charts.cache_info()["draws"] == 1
    assert files[0].read_bytes() == png


def test_disk_cache_keeps_only_the_newest_pictures(
    library: Library, template: Template, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "DISK_CACHE_FILES", 2)
    pictures = []
    for age, chart_id in enumerate(("baku_port", "btk_railway", "eu_export_share")):
        pictures.append(
            charts.render_chart_png(data_for(library, chart_id, "en"), template, "half")
        )
        for path in fresh_cache.glob("*.png"):
            if path.read_bytes() == pictures[-1]:
                os.utime(path, ns=(age * 10**9, age * 10**9))  # distinct ages, oldest first
    kept = {path.read_bytes() for path in fresh_cache.glob("*.png")}
    assert kept == set(pictures[1:])


def test_cache_can_be_switched_off_by_environment(
    library: Library, template: Template, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("BRIEFING_CHART_CACHE", "off")
    charts.configure_disk_cache(True)
    charts.render_chart_png(data_for(library, "baku_port", "en"), template, "half")
    assert not (tmp_path / "xdg").exists()
    monkeypatch.delenv("BRIEFING_CHART_CACHE")
    charts.render_chart_png(data_for(library, "btk_railway", "en"), template, "half")
    assert len(list((tmp_path / "xdg").rglob("*.png"))) == 1


def test_parallel_rendering_matches_and_draws_each_chart_once(
    library: Library, template: Template
) -> None:
    charts.configure_disk_cache(None)
    items = [
        (data_for(library, chart_id, lang), template, "half")
        for chart_id in ("baku_port", "btk_railway", "kz_renewables_target")
        for lang in ("ar", "en")
    ]
    items.append(items[0])
    pictures = charts.render_charts_parallel(items, workers=2)
    info = charts.cache_info()
    assert info["draws"] == 6
    assert info["parallel_draws"] in (0, 6)  # 0 where forking is not safe
    charts.clear_cache()
    one_by_one = [charts.render_chart_png(*item) for item in items]
    assert pictures == one_by_one
    assert pictures[0] == pictures[-1]


def test_bad_requests_name_the_chart(library: Library, template: Template) -> None:
    data = data_for(library, "baku_port", "en")
    with pytest.raises(BriefingError, match=r"baku_port.*size 'huge'"):
        charts.render_chart_png(data, template, "huge")
    with pytest.raises(BriefingError, match=r"baku_port.*kind 'radar'"):
        charts.render_chart_png(replace(data, kind="radar"), template, "full")


def test_document_building_does_not_load_matplotlib() -> None:
    code = (
        "import sys, briefing.document, briefing.chartdata, briefing.edits;"
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


# -- a figure edit reaches the pictures -------------------------------------------------


def test_a_figure_edit_redraws_its_chart_in_every_language(
    library: Library, template: Template
) -> None:
    brief = default_brief(library)
    edited = set_figure_value(brief, library, "az_green_export_share", "80")

    def pictures(document_brief: object) -> dict[tuple[str, str], bytes]:
        document = build_document(document_brief, library, template, "bi")  # type: ignore[arg-type]
        found = {}
        for block in document.blocks:
            if isinstance(block, Parallel):
                for item in (*block.ar, *block.en):
                    if isinstance(item, Chart):
                        key = (item.data.id, item.lang)
                        found[key] = charts.render_chart_png(item.data, template, "half")
        return found

    before = pictures(brief)
    draws = charts.cache_info()["draws"]
    assert draws == 2 * len(library.charts)
    after = pictures(edited)
    for lang in ("ar", "en"):
        assert after[("az_green_capacity", lang)] != before[("az_green_capacity", lang)]
        assert after[("baku_port", lang)] == before[("baku_port", lang)]
    # Only the two edited pictures (Arabic and English) were drawn again.
    assert charts.cache_info()["draws"] == draws + 2
