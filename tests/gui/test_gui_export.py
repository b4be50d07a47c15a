"""The export dialog driven programmatically: worker export, progress, errors, show in folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer, QUrl

from briefing import cli
from briefing.gui.export_dialog import ExportDialog
from briefing.gui.mainwindow import MainWindow


def _dialog(window: MainWindow, folder: Path, langs: set[str], formats: set[str]) -> ExportDialog:
    dialog = window.make_export_dialog()
    dialog.folder_edit.setText(str(folder))
    # The boxes edit the brief's languages, which are never empty: tick before unticking.
    for code in sorted(dialog.lang_boxes, key=lambda c: c not in langs):
        dialog.lang_boxes[code].setChecked(code in langs)
    for code, box in dialog.format_boxes.items():
        box.setChecked(code in formats)
    return dialog


@pytest.mark.slow
def test_export_runs_in_a_worker_and_offers_the_folder(
    window: MainWindow, qtbot: Any, prompts: Any, tmp_path: Path
) -> None:
    out = tmp_path / "exports" / "today"
    dialog = _dialog(window, out, {"en"}, {"pdf", "docx"})
    qtbot.addWidget(dialog)
    ticks: list[int] = []
    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: ticks.append(1))
    heartbeat.start()
    dialog.export_button.click()
    assert dialog.running
    assert not dialog.export_button.isEnabled() and not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=180_000)
    heartbeat.stop()
    assert prompts.errors == []
    assert sorted(p.name for p in dialog.written) == ["brief-en.docx", "brief-en.pdf"]
    assert (out / "brief-en.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "brief-en.docx").read_bytes().startswith(b"PK")
    assert len(ticks) > 3, "the GUI thread kept running while the files were rendered"
    assert dialog.progress.value() == dialog.progress.maximum() == 2
    assert "brief-en.pdf" in dialog.status.text()
    assert dialog.show_button.isEnabled()
    dialog.show_button.click()
    assert prompts.opened_urls == [QUrl.fromLocalFile(str(out))]


def _cli_error(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    assert cli.main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ")
    return err.removeprefix("error: ")


def test_errors_are_the_command_line_messages(
    window: MainWindow, qtbot: Any, prompts: Any, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "inside"
    dialog = _dialog(window, out, {"en"}, {"docx"})
    qtbot.addWidget(dialog)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    expected = _cli_error(capsys, ["export", "--lang", "en", "--format", "docx", "--out", str(out)])
    assert prompts.errors == [("Export failed", expected)]
    assert "under a file" in expected
    assert not dialog.show_button.isEnabled()
    assert dialog.export_button.isEnabled(), "the dialog can be used again after a failure"

    dialog.format_boxes["docx"].setChecked(False)
    dialog.export_button.click()
    assert not dialog.running
    assert prompts.errors[-1][1] == _cli_error(
        capsys, ["export", "--format", "", "--out", str(tmp_path)]
    )
    dialog.format_boxes["pdf"].setChecked(True)
    for box in dialog.lang_boxes.values():
        box.setChecked(False)
    # The boxes are the brief's own languages: the last one stays, refused like the CLI.
    assert prompts.errors[-1][1] == _cli_error(
        capsys, ["export", "--lang", "", "--out", str(tmp_path)]
    )
    assert len(dialog.chosen_languages()) == 1
    assert window.session.brief.languages == tuple(dialog.chosen_languages())


def test_export_of_a_brief_without_sections_fails_like_the_cli(
    window: MainWindow, qtbot: Any, prompts: Any, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from briefing import edits

    window.session.apply("none", edits.set_sections, ())
    dialog = _dialog(window, tmp_path / "out", {"ar"}, {"pdf"})
    qtbot.addWidget(dialog)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    expected = _cli_error(capsys, ["export", "--sections", "", "--out", str(tmp_path / "out")])
    assert prompts.errors == [("Export failed", expected)]
    assert not (tmp_path / "out").exists(), "nothing is written when the export fails"


def test_browse_and_languages_come_from_the_brief(
    window: MainWindow, prompts: Any, tmp_path: Path
) -> None:
    dialog = window.make_export_dialog()
    assert dialog.chosen_languages() == list(window.session.brief.languages)
    assert dialog.chosen_formats() == ["pdf", "docx"]
    prompts.folders.append(tmp_path / "chosen")
    dialog._browse()
    assert dialog.folder() == tmp_path / "chosen"
    dialog.deleteLater()
