"""`.brief` project files: round trip, atomic writes, clear errors for old, new or broken files."""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from briefing import edits
from briefing.atomic import StagedFiles, write_atomic
from briefing.errors import BriefingError
from briefing.library import Library
from briefing.model import BriefMeta, LocalText, Section
from briefing.store import FORMAT_NAME, FORMAT_VERSION, dumps, load_brief, loads, save_brief


def full_brief(library: Library):  # type: ignore[no-untyped-def]
    """Return a brief that uses every field of the format."""
    brief = edits.default_brief(library)
    brief = edits.set_meta(
        brief,
        title=LocalText(ar="إحاطة", en="Briefing note"),
        recipient=LocalText(ar="السيد الوزير", en="The Minister"),
        drafter=LocalText(en="Desk officer"),
        date=date(2025, 10, 21),
        reference="AZ-KZ/2025/17",
        marking=LocalText(ar="سري", en="CONFIDENTIAL"),
    )
    brief = edits.set_figure_value(brief, library, "kz_fdi_total", "٣٧٠٫٥")
    brief = edits.set_figure_value(brief, library, "baku_port_capacity", "16")
    mine = Section(
        id="my_note",
        title=LocalText(ar="ملاحظة", en="Note"),
        body=LocalText(ar="نص يذكر {fig:kz_fdi_total}.", en="Text citing {fig:kz_fdi_total}."),
        key_point=LocalText(en="Key"),
        talking_points=(LocalText(ar="نقطة", en="Point"),),
        charts=("baku_port",),
    )
    brief = edits.add_custom_section(brief, library, mine, index=1)
    brief = edits.set_languages(brief, ("bi", "en"))
    return edits.set_digits(brief, "arabic")


def test_round_trip_keeps_every_field(tmp_path: Path, library: Library) -> None:
    brief = full_brief(library)
    path = tmp_path / "note.brief"
    save_brief(brief, path)
    assert load_brief(path) == brief
    assert load_brief(path).override("kz_fdi_total").value == Decimal("370.5")  # type: ignore[union-attr]


