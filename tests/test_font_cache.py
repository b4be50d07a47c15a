"""Font measures and PDF subsets kept in the user's cache folder: found again, and never
found for a font, glyph set or program that changed."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont as ToolsFont

from briefing.render import font_subsets
from briefing.resources import as_path, resource
from briefing.text import embed, fonts


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Path]:
    """Point the user's cache folders at an empty folder; forget what memory keeps."""
    folder = tmp_path / "cache"
    font_subsets.configure(disk=folder, shipped=None)
    embed._subset_cache.clear()
    yield folder
    font_subsets.configure()
    embed._subset_cache.clear()


def bundled(name: str) -> Path:
    return as_path(resource("fonts", name))


def measure(path: Path) -> tuple[float, float]:
    """``ink_extent`` through the disk cache, past the process's own memory of it."""
    result: tuple[float, float] = fonts.ink_extent.__wrapped__(str(path))
    return result


def test_a_measure_is_kept_and_read_back(cache: Path, tmp_path: Path) -> None:
    font = tmp_path / "face.ttf"
    shutil.copyfile(bundled("Amiri-Regular.ttf"), font)
    first = measure(font)
    kept = sorted((cache / fonts.FACTS_FOLDER).iterdir())
    assert len(kept) == 1
    # What is read back is what the file says: a changed entry is what comes back.
    kept[0].write_text("[0.5, 0.25]", encoding="utf-8")
    assert measure(font) == (0.5, 0.25)
    kept[0].write_text("[0.5", encoding="utf-8")  # torn: measured again
    assert measure(font) == first


def test_an_edited_font_is_measured_again(cache: Path, tmp_path: Path) -> None:
    font = tmp_path / "face.ttf"
    shutil.copyfile(bundled("NotoSans-Regular.ttf"), font)
    before = measure(font)
    # The same file name, with a taller letter: the kept measure is not used.
    tools = ToolsFont(str(font))
    glyf = tools["glyf"]
    name = tools.getBestCmap()[ord("A")]
    glyph = glyf[name]
    coordinates = glyph.getCoordinates(glyf)[0]
    coordinates.translate((0, 2000))
    glyph.recalcBounds(glyf)
    out = io.BytesIO()
    tools.save(out)
    font.write_bytes(out.getvalue())
    after = measure(font)
    assert after[0] > before[0] + 0.5
    assert len(list((cache / fonts.FACTS_FOLDER).iterdir())) == 2
    # Another font under the same name, likewise.
    shutil.copyfile(bundled("Amiri-Regular.ttf"), font)
    assert measure(font) == fonts.ink_extent.__wrapped__.__wrapped__(str(font))


def test_the_cache_folder_stays_bounded(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "FACTS_ENTRIES", 2)
    for index, name in enumerate(("Amiri-Regular.ttf", "NotoSans-Regular.ttf",
                                  "NotoSerif-Regular.ttf")):
        font = tmp_path / f"face{index}.ttf"
        shutil.copyfile(bundled(name), font)
        measure(font)
    assert len(list((cache / fonts.FACTS_FOLDER).iterdir())) == 2


def test_a_pdf_subset_is_kept_and_found_for_the_same_glyphs_only(cache: Path) -> None:
    font = str(bundled("NotoSans-Regular.ttf"))
    made, info = embed._subset(font, (0, 36, 37, 38))
    folder = cache / embed.DISK_FOLDER
    assert len(list(folder.iterdir())) == 1
    embed._subset_cache.clear()
    again, info_again = embed._subset(font, (0, 36, 37, 38))
    assert (again, info_again) == (made, info)
    assert isinstance(info_again["bbox"], tuple)
    embed._subset_cache.clear()
    more, _ = embed._subset(font, (0, 36, 37, 38, 39))
    assert more != made
    assert len(list(folder.iterdir())) == 2
    kept = ToolsFont(io.BytesIO(more))
    assert kept["glyf"][kept.getGlyphOrder()[39]].numberOfContours > 0


def test_a_torn_pdf_subset_is_made_again(cache: Path) -> None:
    font = str(bundled("NotoSans-Regular.ttf"))
    made = embed._subset(font, (0, 40, 41))
    (entry,) = (cache / embed.DISK_FOLDER).iterdir()
    entry.write_bytes(entry.read_bytes()[:-100])
    embed._subset_cache.clear()
    assert embed._subset(font, (0, 40, 41)) == made


