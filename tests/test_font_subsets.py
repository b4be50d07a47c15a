"""Word font subsets made once per content: shipped for the bundled fonts, cached after."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefing import chart_cache
from briefing.render import docx_fonts, font_subsets
from briefing.render.docx import SUBSET_REPERTOIRE
from briefing.resources import as_path, resource


@pytest.fixture()
def caches(tmp_path: Path):
    font_subsets.configure(disk=tmp_path / "user", shipped=True)
    font_subsets.clear_cache()
    yield tmp_path / "user"
    font_subsets.configure()
    font_subsets.clear_cache()


def test_every_bundled_font_has_its_shipped_subset():
    folder = as_path(resource(font_subsets.SHIPPED_FOLDER))
    stale = [
        path.name
        for path in chart_cache.bundled_fonts()
        if not (folder / f"{font_subsets.subset_key(path, SUBSET_REPERTOIRE)}.ttf").is_file()
    ]
    assert not stale, (
        "shipped font subsets are stale (run make chart-cache, i.e. "
        f"python -m briefing.chart_cache): {stale}"
    )


def test_shipped_subset_is_what_fonttools_makes(caches):
    path = as_path(resource("fonts", "NotoNaskhArabic-Regular.ttf"))
    data, subsetted, _ = docx_fonts.subset_font(path, SUBSET_REPERTOIRE)
    assert subsetted
    assert font_subsets.cache_info() == {"made": 0, "memory_hits": 0, "disk_hits": 1}
    assert data == docx_fonts.make_subset(path, SUBSET_REPERTOIRE)
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert ord("ب") in cmap and ord("٣") in cmap
    assert not list(caches.glob("*.ttf"))  # read in place, not copied


def test_other_characters_are_subset_once_then_cached(caches):
    path = as_path(resource("fonts", "NotoSans-Regular.ttf"))
    characters = SUBSET_REPERTOIRE + "\u03b1"  # Greek alpha, outside the repertoire
    first, _, _ = docx_fonts.subset_font(path, characters)
    assert font_subsets.cache_info()["made"] == 1
    assert ord("\u03b1") in TTFont(io.BytesIO(first)).getBestCmap()
    assert len(list(caches.glob("*.ttf"))) == 1
    again, _, _ = docx_fonts.subset_font(path, characters)
    assert again == first and font_subsets.cache_info()["memory_hits"] == 1
    font_subsets.clear_cache()  # a new run: found in the user's folder
    docx_fonts.subset_font(path, characters)
    assert font_subsets.cache_info() == {"made": 0, "memory_hits": 0, "disk_hits": 1}


def test_changed_font_bytes_give_another_subset(caches, tmp_path):
    original = as_path(resource("fonts", "NotoSans-Regular.ttf"))
    copy = tmp_path / original.name
    copy.write_bytes(original.read_bytes())
    assert font_subsets.subset_key(copy, "abc") == font_subsets.subset_key(original, "abc")
    copy.write_bytes(original.read_bytes() + b"\0")
    assert font_subsets.subset_key(copy, "abc") != font_subsets.subset_key(original, "abc")


def test_torn_cached_subset_is_made_again(caches):
    path = as_path(resource("fonts", "NotoSans-Bold.ttf"))
    characters = "xyz"
    key = font_subsets.subset_key(path, characters)
    caches.mkdir(parents=True)
    whole = docx_fonts.make_subset(path, characters)
    (caches / f"{key}.ttf").write_bytes(whole[: len(whole) // 2])
    data, _, _ = docx_fonts.subset_font(path, characters)
    assert data == whole and font_subsets.cache_info()["made"] == 1


@pytest.mark.parametrize("path", chart_cache.bundled_fonts(), ids=lambda p: p.name)
def test_signature_read_directly_matches_fonttools(path):
    with TTFont(str(path)) as font:
        os2 = font["OS/2"]
        assert font_subsets.fs_type(path) == os2.fsType
        panose, sig = docx_fonts._font_signature(path)
        assert panose[:2] == f"{os2.panose.bFamilyType:02X}"
        assert panose[4:6] == f"{os2.panose.bWeight:02X}"
        assert f'w:usb0="{os2.ulUnicodeRange1:08X}"' in sig
        assert f'w:csb0="{os2.ulCodePageRange1:08X}"' in sig


@pytest.mark.parametrize("template", ["ministry", "minimal", "bilingual"])
def test_the_librarys_word_briefs_find_every_subset_shipped(caches, template):
    """A first export after installing makes no subset: every character the shipped
    templates write (direction marks included) is in the repertoire."""
    from briefing.document import build_document
    from briefing.edits import default_brief
    from briefing.library import load_library
    from briefing.render.docx import render_docx
    from briefing.templates import load_template

    library = load_library()
    brief = default_brief(library, template)
    for lang in ("ar", "en", "bi"):
        render_docx(build_document(brief, library, load_template(template), lang))
    info = font_subsets.cache_info()
    assert info["made"] == 0 and info["disk_hits"] > 0, info
