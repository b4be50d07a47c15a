"""The paragraph layouts, shaped runs and PDF font subsets shipped for the library's brief:
found on a first export, never written, the bytes a fresh layout gives, and stale after a
change to the layout code."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from briefing import chart_cache, edits
from briefing.export import build_documents, export, render
from briefing.fonts import bundled_face
from briefing.library import Library
from briefing.render import font_subsets
from briefing.resources import as_path, resource
from briefing.templates import load_template
from briefing.text import FontSet, TextStyle, embed, kept_layouts, layout, shaping

STALE = "shipped text caches are stale (run make chart-cache, i.e. python -m briefing.chart_cache)"


def forget() -> None:
    """Forget what this process laid out, shaped and subset (as a new process would)."""
    kept_layouts.forget_kept_layouts()
    shaping.forget_kept_runs()
    embed.clear_cache()


@pytest.fixture
def empty_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user cache, the shipped caches on; every file rendered in this process
    (the counters are this process's)."""
    monkeypatch.setenv("BRIEFING_EXPORT_PROCESSES", "1")
    folder = tmp_path / "user-cache"
    font_subsets.configure(disk=folder, shipped=True)
    forget()
    yield folder
    font_subsets.configure()
    forget()


def _shipped_digest() -> str:
    digest = hashlib.sha256()
    folder = as_path(resource(font_subsets.SHIPPED_TEXT))
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def test_every_shipped_template_has_its_shipped_layouts_and_runs() -> None:
    stale = chart_cache.stale_text_caches()
    assert not stale, f"{STALE}: {stale}"


