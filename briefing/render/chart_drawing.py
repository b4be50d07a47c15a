"""Lay a chart's data out on a matplotlib Figure (Agg) and draw it as PNG, mirrored for Arabic."""

from __future__ import annotations

import os
import re
import struct
import textwrap
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, cast

# Before any other part of matplotlib: it then loads a third faster (see mpl_quick).
from briefing.render import mpl_quick  # noqa: F401

# isort: split
import matplotlib
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_font
from matplotlib.figure import Figure
from matplotlib.offsetbox import AnchoredOffsetbox, TextArea, VPacker
from matplotlib.patches import Rectangle, Wedge
from matplotlib.ticker import FuncFormatter, MaxNLocator

from briefing.chartdata import ChartData
from briefing.errors import BriefingError
from briefing.fonts import FontFace, fallback_faces
from briefing.numbers import format_number
from briefing.render.charts import CHART_SIZES_CM, DPI, chart_size_cm
from briefing.templates import Template

# One type scale for every chart, in points (the picture is placed at its own size,
# so these are the sizes a reader sees on paper).
TYPE_SCALE: dict[str, float] = {
    "label": 8.5,  # category labels, legend entries
    "value": 8.5,  # value labels on bars and slices
    "tick": 7.5,  # axis ticks and the unit label
    "headline": 12.0,  # the big number of a donut or progress chart
    "note": 7.5,  # small text under a headline
}

# Arabic text is set this much larger than Latin text of the same role.
ARABIC_SIZE_FACTOR = 1.12

# Characters per line before a category label wraps, per size.
WRAP_CHARS: dict[str, int] = {"full": 28, "half": 16}

# Palette index per item role; roles not listed take the next colour in turn.
ROLE_COLOUR: dict[str, int] = {
    "capacity": 0,
    "share": 0,
    "flow": 1,
    "estimate": 1,
    "target": 2,
}

# Tick steps a reader counts in easily (1, 2, 2.5, 5 and their powers of ten).
NICE_STEPS = [1, 2, 2.5, 5, 10]


# matplotlib's settings and font list are process-wide: one figure is built at a time.
_lock = threading.RLock()
_registered_fonts: dict[Path, str] = {}


# -- fonts ----------------------------------------------------------------------------------


def _register(path: Path) -> str:
    """Return the family name of a font file, adding it to matplotlib once per process."""
    path = Path(path)
    with _lock:
        name = _registered_fonts.get(path)
        if name is None:
            if not path.is_file():
                raise BriefingError(f"font file {path} does not exist")
            manager = font_manager.fontManager
            manager.addfont(str(path))
            name = font_manager.FontProperties(fname=str(path)).get_name()
            # Charts use the bundled fonts only: a system copy of the same family (say
            # /usr/share/fonts/…/Amiri) could win the lookup. So the system's fonts are
            # forgotten, all of them, which also spares each new lookup scoring some
            # hundreds of fonts (10 ms each here). matplotlib's own fonts stay, for the
            # mathematical text it may fall back on.
            bundled = {str(p) for p in _registered_fonts} | {str(path)}
            own = str(Path(matplotlib.get_data_path()))
            manager.ttflist = [
                entry
                for entry in manager.ttflist
                if str(entry.fname) in bundled or str(entry.fname).startswith(own)
            ]
            cast(Any, manager)._findfont_cached.cache_clear()  # lookups made before
            _faces.clear()
            _registered_fonts[path] = name
        return name


def _families(template: Template, lang: str) -> list[str]:
    """Return font families in fallback order: the script's own font first."""
    fonts = template.fonts
    ordered: list[FontFace] = (
        [fonts.arabic, fonts.latin] if lang == "ar" else [fonts.latin, fonts.arabic]
    )
    ordered += fallback_faces()
    names: list[str] = []
    for face in ordered:
        name = _register(face.regular)
        _register(face.bold)
        if name not in names:
            names.append(name)
    return names


# -- drawing --------------------------------------------------------------------------------


