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

Last it fills ``resources/text-caches`` with what a first PDF export of the default brief
computes in every shipped template, language and digit style: the paragraphs' lines
(``layouts``), the shaped runs (``shaping``) and the PDF font subsets (``pdf-subsets``),
under the names the user's cache folders give them (a hash of the fonts, the layout code
and the package versions), so that a first export lays out, shapes and subsets nothing.
The brief is dated once in every month: the command line and the app date it today, and
a month's name may bring glyphs of its own into a font's subset.
"""

from __future__ import annotations

import marshal
import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from briefing import edits
from briefing.export import build_documents, chart_pictures, render
from briefing.library import load_library
from briefing.model import Brief, DigitStyle, OutputLang
from briefing.render import charts, font_subsets
from briefing.render.charts import SHIPPED_FONT_LISTS
from briefing.render.docx import SUBSET_REPERTOIRE
from briefing.render.docx_fonts import make_subset
from briefing.resources import as_path, resource
from briefing.templates import Template, list_templates, load_template_folder

LANGUAGES: tuple[OutputLang, ...] = ("ar", "en", "bi")
DIGIT_STYLES: tuple[DigitStyle, ...] = ("latin", "arabic")
# The dates the shipped text caches are made for: one in every month (a day of two digits).
TEXT_CACHE_DATES = tuple(date(2026, month, 28) for month in range(1, 13))
TEXT_KINDS = ("layouts", "shaping", "pdf-subsets")


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


def default_briefs() -> list[tuple[Template, list[tuple[Brief, bool]]]]:
    """Return every shipped template with the default briefs made for it: per digit style
    and date, and whether its Word files are made too (once per digit style)."""
    library = load_library()
    found = []
    for row in list_templates():
        if row["origin"] != "shipped":
            continue
        template = load_template_folder(Path(row["path"]), False)
        briefs = []
        for digits in DIGIT_STYLES:
            brief = replace(edits.default_brief(library, row["id"]), digits=digits)
            for index, day in enumerate(TEXT_CACHE_DATES):
                briefs.append((edits.set_meta(brief, date=day), index == 0))
        found.append((template, briefs))
    return found


def build_text_caches(folder: Path) -> int:
    """Export the default briefs (see ``default_briefs``) with empty caches and keep what
    their PDF and Word files laid out, shaped and subset into ``folder``, one subfolder per
    kind (old entries removed); return the number of files."""
    from briefing.text import embed, kept_layouts, shaping

    shutil.rmtree(folder, ignore_errors=True)
    library = load_library()
    limits = [(kept_layouts, "KEPT_LAYOUTS"), (kept_layouts, "KEPT_FILES"),
              (kept_layouts, "KEPT_DRAWN"),
              (shaping, "KEPT_RUNS"), (shaping, "KEPT_FONTS"), (embed, "DISK_ENTRIES")]
    saved = [(module, name, getattr(module, name)) for module, name in limits]

    def forget() -> None:
        kept_layouts.forget_kept_layouts()
        shaping.forget_kept_runs()
        embed.clear_cache()

    with tempfile.TemporaryDirectory() as scratch:
        made = Path(scratch) / "font-subsets"
        for module, name in limits:
            setattr(module, name, 10**7)  # keep every entry, in one file per font (set)
        font_subsets.configure(disk=made, shipped=None)
        charts.configure_disk_cache(None)
        charts.configure_shipped_cache(True)  # the pictures just drawn
        forget()
        try:
            for template, briefs in default_briefs():
                for brief, with_word in briefs:
                    documents = build_documents(brief, LANGUAGES, template, library)
                    for document in documents.values():
                        render(document, "pdf")
                        if with_word:
                            render(document, "docx")
            shaping.save_kept_runs()
            kept_layouts.save_kept_layouts()
        finally:
            for module, name, value in saved:
                setattr(module, name, value)
            font_subsets.configure()
            charts.configure_disk_cache(True)
            forget()
        count = 0
        for kind in TEXT_KINDS:
            (folder / kind).mkdir(parents=True)
            for path in sorted((made / kind).iterdir()):
                data = path.read_bytes()
                if kind == "layouts":
                    entries = marshal.loads(data[len(kept_layouts._MAGIC) :])
                    data = kept_layouts.shipped_bytes(entries)
                elif kind == "shaping":
                    runs = marshal.loads(data[len(shaping._KEPT_MAGIC) :])
                    data = shaping.shipped_bytes(runs)
                (folder / kind / path.name).write_bytes(data)
                count += 1
    return count


def stale_text_caches() -> list[str]:
    """Return the shipped templates' font files whose shipped layouts or shaped runs are
    missing: a change to the layout code, a font or a package version renames them."""
    from briefing.text import FontSet, kept_layouts, shaping

    folder = as_path(resource(font_subsets.SHIPPED_TEXT))
    stale: list[str] = []
    for row in list_templates():
        if row["origin"] != "shipped":
            continue
        fonts = load_template_folder(Path(row["path"]), False).fonts
        font_set = FontSet(fonts.arabic, fonts.latin)
        if not (folder / kept_layouts.FOLDER / kept_layouts.file_name(font_set)).is_file():
            stale.append(f"{row['id']}: layouts")
        for face in (fonts.arabic, fonts.latin):
            for path in (face.regular, face.bold):
                name = shaping.kept_name(str(path))
                if not (folder / shaping.KEPT_FOLDER / name).is_file():
                    stale.append(f"{row['id']}: runs of {Path(path).name}")
    return stale


def build_font_list(folder: Path) -> Path:
    """Write matplotlib's list of its own fonts into ``folder``, under this matplotlib's
    version (old lists removed), as matplotlib writes its list; return the file.

    A drawing process finds it in its matplotlib folder instead of opening every font of
    the system to make one (see ``mpl_quick``). Only matplotlib's own fonts are listed,
    with their paths inside matplotlib (as matplotlib stores them), so the list holds
    wherever the program and matplotlib are installed.
    """
    import json

    import matplotlib
    from matplotlib import font_manager

    own = Path(matplotlib.get_data_path())

    def is_own(entry: object) -> bool:
        return Path(str(getattr(entry, "fname", ""))).is_relative_to(own)

    current = font_manager.fontManager
    listed = font_manager.FontManager.__new__(font_manager.FontManager)
    listed.__dict__.update(current.__dict__)
    listed.ttflist = sorted(filter(is_own, current.ttflist), key=lambda e: str(e.fname))
    listed.afmlist = sorted(filter(is_own, current.afmlist), key=lambda e: str(e.fname))
    shutil.rmtree(folder, ignore_errors=True)
    target = folder / matplotlib.__version__
    target.mkdir(parents=True)
    path = target / f"fontlist-v{font_manager.FontManager.__version__}.json"
    # As font_manager.json_dump writes it, with keys sorted: the same bytes each time.
    text = json.dumps(listed, cls=font_manager._JSONEncoder, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


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
    listed = build_font_list(as_path(resource(SHIPPED_FONT_LISTS)))
    print(f"matplotlib's font list in {listed}")
    text = as_path(resource(font_subsets.SHIPPED_TEXT))
    count = build_text_caches(text)
    sizes = ", ".join(f"{kind} {_size_mb(text / kind):.2f} MB" for kind in TEXT_KINDS)
    print(f"{count} layout, shaping and PDF subset files in {text} ({sizes})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
