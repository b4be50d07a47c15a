"""The command-line contract: listings, export, and one-line errors with exit status 2."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from samples import write_template

from briefing import edits
from briefing.cli import main
from briefing.library import Library
from briefing.model import Brief, LocalText
from briefing.resources import as_path, templates_root
from briefing.store import dumps, save_brief

CHECKOUT = Path(__file__).resolve().parent.parent
OLD_PDF = b"%PDF-1.4 an export from yesterday, which a failed export must not touch\n"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run the command line in this process; return (status, stdout, stderr)."""
    status = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def run_process(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m briefing.cli`` as a separate process, as a user's shell would."""
    return subprocess.run(
        [sys.executable, "-m", "briefing.cli", *[str(arg) for arg in args]],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def folder_state(folder: Path) -> dict[str, bytes]:
    """Return every file under ``folder`` (hidden ones too) with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def assert_one_line_error(status: int, out: str, err: str, *names: str) -> None:
    """Check the contract for bad input: status 2, one `error:` line naming what is wrong."""
    assert status == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    for name in names:
        assert name in lines[0], (name, lines[0])
    assert out == ""


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """Return an output folder that already holds yesterday's English PDF and a note."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "brief-en.pdf").write_bytes(OLD_PDF)
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    return folder


SECTION = """
id = "ambassador_note"
[title]
ar = "ملاحظة السفير"
en = "Ambassador's note"
[body]
ar = "يجري تحديث سعة ميناء باكو البالغة {fig:baku_port_capacity}."
en = "The port of Baku, with a capacity of {fig:baku_port_capacity}, is being upgraded."
"""


@pytest.fixture
def section_file(tmp_path: Path) -> Path:
    path = tmp_path / "note.toml"
    path.write_text(SECTION, encoding="utf-8")
    return path


# -- listings ---------------------------------------------------------------------------------


def test_sections_json(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    status, out, err = run(capsys, "sections", "--json")
    assert status == 0 and err == ""
    items = json.loads(out)
    assert [item["id"] for item in items] == list(library.section_ids())
    for item, section in zip(items, library.sections, strict=True):
        assert item == {"id": section.id, "title": {"ar": section.title.ar, "en": section.title.en}}
    assert "الممر الأوسط" in out  # Arabic is written as text, not as \u escapes


def test_figures_json(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    status, out, _ = run(capsys, "figures", "--json")
    assert status == 0
    items = json.loads(out)
    assert [item["id"] for item in items] == list(library.figures)
    for item in items:
        figure = library.figures[item["id"]]
        assert {"id", "value", "unit", "label", "source", "as_of"} <= set(item)
        assert isinstance(item["value"], (int, float)) and not isinstance(item["value"], bool)
        assert Decimal(str(item["value"])) == figure.value
        assert item["unit"] == figure.unit
        assert item["label"] == {"ar": figure.label.ar, "en": figure.label.en}
        assert item["source"] == "AZERTAC, Baku, 20 October 2025"
        assert item["as_of"] == "2025-10-20"
    by_id = {item["id"]: item for item in items}
    assert by_id["kz_oil_reserves"]["value"] == 4.4
    assert by_id["aktau_baku_cargo_last_year"]["value"] == 1.625
    assert by_id["kz_fdi_total"]["value"] == 365 and by_id["kz_fdi_total"]["unit"] == "billion_usd"


def test_templates_json_lists_shipped_and_user_templates(
    capsys: pytest.CaptureFixture[str], user_templates_dir: Path
) -> None:
    mine = write_template(
        user_templates_dir / "embassy",
        'parent = "ministry"\nname = { ar = "السفارة", en = "Embassy brief" }\n',
    )
    status, out, _ = run(capsys, "templates", "--json")
    assert status == 0
    items = json.loads(out)
    for item in items:
        assert {"id", "name", "path"} <= set(item)
        assert (Path(item["path"]) / "template.toml").is_file()
    by_id = {item["id"]: item for item in items}
    assert by_id["ministry"]["path"] == str(as_path(templates_root()) / "ministry")
    assert by_id["embassy"]["name"] == "Embassy brief"
    assert Path(by_id["embassy"]["path"]) == mine


def test_readable_tables_without_json(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    status, out, _ = run(capsys, "sections")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["id", "title"]
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == 2 + len(library.sections)
    assert lines[2].startswith("middle_corridor ") and "الممر الأوسط" in lines[2]
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)

    status, out, _ = run(capsys, "figures")
    assert status == 0
    rows = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert set(rows) == set(library.figures)
    assert "more than 365" in rows["kz_fdi_total"] and "billion_usd" in rows["kz_fdi_total"]
    assert "at least 7" in rows["az_green_capacity"]

    status, out, _ = run(capsys, "templates")
    assert status == 0
    assert any(line.startswith("ministry ") for line in out.splitlines())


def test_version_and_help() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    with pytest.raises(SystemExit) as caught:
        main(["export", "--help"])
    assert caught.value.code == 0


# -- bad input: exit 2, one line, nothing written ------------------------------------------------


BAD_EXPORT_ARGS = [
    (["--lang", "fr"], ["'fr'"]),
    (["--lang", "ar,xx"], ["'xx'"]),
    (["--lang", ""], ["no language"]),
    (["--format", "odt"], ["'odt'"]),
    (["--format", "pdf,html"], ["'html'"]),
    (["--sections", "middle_corridor,nowhere"], ["'nowhere'"]),
    (["--sections", ""], ["no sections"]),
    (["--set", "kz_coal=3"], ["'kz_coal'"]),
    (["--set", "kz_fdi_total=lots"], ["kz_fdi_total", "'lots'"]),
    (["--set", "kz_fdi_total=-5"], ["kz_fdi_total", "-5"]),
    (["--set", "kz_exports_eu_share=150"], ["kz_exports_eu_share", "150"]),
    (["--set", "kz_renewables_target_year=2050.5"], ["kz_renewables_target_year", "2050.5"]),
    (["--set", "kz_fdi_total=NaN"], ["kz_fdi_total", "'NaN'"]),
    (["--set", "kz_fdi_total"], ["'kz_fdi_total'", "FIGURE_ID=VALUE"]),
    (["--set", "=5"], ["'=5'"]),
    (["--template", "letterhead_2030"], ["'letterhead_2030'"]),
    (["--template", "./no/such/template"], ["./no/such/template"]),
    (["--digits", "roman"], ["'roman'"]),
    (["--colour", "red"], ["--colour"]),
    (["--reference", "  "], ["--reference"]),
    (["--distribution", " ", "--distribution-ar", ""], ["--distribution"]),
]


@pytest.mark.parametrize(("extra", "names"), BAD_EXPORT_ARGS)
def test_bad_export_arguments(
    capsys: pytest.CaptureFixture[str], out_dir: Path, extra: list[str], names: list[str]
) -> None:
    before = folder_state(out_dir)
    status, out, err = run(capsys, "export", "--lang", "en", "--out", out_dir, *extra)
    assert_one_line_error(status, out, err, *names)
    assert folder_state(out_dir) == before
    assert (out_dir / "brief-en.pdf").read_bytes() == OLD_PDF


def test_missing_out_and_empty_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, "export", "--lang", "en")
    assert_one_line_error(status, out, err, "--out")
    status, out, err = run(capsys, "export", "--lang", "en", "--out", "")
    assert_one_line_error(status, out, err, "--out")


def test_failed_export_creates_no_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "new" / "exports"
    status, out, err = run(capsys, "export", "--out", target, "--set", "kz_gas_reserves=-0.1")
    assert_one_line_error(status, out, err, "kz_gas_reserves", "-0.1")
    assert not (tmp_path / "new").exists()


def test_unknown_command(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "publish")
    assert_one_line_error(status, out, err, "'publish'")


def test_broken_section_file_names_file_and_line(
    capsys: pytest.CaptureFixture[str], out_dir: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x"\n[title]\nar = "عنوان\n', encoding="utf-8")
    before = folder_state(out_dir)
    status, out, err = run(capsys, "export", "--out", out_dir, "--add-section", broken)
    assert_one_line_error(status, out, err, str(broken), "line 3")
    assert folder_state(out_dir) == before


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (SECTION.replace('id = "ambassador_note"', 'id = "conclusion"'), ["'conclusion'"]),
        (SECTION.replace("{fig:baku_port_capacity}", "{fig:baku_port_depth}"),
         ["'baku_port_depth'"]),
        (SECTION.replace("[title]", "[heading]"), ["'heading'"]),
    ],
)
def test_invalid_section_files(
    capsys: pytest.CaptureFixture[str], out_dir: Path, tmp_path: Path, text: str,
    names: list[str],
) -> None:
    path = tmp_path / "section.toml"
    path.write_text(text, encoding="utf-8")
    before = folder_state(out_dir)
    status, out, err = run(capsys, "export", "--out", out_dir, "--add-section", path)
    assert_one_line_error(status, out, err, str(path), *names)
    assert folder_state(out_dir) == before


def test_missing_files_are_named(
    capsys: pytest.CaptureFixture[str], out_dir: Path, tmp_path: Path
) -> None:
    before = folder_state(out_dir)
    gone = tmp_path / "gone.toml"
    status, out, err = run(capsys, "export", "--out", out_dir, "--add-section", gone)
    assert_one_line_error(status, out, err, str(gone), "not found")
    gone_brief = tmp_path / "gone.brief"
    status, out, err = run(capsys, "export", gone_brief, "--out", out_dir)
    assert_one_line_error(status, out, err, str(gone_brief), "not found")
    assert folder_state(out_dir) == before


def brief_file(tmp_path: Path, brief: Brief, name: str = "case.brief") -> Path:
    path = tmp_path / name
    save_brief(brief, path)
    return path


def edited_json(tmp_path: Path, library: Library, change) -> Path:  # type: ignore[no-untyped-def]
    """Return a .brief file whose JSON was changed by hand with ``change``."""
    data = json.loads(dumps(edits.default_brief(library)))
    change(data)
    path = tmp_path / "edited.brief"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def override(library: Library, figure_id: str, **changes: object) -> dict:  # type: ignore[type-arg]
    """Return the JSON of a figure override as a .brief file holds it."""
    brief = edits.set_figure(
        edits.default_brief(library), library, library.figures[figure_id].with_value(Decimal(1))
    )
    item = json.loads(dumps(brief))["figure_overrides"][0]
    item.update(changes)
    return item  # type: ignore[no-any-return]


BAD_BRIEF_FILES = [
    (lambda d, lib: d.update(version=7), ["newer", "version 7"]),
    (lambda d, lib: d.update(format="spreadsheet"), ["not a brief file"]),
    (lambda d, lib: d.update(sections=["middle_corridor", "atlantis"]), ["'atlantis'"]),
    (lambda d, lib: d.update(template="nowhere"), ["'nowhere'"]),
    (lambda d, lib: d.update(languages=["ar", "tr"]), ["'tr'"]),
    (lambda d, lib: d.update(figure_overrides=[override(lib, "kz_fdi_total", value="-1")]),
     ["kz_fdi_total", "-1"]),
    (lambda d, lib: d.update(figure_overrides=[override(lib, "kz_fdi_total", id="kz_coal")]),
     ["'kz_coal'"]),
    (lambda d, lib: d.update(figure_overrides=[override(lib, "kz_fdi_total", qualifier="nearly")]),
     ["kz_fdi_total", "'nearly'"]),
    (lambda d, lib: d.update(figure_overrides=[override(lib, "kz_fdi_total", unit="percent")]),
     ["kz_fdi_total", "'percent'"]),
    (lambda d, lib: d.update(figure_overrides=[override(lib, "kz_fdi_total", unit="barrels")]),
     ["kz_fdi_total", "'barrels'"]),
    (lambda d, lib: d.update(sections=[]), ["no sections"]),
]


@pytest.mark.parametrize(("change", "names"), BAD_BRIEF_FILES)
def test_bad_brief_files(
    capsys: pytest.CaptureFixture[str], out_dir: Path, tmp_path: Path, library: Library,
    change, names: list[str],  # type: ignore[no-untyped-def]
) -> None:
    path = edited_json(tmp_path, library, lambda data: change(data, library))
    before = folder_state(out_dir)
    status, out, err = run(capsys, "export", path, "--lang", "en", "--out", out_dir)
    assert_one_line_error(status, out, err, *names)
    assert folder_state(out_dir) == before


def test_broken_json_brief_names_file_and_line(
    capsys: pytest.CaptureFixture[str], out_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "broken.brief"
    path.write_text('{\n  "format": "briefing.brief",\n  "version": 1\n  "sections": []\n}\n')
    status, out, err = run(capsys, "export", path, "--out", out_dir)
    assert_one_line_error(status, out, err, str(path), "line 4")


def test_out_under_a_file(capsys: pytest.CaptureFixture[str], out_dir: Path) -> None:
    blocker = out_dir / "notes.txt"
    before = folder_state(out_dir)
    for target in (blocker / "exports", blocker):
        status, out, err = run(capsys, "export", "--lang", "en", "--out", target)
        assert_one_line_error(status, out, err, str(blocker))
    assert folder_state(out_dir) == before


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """Make ``folder`` unwritable, even for root (immutable flag); skip when impossible."""
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    immutable = False
    try:
        if os.access(folder, os.W_OK):
            chattr = shutil.which("chattr")
            if chattr and subprocess.run([chattr, "+i", str(folder)], check=False,
                                         capture_output=True).returncode == 0:
                immutable = True
            if os.access(folder, os.W_OK):
                pytest.skip("cannot make a folder read-only here")
        yield
    finally:
        if immutable:
            subprocess.run([shutil.which("chattr") or "chattr", "-i", str(folder)], check=True)
        folder.chmod(stat.S_IRWXU)


def test_out_not_writable(capsys: pytest.CaptureFixture[str], out_dir: Path) -> None:
    before = folder_state(out_dir)
    with unwritable(out_dir):
        status, out, err = run(capsys, "export", "--lang", "en", "--out", out_dir)
        assert_one_line_error(status, out, err, str(out_dir), "not writable")
        status, out, err = run(capsys, "export", "--lang", "en", "--out", out_dir / "sub")
        assert_one_line_error(status, out, err, "not writable")
    assert folder_state(out_dir) == before


def test_errors_from_a_real_process_have_no_traceback(out_dir: Path, tmp_path: Path) -> None:
    before = folder_state(out_dir)
    for args in (
        ["export", "--lang", "en", "--out", out_dir, "--set", "kz_exports_eu_share=101"],
        ["export", tmp_path / "absent.brief", "--out", out_dir],
        ["figures", "--jsn"],
    ):
        done = run_process(*args, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("error: ")
        assert done.stdout == ""
    assert folder_state(out_dir) == before


def test_main_script_hands_subcommands_to_the_command_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(CHECKOUT / "main.py"), "sections", "--json"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["id"] == "middle_corridor"


def test_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing.cli", "figures"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away before the table is printed
    error = process.stderr.read().decode("utf-8")
    process.wait(timeout=120)
    process.stderr.close()
    assert "Traceback" not in error and "Exception ignored" not in error, error
    assert process.returncode == 141


def test_unexpected_failures_are_one_line_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.library

    def explode() -> None:
        raise KeyError("units")

    monkeypatch.setattr(briefing.library, "load_library", explode)
    status, _, err = run(capsys, "sections", "--json")
    assert status == 3
    assert err.startswith("error: unexpected failure (KeyError") and len(err.splitlines()) == 1


# -- successful exports (these render documents) -------------------------------------------------


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        paragraphs += [cell.text for row in table.rows for cell in row.cells]
    # Numbers are tied to their units by no-break spaces; the words are what is checked.
    return "\n".join(paragraphs).replace("\u00a0", " ")


@pytest.mark.slow
def test_export_every_language_and_format(
    capsys: pytest.CaptureFixture[str], out_dir: Path, library: Library
) -> None:
    status, out, err = run(
        capsys, "export", "--lang", "ar,en,bi", "--format", "pdf,docx", "--out", out_dir,
        "--set", "baku_port_capacity=18",
    )
    assert status == 0, err
    assert "Traceback" not in err
    names = [f"brief-{lang}.{fmt}" for lang in ("ar", "en", "bi") for fmt in ("pdf", "docx")]
    assert sorted(Path(line).name for line in out.splitlines()) == sorted(names)
    # Exactly the six exports and the note that was already there; no temporaries left.
    assert sorted(p.name for p in out_dir.iterdir()) == sorted([*names, "notes.txt"])
    assert (out_dir / "notes.txt").read_text(encoding="utf-8") == "keep me"
    for name in names:
        data = (out_dir / name).read_bytes()
        if name.endswith(".pdf"):
            assert data.startswith(b"%PDF-")
        else:
            with zipfile.ZipFile(out_dir / name) as archive:
                assert "word/document.xml" in archive.namelist()
    assert (out_dir / "brief-en.pdf").read_bytes() != OLD_PDF

    english = " ".join(pdf_text(out_dir / "brief-en.pdf").split())
    assert "4.4 billion tonnes" in english
    assert "more than 365 billion US dollars" in english
    assert "18 million tonnes" in english and "stands at 15 million tonnes" not in english
    assert "AZERTAC, Baku, 20 October 2025" in english

    arabic = docx_text(out_dir / "brief-ar.docx")
    assert "4.4 مليارات طن" in arabic
    assert "أكثر من 365 مليار دولار" in arabic
    assert "18 مليون طن" in arabic
    assert "7 غيغاواطات على الأقل" in arabic
    assert "ر4" not in arabic
    bilingual = docx_text(out_dir / "brief-bi.docx")
    assert "4.4 مليارات طن" in bilingual and "4.4 billion tonnes" in bilingual


@pytest.mark.slow
def test_export_arabic_digits_sections_and_own_section(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, section_file: Path, library: Library
) -> None:
    out = tmp_path / "new" / "folder"  # created on demand
    status, stdout, err = run(
        capsys, "export", "--lang", "ar", "--format", "docx", "--out", out, "--digits", "arabic",
        "--sections", "port_of_baku,ambassador_note,kazakhstan_resources",
        "--add-section", section_file, "--set", "kz_oil_reserves=٤٫٦",
    )
    assert status == 0, err
    assert [Path(line).name for line in stdout.splitlines()] == ["brief-ar.docx"]
    text = docx_text(out / "brief-ar.docx")
    assert "٤٫٦ مليارات طن" in text
    assert "أكثر من ٣٦٥ مليار دولار" in text
    assert "ملاحظة السفير" in text and "البالغة ١٥ مليون طن" in text
    titles = [library.section(s).title.ar for s in ("port_of_baku", "kazakhstan_resources")]  # type: ignore[union-attr]
    positions = [text.index(title) for title in (titles[0], "ملاحظة السفير", titles[1])]
    assert positions == sorted(positions), "sections must follow --sections order"
    assert library.section("btk_railway").title.ar not in text  # type: ignore[union-attr]


@pytest.mark.slow
def test_export_from_a_brief_file_and_template_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, out_dir: Path, library: Library
) -> None:
    brief = edits.default_brief(library)
    brief = edits.set_sections(brief, ("btk_railway",))
    brief = edits.set_figure_value(brief, library, "btk_annual_capacity", "6")
    brief = replace(brief, languages=("en",))
    brief = edits.set_meta(brief, title=LocalText(ar="سكة الحديد", en="Rail brief"))
    path = brief_file(tmp_path, brief)
    template = tmp_path / "my_template"
    shutil.copytree(as_path(templates_root()) / "ministry", template)
    status, out, err = run(
        capsys, "export", path, "--format", "pdf", "--out", out_dir, "--template", template,
        "--quiet",
    )
    assert status == 0, err
    assert out == ""
    # Named from the brief's title.
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "brief-en.pdf", "notes.txt", "rail-brief-en.pdf"]  # the old file is left alone
    text = " ".join(pdf_text(out_dir / "rail-brief-en.pdf").split())
    assert "Rail brief" in text
    assert "6 million tonnes" in text
    assert "250 thousand tonnes" in text
    assert "Port of Baku" not in text


@pytest.mark.slow
def test_export_in_a_real_process(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run_process(
        "export", "--lang", "en", "--format", "pdf", "--out", out, "--sections", "conclusion",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout.strip() == str(out / "brief-en.pdf")
    assert (out / "brief-en.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.slow
def test_a_renderer_failure_leaves_the_folder_as_it_was(
    capsys: pytest.CaptureFixture[str], out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF is rendered first; when Word fails afterwards, nothing is published."""
    import briefing.export
    from briefing.errors import BriefingError

    real_render = briefing.export.render

    def render(document, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
        if fmt == "docx":
            raise BriefingError("letterhead.docx: cannot be read")
        return real_render(document, fmt)

    monkeypatch.setattr(briefing.export, "render", render)
    before = folder_state(out_dir)
    status, out, err = run(
        capsys, "export", "--lang", "en", "--format", "pdf,docx", "--out", out_dir,
        "--sections", "conclusion",
    )
    assert_one_line_error(status, out, err, "letterhead.docx")
    assert folder_state(out_dir) == before


def test_export_with_reference_and_distribution(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    status, _, err = run(
        capsys, "export", "--lang", "bi", "--format", "docx", "--out", out,
        "--template", "ministry", "--sections", "port_of_baku",
        "--reference", "MFA/PP-2025/042", "--distribution", "Minister's office",
        "--distribution-ar", "مكتب الوزير",
    )
    assert status == 0, err
    # Named from the reference, so that another brief's files in the folder are not replaced.
    assert [p.name for p in out.iterdir()] == ["mfa-pp-2025-042-bi.docx"]
    text = docx_text(out / "mfa-pp-2025-042-bi.docx")
    assert "Distribution: Minister's office" in text
    assert "التوزيع: مكتب الوزير" in text
    import docx

    word = docx.Document(str(out / "mfa-pp-2025-042-bi.docx"))
    footer = "".join(t.text or "" for t in word.sections[0].footer._element.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    assert footer.count("MFA/PP-2025/042") == 2  # the reference in both languages' footers