# The font file list of each text's properties, under the font settings in force. matplotlib
# looks it up family by family for every text it measures or draws, some forty times per
# chart (a tenth of the drawing); the files only change when a font is registered.
_faces: dict[tuple[Any, ...], Any] = {}
_FONT_SETTINGS = tuple(
    f"font.{key}"
    for key in ("family", "style", "variant", "weight", "stretch", "size", "serif",
                "sans-serif", "cursive", "fantasy", "monospace")
)


# A font object reads its file through a stream a forked process would share with this
# one (the same file position): a child forgets them, as matplotlib's own cache does.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_faces.clear)


class _Renderer(RendererAgg):
    """matplotlib's Agg renderer, finding each text's fonts once per font settings."""

    def _prepare_font(self, font_prop: Any) -> Any:
        settings: Any = matplotlib.rcParams
        key = (font_prop, *(repr(settings[name]) for name in _FONT_SETTINGS))
        font = _faces.get(key)
        if font is None:
            font = get_font(font_manager.fontManager._find_fonts_by_props(font_prop))
            # Kept under a copy: a text's properties may change after it is drawn.
            _faces[(font_prop.copy(), *key[1:])] = font
        font.clear()
        font.set_size(font_prop.get_size_in_points(), self.dpi)
        return font


class _Canvas(FigureCanvasAgg):
    """An Agg canvas drawing with ``_Renderer``."""

    def get_renderer(self) -> RendererAgg:
        """Return the renderer for the figure's size, made anew when the size changes."""
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        if self._lastKey != key:
            self.renderer = _Renderer(width, height, self.figure.dpi)
            self._lastKey = key
        return cast(RendererAgg, self.renderer)


class _Style:
    """Colours, fonts, sizes and direction for one picture."""

    def __init__(self, data: ChartData, template: Template, size: str) -> None:
        self.rtl = data.lang == "ar"
        self.size = size
        self.full = size == "full"
        self.width_cm, self.height_cm = chart_size_cm(data.kind, size)
        self.palette = template.chart_palette
        self.colours = template.colours
        self.text = template.colours["text"]
        self.muted = template.colours["muted"]
        self.rule = template.colours["rule"]
        self.wrap = WRAP_CHARS[size]
        self.unit_label = data.unit_label
        # Text starts at the right in Arabic: "right" there is "left" in English.
        self.start: Literal["left", "right"] = "right" if self.rtl else "left"
        self.end: Literal["left", "right"] = "left" if self.rtl else "right"
        # Naskh faces look a size smaller than Latin ones at the same point size.
        self.scale = ARABIC_SIZE_FACTOR if self.rtl else 1.0

    def fs(self, name: str) -> float:
        """Return the font size for a role of text (see TYPE_SCALE), in points."""
        return round(TYPE_SCALE[name] * self.scale, 2)

    def colour(self, role: str, index: int) -> str:
        """Return the fill colour of an item by its role, falling back to its position."""
        if role == "remainder":
            return self.rule
        slot = ROLE_COLOUR.get(role, index)
        return self.palette[slot % len(self.palette)]

    def t(self, text: str, width: int | None = 0) -> str:
        """Return ``text`` ready for matplotlib: wrapped at spaces when ``width`` is not None
        (0: the size's default) and, in Arabic, each line opened with a right-to-left mark.

        matplotlib shapes and orders the logical text itself; the mark only makes each
        line's base direction right-to-left, so that "٧٠٪" or "(EU)" sit as they do in the
        brief's own Arabic paragraphs instead of following a left-to-right base.
        """
        # A number and its unit never part at a line break ("7 GW", "٧ غيغاواط").
        text = NUMBER_SPACE.sub("\u00a0", text)
        if self.unit_label and " " in self.unit_label:
            text = text.replace(self.unit_label, self.unit_label.replace(" ", "\u00a0"))
        lines = [text]
        if width is not None:
            lines = textwrap.wrap(text, width or self.wrap, break_long_words=False) or [text]
        if self.rtl:
            lines = [RLM + line for line in lines]
        return "\n".join(lines)


RLM = "\u200f"
NUMBER_SPACE = re.compile(r"(?<=[0-9\u0660-\u0669]) (?=\S)")


