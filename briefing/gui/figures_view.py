"""The figure editor: a table with live validation of typed values and reset-to-library."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from briefing.gui.models import FIGURE_COLUMNS, FigureTableModel
from briefing.gui.section_dialog import make_left_to_right, make_right_to_left
from briefing.model import QUALIFIERS

AnyIndex = QModelIndex | QPersistentModelIndex
_BAD_EDITOR_STYLE = "QLineEdit { background: #F8D7DA; color: #842029; }"


class FigureDelegate(QStyledItemDelegate):
    """Editors per column: combos for unit and qualifier, line edits that check as you type."""

    def __init__(self, model: FigureTableModel, message: QLabel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self.message = message

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        """Return a combo box for unit and qualifier, a checking line edit otherwise."""
        name = FIGURE_COLUMNS[index.column()]
        if name == "unit":
            combo = QComboBox(parent)
            for unit_id in self.model.unit_choices(index.row()):
                combo.addItem(self.model.unit_name(unit_id), unit_id)
            combo.setAccessibleName(self.tr("Unit"))
            return combo
        if name == "qualifier":
            combo = QComboBox(parent)
            for qualifier in QUALIFIERS:
                combo.addItem(self.model.qualifier_name(qualifier), qualifier)
            combo.setAccessibleName(self.tr("Qualifier"))
            return combo
        editor = QLineEdit(parent)
        header = self.model.headerData(index.column(), Qt.Orientation.Horizontal)
        editor.setAccessibleName(str(header))
        if name in ("label", "source") and self.model.text_lang == "ar":
            make_right_to_left(editor)
        elif name in ("label", "source", "as_of", "value"):
            make_left_to_right(editor)
        if name == "as_of":
            editor.setPlaceholderText("2025-10-20")
        if name == "value":
            allowed = self.model.allowed_range(index.row())
            if allowed:
                editor.setPlaceholderText(allowed)
                editor.setToolTip(self.tr("Allowed: {0}.").format(allowed))
        row, column = index.row(), index.column()
        editor.textEdited.connect(lambda text: self._check(editor, row, column, text))
        return editor

    def _check(self, editor: QLineEdit, row: int, column: int, text: str) -> None:
        problem = self.model.validate(row, column, text)
        editor.setStyleSheet(_BAD_EDITOR_STYLE if problem else "")
        if problem:
            editor.setToolTip(problem)
        self.message.setText(problem)
        self.message.setVisible(bool(problem))

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        """Fill the editor with the cell's editable text."""
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            found = editor.findData(value)
            editor.setCurrentIndex(max(0, found))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        """Hand the typed text to the model, which accepts it or marks the cell red."""
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class FigureEditor(QWidget):
    """The figure table with a text-language switch, a message line and reset buttons."""

    def __init__(self, model: FigureTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model

        self.lang_combo = QComboBox(self)
        self.lang_combo.addItem(self.tr("Arabic"), "ar")
        self.lang_combo.addItem(self.tr("English"), "en")
        self.lang_combo.setCurrentIndex(0 if model.text_lang == "ar" else 1)
        self.lang_combo.setAccessibleName(self.tr("Language of labels and sources"))
        self.lang_combo.currentIndexChanged.connect(
            lambda _i: self.model.set_text_lang(self.lang_combo.currentData())
        )
        lang_label = QLabel(self.tr("&Labels and sources in:"), self)
        lang_label.setBuddy(self.lang_combo)

        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setAccessibleName(self.tr("Figures"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # The label takes the room left over; the short columns fit their contents.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.setColumnWidth(4, 200)
        for column in (1, 2, 3, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(26)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #842029;")
        self.message.setAccessibleName(self.tr("Figure problem"))
        self.message.hide()
        self.delegate = FigureDelegate(model, self.message, self.table)
        self.table.setItemDelegate(self.delegate)

        self.reset_button = QPushButton(self.tr("&Reset to library value"), self)
        self.reset_button.setAccessibleName(self.tr("Reset the selected figures to library values"))
        self.reset_button.setShortcut(QKeySequence("Ctrl+R"))
        self.reset_button.clicked.connect(self.reset_selected)
        self.reset_all_button = QPushButton(self.tr("Reset &all"), self)
        self.reset_all_button.setAccessibleName(self.tr("Reset every figure to its library value"))
        self.reset_all_button.clicked.connect(self.reset_all)

        top = QHBoxLayout()
        top.addWidget(lang_label)
        top.addWidget(self.lang_combo)
        top.addStretch(1)
        legend = QLabel(self.tr("Yellow: changed from the library. Red: not accepted."), self)
        legend.setStyleSheet("color: #5F6B7A;")
        top.addWidget(legend)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reset_button)
        bottom.addWidget(self.reset_all_button)
        bottom.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

        model.rejected.connect(self.show_problem)
        model.accepted.connect(self.clear_problem)
        self.table.selectionModel().currentChanged.connect(self._current_changed)

    @Slot(str)
    def show_problem(self, message: str) -> None:
        """Show why a value was not accepted."""
        self.message.setText(message)
        self.message.show()

    @Slot()
    def clear_problem(self) -> None:
        """Hide the problem line."""
        self.message.hide()
        self.message.clear()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        problem = current.data(Qt.ItemDataRole.UserRole + 3) if current.isValid() else ""
        if problem:
            self.show_problem(problem)
        else:
            self.clear_problem()

    def selected_rows(self) -> list[int]:
        """Return the rows selected in the table."""
        rows = {index.row() for index in self.table.selectionModel().selectedIndexes()}
        current = self.table.currentIndex()
        if not rows and current.isValid():
            rows.add(current.row())
        return sorted(rows)

    @Slot()
    def reset_selected(self) -> None:
        """Reset the selected figures to their library values."""
        self.model.reset_rows(self.selected_rows())
        self.clear_problem()

    @Slot()
    def reset_all(self) -> None:
        """Reset every figure to its library value."""
        self.model.reset_rows(list(range(self.model.rowCount())))
        self.clear_problem()
