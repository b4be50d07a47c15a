"""Make the shipped caches: the library's chart pictures and the bundled fonts' subsets.

``python -m briefing.chart_cache`` (``make chart-cache``) fills ``resources/chart-cache``
with every chart of the default brief in every shipped template, language, digit style and
size, so that a first export with the library's figures draws no chart. Pictures are named
by ``charts.cache_key`` (drawing code, matplotlib version, font contents, chart data with
its figures, digits and language, size, colours): after any of these changes the shipped
pictures are simply not found, and this is run again.

It also fills ``resources/font-subsets`` with the Word subsets of every bundled font
keeping the fixed repertoire (``font_subsets``), so that a first Word export subsets
nothing either, and ``resources/font-measures`` with what an export measures of every
bundled font (reportlab's parse, ink extents, mark boxes) and finds checking the shipped
templates' fonts and pictures, named like the entries of the user's cache folders, so
that a first export parses no bundled font for them.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from briefing import edits
from briefing.export import build_documents, chart_pictures
from briefing.library import load_library
from briefing.render import charts, font_subsets
from briefing.render.docx import SUBSET_REPERTOIRE
from briefing.render.docx_fonts import make_subset
from briefing.resources import as_path, resource
from briefing.templates import list_templates, load_template_folder

LANGUAGES = ("ar", "en", "bi")
DIGIT_STYLES = ("latin", "arabic")


def default_items() -> list[charts.Item]:
    """Return every (chart, template, size) the default brief exports, without repeats."""
    library = load_library()
    items: dict[str, charts.Item] = {}
    shipped = [row for row in list_templates() if row["origin"] == "shipped"]
    for row in shipped:
        template_id = row["id"]
        template = load_template_folder(Path(row["path"]), False)
        for digits in DIGIT_STYLES:
            brief = replace(edits.default_brief(library, template_id), digits=digits)
            documents = build_documents(brief, LANGUAGES, template, library)
            for item in chart_pictures(list(documents.values()), ("pdf", "docx")):
                items.setdefault(charts.cache_key(*item), item)
    return list(items.values())


def build(folder: Path) -> int:
    """Draw the default pictures into ``folder`` (old pictures there are removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    charts.configure_disk_cache(None)
    charts.configure_shipped_cache(None)
    items = default_items()
    for item, png in zip(items, charts.render_charts_parallel(items), strict=True):
        (folder / f"{charts.cache_key(*item)}.png").write_bytes(png)
    return len(items)


def bundled_fonts() -> list[Path]:
    """Return the bundled font files, whose repertoire subsets are shipped."""
    return sorted(as_path(resource("fonts")).glob("*.ttf"))


def build_subsets(folder: Path) -> int:
    """Make the repertoire subset of every bundled font into ``folder`` (old ones removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.ttf"):
        old.unlink()
    for path in bundled_fonts():
        key = font_subsets.subset_key(path, SUBSET_REPERTOIRE)
        (folder / f"{key}.ttf").write_bytes(make_subset(path, SUBSET_REPERTOIRE))
    return len(bundled_fonts())


def build_measures(folder: Path) -> int:
    """Measure every bundled font, check every shipped template and parse the English
    hyphenation patterns into ``folder``, one subfolder per kind (old entries removed);
    return the number of entries."""
    from briefing import templates
    from briefing.text import fonts

    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory() as scratch:
        made = Path(scratch) / "font-subsets"
        font_subsets.configure(disk=made, shipped=None)
        templates._font_problem.cache_clear()
        templates._asset_problem.cache_clear()
        try:
            for path in bundled_fonts():
                fonts.measure_font(path)
            for row in list_templates():
                if row["origin"] == "shipped":
                    load_template_folder(Path(row["path"]), False)
            _parse_hyphenation()
        finally:
            font_subsets.configure()
            templates._font_problem.cache_clear()
            templates._asset_problem.cache_clear()
        count = 0
        for kind in font_subsets.SHIPPED_KINDS:
            source = made / kind
            if source.is_dir():
                shutil.copytree(source, folder / kind)
                count += len(list(source.iterdir()))
    return count


def _parse_hyphenation() -> None:
    """Parse the English hyphenation dictionary, keeping its patterns where the font
    measures are being made."""
    import pyphen

    from briefing.text import layout

    pyphen.hdcache.clear()
    layout._dictionary.cache_clear()
    layout._dictionary()
    layout._dictionary.cache_clear()


def _size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def main() -> int:
    folder = as_path(resource(charts.SHIPPED_CACHE_FOLDER))
    count = build(folder)
    print(f"{count} chart pictures in {folder} ({_size_mb(folder):.1f} MB)")
    fonts = as_path(resource(font_subsets.SHIPPED_FOLDER))
    count = build_subsets(fonts)
    print(f"{count} font subsets in {fonts} ({_size_mb(fonts):.1f} MB)")
    measures = as_path(resource(font_subsets.SHIPPED_MEASURES))
    count = build_measures(measures)
    print(f"{count} font measures and template checks in {measures} "
          f"({_size_mb(measures):.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