def test_file_is_versioned_readable_json(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "note.brief"
    save_brief(full_brief(library), path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == FORMAT_NAME == "briefing.brief"
    assert data["version"] == FORMAT_VERSION == 1
    assert "إحاطة" in text  # Arabic stays readable, not \u escapes
    assert data["figure_overrides"][0]["value"] in ("370.5", "16")
    assert data["sections"][1] == "my_note"
    assert data["languages"] == ["bi", "en"] and data["digits"] == "arabic"


def test_default_meta_round_trips(library: Library) -> None:
    brief = edits.default_brief(library)
    assert brief.meta == BriefMeta() and brief.meta.marking is None
    assert loads(dumps(brief), "x.brief") == brief


def test_save_is_atomic_and_leaves_no_temporaries(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "note.brief"
    path.write_text("old contents", encoding="utf-8")
    save_brief(full_brief(library), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.brief"]
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == FORMAT_NAME


def test_failed_save_keeps_the_old_file(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "note.brief"
    path.write_bytes(b"old contents")

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(BriefingError, match=r"note\.brief: cannot write \(No space left"):
        save_brief(full_brief(library), path)
    assert path.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.brief"]


def test_save_into_a_missing_folder_is_a_clear_error(tmp_path: Path, library: Library) -> None:
    target = tmp_path / "no" / "such" / "note.brief"
    with pytest.raises(BriefingError, match=r"note\.brief: cannot write"):
        save_brief(full_brief(library), target)


def brief_data(library: Library) -> dict:  # type: ignore[type-arg]
    return json.loads(dumps(full_brief(library)))


def save_json(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "case.brief"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_newer_file_asks_for_an_update(tmp_path: Path, library: Library) -> None:
    data = brief_data(library)
    data["version"] = FORMAT_VERSION + 1
    path = save_json(tmp_path, data)
    with pytest.raises(BriefingError, match=r"written by a newer Briefing \(file version 2"):
        load_brief(path)


def test_older_unsupported_version(tmp_path: Path, library: Library) -> None:
    data = brief_data(library)
    data["version"] = 0
    with pytest.raises(BriefingError, match=r"case\.brief: file version 0 is not supported"):
        load_brief(save_json(tmp_path, data))


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("format"), r"not a brief file"),
        (lambda d: d.update(format="something.else"), r"not a brief file"),
        (lambda d: d.update(version="1"), r"'version' must be a whole number"),
        (lambda d: d.update(version=True), r"'version' must be a whole number"),
        (lambda d: d.update(languages=["ar", "de"]), r"unknown language 'de'"),
        (lambda d: d.update(digits="roman"), r"unknown digit style 'roman'"),
        (lambda d: d.update(sections="all"), r"'sections' must be a list of strings"),
        (lambda d: d["meta"].update(date="21/10/2025"), r"'meta.date' must be a date"),
        (lambda d: d["meta"].update(title="Title"),
         r"'meta.title' must be an object with ar and en"),
        (lambda d: d["meta"]["title"].update(ar=3), r"'meta.title.ar' must be a string"),
        (lambda d: d["figure_overrides"][0].update(value="lots"),
         r"'figure_overrides\[1\].value': 'lots' is not a number"),
        (lambda d: d["figure_overrides"][0].pop("value"),
         r"'figure_overrides\[1\].value' is missing"),
        (lambda d: d.update(figure_overrides={}), r"'figure_overrides' must be a list"),
        (lambda d: d["custom_sections"][0].update(id="Bad Id"),
         r"section id 'Bad Id' is not valid"),
        (lambda d: d.update(custom_sections=[5]), r"'custom_sections\[1\]' must be an object"),
    ],
)
def test_broken_fields_are_named(tmp_path: Path, library: Library, mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    data = brief_data(library)
    mutate(data)
    path = save_json(tmp_path, data)
    with pytest.raises(BriefingError, match=expected) as caught:
        load_brief(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"format": "briefing.brief",\n "version": 1,,}', r"not valid JSON \(line 2, column"),
        (b"", r"not valid JSON \(line 1, column 1"),
        (b"[1, 2]", r"'\(top level\)' must be an object"),
        (b"\xff\xfe\x00garbage", r"not UTF-8 text \(bad byte at 0\), so not a brief file"),
        (b'{"format": "briefing.brief", "version": 1' + b"0" * 5000 + b"}", r"not a usable brief"),
        (b"[" * 100000 + b"]" * 100000, r"not (valid JSON|a usable brief)"),
    ],
)
def test_broken_files_are_clear_errors(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "broken.brief"
    path.write_bytes(content)
    with pytest.raises(BriefingError, match=expected) as caught:
        load_brief(path)
    assert str(caught.value).startswith(str(path))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BriefingError, match=r"gone\.brief: file not found"):
        load_brief(tmp_path / "gone.brief")
    with pytest.raises(BriefingError, match=r"is a folder, not a brief file"):
        load_brief(tmp_path)


def test_file_from_a_byte_order_mark_editor_loads(tmp_path: Path, library: Library) -> None:
    brief = full_brief(library)
    path = tmp_path / "bom.brief"
    path.write_bytes(b"\xef\xbb\xbf" + dumps(brief).encode("utf-8"))
    assert load_brief(path) == brief


def test_missing_optional_keys_take_defaults(tmp_path: Path) -> None:
    path = save_json(tmp_path, {"format": FORMAT_NAME, "version": 1})
    brief = load_brief(path)
    assert brief.sections == () and brief.languages == ("ar",)
    assert brief.template == "ministry" and brief.digits == "latin"


# -- atomic helpers used by save and export ----------------------------------------------------


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    write_atomic(path, b"first")
    write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_staged_files_publish_all_or_nothing(tmp_path: Path) -> None:
    (tmp_path / "brief-en.pdf").write_bytes(b"old pdf")
    with StagedFiles(tmp_path) as staged:
        staged.add("brief-en.pdf", b"new pdf")
        staged.add("brief-en.docx", b"new docx")
        # Nothing is visible under the final names before commit.
        assert (tmp_path / "brief-en.pdf").read_bytes() == b"old pdf"
        assert not (tmp_path / "brief-en.docx").exists()
    # Leaving without commit discards the temporaries.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief-en.pdf"]
    assert (tmp_path / "brief-en.pdf").read_bytes() == b"old pdf"
    with StagedFiles(tmp_path) as staged:
        staged.add("brief-en.pdf", b"new pdf")
        staged.add("brief-en.docx", b"new docx")
        paths = staged.commit()
    assert [p.name for p in paths] == ["brief-en.pdf", "brief-en.docx"]
    assert (tmp_path / "brief-en.pdf").read_bytes() == b"new pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief-en.docx", "brief-en.pdf"]

