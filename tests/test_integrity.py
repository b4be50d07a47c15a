"""A brief never prints one language's text in the other's document."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from samples import write_template

from briefing import edits
from briefing.cli import main
from briefing.library import load_library
from briefing.model import Brief, LocalText, Section
from briefing.store import save_brief

CHECKOUT = Path(__file__).resolve().parent.parent


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def one_section_brief(template: str | None = None) -> Brief:
    """Return the default brief (of ``template``) cut down to the library's first section."""
    library = load_library()
    brief = edits.default_brief(library) if template is None else edits.default_brief(
        library, template)
    return edits.set_sections(brief, library.section_ids()[:1])


def export_saved(brief: Brief, tmp_path: Path, lang: str, out: Path | None = None) -> int:
    """Save ``brief`` as a.brief in ``tmp_path`` and export its ``lang`` PDF; return the status."""
    save_brief(brief, tmp_path / "a.brief")
    return main(["export", str(tmp_path / "a.brief"), "--lang", lang, "--format", "pdf",
                 "--out", str(out or tmp_path / "out")])


def test_arabic_brief_uses_arabic_default_title_not_the_english_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = edits.set_meta(one_section_brief(), title=LocalText(ar="", en="Zebra Crossing Memo"),
                           subtitle=LocalText(ar="", en="Quokka Subtitle"))
    status = export_saved(brief, tmp_path, "ar,en")
    assert status == 0, capsys.readouterr().err
    pdfs = {p.name: pdf_text(p) for p in (tmp_path / "out").glob("*.pdf")}
    arabic = next(text for name, text in pdfs.items() if "-ar" in name)
    english = next(text for name, text in pdfs.items() if "-en" in name)
    assert "Zebra" not in arabic and "Quokka" not in arabic
    assert "Zebra Crossing Memo" in english


@pytest.mark.parametrize(
    ("lang", "change", "named"),
    [
        ("ar", {"recipient": LocalText(en="The Minister")}, "To"),
        ("en", {"drafter": LocalText(ar="إدارة آسيا")}, "From"),
    ],
)
def test_export_refuses_a_field_with_only_the_other_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, change: dict, named: str
) -> None:
    out = tmp_path / "out"
    status = export_saved(edits.set_meta(one_section_brief(), **change), tmp_path, lang)
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert named in err
    assert not out.exists() or not any(out.iterdir())


