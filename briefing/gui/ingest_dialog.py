"""File › New section from dispatch: paste a news text, check the figures found, add it.

The dispatch is read as ``briefing ingest`` reads a file. Every quantity found is
highlighted in the pasted text and listed: the user keeps it, changes its value, unit,
qualifier or label, or drops it (a dropped quantity stays text). The English body is
not translated: it holds the same figures beside a note, for the user to write.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefing import edits
from briefing.errors import BriefingError
from briefing.ingest import Detected, Dispatch, dispatch_section, parse_dispatch, to_decimal
from briefing.library import Library
from briefing.model import Brief, Section

HIGHLIGHT = QColor("#fde68a")  # kept figures
DROPPED = QColor("#e5e7eb")  # figures the user dropped: they stay text
COLUMNS = ("keep", "text", "value", "unit", "qualifier", "label_ar")
QUALIFIERS = ("", "more_than", "at_least", "about", "up_to")


class IngestDialog(QDialog):
    """Paste a dispatch, review the figures found, and return the section they make."""

    def __init__(
        self, library: Library, brief: Brief, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.brief = brief
        self.dispatch: Dispatch | None = None
        self._title_touched = False
        self.setWindowTitle(self.tr("New section from dispatch"))
        self.resize(1000, 720)

        self.paste_box = QPlainTextEdit(self)
        self.paste_box.setAccessibleName(self.tr("Dispatch text"))
        self.paste_box.setPlaceholderText(
            "أستانا، 14 نوفمبر (أذرتاج)\n\n" + self.tr("Paste the dispatch here…")
        )
        self.paste_box.textChanged.connect(self._schedule)
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName(self.tr("Section title"))
        self.title_edit.textEdited.connect(self._title_edited)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Keep"), self.tr("In the text"), self.tr("Value"), self.tr("Unit"),
            self.tr("Qualifier"), self.tr("Label (Arabic)"),
        ])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._item_changed)
        self.note = QLabel(
            self.tr("The English text is left for you: the section's English body holds the "
                    "same figures beside a note to translate it. Nothing is translated by "
                    "machine and nothing leaves this computer."),
            self,
        )
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr("About the English text"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Add to the brief"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        paste_label = QLabel(self.tr("&Dispatch (Arabic or English, dateline first):"), self)
        paste_label.setBuddy(self.paste_box)
        layout.addWidget(paste_label)
        layout.addWidget(self.paste_box, 3)
        title_row = QHBoxLayout()
        title_label = QLabel(self.tr("&Title:"), self)
        title_label.setBuddy(self.title_edit)
        title_row.addWidget(title_label)
        title_row.addWidget(self.title_edit, 1)
        layout.addLayout(title_row)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.detect)
        self._filling = False
        self._update_ok()

    # -- reading the dispatch --------------------------------------------------------------
    @Slot()
    def _schedule(self) -> None:
        self._timer.start()

    @Slot(str)
    def _title_edited(self, _text: str) -> None:
        self._title_touched = True

    @Slot()
    def detect(self) -> None:
        """Read the pasted text again: dateline, title and the figures it holds."""
        self._timer.stop()
        text = self.paste_box.toPlainText()
        self.dispatch = None
        if text.strip():
            try:
                self.dispatch = parse_dispatch(text, section_id=self._free_id(text))
            except BriefingError as exc:
                self.status.setText(str(exc))
        else:
            self.status.setText(self.tr("Paste a dispatch to begin."))
        if self.dispatch is not None:
            found = self.dispatch
            where = ", ".join(p for p in (found.agency, found.city) if p)
            when = found.day.isoformat() if found.day else self.tr("no date found")
            self.status.setText(
                self.tr("{0} figures found; source {1}, {2}. Untick a row to keep it as text.")
                .format(len(found.figures), where or self.tr("no dateline"), when)
            )
            if not self._title_touched:
                self.title_edit.setText(found.title)
        self._fill_table()
        self._highlight()
        self._update_ok()

    def _free_id(self, text: str) -> str | None:
        probe = parse_dispatch(text)
        base, number = probe.section_id, 1
        candidate = base
        taken = {s.id for s in self.brief.custom_sections} | set(self.library.section_ids())
        while candidate in taken:
            number += 1
            candidate = f"{base}_{number}"
        return candidate

    def _fill_table(self) -> None:
        self._filling = True
        figures = self.dispatch.figures if self.dispatch else []
        self.table.setRowCount(len(figures))
        for row, figure in enumerate(figures):
            keep = QTableWidgetItem()
            keep.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            keep.setCheckState(Qt.CheckState.Checked if figure.accepted
                               else Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, keep)
            shown = QTableWidgetItem(figure.text)
            shown.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 1, shown)
            for column, text in ((2, f"{figure.value.normalize():f}"), (3, figure.unit),
                                 (4, figure.qualifier), (5, figure.label_ar)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._filling = False

    @Slot(QTableWidgetItem)
    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.dispatch is None:
            return
        figure = self.dispatch.figures[item.row()]
        name = COLUMNS[item.column()]
        problem = ""
        if name == "keep":
            figure.accepted = item.checkState() == Qt.CheckState.Checked
            self._highlight()
        elif name == "value":
            try:
                figure.value = to_decimal(item.text().strip())
            except BriefingError as exc:
                problem = str(exc)
        elif name == "unit":
            unit = item.text().strip()
            if unit not in self.library.units:
                problem = self.tr("unknown unit: {0}").format(unit)
            else:
                figure.unit = unit
        elif name == "qualifier":
            qualifier = item.text().strip()
            if qualifier not in QUALIFIERS:
                problem = self.tr("qualifier must be one of: {0}").format(
                    ", ".join(q for q in QUALIFIERS if q))
            else:
                figure.qualifier = qualifier
        elif name == "label_ar":
            figure.label_ar = item.text().strip() or figure.label_ar
        self._filling = True
        item.setBackground(QColor("#fecaca") if problem else QColor(0, 0, 0, 0))
        item.setToolTip(problem)
        self._filling = False
        self.status.setText(problem or self.status.text())
        self._update_ok()

    def _highlight(self) -> None:
        """Mark every figure found in the pasted text: kept ones yellow, dropped ones grey."""
        selections = []
        document = self.paste_box.document()
        cursor = QTextCursor(document)
        for figure in self.dispatch.figures if self.dispatch else []:
            found = document.find(figure.text, cursor)
            if found.isNull():
                continue
            cursor = found
            selection = QTextEdit.ExtraSelection()
            selection.cursor = found
            char = QTextCharFormat()
            char.setBackground(HIGHLIGHT if figure.accepted else DROPPED)
            selection.format = char
            selections.append(selection)
        self.paste_box.setExtraSelections(selections)

    def highlighted(self) -> list[str]:
        """Return the highlighted stretches of the pasted text, in order."""
        return [s.cursor.selectedText() for s in self.paste_box.extraSelections()]

    def _rows_valid(self) -> bool:
        for row in range(self.table.rowCount()):
            for column in range(2, len(COLUMNS)):
                item = self.table.item(row, column)
                if item is not None and item.toolTip():
                    return False
        return True

    def _update_ok(self) -> None:
        ok = self.dispatch is not None and bool(self.title_edit.text().strip()) \
            and self._rows_valid()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    # -- the result ------------------------------------------------------------------------
    def figures(self) -> list[Detected]:
        """Return the figures found, with the user's changes and choices."""
        return list(self.dispatch.figures) if self.dispatch else []

    def section(self) -> Section:
        """Return the section the dispatch makes with the user's choices, checked."""
        if self.dispatch is None:
            raise BriefingError(self.status.text() or "paste a dispatch first")
        dispatch = replace(self.dispatch, title=self.title_edit.text().strip())
        taken = {f.id: s.id for s in self.brief.custom_sections for f in s.figures}
        return dispatch_section(dispatch, self.library, taken)


def add_dispatch_action(window: Any, menu: QMenu, before: QAction | None = None) -> QAction:
    """Put *New section from dispatch…* in ``menu``; it adds the section to the window's brief."""
    action = QAction(window.tr("New section from &dispatch…"), window)
    action.setStatusTip(window.tr("Paste a news dispatch and make a section of its figures"))
    action.triggered.connect(lambda _checked=False: new_section_from_dispatch(window))
    if before is not None:
        menu.insertAction(before, action)
    else:
        menu.addAction(action)
    window.dispatch_action = action
    return action


def new_section_from_dispatch(window: Any) -> bool:
    """Run the dialog for ``window``; add the section it makes; return whether it did."""
    session = window.session
    dialog = IngestDialog(session.library, session.brief, parent=window)
    added = False
    if window.run_dialog(dialog):
        try:
            section = dialog.section()
        except BriefingError as exc:
            window._show_error_message(str(exc))
        else:
            added = window._apply(window.tr("New section from dispatch"),
                                  edits.add_custom_section, session.library, section)
            if added:
                window.select_section(section.id)
    window._finished_with(dialog)
    return added
