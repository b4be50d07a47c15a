"""The frozen one-folder bundle (dist/briefing) runs on its own and exports correct briefs.

Runs when dist/briefing exists (after ``make bundle``) or when BRIEFING_TEST_BUNDLE=1, in
which case a missing or outdated bundle fails instead of skipping. The bundle's programs
run with no Python environment at all: PATH holds only the system folders, there is no
PYTHONPATH, and the working folder is outside the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from briefing.document import build_document
from briefing.edits import default_brief, set_meta
from briefing.library import Library
from briefing.model import Brief
from briefing.store import save_brief
from briefing.templates import load_template

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parent.parent
BUNDLE = CHECKOUT / "dist" / "briefing"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
CLI = BUNDLE / f"briefing{EXE_SUFFIX}"
APP = BUNDLE / f"briefing-app{EXE_SUFFIX}"
REQUIRED = os.environ.get("BRIEFING_TEST_BUNDLE") == "1"
BRIEF_DATE = date(2025, 11, 20)
# Arabic presentation forms: shaped glyph code points that must never reach a .docx.
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def _newest_source() -> tuple[float, Path] | None:
    """Return the modification time and path of the newest file the bundle is built from."""
    newest: tuple[float, Path] | None = None
    for folder, pattern in (("briefing", "*.py"), ("resources", "*"), ("templates", "*")):
        for path in (CHECKOUT / folder).rglob(pattern):
            if path.is_file() and "__pycache__" not in path.parts:
                stamp = path.stat().st_mtime
                if newest is None or stamp > newest[0]:
                    newest = (stamp, path)
    return newest


def _bundle_problem() -> str | None:
    """Return why the bundle cannot be tested (missing or older than the sources), or None."""
    if not CLI.is_file() or not APP.is_file():
        return f"no bundle at {BUNDLE} (run `make bundle`)"
    newest = _newest_source()
    built = min(CLI.stat().st_mtime, APP.stat().st_mtime)
    if newest is not None and newest[0] > built:
        changed = newest[1].relative_to(CHECKOUT)
        return f"{BUNDLE} is older than {changed} (run `make bundle` again)"
    return None


@pytest.fixture(scope="module", autouse=True)
def bundle_ready() -> None:
    """Skip (or, when asked for explicitly, fail) unless an up-to-date bundle exists."""
    problem = _bundle_problem()
    if problem and REQUIRED:
        pytest.fail(problem)
    if problem:
        pytest.skip(problem)


def bare_environment(home: Path) -> dict[str, str]:
    """Return an environment with only the system folders on PATH and a private home."""
    if sys.platform == "win32":
        system_root = os.environ.get("SYSTEMROOT", r"C:\Windows")
        folders = {
            "USERPROFILE": home,
            "APPDATA": home / "AppData" / "Roaming",
            "LOCALAPPDATA": home / "AppData" / "Local",
            "TEMP": home / "Temp",
            "TMP": home / "Temp",
        }
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
        env = {name: str(folder) for name, folder in folders.items()}
        env.update(SYSTEMROOT=system_root, PATH=f"{system_root}\\System32;{system_root}")
        return env
    return {"PATH": "/usr/bin:/bin", "HOME": str(home)}


def run_bundle(args: list[str], cwd: Path, home: Path) -> str:
    """Run the bundle's command line; return its stdout, failing on any error output."""
    done = subprocess.run(
        [str(CLI), *args],
        cwd=cwd,
        env=bare_environment(home),
        capture_output=True,
        timeout=600,
        check=False,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, f"briefing {' '.join(args)} exited {done.returncode}: {stderr}"
    assert "Traceback" not in stderr, stderr
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a working folder outside the checkout."""
    folder = tmp_path_factory.mktemp("bundle-run")
    assert CHECKOUT not in folder.parents
    return folder


@pytest.fixture(scope="module")
def brief(library: Library) -> Brief:
    """Return the brief every export here uses: all sections, a fixed date."""
    return set_meta(default_brief(library), date=BRIEF_DATE)


@pytest.fixture(scope="module")
def exported(workspace: Path, brief: Brief) -> Path:
    """Export Arabic and English PDF and Word briefs with the bundle; return the folder."""
    brief_file = workspace / "test.brief"
    save_brief(brief, brief_file)
    out = workspace / "out"
    home = workspace / "home"
    home.mkdir()
    printed = run_bundle(
        ["export", str(brief_file), "--lang", "ar,en", "--format", "pdf,docx", "--out", str(out)],
        cwd=workspace,
        home=home,
    )
    expected = {f"brief-{lang}.{fmt}" for lang in ("ar", "en") for fmt in ("pdf", "docx")}
    assert {Path(line).name for line in printed.split()} == expected
    return out


def test_bundle_lists_the_sections_it_carries(
    workspace: Path, library: Library, tmp_path: Path
) -> None:
    listed = json.loads(run_bundle(["sections", "--json"], cwd=workspace, home=tmp_path))
    assert [item["id"] for item in listed] == list(library.section_ids())
    for item in listed:
        section = library.section(item["id"])
        assert section is not None
        assert item["title"] == section.title.to_dict()
        assert re.search("[\u0600-\u06ff]", item["title"]["ar"]), item


def test_bundle_reads_templates_from_inside_itself(workspace: Path, tmp_path: Path) -> None:
    listed = json.loads(run_bundle(["templates", "--json"], cwd=workspace, home=tmp_path))
    shipped = sorted(path.parent.name for path in (CHECKOUT / "templates").glob("*/template.toml"))
    assert shipped
    assert sorted(t["id"] for t in listed if t["origin"] == "shipped") == shipped
    for template in listed:
        if template["origin"] == "shipped":
            # The data comes from the bundle, never from the checkout next to it.
            assert Path(template["path"]).resolve().is_relative_to(BUNDLE.resolve()), template


def test_bundle_first_export_draws_none_of_the_librarys_charts(
    exported: Path, workspace: Path
) -> None:
    # The library's pictures come from those shipped inside the bundle: none was drawn
    # into the (new) user cache.
    drawn = list((workspace / "home").rglob("Briefing/charts/*.png"))
    assert drawn == [], f"the bundle drew {len(drawn)} shipped pictures again"


def test_bundle_draws_an_edited_chart_with_the_shipped_font_list(
    workspace: Path, brief: Brief, tmp_path: Path
) -> None:
    from briefing.render import charts

    brief_file = tmp_path / "edited.brief"
    save_brief(brief, brief_file)
    home = tmp_path / "home"
    run_bundle(
        ["export", str(brief_file), "--lang", "ar", "--format", "pdf", "--out",
         str(tmp_path / "out"), "--set", "baku_port_capacity=17"],
        cwd=workspace, home=home,
    )
    assert list(home.rglob("Briefing/charts/*.png")), "the edited chart was not drawn"
    # matplotlib's folder is the program's own, named by matplotlib's version, and holds
    # the font list shipped for it (so the bundle opened none of the system's fonts).
    lists = list(home.rglob("Briefing/matplotlib/*/fontlist-*.json"))
    assert [path.parent.name for path in lists] == [charts.matplotlib_version()]
    shipped = charts.shipped_font_lists(charts.matplotlib_version()) / lists[0].name
    assert lists[0].read_bytes() == shipped.read_bytes()


def test_bundle_exports_every_file(exported: Path) -> None:
    for lang in ("ar", "en"):
        pdf = (exported / f"brief-{lang}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
        with zipfile.ZipFile(exported / f"brief-{lang}.docx") as archive:
            assert archive.testzip() is None
            assert "word/document.xml" in archive.namelist()


def test_bundle_word_brief_is_logical_right_to_left_text(exported: Path, library: Library) -> None:
    with zipfile.ZipFile(exported / "brief-ar.docx") as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "<w:bidi/>" in xml or "<w:bidi " in xml
    assert not PRESENTATION_FORMS.search(xml), "shaped Arabic glyphs in the Word file"
    first = library.section(library.section_ids()[0])
    assert first is not None
    assert first.title.ar in xml


def test_bundle_pdfs_embed_every_font(exported: Path) -> None:
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    for lang, needed in (("ar", ("Amiri", "NotoNaskhArabic")), ("en", ("Noto",))):
        listing = subprocess.run(
            [pdffonts, str(exported / f"brief-{lang}.pdf")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        rows = listing[2:]
        assert rows, f"brief-{lang}.pdf lists no fonts"
        for row in rows:
            # Columns: name, type…, encoding, emb, sub, uni, object id; emb is 5th from the end.
            assert row.split()[-5] == "yes", f"brief-{lang}.pdf: font not embedded: {row}"
        names = " ".join(row.split()[0] for row in rows)
        assert any(name in names for name in needed), names


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_bundle_pdf_reads_in_order(
    exported: Path, brief: Brief, library: Library, lang: str
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from briefing.verify import verify_pdf

    document = build_document(brief, library, load_template(brief.template), lang)
    problems = verify_pdf((exported / f"brief-{lang}.pdf").read_bytes(), document)
    assert problems == []


def test_bundle_app_starts_and_stays_up(tmp_path: Path) -> None:
    env = bare_environment(tmp_path / "home")
    data_dir = tmp_path / "data"
    env.update(QT_QPA_PLATFORM="offscreen", BRIEFING_DATA_DIR=str(data_dir), LANG="C.UTF-8")
    log = tmp_path / "app.log"
    with log.open("wb") as output:
        app = subprocess.Popen(
            [str(APP)], cwd=tmp_path, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            # The settings folder appears once every GUI module has been imported.
            deadline = time.monotonic() + 60
            while not data_dir.exists() and app.poll() is None and time.monotonic() < deadline:
                time.sleep(0.5)
            time.sleep(5)
            exit_code = app.poll()
        finally:
            app.terminate()
            try:
                app.wait(timeout=20)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
    text = log.read_text("utf-8", "replace")
    assert exit_code is None, f"briefing-app exited with {exit_code}: {text}"
    assert data_dir.is_dir(), f"briefing-app did not get as far as its settings: {text}"
    assert "Traceback" not in text, text