def test_english_only_custom_section_refuses_the_arabic_and_bilingual_brief(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = load_library()
    brief = one_section_brief()
    section = Section(id="my_note", title=LocalText(en="Note"), body=LocalText(en="Only English."),
                      custom=True)
    brief = edits.add_custom_section(brief, library, section)
    save_brief(brief, tmp_path / "a.brief")
    for lang in ("ar", "bi"):
        status = main(["export", str(tmp_path / "a.brief"), "--lang", lang,
                       "--format", "pdf", "--out", str(tmp_path / lang)])
        err = capsys.readouterr().err
        assert status == 2
        assert "section my_note title" in err and "section my_note body" in err
    status = main(["export", str(tmp_path / "a.brief"), "--lang", "en",
                   "--format", "pdf", "--out", str(tmp_path / "en")])
    assert status == 0, capsys.readouterr().err


# -- markings ---------------------------------------------------------------------------------


def test_marking_level_prints_matching_wording_in_both_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["export", "--lang", "bi", "--format", "pdf", "--sections", "middle_corridor",
                   "--marking", "secret", "--out", str(tmp_path)])
    assert status == 0, capsys.readouterr().err
    (pdf,) = tmp_path.glob("*.pdf")
    text = pdf_text(pdf)
    assert "SECRET" in text and "RESTRICTED" not in text
    status = main(["export", "--lang", "ar", "--format", "pdf", "--marking", "classified",
                   "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert status == 2 and "classified" in err and "restricted" in err


def test_free_text_marking_in_one_language_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = edits.set_meta(one_section_brief(), marking=LocalText(ar="", en="EYES ONLY"))
    status = export_saved(brief, tmp_path, "en")
    err = capsys.readouterr().err
    assert status == 2 and "marking" in err and "Arabic" in err
    assert not (tmp_path / "out").exists()


def test_disagreeing_marking_warns_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = edits.set_meta(one_section_brief(), marking=LocalText(ar="مقيد", en="SECRET"))
    status = export_saved(brief, tmp_path, "bi")
    err = capsys.readouterr().err
    assert status == 0
    assert "warning: marking" in err and "restricted" in err and "secret" in err


def test_old_brief_with_typed_level_loads_as_that_level(tmp_path: Path) -> None:
    from briefing.model import MARKING_LEVELS
    from briefing.store import load_brief

    library = load_library()
    brief = edits.set_meta(edits.default_brief(library),
                           marking=LocalText(ar=" مقيد ", en="Restricted"))
    save_brief(brief, tmp_path / "old.brief")
    assert load_brief(tmp_path / "old.brief").meta.marking == MARKING_LEVELS["restricted"]
    free = edits.set_meta(brief, marking=LocalText(ar="للاستخدام الرسمي", en="OFFICIAL USE"))
    save_brief(free, tmp_path / "free.brief")
    assert load_brief(tmp_path / "free.brief").meta.marking == free.meta.marking


def test_template_marking_level_and_one_sided_text(tmp_path: Path) -> None:
    from briefing.errors import BriefingError
    from briefing.templates import load_template_folder

    folder = write_template(
        tmp_path / "lvl",
        'parent = "ministry"\nname = { ar = "س", en = "L" }\n[marking]\nlevel = "confidential"\n',
    )
    assert load_template_folder(folder).marking.en == "CONFIDENTIAL"
    write_template(
        folder, 'parent = "minimal"\nname = { ar = "س", en = "L" }\n[marking]\nen = "SECRET"\n'
    )
    with pytest.raises(BriefingError, match="marking"):
        load_template_folder(folder)


# -- figure relations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assignment", "names"),
    [
        ("baku_port_capacity=30", ("baku_port_capacity", "baku_port_capacity_expandable")),
        ("baku_port_capacity_expandable=10", ("baku_port_capacity", "expandable")),
        ("kz_renewables_target_year=1990", ("kz_renewables_target_year", "2025")),
    ],
)
def test_set_refuses_a_value_that_breaks_a_relation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], assignment: str, names: tuple[str, str]
) -> None:
    status = main(["export", "--lang", "en", "--format", "pdf", "--set", assignment,
                   "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert all(name in err for name in names)
    assert not (tmp_path / "out").exists()


def test_relations_hold_for_values_that_agree_and_are_checked_in_a_hand_edited_brief(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dataclasses import replace
    from decimal import Decimal

    library = load_library()
    brief = one_section_brief()
    assert edits.set_figure_value(brief, library, "baku_port_capacity", "20")
    broken = replace(library.figures["kz_renewables_target_year"], value=Decimal(2000))
    save_brief(replace(brief, figure_overrides=(broken,)), tmp_path / "a.brief")
    status = main(["export", str(tmp_path / "a.brief"), "--lang", "en", "--format", "pdf",
                   "--out", str(tmp_path / "out")])
    assert status == 2
    assert "kz_renewables_target_year" in capsys.readouterr().err


def test_library_declares_capacity_and_year_relations() -> None:
    library = load_library()
    ops = {(f.id, r.op, r.other) for f in library.figures.values() for r in f.relations}
    assert ("baku_port_capacity", "<=", "baku_port_capacity_expandable") in ops
    assert ("kz_renewables_target_year", "later_than", "as_of") in ops


# -- overwrites -------------------------------------------------------------------------------


def test_export_refuses_to_replace_another_briefs_files_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    first = edits.set_meta(one_section_brief(), title=LocalText(ar="مذكرة", en="Memo"))
    # Another brief whose title makes the same file names.
    second = edits.set_meta(first, title=LocalText(ar="مذكرة ثانية", en="MEMO!"))
    save_brief(first, tmp_path / "first.brief")
    save_brief(second, tmp_path / "second.brief")
    out = tmp_path / "out"
    args = ["--lang", "en", "--out", str(out)]
    assert main(["export", str(tmp_path / "first.brief"), *args]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert main(["export", str(tmp_path / "first.brief"), *args]) == 0  # its own files
    capsys.readouterr()
    status = main(["export", str(tmp_path / "second.brief"), *args])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert "memo-en.pdf" in err and "--force" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert main(["export", str(tmp_path / "second.brief"), *args, "--force"]) == 0
    assert "MEMO!" in pdf_text(out / "memo-en.pdf")
    with zipfile.ZipFile(out / "memo-en.docx") as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "briefing-brief:" in core


# -- customised templates travel with the brief ------------------------------------------------


def _custom_template(folder: Path) -> None:
    write_template(
        folder,
        'parent = "minimal"\nname = { ar = "مخصص", en = "Custom" }\n'
        '[marking]\nlevel = "confidential"\n',
    )


def test_brief_with_a_custom_template_opens_where_the_template_is_missing(
    tmp_path: Path, user_templates_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    _custom_template(user_templates_dir / "minimal-custom")
    brief = one_section_brief("minimal-custom")
    save_brief(brief, tmp_path / "a.brief")
    shutil.rmtree(user_templates_dir / "minimal-custom")  # another machine
    status = main(["export", str(tmp_path / "a.brief"), "--lang", "en", "--format", "pdf",
                   "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "notice:" in err and "restored" in err
    assert (user_templates_dir / "minimal-custom" / "template.toml").is_file()
    assert "CONFIDENTIAL" in pdf_text(tmp_path / "out" / "brief-en.pdf")


def test_brief_whose_template_cannot_be_restored_falls_back_to_its_parent(
    tmp_path: Path, user_templates_dir: Path
) -> None:
    import json

    from briefing.store import load_brief

    library = load_library()
    _custom_template(user_templates_dir / "minimal-custom")
    brief = edits.default_brief(library, "minimal-custom")
    save_brief(brief, tmp_path / "a.brief")
    data = json.loads((tmp_path / "a.brief").read_text(encoding="utf-8"))
    assert "minimal" in data["template_file"]
    data["template_file"] = data["template_file"].replace('level = "confidential"',
                                                          'level = "bogus"')
    (tmp_path / "a.brief").write_text(json.dumps(data), encoding="utf-8")
    (user_templates_dir / "minimal-custom" / "template.toml").unlink()
    (user_templates_dir / "minimal-custom").rmdir()
    notices: list[str] = []
    loaded = load_brief(tmp_path / "a.brief", notices)
    assert loaded.template == "minimal"
    assert any("using 'minimal'" in n for n in notices)
    assert not (user_templates_dir / "minimal-custom").exists()


def test_file_names_come_from_the_reference_or_title_and_are_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from briefing.export import file_stem

    brief = one_section_brief()
    titled = edits.set_meta(brief, title=LocalText(ar="تعاون", en="Azerbaijan: Kazakhstan / 2025?"))
    assert file_stem(titled) == "azerbaijan-kazakhstan-2025"
    assert file_stem(edits.set_meta(titled, reference="2025-10 AZ/KZ")) == "2025-10-az-kz"
    assert file_stem(edits.set_meta(brief, title=LocalText(ar="تعاون الطاقة"))) == "تعاون-الطاقة"
    assert file_stem(edits.set_meta(brief, reference="CON")) == "brief"
    assert file_stem(brief) == "brief"
    save_brief(edits.set_meta(titled, reference="2025-10 AZ/KZ"), tmp_path / "a.brief")
    assert main(["export", str(tmp_path / "a.brief"), "--lang", "ar,en", "--format", "pdf",
                 "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "2025-10-az-kz-ar.pdf", "2025-10-az-kz-en.pdf"]