@contextmanager
def chart_figure(data: ChartData, template: Template, size: str = "full") -> Iterator[Figure]:
    """Yield the chart laid out on a matplotlib Figure (Agg canvas), under the chart style.

    The renderer saves it as PNG; tests look at its texts. matplotlib's settings are
    process-wide, so figures are built one at a time.
    """
    if size not in CHART_SIZES_CM:
        raise BriefingError(f"chart {data.id}: unknown size {size!r} (use full or half)")
    drawer = _DRAWERS.get(data.kind)
    if drawer is None:
        raise BriefingError(f"chart {data.id}: kind {data.kind!r} cannot be drawn")
    if not data.values:
        raise BriefingError(f"chart {data.id}: there is nothing to draw")
    families = _families(template, data.lang)
    style = _Style(data, template, size)
    rc: Any = {
        "font.family": families,
        "font.size": style.fs("label"),
        "text.color": style.text,
        "axes.edgecolor": style.rule,
        "axes.labelcolor": style.muted,
        "xtick.color": style.muted,
        "ytick.color": style.muted,
        "axes.unicode_minus": False,
        "hatch.color": "white",
        "hatch.linewidth": 1.2,
        # Hinting snaps glyphs to a screen's pixel grid; at print resolution it changes
        # nothing a reader sees, and skipping it halves the time Latin text takes to lay out.
        "text.hinting": "no_hinting",
    }
    with _lock, matplotlib.rc_context(rc):
        figure = Figure(figsize=(style.width_cm / 2.54, style.height_cm / 2.54), dpi=DPI)
        _Canvas(figure)
        figure.set_facecolor("white")
        drawer(figure, data, style)
        yield figure


def draw_png(data: ChartData, template: Template, size: str) -> bytes:
    """Return the chart freshly drawn as PNG bytes (the cache in ``charts`` wraps this)."""
    import numpy as np

    with chart_figure(data, template, size) as figure:
        canvas = cast(FigureCanvasAgg, figure.canvas)
        canvas.draw()
        return encode_png(np.asarray(canvas.buffer_rgba()), DPI)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def encode_png(pixels: Any, dpi: int) -> bytes:
    """Return opaque 8-bit pixels as RGB PNG bytes, each row "Up"-filtered, lightly deflated.

    ``pixels`` is an array of rows of RGB or RGBA pixels (matplotlib's buffer, whose alpha
    is left out: a chart is opaque). Opaque RGB goes into a PDF as it is. Most rows of a
    chart repeat the row above (margins, bars, gridlines), which the Up filter turns into
    zeros; choosing a filter for each row, as general PNG writers do, costs more than it
    saves here: this takes a quarter less time than Pillow at its fastest setting, for the
    same size. The rows are subtracted with all their channels, where the memory is in one
    piece, and the colours then copied one channel at a time: taking RGB out of RGBA first
    (Pillow's convert) took four times as long as the rest. No text chunks or dates, so the
    same pixels always give the same bytes.
    """
    import numpy as np

    height, width = pixels.shape[:2]
    change = np.empty_like(pixels)
    change[0] = pixels[0]  # the row above the first counts as zeros
    np.subtract(pixels[1:], pixels[:-1], out=change[1:])  # wraps modulo 256, as PNG wants
    filtered = np.empty((height, width * 3 + 1), np.uint8)
    filtered[:, 0] = 2  # filter type Up
    colours = filtered[:, 1:].reshape(height, width, 3)
    for channel in range(3):
        colours[:, :, channel] = change[:, :, channel]
    dots_per_metre = round(dpi / 0.0254)
    return PNG_SIGNATURE + b"".join(
        (
            _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
            _png_chunk(b"pHYs", struct.pack(">IIB", dots_per_metre, dots_per_metre, 1)),
            _png_chunk(b"IDAT", zlib.compress(filtered.data, 1)),
            _png_chunk(b"IEND", b""),
        )
    )


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    """Return one PNG chunk: length, type, body and the CRC of type and body."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def prepare_fonts(template: Template, lang: str) -> None:
    """Register the fonts a chart in ``lang`` uses (a process drawing many does it once)."""
    _families(template, lang)


def _tick_formatter(data: ChartData) -> FuncFormatter:
    """Return a formatter writing tick values in the brief's language and digits."""

    def format_tick(value: float, _position: int | None) -> str:
        number = Decimal(repr(round(float(value), 6))).normalize()
        if number == 0:
            number = Decimal(0)  # never "-0" or "0E-6"
        return format_number(number, data.lang, data.digits)

    return FuncFormatter(format_tick)