def test_an_edit_to_the_layout_code_makes_the_shipped_layouts_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = Path(kept_layouts.__file__).parent
    for name in kept_layouts._CODE:
        shutil.copyfile(here / f"{name}.py", tmp_path / f"{name}.py")
    monkeypatch.setattr(kept_layouts, "__file__", str(tmp_path / "kept_layouts.py"))
    monkeypatch.setattr(kept_layouts, "_code_digest", None)
    assert chart_cache.stale_text_caches() == []  # the same sources: the same names
    source = tmp_path / "layout.py"
    source.write_text(source.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(kept_layouts, "_code_digest", None)
    assert chart_cache.stale_text_caches() == [
        "bilingual: layouts", "minimal: layouts", "ministry: layouts"
    ]
    # Compiled modules only (a bundle without the sources): the version names them, and
    # the shipped layouts are simply missed.
    source.unlink()
    monkeypatch.setattr(kept_layouts, "_code_digest", None)
    assert len(chart_cache.stale_text_caches()) == 3
    monkeypatch.setattr(kept_layouts, "_code_digest", None)


@pytest.mark.parametrize("template_id", ["ministry", "bilingual", "minimal"])
def test_a_first_export_of_the_library_lays_out_shapes_and_subsets_nothing(
    empty_user_cache: Path, tmp_path: Path, library: Library, template_id: str
) -> None:
    before = _shipped_digest()
    brief = edits.set_meta(edits.default_brief(library, template_id),
                           date=chart_cache.TEXT_CACHE_DATES[0])
    export(brief, tmp_path / "out", ["ar", "en", "bi"], ["pdf", "docx"], library=library)
    layouts, runs = kept_layouts.cache_info(), shaping.cache_info()
    assert (layouts["made"], runs["shaped"], embed.cache_info()["made"]) == (0, 0, 0), STALE
    assert layouts["shipped"] > 200
    assert _shipped_digest() == before  # read in place, never written
    # What was found there is the user's now: the next export reads the user's files only.
    assert list((empty_user_cache / kept_layouts.FOLDER).iterdir())
    forget()
    export(brief, tmp_path / "again", ["ar", "en", "bi"], ["pdf", "docx"], library=library)
    assert kept_layouts.cache_info()["made"] == kept_layouts.cache_info()["shipped"] == 0
    assert shaping.cache_info()["shipped"] == 0


def test_a_brief_dated_any_day_needs_no_pdf_subset_of_its_own(
    empty_user_cache: Path, tmp_path: Path, library: Library
) -> None:
    """The command line and the app date the brief today: the month names of every month
    are in the shipped subsets, and only the date's own lines are laid out."""
    brief = edits.set_meta(edits.default_brief(library), date=date(2031, 3, 7))
    export(brief, tmp_path / "out", ["ar", "en", "bi"], ["pdf"], library=library)
    layouts = kept_layouts.cache_info()
    assert embed.cache_info()["made"] == 0
    assert 0 < layouts["made"] < layouts["shipped"] / 20


@pytest.mark.parametrize("template_id", ["ministry", "bilingual"])
def test_pdfs_from_the_shipped_caches_are_the_bytes_of_a_fresh_layout(
    empty_user_cache: Path, library: Library, template_id: str
) -> None:
    brief = edits.set_meta(edits.default_brief(library, template_id),
                           date=chart_cache.TEXT_CACHE_DATES[3])
    documents = build_documents(brief, ("ar", "en", "bi"), load_template(template_id), library)
    shipped = {lang: render(document, "pdf") for lang, document in documents.items()}
    assert kept_layouts.cache_info()["shipped"] > 200
    assert kept_layouts.cache_info()["made"] == embed.cache_info()["made"] == 0
    font_subsets.configure(disk=None, shipped=None)  # no cache of any kind
    forget()
    fresh = {lang: render(document, "pdf") for lang, document in documents.items()}
    assert kept_layouts.cache_info()["shipped"] == 0 and embed.cache_info()["made"] > 0
    assert fresh == shipped


def test_torn_shipped_layouts_are_laid_out_again_and_whole_ones_kept_as_the_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fonts_used = FontSet(bundled_face("Amiri"), bundled_face("Noto Serif"))
    style = TextStyle(fonts_used, 11, 16.5, False, "justify")
    text = "The port of Baku (ميناء باكو) handles 15 million tonnes a year, up from 11."
    shipped = tmp_path / "shipped"
    layouts = shipped / font_subsets.SHIPPED_TEXT / kept_layouts.FOLDER
    layouts.mkdir(parents=True)
    name = kept_layouts.file_name(fonts_used)
    try:
        # Made as the shipped layouts are: laid out with an empty cache, then packed.
        font_subsets.configure(disk=tmp_path / "maker", shipped=None)
        forget()
        first = layout.layout_text(text, "L", style, 120.0)
        measured = layout.measure_text(text, "L", style)
        entries = dict(kept_layouts.kept(fonts_used).entries)  # type: ignore[union-attr]
        assert len(entries) == 2
        (layouts / name).write_bytes(kept_layouts.shipped_bytes(entries)[:40])
        font_subsets.configure(disk=tmp_path / "torn", shipped=shipped)
        forget()
        assert layout.layout_text(text, "L", style, 120.0) == first
        assert kept_layouts.cache_info()["made"] == 1
        (layouts / name).write_bytes(kept_layouts.shipped_bytes(entries))
        font_subsets.configure(disk=tmp_path / "user", shipped=shipped)
        forget()

        def unexpected(*args: object) -> object:
            raise AssertionError("laid out again")

        monkeypatch.setattr(layout, "_set_line", unexpected)
        monkeypatch.setattr(layout, "_measure_text", unexpected)
        assert layout.layout_text(text, "L", style, 120.0) == first
        assert layout.measure_text(text, "L", style) == measured
        assert kept_layouts.cache_info() == {"made": 0, "kept": 0, "shipped": 2}
        kept_layouts.save_kept_layouts()
        # A new process without the shipped layouts reads them from the user's file.
        font_subsets.configure(disk=tmp_path / "user", shipped=None)
        forget()
        assert layout.layout_text(text, "L", style, 120.0) == first
        assert kept_layouts.cache_info()["kept"] == 1
    finally:
        font_subsets.configure()
        forget()
