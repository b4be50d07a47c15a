"""The chart pictures shipped with the program: found on a first export, keyed by content."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from briefing import chart_cache, edits
from briefing.export import build_documents, chart_pictures, export
from briefing.library import load_library
from briefing.render import charts
from briefing.resources import as_path, resource
from briefing.templates import load_template


@pytest.fixture()
def empty_user_cache(tmp_path: Path):
    charts.configure_disk_cache(tmp_path / "user-cache")
    charts.configure_shipped_cache(True)
    charts.clear_cache()
    yield tmp_path / "user-cache"
    charts.configure_disk_cache(True)
    charts.configure_shipped_cache(True)
    charts.clear_cache()


def _keys(brief, template_id: str = "ministry") -> set[str]:
    library = load_library()
    documents = build_documents(brief, ("ar", "en", "bi"), load_template(template_id), library)
    items = chart_pictures(list(documents.values()), ("pdf", "docx"))
    return {charts.cache_key(*item) for item in items}


def test_every_default_picture_is_shipped():
    folder = as_path(resource(charts.SHIPPED_CACHE_FOLDER))
    missing = [
        item[0].id
        for item in chart_cache.default_items()
        if not (folder / f"{charts.cache_key(*item)}.png").is_file()
    ]
    assert not missing, (
        "shipped chart pictures are stale (run make chart-cache, i.e. "
        f"python -m briefing.chart_cache): {missing}"
    )


def test_first_export_with_library_figures_draws_no_chart(empty_user_cache, tmp_path):
    library = load_library()
    brief = edits.default_brief(library)
    export(brief, tmp_path / "out", ["ar", "en", "bi"], ["pdf", "docx"], library=library)
    info = charts.cache_info()
    assert info["draws"] == 0
    assert info["disk_hits"] == len(_keys(brief))
    # Shipped pictures are read in place, not copied into the user's cache.
    assert not list(empty_user_cache.glob("*.png"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"brief-{lang}.{fmt}" for lang in ("ar", "bi", "en") for fmt in ("docx", "pdf")
    ]


def test_figure_edit_redraws_only_the_charts_using_it(empty_user_cache, tmp_path):
    library = load_library()
    brief = edits.default_brief(library)
    edited = edits.set_figure_value(brief, library, "baku_port_capacity", "17")
    changed = _keys(edited) - _keys(brief)
    assert changed, "the figure is drawn in a chart"
    library_keys = _keys(brief)
    export(edited, tmp_path / "out", ["ar", "en", "bi"], ["pdf", "docx"], library=library)
    info = charts.cache_info()
    assert info["draws"] == len(changed)
    assert info["disk_hits"] == len(_keys(edited) & library_keys)
    assert len(list(empty_user_cache.glob("*.png"))) == len(changed)
    # The same edit again draws nothing: the new pictures are in the user's cache.
    charts.clear_cache()
    export(edited, tmp_path / "out2", ["ar", "en", "bi"], ["pdf", "docx"], library=library)
    assert charts.cache_info()["draws"] == 0


def test_key_covers_language_digits_figures_and_fonts(tmp_path, monkeypatch):
    library = load_library()
    template = load_template("ministry")
    brief = edits.default_brief(library)
    arabic_digits = replace(brief, digits="arabic")

    def first_key(b, lang, tmpl=template):
        document = build_documents(b, (lang,), tmpl, library)[lang]
        return {charts.cache_key(*item) for item in chart_pictures([document], ("pdf",))}

    base = first_key(brief, "ar")
    assert not first_key(brief, "en") & base
    assert not first_key(arabic_digits, "ar") & base
    edited = edits.set_figure_value(brief, library, "aktau_baku_cargo_last_year", "9")
    assert len(first_key(edited, "ar") - base) == 1  # one chart uses the figure
    monkeypatch.setattr(charts, "_mpl_version", "0.0-other")
    assert not first_key(brief, "ar") & base
    monkeypatch.setattr(charts, "_mpl_version", None)
    assert first_key(brief, "ar") == base
    # A font file with other contents under the same name gives another key.
    original = template.fonts.arabic.regular
    copy = tmp_path / Path(original).name
    copy.write_bytes(Path(original).read_bytes() + b"\0")
    other_fonts = replace(template.fonts, arabic=replace(template.fonts.arabic, regular=copy))
    assert not first_key(brief, "ar", replace(template, fonts=other_fonts)) & base
    same = tmp_path / "same" / Path(original).name
    same.parent.mkdir()
    same.write_bytes(Path(original).read_bytes())
    same_fonts = replace(template.fonts, arabic=replace(template.fonts.arabic, regular=same))
    assert first_key(brief, "ar", replace(template, fonts=same_fonts)) == base