def _plain_axes(ax: Any, style: _Style) -> None:
    """Remove the frame and the tick marks; gridlines and labels carry the scale."""
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.tick_params(length=0, labelsize=style.fs("tick"))
    ax.set_axisbelow(True)


def _bars(ax: Any, data: ChartData, style: _Style, horizontal: bool) -> None:
    """Draw one bar per item, coloured by role; estimates hatched."""
    positions = range(len(data.values))
    colours = [style.colour(role, index) for index, role in enumerate(data.roles)]
    if horizontal:
        bars = ax.barh(positions, data.values, height=0.6, color=colours, zorder=2)
    else:
        bars = ax.bar(positions, data.values, width=0.55, color=colours, zorder=2)
    for bar, role in zip(bars, data.roles, strict=True):
        if role == "estimate":
            # A derived rate, not a reported figure: hatching tells it apart at a glance.
            bar.set_hatch("///")


def _value_scale(axis: Any, data: ChartData) -> None:
    axis.set_major_locator(MaxNLocator(nbins=5, steps=NICE_STEPS, min_n_ticks=3))
    axis.set_major_formatter(_tick_formatter(data))


def _draw_barh(figure: Figure, data: ChartData, style: _Style) -> None:
    """Draw horizontal bars: labels beside the bars (right in Arabic), values at their ends."""
    count = len(data.values)
    label_share = 0.32 if style.full else 0.40
    left, right = (0.04, 1 - label_share) if style.rtl else (label_share, 0.96)
    ax = figure.add_axes((left, 0.17 if style.full else 0.2, right - left, 0.79))
    _bars(ax, data, style, horizontal=True)
    _plain_axes(ax, style)
    ax.set_yticks(range(count), [style.t(c) for c in data.categories])
    ax.set_ylim(count - 0.5, -0.5)  # first item on top, in both languages
    top = max([*data.values, data.maximum or 0]) or 1.0
    ax.set_xlim(0, top * 1.12)  # widened below if a value label needs the room
    _value_scale(ax.xaxis, data)
    ax.grid(axis="x", color=style.rule, linewidth=0.6, zorder=0)
    ax.axvline(0, color=style.muted, linewidth=0.8, zorder=3)
    # The unit sits under the far end of the scale, where the numbers grow.
    ax.set_xlabel(style.t(data.unit_label, None), fontsize=style.fs("tick"), loc=style.end)
    if style.rtl:
        ax.invert_xaxis()  # bars grow leftwards from a baseline on the right
        ax.yaxis.tick_right()
    ax.tick_params(axis="y", pad=6, labelsize=style.fs("label"), labelcolor=style.text)
    for tick in ax.yaxis.get_major_ticks():
        # Wrapped lines keep the reading start aligned: the right edge in both languages.
        (tick.label2 if style.rtl else tick.label1).set_multialignment("right")
    _maximum_rule(ax, data, style)
    labels = []
    for position, value, text in zip(range(count), data.values, data.value_labels, strict=True):
        label = ax.annotate(
            style.t(text, None),
            xy=(value, position),
            xytext=(-4 if style.rtl else 4, 0),
            textcoords="offset points",
            ha=style.start,
            va="center",
            fontsize=style.fs("value"),
            fontweight="bold",
            color=style.text,
            zorder=4,
        )
        labels.append(label)
    _fit_value_labels(figure, ax, data.values, labels, style)


