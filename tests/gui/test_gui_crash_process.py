"""The real app as separate processes: SIGKILL at any moment loses at most the last second."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.store import load_brief

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


class App:
    """One app process with the test hooks on, reading its progress lines."""

    def __init__(self, data: Path, tmp: Path, script: dict | None = None) -> None:
        args = [sys.executable, str(ROOT / "main.py")]
        if script is not None:
            path = tmp / f"script-{time.monotonic_ns()}.json"
            path.write_text(json.dumps(script), encoding="utf-8")
            args += ["--test-script", str(path)]
        env = os.environ | {
            "QT_QPA_PLATFORM": "offscreen",
            "BRIEFING_DATA_DIR": str(data),
            "BRIEFING_TEST_HOOKS": "1",
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp / "home"),
            "XDG_RUNTIME_DIR": str(tmp / "run"),
        }
        (tmp / "run").mkdir(mode=0o700, exist_ok=True)
        self.process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )

    def wait_for(self, prefix: str, timeout: float = 90) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                pytest.fail(f"the app ended before saying {prefix!r}")
            if line.startswith(prefix):
                return line.strip()
        pytest.fail(f"the app never said {prefix!r}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=60)
        assert self.process.returncode == -signal.SIGKILL


def _journals(data: Path) -> list[Path]:
    return sorted((data / "autosave").glob("*/journal.brief"))


TYPED = "Reference typed two seconds before the kill"
EDIT = {"edits": [{"field": "title", "lang": "en", "text": TYPED}]}


@pytest.mark.slow
def test_killed_twice_the_edit_is_still_offered_and_restored(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = App(data, tmp_path, EDIT)
    try:
        assert first.wait_for("ready") == f"ready title-en={TYPED}"
        time.sleep(2)
    finally:
        first.kill()
    assert [load_brief(j).meta.title.en for j in _journals(data)] == [TYPED]

    # Killed while "Recover it?" is open: nothing may be lost.
    asked = App(data, tmp_path)
    try:
        asked.wait_for("recovery-question")
        time.sleep(0.5)
    finally:
        asked.kill()
    assert [load_brief(j).meta.title.en for j in _journals(data)] == [TYPED]

    third = App(data, tmp_path, {"answer_recovery": "yes"})
    try:
        third.wait_for("recovery-question")
        assert third.wait_for("ready") == f"ready title-en={TYPED}"
    finally:
        third.kill()
    assert [load_brief(j).meta.title.en for j in _journals(data)] == [TYPED]


@pytest.mark.slow
def test_a_second_app_keeps_the_first_apps_journal(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = App(data, tmp_path, EDIT)
    second: App | None = None
    try:
        first.wait_for("ready")
        deadline = time.monotonic() + 5
        while not _journals(data) and time.monotonic() < deadline:
            time.sleep(0.05)
        second = App(data, tmp_path, {})
        # The first app is alive: the second offers nothing and leaves its journal alone.
        assert second.wait_for("ready") == "ready title-en="
    finally:
        first.kill()
    assert [load_brief(j).meta.title.en for j in _journals(data)] == [TYPED]
    assert second is not None
    second.kill()
    again = App(data, tmp_path, {"answer_recovery": "yes"})
    try:
        assert again.wait_for("ready") == f"ready title-en={TYPED}"
    finally:
        again.kill()
