"""The export dialog asks before replacing files another brief exported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing import edits
from briefing.cli import main
from briefing.gui.mainwindow import MainWindow
from briefing.model import LocalText
from briefing.store import save_brief


def test_dialog_asks_before_replacing_another_briefs_files(
    window: MainWindow, qtbot: Any, prompts: Any, tmp_path: Path
) -> None:
    library = window.session.library
    other = edits.set_meta(edits.set_sections(edits.default_brief(library),
                                              library.section_ids()[:1]),
                           title=LocalText(ar="؟", en="?"))  # names its files brief-…
    save_brief(other, tmp_path / "other.brief")
    out = tmp_path / "out"
    assert main(["export", str(tmp_path / "other.brief"), "--lang", "en", "--format", "pdf",
                 "--out", str(out)]) == 0
    before = (out / "brief-en.pdf").read_bytes()
    dialog = window.make_export_dialog()
    qtbot.addWidget(dialog)
    dialog.folder_edit.setText(str(out))
    dialog.lang_boxes["en"].setChecked(True)  # the brief keeps at least one language
    for code, box in dialog.lang_boxes.items():
        box.setChecked(code == "en")
    for code, box in dialog.format_boxes.items():
        box.setChecked(code == "pdf")
    dialog.export_button.click()
    assert len(prompts.asked_replace) == 1
    assert "brief-en.pdf" in prompts.asked_replace[0][0]
    assert not dialog.running
    assert (out / "brief-en.pdf").read_bytes() == before
    prompts.replace_answer = True
    dialog.export_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=180_000)
    assert prompts.errors == []
    assert (out / "brief-en.pdf").read_bytes() != before
