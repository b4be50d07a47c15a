"""Draw the library's charts with its own figures into the shipped picture cache.

``python -m briefing.chart_cache`` (``make chart-cache``) fills ``resources/chart-cache``
with every chart of the default brief in every shipped template, language, digit style and
size, so that a first export with the library's figures draws no chart. Pictures are named
by ``charts.cache_key`` (drawing code, matplotlib version, font contents, chart data with
its figures, digits and language, size, colours): after any of these changes the shipped
pictures are simply not found, and this is run again.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from briefing import edits
from briefing.export import build_documents, chart_pictures
from briefing.library import load_library
from briefing.render import charts
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


def main() -> int:
    folder = as_path(resource(charts.SHIPPED_CACHE_FOLDER))
    count = build(folder)
    print(f"{count} chart pictures in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