def test_a_new_subsetting_version_makes_subsets_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    font = str(bundled("NotoSans-Regular.ttf"))
    embed._subset(font, (0, 50))
    monkeypatch.setattr(embed, "SUBSET_VERSION", "test")
    embed._subset_cache.clear()
    embed._subset(font, (0, 50))
    assert len(list((cache / embed.DISK_FOLDER).iterdir())) == 2


def test_shaped_runs_are_kept_and_an_edited_text_or_font_is_shaped_again(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.text import shaping

    font = tmp_path / "face.ttf"
    shutil.copyfile(bundled("Amiri-Regular.ttf"), font)
    shaped: list[str] = []
    real = shaping._shape_now

    def counting(text: str, *args: object) -> shaping.Units:
        shaped.append(text)
        return real(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(shaping, "_shape_now", counting)
    shaping.forget_kept_runs()
    first = shaping._shape_units("سلام عليكم", str(font), "R", "ar", ())
    shaping.save_kept_runs()
    assert len(list((cache / shaping.KEPT_FOLDER).iterdir())) == 1
    # A new process: the run comes from the cache folder, the same glyphs.
    shaping.forget_kept_runs()
    assert shaping._shape_units("سلام عليكم", str(font), "R", "ar", ()) == first
    assert shaped == ["سلام عليكم"]
    # An edited paragraph is shaped; so are other features.
    shaping._shape_units("سلام عليكما", str(font), "R", "ar", ())
    shaping._shape_units("سلام عليكم", str(font), "R", "ar", ("-liga",))
    assert shaped == ["سلام عليكم", "سلام عليكما", "سلام عليكم"]
    shaping.save_kept_runs()
    # Another font under the same file name: shaped with it, not read back.
    shutil.copyfile(bundled("NotoNaskhArabic-Regular.ttf"), font)
    shaping.forget_kept_runs()
    shaping.hb_font.cache_clear()
    other = shaping._shape_units("سلام عليكم", str(font), "R", "ar", ())
    assert shaped[-1] == "سلام عليكم" and len(shaped) == 4
    assert other == real("سلام عليكم", str(font), "R", "ar", ()) != first
    # A torn file is ignored.
    shaping.save_kept_runs()
    for entry in (cache / shaping.KEPT_FOLDER).iterdir():
        entry.write_bytes(entry.read_bytes()[:20])
    shaping.forget_kept_runs()
    shaping._shape_units("سلام عليكم", str(font), "R", "ar", ())
    assert len(shaped) == 5
    shaping.forget_kept_runs()


def test_a_kept_font_parse_is_the_parse_reportlab_makes(cache: Path, tmp_path: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    for file in ("Amiri-Regular.ttf", "NotoSerif-Bold.ttf"):
        path = bundled(file)
        fresh = TTFont("Fresh", str(path))
        made = fonts._load_font("Kept", path)  # parsed, and kept
        assert len(list((cache / fonts.FACE_FOLDER).iterdir())) >= 1
        kept = fonts._load_font("Kept", path)  # read back
        assert set(vars(kept)) == set(vars(fresh)) == set(vars(made))
        assert kept.shapable == fresh.shapable
        skip = {"_pdfScale"}
        assert set(vars(kept.face)) == set(vars(fresh.face))
        for attribute, value in vars(fresh.face).items():
            if attribute not in skip:
                assert getattr(kept.face, attribute) == value, attribute
                assert type(getattr(kept.face, attribute)) is type(value), attribute
        assert kept.face._pdfScale(2048) == fresh.face._pdfScale(2048)
        text = "Briefing سلام 2026"
        assert kept.stringWidth(text, 11) == fresh.stringWidth(text, 11)
    # An edited file under the same name is parsed again, not read back.
    font = tmp_path / "face.ttf"
    shutil.copyfile(bundled("NotoSans-Regular.ttf"), font)
    fonts._load_font("One", font)
    shutil.copyfile(bundled("NotoSerif-Regular.ttf"), font)
    again = fonts._load_font("One", font)
    assert again.face.familyName == TTFont("Two", str(font)).face.familyName
    assert b"Serif" in again.face.familyName


def test_every_bundled_font_and_shipped_template_has_its_shipped_measures() -> None:
    from briefing import chart_cache

    folder = as_path(resource(font_subsets.SHIPPED_MEASURES))
    stale = [
        path.name
        for path in chart_cache.bundled_fonts()
        if not (folder / fonts.FACE_FOLDER / fonts.face_key(path)).is_file()
        or not all((folder / fonts.FACTS_FOLDER / key).is_file()
                   for key in fonts.facts_keys(path))
    ]
    assert not stale, (
        "shipped font measures are stale (run make chart-cache, i.e. "
        f"python -m briefing.chart_cache): {stale}"
    )


def test_a_first_export_reads_the_shipped_measures_and_parses_no_bundled_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.pdfbase import ttfonts

    from briefing import templates

    font_subsets.configure(disk=tmp_path / "empty", shipped=True)
    templates._font_problem.cache_clear()
    parsed: list[str] = []
    real = ttfonts.TTFontFile.__init__

    def parsing(self: object, file: object, *args: object, **kwargs: object) -> None:
        parsed.append(str(file))
        real(self, file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ttfonts.TTFontFile, "__init__", parsing)
    try:
        path = bundled("NotoSerif-Bold.ttf")
        font = fonts._load_font("Shipped", path)
        assert parsed == []
        assert font.face.charWidths == ttfonts.TTFont("Parsed", str(path)).face.charWidths
        assert measure(path) == fonts.ink_extent.__wrapped__.__wrapped__(str(path))
        template = templates.load_template("ministry")
        assert template.fonts.arabic.family
        assert not (tmp_path / "empty").exists()  # nothing was measured, nothing kept
    finally:
        font_subsets.configure()
        templates._font_problem.cache_clear()


def test_the_word_writers_character_map_is_the_fonts_and_is_kept(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.render import docx

    font = tmp_path / "face.ttf"
    shutil.copyfile(bundled("Amiri-Regular.ttf"), font)
    with ToolsFont(str(font)) as tools:
        expected = frozenset(tools.getBestCmap())
    assert docx._font_cmap(font) == expected
    assert len(list((cache / fonts.FACTS_FOLDER).iterdir())) == 1
    # A later process reads the kept map: it opens no font with fontTools.
    docx._code_points.cache_clear()
    fonts.code_point_ranges.cache_clear()
    opened: list[str] = []
    real = ToolsFont.__init__

    def opening(self: object, file: object = None, *args: object, **kwargs: object) -> None:
        opened.append(str(file))
        real(self, file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ToolsFont, "__init__", opening)
    assert docx._font_cmap(font) == expected
    assert opened == []


@pytest.fixture
def fresh_dictionary() -> Iterator[None]:
    """Forget the English hyphenation dictionary this process parsed or read back."""
    import pyphen

    from briefing.text import layout

    pyphen.hdcache.clear()
    layout._dictionary.cache_clear()
    yield
    pyphen.hdcache.clear()
    layout._dictionary.cache_clear()


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Return the list that each parse of a hyphenation dictionary is noted in."""
    import pyphen

    parsed: list[Path] = []
    real = pyphen.HyphDict.__init__

    def parsing(self: object, path: Path) -> None:
        parsed.append(path)
        real(self, path)  # type: ignore[arg-type]

    monkeypatch.setattr(pyphen.HyphDict, "__init__", parsing)
    return parsed


WORDS = ("cooperation", "infrastructure", "transportation", "international", "Kazakhstan")


def _positions_parsed_now() -> dict[str, list[int]]:
    import pyphen

    parsed = pyphen.HyphDict(pyphen.LANGUAGES["en_GB"])
    return {word: parsed.positions(word) for word in WORDS}


def test_a_first_export_reads_the_shipped_hyphenation_patterns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_dictionary: None
) -> None:
    from briefing.text import layout

    expected = _positions_parsed_now()
    folder = as_path(resource(font_subsets.SHIPPED_MEASURES)) / layout.HYPHENATION_FOLDER
    assert (folder / layout.hyphenation_key()).is_file(), (
        "shipped hyphenation patterns are stale (run make chart-cache)"
    )
    font_subsets.configure(disk=tmp_path / "empty", shipped=True)
    parsed = _parses(monkeypatch)
    try:
        dictionary = layout._dictionary()
        assert parsed == []
        assert {word: dictionary.hd.positions(word) for word in WORDS} == expected  # type: ignore[attr-defined]
    finally:
        font_subsets.configure()


def test_torn_hyphenation_patterns_are_parsed_again_and_kept_whole(
    cache: Path, monkeypatch: pytest.MonkeyPatch, fresh_dictionary: None
) -> None:
    from briefing.text import layout

    expected = _positions_parsed_now()
    parsed = _parses(monkeypatch)
    layout._dictionary()
    assert len(parsed) == 1  # nothing kept yet: parsed, and kept
    (kept,) = (cache / layout.HYPHENATION_FOLDER).iterdir()
    whole = kept.read_bytes()
    kept.write_bytes(whole[: len(whole) // 2])  # torn
    import pyphen

    pyphen.hdcache.clear()
    layout._dictionary.cache_clear()
    dictionary = layout._dictionary()
    assert len(parsed) == 2
    assert {word: dictionary.hd.positions(word) for word in WORDS} == expected  # type: ignore[attr-defined]
    assert kept.read_bytes() == whole
    pyphen.hdcache.clear()
    layout._dictionary.cache_clear()
    layout._dictionary()  # read back whole: no parse
    assert len(parsed) == 2


def test_paragraph_layouts_are_kept_and_an_edit_or_new_code_lays_out_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.fonts import bundled_face
    from briefing.text import FontSet, TextStyle, kept_layouts, layout

    fonts_used = FontSet(bundled_face("Amiri"), bundled_face("Noto Serif"))
    style = TextStyle(fonts_used, 11, 16.5, False, "justify")
    text = "The port of Baku (ميناء باكو) handles 15 million tonnes a year, up from 11."
    made: list[str] = []
    real = layout._set_line

    def counting(words: list[object], *args: object) -> layout.Line:
        made.append(" ".join(word.text for word in words))  # type: ignore[attr-defined]
        return real(words, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(layout, "_set_line", counting)
    kept_layouts.forget_kept_layouts()
    first = layout.layout_text(text, "L", style, 120.0)
    assert len(first.lines) > 1 and len(made) == len(first.lines)
    kept_layouts.save_kept_layouts()
    assert len(list((cache / kept_layouts.FOLDER).iterdir())) == 1
    # A new process: the same lines, glyph for glyph, read back and not set again.
    kept_layouts.forget_kept_layouts()
    again = layout.layout_text(text, "L", style, 120.0)
    assert again == first and len(made) == len(first.lines)
    # Another width, text or style is laid out.
    layout.layout_text(text, "L", style, 150.0)
    layout.layout_text(text + " More.", "L", style, 120.0)
    layout.layout_text(text, "L", TextStyle(fonts_used, 12, 16.5, False, "justify"), 120.0)
    count = len(made)
    assert count > 2 * len(first.lines)
    kept_layouts.save_kept_layouts()
    # Other layout code: nothing read back.
    monkeypatch.setattr(kept_layouts, "_code_digest", "other code")
    kept_layouts.forget_kept_layouts()
    assert layout.layout_text(text, "L", style, 120.0) == first
    assert len(made) == count + len(first.lines)
    monkeypatch.setattr(kept_layouts, "_code_digest", None)
    # A torn file is ignored.
    for entry in (cache / kept_layouts.FOLDER).iterdir():
        entry.write_bytes(entry.read_bytes()[:30])
    kept_layouts.forget_kept_layouts()
    assert layout.layout_text(text, "L", style, 120.0) == first
    assert len(made) == count + 2 * len(first.lines)
    kept_layouts.forget_kept_layouts()


def test_measured_paragraphs_are_kept_and_read_back(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.fonts import bundled_face
    from briefing.text import FontSet, TextStyle, kept_layouts, layout

    style = TextStyle(FontSet(bundled_face("Amiri"), bundled_face("Noto Serif")), 10, 15)
    kept_layouts.forget_kept_layouts()
    measured = layout.measure_text("سعة ميناء باكو 15 million", "R", style)
    assert measured[0] > measured[1] > 0
    kept_layouts.save_kept_layouts()
    kept_layouts.forget_kept_layouts()

    def unexpected(*args: object) -> tuple[float, float]:
        raise AssertionError("measured again")

    monkeypatch.setattr(layout, "_measure_text", unexpected)
    assert layout.measure_text("سعة ميناء باكو 15 million", "R", style) == measured
    with pytest.raises(AssertionError):
        layout.measure_text("سعة ميناء باكو 16 million", "R", style)
    kept_layouts.forget_kept_layouts()