def _fit_value_labels(
    figure: Figure,
    ax: Any,
    values: Sequence[float],
    labels: Sequence[Any],
    style: _Style,
    horizontal: bool = True,
) -> None:
    """Stretch the value scale so that every label beyond its bar ends inside the picture.

    Label sizes depend on the language and font, so they are measured, not guessed.
    """
    renderer = cast(FigureCanvasAgg, figure.canvas).get_renderer()
    axes_box = ax.get_window_extent(renderer)
    offset = 4 * figure.dpi / 72
    if horizontal:
        margin = 0.025 * figure.bbox.width
        # Room from the baseline to the picture's edge, on the side where bars grow.
        room = (axes_box.x1 - margin) if style.rtl else (figure.bbox.width - margin - axes_box.x0)
        length = axes_box.width
        low, high = sorted(ax.get_xlim())
    else:
        margin = 0.02 * figure.bbox.height
        room = figure.bbox.height - margin - axes_box.y0
        length = axes_box.height
        low, high = ax.get_ylim()
    needed = high
    for value, label in zip(values, labels, strict=True):
        extent = label.get_window_extent(renderer)
        size = (extent.width if horizontal else extent.height) + offset
        if value > 0 and room - size > 0:
            needed = max(needed, value * length / (room - size))
    if needed <= high:
        return
    if not horizontal:
        ax.set_ylim(low, needed)
    else:
        ax.set_xlim((needed, low) if style.rtl else (low, needed))


def _draw_bar(figure: Figure, data: ChartData, style: _Style) -> None:
    """Draw vertical bars: categories right to left in Arabic, value axis on the right."""
    count = len(data.values)
    left, right = (0.04, 0.9) if style.rtl else (0.1, 0.96)
    bottom = 0.2 if style.full else 0.3
    ax = figure.add_axes((left, bottom, right - left, 0.86 - bottom))
    _bars(ax, data, style, horizontal=False)
    _plain_axes(ax, style)
    width = max(10, int(style.wrap * 2.7 / max(count, 1)))
    ax.set_xticks(range(count), [style.t(c, width) for c in data.categories])
    ax.tick_params(axis="x", pad=5, labelsize=style.fs("label"), labelcolor=style.text)
    for tick in ax.xaxis.get_major_ticks():
        tick.label1.set_multialignment("center")
    top = max([*data.values, data.maximum or 0]) or 1.0
    ax.set_ylim(0, top * 1.1)  # raised below if a value label needs the room
    _value_scale(ax.yaxis, data)
    ax.grid(axis="y", color=style.rule, linewidth=0.6, zorder=0)
    ax.axhline(0, color=style.muted, linewidth=0.8, zorder=3)
    # Categories run from the reading start: the first stands on the right in Arabic.
    ax.set_xlim((count - 0.5, -0.5) if style.rtl else (-0.5, count - 0.5))
    if style.rtl:
        ax.yaxis.tick_right()
    # The unit heads the value axis, written horizontally.
    ax.annotate(
        style.t(data.unit_label, None),
        xy=(1.0 if style.rtl else 0.0, 1.0),
        xycoords="axes fraction",
        xytext=(0, 8),
        textcoords="offset points",
        # Written out ("million tonnes"), the unit runs over the plot from the value
        # axis instead of into the margin, where it was cut.
        ha=style.start,
        va="bottom",
        fontsize=style.fs("tick"),
        color=style.muted,
    )
    _maximum_rule(ax, data, style)
    labels = []
    for position, value, text in zip(range(count), data.values, data.value_labels, strict=True):
        label = ax.annotate(
            style.t(text, width),
            xy=(position, value),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            multialignment="center",
            fontsize=style.fs("value"),
            fontweight="bold",
            color=style.text,
            zorder=4,
            gid="value-label",
        )
        labels.append(label)
    _fit_value_labels(figure, ax, data.values, labels, style, horizontal=False)
    _separate_labels(figure, ax, labels, data.value_labels, style)


# Value labels that run into each other are set down to this share of their size first.
LEAST_LABEL_SCALE = 0.8


def _overlapping(extents: Sequence[Any], pad: float) -> list[tuple[int, int]]:
    return [
        (first, second)
        for first in range(len(extents))
        for second in range(first + 1, len(extents))
        if extents[first].x0 < extents[second].x1 + pad
        and extents[second].x0 < extents[first].x1 + pad
        and extents[first].y0 < extents[second].y1 + pad
        and extents[second].y0 < extents[first].y1 + pad
    ]


