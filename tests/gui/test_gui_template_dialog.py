"""Template customisation: a copy's marking, colours, fonts, margins and logo saved as one's own."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from briefing.gui.mainwindow import MainWindow
from briefing.gui.template_dialog import TemplateDialog
from briefing.templates import load_template


def test_saving_a_customised_copy(qtbot: Any, prompts: Any, private_data: Path) -> None:
    dialog = TemplateDialog("ministry", prompts)
    qtbot.addWidget(dialog)
    assert dialog.id_edit.text() == "ministry-custom"
    dialog.marking_en.setText("SECRET")
    dialog.marking_ar.setText("سري")
    dialog.colour_edits["primary"].setText("#123456")
    dialog.arabic_font.setCurrentIndex(dialog.arabic_font.findData("Noto Naskh Arabic"))
    dialog.margin_spins["top"].setValue(30)
    dialog.sample.grab()  # the sample page draws with the new values
    dialog.accept()
    assert dialog.result() == 1, dialog.error_label.text()
    assert dialog.saved_folder is not None
    assert dialog.saved_folder.is_relative_to(private_data / "templates")
    saved = load_template("ministry-custom")
    assert saved.user
    assert saved.marking.en == "SECRET" and saved.marking.ar == "سري"
    assert saved.colours["primary"] == "#123456"
    assert saved.fonts.arabic.family == "Noto Naskh Arabic"
    assert saved.page.margin_top_mm == Decimal(30)
    base = load_template("ministry")
    assert saved.colours["accent"] == base.colours["accent"]


def test_bad_colour_is_refused_with_its_key(qtbot: Any, prompts: Any) -> None:
    dialog = TemplateDialog("ministry", prompts)
    qtbot.addWidget(dialog)
    dialog.colour_edits["accent"].setText("#12")
    assert "background" in dialog.colour_edits["accent"].styleSheet()
    dialog.accept()
    assert dialog.result() == 0
    assert "accent" in dialog.error_label.text() and "#12" in dialog.error_label.text()
    dialog.colour_edits["accent"].setText("#A67C2E")
    dialog.id_edit.setText("bad id!")
    dialog.accept()
    assert dialog.result() == 0
    assert "bad id!" in dialog.error_label.text()


def test_window_switches_to_the_saved_template(
    window: MainWindow, monkeypatch: Any
) -> None:
    def run(dialog: Any) -> int:
        dialog.id_edit.setText("mine")
        dialog.marking_en.setText("FOR OFFICIAL USE")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(window, "run_dialog", run)
    window.open_template_dialog()
    assert window.session.brief.template == "mine"
    combo = window.template_combo
    assert combo.currentData() == "mine"
    assert "(yours)" in combo.currentText()
    assert window.meta_editors["marking"]["en"].text() == "FOR OFFICIAL USE"
