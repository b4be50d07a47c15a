"""A plain (non-editable) wheel carries its data and runs from outside the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parent.parent
# What a fresh clone would not hold: environments, caches, build output.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
    ".hypothesis", "*.pyc", "out", "exports", "bench-out",
)


def run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run ``command``; return its stdout, failing the test with its stderr otherwise."""
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=900, check=False,
    )
    assert done.returncode == 0, f"{command}: {done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the checkout holding what a fresh clone would."""
    source = tmp_path_factory.mktemp("clone") / "briefing"
    shutil.copytree(CHECKOUT, source, ignore=NOT_IN_A_CLONE)
    return source


@pytest.fixture(scope="module")
def wheel(clone: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a wheel built from the clone with a plain ``pip wheel``."""
    out = tmp_path_factory.mktemp("wheelhouse")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, clone], cwd=out)
    wheels = list(out.glob("briefing-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a fresh virtual environment with the wheel installed (not editable).

    The wheel goes in first, while the new environment sees nothing else; the
    dependencies are then borrowed from the test environment through a .pth file, which
    adds their folder to sys.path without running the development install's hooks.
    """
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    run([sys.executable, "-m", "venv", "--without-pip", env_dir], cwd=env_dir.parent)
    python = env_dir / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
         "--no-index", wheel], cwd=env_dir.parent)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    cwd=env_dir.parent).strip())
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    return env_dir


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """Return an environment without PYTHONPATH, so only the installed package is found."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_holds_every_module(clone: Path, wheel: Path) -> None:
    names = wheel_names(wheel)
    modules = {
        path.relative_to(clone).as_posix()
        for path in (clone / "briefing").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert modules, "no modules found in the checkout"
    assert modules <= names, sorted(modules - names)
    assert "briefing/py.typed" in names


def test_wheel_holds_fonts_content_and_templates(clone: Path, wheel: Path) -> None:
    names = wheel_names(wheel)
    for folder in ("resources", "templates"):
        shipped = {
            f"briefing/_data/{path.relative_to(clone).as_posix()}"
            for path in (clone / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        }
        assert shipped, folder
        assert shipped <= names, sorted(shipped - names)
    for required in (
        "briefing/_data/resources/fonts/Amiri-Regular.ttf",
        "briefing/_data/resources/fonts/NotoNaskhArabic-Regular.ttf",
        "briefing/_data/resources/fonts/OFL-Amiri.txt",
        "briefing/_data/resources/fonts/OFL-Noto.txt",
        "briefing/_data/resources/content/figures.toml",
        "briefing/_data/resources/content/units.toml",
        "briefing/_data/resources/content/sections/20_kazakhstan_resources.toml",
        "briefing/_data/templates/ministry/template.toml",
    ):
        assert required in names
    # The data lives inside the package only: nothing lands at the top of site-packages.
    assert {name.split("/")[0] for name in names} == {"briefing", "briefing-0.1.0.dist-info"}


def test_wheel_declares_the_commands(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read("briefing-0.1.0.dist-info/entry_points.txt").decode()
        metadata = archive.read("briefing-0.1.0.dist-info/METADATA").decode()
    assert "briefing = briefing.cli:main" in entry_points
    assert "briefing-app = briefing.gui.app:main" in entry_points
    for dependency in ("PySide6", "reportlab", "python-docx", "matplotlib", "Babel"):
        assert dependency.lower() in metadata.lower()


def test_installed_package_finds_its_data_inside_itself(
    installed: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    probe = (
        "import json, briefing, briefing.resources as r, briefing.fonts as f;"
        "print(json.dumps({'package': briefing.__file__,"
        " 'content': str(r.as_path(r.resource('content'))),"
        " 'templates': str(r.as_path(r.templates_root())),"
        " 'font': str(f.bundled_face('Amiri').regular)}))"
    )
    found = json.loads(run([installed / "bin" / "python", "-c", probe], tmp_path, clean_env))
    site = (installed / "lib").resolve()
    for key, value in found.items():
        path = Path(value).resolve()
        assert path.exists(), (key, value)
        assert path.is_relative_to(site), (key, value)
        assert not path.is_relative_to(CHECKOUT), (key, value)
    assert Path(found["templates"]).name == "templates"
    assert (Path(found["content"]) / "figures.toml").is_file()


def test_installed_command_lists_the_library(
    clone: Path, installed: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    from briefing.library import load_library

    library = load_library()
    command = installed / "bin" / "briefing"
    sections = json.loads(run([command, "sections", "--json"], tmp_path, clean_env))
    assert [item["id"] for item in sections] == list(library.section_ids())
    figures = json.loads(run([command, "figures", "--json"], tmp_path, clean_env))
    assert {item["id"] for item in figures} == set(library.figures)
    templates = json.loads(run([command, "templates", "--json"], tmp_path, clean_env))
    shipped = {item["id"]: item for item in templates}
    expected = {p.name for p in (clone / "templates").iterdir() if (p / "template.toml").is_file()}
    assert expected <= set(shipped)
    for template_id in expected:
        assert Path(shipped[template_id]["path"]).resolve().is_relative_to(installed.resolve())


def test_installed_command_exports(
    installed: Path, tmp_path: Path, clean_env: dict[str, str]
) -> None:
    out = tmp_path / "out"
    printed = run(
        [installed / "bin" / "briefing", "export", "--lang", "ar,en", "--format", "pdf,docx",
         "--out", out, "--sections", "kazakhstan_resources"],
        tmp_path,
        clean_env,
    )
    assert sorted(Path(line).name for line in printed.split()) == [
        "brief-ar.docx", "brief-ar.pdf", "brief-en.docx", "brief-en.pdf",
    ]
    fonts = run(["pdffonts", out / "brief-ar.pdf"], tmp_path)
    assert "Amiri" in fonts or "Naskh" in fonts, fonts
    text = " ".join(run(["pdftotext", out / "brief-en.pdf", "-"], tmp_path).split())
    assert "4.4 billion tonnes" in text
