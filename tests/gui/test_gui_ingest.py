"""File › New section from dispatch: paste, review the highlighted figures, add the section."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from briefing.document import effective_figures
from briefing.export import export
from briefing.gui.ingest_dialog import IngestDialog
from briefing.gui.mainwindow import MainWindow

DISPATCH = (
    "باكو، 2 يونيو (أذرتاج)\n\n"
    "افتتح البلدان خطاً للكهرباء بطول ٤٢٠ كيلومتراً، بقدرة 1,200 ميغاواط.\n\n"
    "ويُتوقع أن ترتفع الصادرات بنسبة 15% في عام 2027، باستثمار قدره 90 مليون يورو.\n"
)


def _run(qtbot: Any, steps: list[Any]) -> Any:
    def run(dialog: IngestDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.paste_box.setPlainText(DISPATCH)
        dialog.detect()
        for step in steps:
            step(dialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok.isEnabled()
        ok.click()
        return int(dialog.result())

    return run


def test_dispatch_dialog_adds_a_section_with_the_figures_kept(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: dict[str, Any] = {}

    def review(dialog: IngestDialog) -> None:
        assert dialog.table.rowCount() == 4
        assert dialog.highlighted() == ["٤٢٠ كيلومتراً", "1,200 ميغاواط", "15%", "90 مليون يورو"]
        assert "English text is left for you" in dialog.note.text()
        assert dialog.title_edit.text().startswith("افتتح البلدان")
        # Drop the percentage, change the megawatts, retitle.
        dialog.table.item(2, 0).setCheckState(Qt.CheckState.Unchecked)
        dialog.table.item(1, 2).setText("1,350")
        dialog.title_edit.setText("خط كهرباء جديد")
        dialog.title_edit.textEdited.emit("خط كهرباء جديد")
        seen["rows"] = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]

    monkeypatch.setattr(window, "run_dialog", _run(qtbot, [review]))
    assert window.dispatch_action.text().replace("&", "") == "New section from dispatch…"
    window.dispatch_action.trigger()
    brief = window.session.brief
    section = brief.custom(brief.sections[-1])
    assert section is not None and section.title.ar == "خط كهرباء جديد"
    units = {f.unit: f for f in section.figures}
    assert set(units) == {"kilometres", "megawatts", "million_eur"}
    assert units["megawatts"].value == Decimal("1350")
    assert "15%" in section.body.ar  # dropped: still text
    assert f"{{fig:{units['kilometres'].id}}}" in section.body.ar
    assert "Translation to be written" in section.body.en
    assert window.current_section_id() == section.id
    # The brief's figures include the section's, editable like the library's.
    figures = effective_figures(brief, window.session.library)
    assert figures[units["million_eur"].id].value == Decimal("90")
    result = export(brief, tmp_path / "out", languages=["en"], formats=["docx"],
                    library=window.session.library)
    assert result.paths
    window.undo_action.trigger()
    assert window.session.brief.custom(section.id) is None


def test_dispatch_dialog_refuses_bad_text_and_bad_values(window: MainWindow, qtbot: Any) -> None:
    dialog = IngestDialog(window.session.library, window.session.brief, parent=window)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.paste_box.setPlainText("باكو، 2 يونيو (أذرتاج)\n")
    dialog.detect()
    assert not ok.isEnabled() and "no text" in dialog.status.text()
    dialog.paste_box.setPlainText(DISPATCH)
    dialog.detect()
    assert ok.isEnabled()
    dialog.table.item(0, 3).setText("parsecs")
    assert not ok.isEnabled() and "parsecs" in dialog.status.text()
    dialog.table.item(0, 3).setText("kilometres")
    assert ok.isEnabled()
    dialog.table.item(0, 2).setText("abc")
    assert not ok.isEnabled()


def test_section_figures_join_the_figure_table_and_follow_edits(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = window.figure_model
    before = model.rowCount()
    monkeypatch.setattr(window, "run_dialog", _run(qtbot, []))
    window.dispatch_action.trigger()
    assert model.rowCount() == before + 4
    row = next(r for r in range(model.rowCount()) if model.figure(r).unit == "megawatts")
    assert model.setData(model.index(row, model.column_of("value")), "1400"), model.errors
    figure_id = model.figure_ids[row]
    assert window.session.brief.override(figure_id).value == Decimal("1400")
    window.undo_action.trigger()  # the value
    window.undo_action.trigger()  # the section
    assert model.rowCount() == before
