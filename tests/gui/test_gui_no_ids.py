"""No internal id or installation path is shown: ids come from titles and names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from briefing.gui.section_dialog import SectionDialog
from briefing.gui.template_dialog import TemplateDialog
from briefing.library import Library
from briefing.templates import load_template


def _visible_words(dialog: QWidget) -> list[str]:
    """Return the labels and the names of the editors a person sees in ``dialog``."""
    words = [label.text() for label in dialog.findChildren(QLabel) if label.isVisibleTo(dialog)]
    words += [edit.accessibleName() for edit in dialog.findChildren(QLineEdit)
              if edit.isVisibleTo(dialog)]
    return words


def test_a_section_takes_its_id_from_its_title(qtbot: Any, library: Library) -> None:
    dialog = SectionDialog(library, dict(library.figures), "latin", lambda _s: None, {"our_view"})
    qtbot.addWidget(dialog)
    shown = " ".join(_visible_words(dialog)).casefold()
    assert " id" not in shown and "id:" not in shown, shown
    dialog.set_field("title", "en", "Our view")
    dialog.set_field("title", "ar", "رأينا")
    dialog.set_field("body", "en", "Text.")
    dialog.set_field("body", "ar", "نص.")
    assert dialog.section().id == "our_view_2"  # the title's, beside the one already taken


def test_a_template_copy_is_named_not_given_an_id(qtbot: Any, prompts: Any) -> None:
    dialog = TemplateDialog("ministry", prompts)
    qtbot.addWidget(dialog)
    shown = " ".join(_visible_words(dialog)).casefold()
    assert "id:" not in shown and "template id" not in shown, shown
    dialog.name_en.setText("")
    qtbot.keyClicks(dialog.name_en, "Embassy Letter")
    dialog.accept()
    assert dialog.result() == 1, dialog.error_label.text()
    assert dialog.saved_id == "embassy-letter"
    assert load_template("embassy-letter").name.en == "Embassy Letter"


def test_the_logo_is_shown_by_its_file_name(qtbot: Any, prompts: Any, tmp_path: Path) -> None:
    dialog = TemplateDialog("ministry", prompts)
    qtbot.addWidget(dialog)
    base = load_template("ministry")
    assert base.logo is not None
    assert dialog.logo_edit.text() == Path(base.logo).name == "logo.png"
    assert str(Path(base.logo).parent) not in dialog.logo_edit.text()
    assert dialog.logo_edit.toolTip() == str(base.logo)
    mine = tmp_path / "crest.png"
    mine.write_bytes(Path(base.logo).read_bytes())
    dialog.set_logo(str(mine))
    assert dialog.logo_edit.text() == "crest.png"
    assert dialog.values()["logo"] == str(mine)