def _separate_labels(
    figure: Figure, ax: Any, labels: Sequence[Any], texts: Sequence[str], style: _Style
) -> None:
    """Keep value labels over neighbouring bars apart (narrow bars of a half-size chart).

    Measured with the renderer: labels that touch are set smaller, then wrapped
    narrower, and a label that still touches its neighbour is lifted clear above it.
    """
    renderer = cast(FigureCanvasAgg, figure.canvas).get_renderer()
    pad = 2 * figure.dpi / 72
    size = style.fs("value")

    def touching() -> list[tuple[int, int]]:
        return _overlapping([label.get_window_extent(renderer) for label in labels], pad)

    steps = 0
    while touching() and size > style.fs("value") * LEAST_LABEL_SCALE and steps < 5:
        size = round(size * 0.92, 2)
        steps += 1
        for label in labels:
            label.set_fontsize(size)
    pairs = touching()
    if pairs:
        narrow = max(8, style.wrap // 2)
        for index in {index for pair in pairs for index in pair}:
            labels[index].set_text(style.t(texts[index], narrow))
    for first, second in touching():
        lower, upper = sorted((first, second), key=lambda i: labels[i].xy[1])
        low, high = labels[lower], labels[upper]
        lift = (
            high.get_window_extent(renderer).y1 - low.get_window_extent(renderer).y0 + pad
        ) * 72 / figure.dpi
        x, y = low.xyann
        low.xyann = (x, y + lift)
    # A lifted label stays inside the picture: the value scale grows under it.
    limit = figure.bbox.height * 0.98
    for _ in range(12):
        if max(label.get_window_extent(renderer).y1 for label in labels) <= limit:
            break
        low_limit, high_limit = ax.get_ylim()
        ax.set_ylim(low_limit, high_limit * 1.08)


def _maximum_rule(ax: Any, data: ChartData, style: _Style) -> None:
    """Mark the chart's maximum (a capacity, say) with a dashed rule and its label."""
    if data.maximum is None:
        return
    colour = style.colours["accent"]
    label = style.t(data.maximum_name or data.maximum_label, None)
    if data.kind == "barh":
        ax.axvline(data.maximum, color=colour, linestyle="--", linewidth=1.0, zorder=3)
        ax.annotate(
            label,
            xy=(data.maximum, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-3 if style.rtl else 3, 0),
            textcoords="offset points",
            ha=style.start,
            va="top",
            fontsize=style.fs("tick"),
            color=colour,
        )
    else:
        ax.axhline(data.maximum, color=colour, linestyle="--", linewidth=1.0, zorder=3)
        ax.annotate(
            label,
            xy=(0.0 if style.rtl else 1.0, data.maximum),
            xycoords=("axes fraction", "data"),
            xytext=(0, 3),
            textcoords="offset points",
            ha=style.end,
            va="bottom",
            fontsize=style.fs("tick"),
            color=colour,
        )


def _parts(data: ChartData) -> tuple[list[int], int | None]:
    """Return the indexes of the real items and the index of the remainder, if any."""
    parts = [i for i, role in enumerate(data.roles) if role != "remainder"]
    rest = next((i for i, role in enumerate(data.roles) if role == "remainder"), None)
    return parts, rest


def _whole(data: ChartData) -> float:
    if data.maximum:
        return data.maximum
    if data.is_share:
        return 100.0
    return sum(data.values) or 1.0


def _draw_progress(figure: Figure, data: ChartData, style: _Style) -> None:
    """Draw a track from 0 to the whole, filled to the value from the reading start."""
    parts, rest = _parts(data)
    whole = _whole(data)
    # The track sits low in its frame: its labels stand above it, its ticks below.
    track = (0.05, 0.26, 0.9, 0.16) if style.full else (0.06, 0.22, 0.88, 0.13)
    ax = figure.add_axes(track)
    start = 0.0
    for order, index in enumerate(parts):
        value = data.values[index]
        ax.barh(
            0,
            value,
            left=start,
            height=1.0,
            color=style.palette[order % len(style.palette)],
            zorder=2,
        )
        start += value
    ax.barh(
        0,
        max(whole - start, 0.0),
        left=start,
        height=1.0,
        color=style.colours["box"],
        edgecolor=style.rule,
        linewidth=0.6,
        zorder=1,
    )
    ax.set_xlim(0, whole)
    ax.set_ylim(-0.5, 0.5)
    _plain_axes(ax, style)
    ax.set_yticks([])
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=NICE_STEPS))
    ax.xaxis.set_major_formatter(_tick_formatter(data))
    ax.tick_params(axis="x", length=3, color=style.rule, pad=3)
    if style.rtl:
        ax.invert_xaxis()
    if not data.is_share:
        ax.set_xlabel(style.t(data.unit_label, None), fontsize=style.fs("tick"), loc=style.end)
    first = parts[0]
    # Each end of the track has about half the width for its label.
    label_width = int(style.wrap * 1.5)
    category = style.t(data.categories[first], label_width)
    lines = category.count("\n") + 1
    # The part's name just above the track's start, its value in large type above that.
    ax.annotate(
        category,
        xy=(0.0, 0.5),
        xytext=(0, 5),
        textcoords="offset points",
        ha=style.start,
        va="bottom",
        multialignment=style.start,
        fontsize=style.fs("label"),
        color=style.text,
    )
    ax.annotate(
        style.t(data.value_labels[first], None),
        xy=(0.0, 0.5),
        xytext=(0, 8 + lines * style.fs("label") * 1.5),
        textcoords="offset points",
        ha=style.start,
        va="bottom",
        fontsize=style.fs("headline"),
        fontweight="bold",
        color=style.palette[0],
    )
    if rest is not None:
        ax.annotate(
            style.t(f"{data.categories[rest]}: {data.value_labels[rest]}", label_width),
            xy=(whole, 0.5),
            xytext=(0, 5),
            textcoords="offset points",
            ha=style.end,
            va="bottom",
            multialignment=style.start,
            fontsize=style.fs("label"),
            color=style.muted,
        )


