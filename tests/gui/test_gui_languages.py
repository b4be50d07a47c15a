"""Output languages: one list (toolbar, Brief tab, Export dialog) and a preview among them."""

from __future__ import annotations

from typing import Any

from briefing import edits
from briefing.gui.mainwindow import MainWindow


def _shown(window: MainWindow) -> dict[str, tuple[bool, ...]]:
    """Return, per language, whether the toolbar and the Brief tab show it ticked."""
    return {
        code: (window.output_lang_actions[code].isChecked(),
               window.language_boxes[code].isChecked())
        for code in ("ar", "en", "bi")
    }


def _combo_langs(window: MainWindow) -> list[str]:
    combo = window.preview_lang_combo
    return [str(combo.itemData(i)) for i in range(combo.count())]


def test_toolbar_brief_tab_and_export_dialog_show_one_list(
    window: MainWindow, qtbot: Any, prompts: Any
) -> None:
    session = window.session
    session.apply("start", edits.set_languages, ("ar", "en"))
    assert _shown(window) == {"ar": (True, True), "en": (True, True), "bi": (False, False)}

    window.output_lang_actions["bi"].trigger()  # the toolbar edits the brief …
    assert session.brief.languages == ("ar", "en", "bi")
    assert window.language_boxes["bi"].isChecked()
    dialog = window.make_export_dialog()  # … and the dialog opens on the same list
    qtbot.addWidget(dialog)
    assert dialog.chosen_languages() == ["ar", "en", "bi"]

    dialog.lang_boxes["en"].setChecked(False)  # the dialog edits the brief too
    assert session.brief.languages == ("ar", "bi")
    assert _shown(window)["en"] == (False, False)
    window.language_boxes["en"].setChecked(True)  # and follows the Brief tab while open
    assert dialog.lang_boxes["en"].isChecked()
    assert session.brief.languages == ("ar", "en", "bi")

    session.undo_stack.undo()  # each change is one undoable step, shown everywhere
    assert session.brief.languages == ("ar", "bi")
    assert not dialog.lang_boxes["en"].isChecked()
    assert _shown(window)["en"] == (False, False)
    assert prompts.errors == []


def test_preview_shows_one_of_the_output_languages(window: MainWindow, qtbot: Any) -> None:
    session = window.session
    session.apply("start", edits.set_languages, ("ar", "en"))
    assert _combo_langs(window) == ["ar", "en"]
    # The English interface previews the English brief when the brief has one.
    window.set_preview_lang("en")
    assert window.preview_controller.lang == "en"

    combo = window.preview_lang_combo
    combo.setCurrentIndex(combo.findData("ar"))
    combo.activated.emit(combo.currentIndex())
    assert window.preview_controller.lang == "ar"
    assert window.preview_pane.lang_buttons["ar"].isChecked()

    window.preview_pane.lang_buttons["en"].click()  # the pane's switch moves the toolbar's
    assert window.preview_controller.lang == "en"
    assert combo.currentData() == "en"
    assert not window.preview_pane.lang_buttons["bi"].isVisibleTo(window.preview_pane)

    window.output_lang_actions["en"].trigger()  # the previewed language is no longer exported
    assert session.brief.languages == ("ar",)
    assert window.preview_controller.lang == "ar"
    assert _combo_langs(window) == ["ar"] and combo.currentData() == "ar"
    assert not window.preview_pane.lang_buttons["en"].isVisibleTo(window.preview_pane)
    assert not window.preview_lang_actions["en"].isEnabled()

    window.output_lang_actions["ar"].trigger()  # the last language stays
    assert session.brief.languages == ("ar",)
    assert window.output_lang_actions["ar"].isChecked()