def _draw_donut(figure: Figure, data: ChartData, style: _Style) -> None:
    """Draw a ring of parts of a whole with its headline inside and a legend beside it.

    Full size: ring at the reading start's far side and the legend next to it (mirrored
    in Arabic); half size: ring above, legend below.
    """
    colours = [style.colour(role, index) for index, role in enumerate(data.roles)]
    if style.full:
        ring_box = (0.55, 0.05, 0.4, 0.9) if style.rtl else (0.05, 0.05, 0.4, 0.9)
        legend_box = (0.04, 0.1, 0.48, 0.8) if style.rtl else (0.48, 0.1, 0.48, 0.8)
    else:
        ring_box = (0.15, 0.38, 0.7, 0.6)
        legend_box = (0.05, 0.02, 0.9, 0.34)
    ax = figure.add_axes(ring_box)
    ax.set_aspect("equal")
    # Parts start at twelve o'clock and run clockwise in English, anticlockwise in Arabic.
    ring = 0.26 if style.full else 0.21
    ax.pie(
        data.values,
        colors=colours,
        startangle=90,
        counterclock=style.rtl,
        wedgeprops={"width": ring, "edgecolor": "white", "linewidth": 1.5},
    )
    _open_ends(ax, data, colours, style, ring)
    headline, note = _donut_headline(data)
    header = ""
    if not style.full and data.maximum is not None:
        # A half-size hole holds the number only; the whole's name heads the legend.
        header, note = f"{note}: {headline}", ""
    elif not style.full:
        note = ""
    # Headline and note form one block centred in the hole, whatever their line counts.
    rows: list[Artist] = [
        TextArea(
            style.t(headline, 11 if style.full else 9),
            textprops={
                "fontsize": style.fs("headline"),
                "fontweight": "bold",
                "color": colours[0],
                "multialignment": "center",
                "linespacing": 1.05,
            },
        )
    ]
    if note:
        rows.append(
            TextArea(
                style.t(note, 18),
                textprops={
                    "fontsize": style.fs("note"),
                    "color": style.muted,
                    "multialignment": "center",
                    "linespacing": 1.05,
                },
            )
        )
    block = VPacker(children=rows, align="center", pad=0, sep=3)
    ax.add_artist(
        AnchoredOffsetbox(
            loc="center",
            child=block,
            frameon=False,
            pad=0,
            borderpad=0,
            bbox_to_anchor=(0.5, 0.5),
            bbox_transform=ax.transAxes,
        )
    )
    _legend(figure, legend_box, data, colours, style, header)


# Share of the ring drawn hatched past a part that is "more than" or "at least" its value.
OPEN_END = 0.07


def _open_ends(
    ax: Any, data: ChartData, colours: Sequence[str], style: _Style, ring: float
) -> None:
    """Draw a hatched segment past each part whose value is a lower bound ("more than
    50 %"): the part may reach into it, so the ring does not claim an exact split."""
    whole = sum(data.values) or 1.0
    sign = 1.0 if style.rtl else -1.0  # anticlockwise in Arabic, clockwise in English
    start = 0.0
    for index, value in enumerate(data.values):
        start += value
        if data.roles[index] == "remainder":
            continue
        if index >= len(data.qualifiers) or data.qualifiers[index] not in ("more_than", "at_least"):
            continue
        end = 90.0 + sign * 360.0 * start / whole
        past = 90.0 + sign * 360.0 * min(whole, start + OPEN_END * whole) / whole
        ax.add_patch(
            Wedge(
                (0, 0),
                1.0,
                min(end, past),
                max(end, past),
                width=ring,
                facecolor="white",
                edgecolor=colours[index],
                hatch="////",
                hatchcolor=colours[index],
                linewidth=0.8,
                zorder=3,
                gid="open-end",
            )
        )


def _donut_headline(data: ChartData) -> tuple[str, str]:
    """Return the ring's centre text and a note under it: the whole when it is known
    (its value and name), else the first part (its value and category)."""
    if data.maximum is not None and data.maximum_label:
        return data.maximum_label, data.maximum_name
    return data.value_labels[0], data.categories[0]


def _legend(
    figure: Figure,
    box: tuple[float, float, float, float],
    data: ChartData,
    colours: Sequence[str],
    style: _Style,
    header: str = "",
) -> None:
    """Draw legend rows (swatch, name, value) under an optional header line; swatches and
    text start on the right in Arabic."""
    ax = figure.add_axes(box)
    ax.set_axis_off()
    box_w_cm, box_h_cm = box[2] * style.width_cm, box[3] * style.height_cm
    ax.set_xlim(0, box_w_cm)
    ax.set_ylim(0, box_h_cm)
    swatch = 0.32
    row = (1.35 if style.full else 0.6) * style.scale
    count = len(data.categories)
    top = box_h_cm / 2 + row * (count + (1 if header else 0)) / 2
    text_x = box_w_cm - swatch - 0.2 if style.rtl else swatch + 0.2
    swatch_x = box_w_cm - swatch if style.rtl else 0.0
    if header:
        ax.text(
            box_w_cm if style.rtl else 0.0,
            top - row / 2,
            style.t(header, None),
            ha=style.start,
            va="center",
            fontsize=style.fs("label"),
            color=style.muted,
        )
        top -= row
    for index in range(count):
        middle = top - row * (index + 0.5)
        ax.add_patch(
            Rectangle(
                (swatch_x, middle - swatch / 2), swatch, swatch, color=colours[index], clip_on=False
            )
        )
        if style.full:
            ax.text(
                text_x,
                middle + 0.03,
                style.t(data.categories[index]),
                ha=style.start,
                va="bottom",
                multialignment=style.start,
                fontsize=style.fs("label"),
                color=style.text,
            )
            ax.text(
                text_x,
                middle - 0.03,
                style.t(data.value_labels[index], None),
                ha=style.start,
                va="top",
                fontsize=style.fs("value"),
                fontweight="bold",
                color=style.text,
            )
        else:
            ax.text(
                text_x,
                middle,
                style.t(f"{data.categories[index]}: {data.value_labels[index]}", None),
                ha=style.start,
                va="center",
                fontsize=style.fs("label"),
                color=style.text,
            )


_DRAWERS = {"bar": _draw_bar, "barh": _draw_barh, "progress": _draw_progress, "donut": _draw_donut}
