"""Item models over the session's brief: the section list and the figure table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from briefing import edits
from briefing.errors import BriefingError
from briefing.gui.session import Session
from briefing.library import Library, with_section_figures
from briefing.model import Brief, Figure, Section, check_figure_value, parse_decimal
from briefing.numbers import QUALIFIER_NAMES

ID_ROLE = Qt.ItemDataRole.UserRole + 1
CUSTOM_ROLE = Qt.ItemDataRole.UserRole + 2
ERROR_ROLE = Qt.ItemDataRole.UserRole + 3
SECTION_MIME = "application/x-briefing-section-ids"

ERROR_BACKGROUND = QColor("#F8D7DA")
ERROR_TEXT = QColor("#842029")
CHANGED_BACKGROUND = QColor("#FFF3CD")
UNKNOWN_TEXT = QColor("#B02A37")
LEFT_OUT_TEXT = QColor("#8A939E")

AnyIndex = QModelIndex | QPersistentModelIndex


def _is_checked(value: Any) -> bool:
    """Return True for a checked state given as an enum or as its integer."""
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return int(value) == Qt.CheckState.Checked.value


@dataclass(frozen=True)
class SectionRow:
    """One row of the section list: a section id and whether the brief includes it."""

    section_id: str
    included: bool


class SectionListModel(QAbstractListModel):
    """Every section (library and the user's own): the brief's, in order, then the rest.

    Checking a row adds the section at the end of the brief, unchecking removes it, and
    moving a checked row reorders the brief. All changes go through the session.
    """

    rejected = Signal(str)

    def __init__(self, session: Session, ui_lang: str = "en", parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ui_lang = ui_lang
        # The order rows are shown in: unticked rows keep their place in it.
        self._order: list[str] = []
        self._rows = self._compute_rows(session.brief)
        session.briefChanged.connect(self._refresh)

    # -- rows --------------------------------------------------------------------------------
    def _compute_rows(self, brief: Brief) -> list[SectionRow]:
        chosen = set(brief.sections)
        known = [s.id for s in (*self.session.library.sections, *brief.custom_sections)]
        every = set(known) | chosen
        # Rows of the previous order stay where they were; the brief's sections fill the
        # places of ticked rows in the brief's order; anything new goes at the end.
        order = [i for i in self._order if i in every]
        slots = [n for n, i in enumerate(order) if i in chosen]
        included = list(brief.sections)
        for n, section_id in zip(slots, included, strict=False):
            order[n] = section_id
        order += included[len(slots):]
        seen = set(order)
        order += [i for i in known if i not in seen]
        self._order = order
        return [SectionRow(i, i in chosen) for i in order]

    def _refresh(self) -> None:
        rows = self._compute_rows(self.session.brief)
        old_ids = [r.section_id for r in self._rows]
        new_ids = [r.section_id for r in rows]
        if new_ids == old_ids:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        if sorted(new_ids) == sorted(old_ids):
            # Same sections in a new order: a layout change keeps selections on their rows.
            self.layoutAboutToBeChanged.emit()
            new_row = {section_id: number for number, section_id in enumerate(new_ids)}
            old_indexes = self.persistentIndexList()
            new_indexes = [
                self.index(new_row[old_ids[i.row()]]) if 0 <= i.row() < len(old_ids)
                else QModelIndex()
                for i in old_indexes
            ]
            self._rows = rows
            self.changePersistentIndexList(old_indexes, new_indexes)
            self.layoutChanged.emit()
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def section_ids(self) -> list[str]:
        """Return the ids of all rows, in display order."""
        return [row.section_id for row in self._rows]

    def row_of(self, section_id: str) -> int:
        """Return the row showing ``section_id``, or -1."""
        for number, row in enumerate(self._rows):
            if row.section_id == section_id:
                return number
        return -1

    def _shown_title(self, section: Section, lang: str) -> str:
        """Return a section's title as the brief prints it: figures written out, never as
        their placeholders (an unknown figure shows as an ellipsis)."""
        title = section.title.get(lang)  # type: ignore[arg-type]
        if "{" not in title:
            return title
        from briefing.document import effective_figures
        from briefing.model import PLACEHOLDER
        from briefing.numbers import figure_number, figure_phrase

        brief, library = self.session.brief, self.session.library
        try:
            figures = effective_figures(brief, library)
        except BriefingError:
            figures = {}

        def replace(match: re.Match[str]) -> str:
            figure = figures.get(match.group(2))
            try:
                if figure is None:
                    return "…"
                if match.group(1) == "val":
                    return figure_number(figure, lang, brief.digits)  # type: ignore[arg-type]
                unit = library.units[figure.unit]
                return figure_phrase(figure, unit, lang, brief.digits)  # type: ignore[arg-type]
            except (KeyError, BriefingError):
                return "…"

        return PLACEHOLDER.sub(replace, title)

    def section(self, section_id: str) -> Section | None:
        """Return the section behind a row id (the user's own first, then the library's)."""
        return self.session.brief.custom(section_id) or self.session.library.section(section_id)

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of sections shown."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return a row's title, check state, id, tooltip or font."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        section = self.section(row.section_id)
        if role == Qt.ItemDataRole.DisplayRole:
            if section is None:
                return self.tr("{id} (not in the library)").format(id=row.section_id)
            return self._shown_title(section, "ar" if self.ui_lang == "ar" else "en")
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if row.included else Qt.CheckState.Unchecked
        if role == ID_ROLE:
            return row.section_id
        if role == CUSTOM_ROLE:
            return bool(section and section.custom)
        if role == Qt.ItemDataRole.ToolTipRole:
            if section is None:
                return self.tr("This brief names a section the library does not have.")
            other = self._shown_title(section, "en" if self.ui_lang == "ar" else "ar")
            origin = self.tr("Your section") if section.custom else self.tr("Library section")
            return f"{other}\n{origin} · {row.section_id}"
        if role == Qt.ItemDataRole.FontRole and section is not None and section.custom:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and section is None:
            return QBrush(UNKNOWN_TEXT)
        if role == Qt.ItemDataRole.ForegroundRole and not row.included:
            return QBrush(LEFT_OUT_TEXT)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = self.tr("included") if row.included else self.tr("not included")
            return f"{self.data(index)}, {state}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Return checkable, selectable, draggable for rows; droppable between rows."""
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Include or leave out a section when its check box changes."""
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        row = self._rows[index.row()]
        included = _is_checked(value)
        text = (self.tr("Include section") if included else self.tr("Leave out section"))
        # A ticked row joins the brief where it is shown, not at the end.
        position = sum(1 for r in self._rows[: index.row()] if r.included)
        try:
            self.session.apply(text, _toggle_in_place, row.section_id, included, position)
        except BriefingError as exc:
            self.rejected.emit(str(exc))
            return False
        return True

    # -- reordering --------------------------------------------------------------------------
    def move_ids(self, moved: list[str], target_row: int) -> bool:
        """Move the rows of ``moved`` before ``target_row``; the brief takes the new order."""
        order = self.section_ids()
        moved = [section_id for section_id in order if section_id in set(moved)]
        if not moved:
            return False
        before_target = sum(1 for i in order[: max(0, target_row)] if i not in set(moved))
        rest = [section_id for section_id in order if section_id not in set(moved)]
        new_order = rest[:before_target] + moved + rest[before_target:]
        included = set(self.session.brief.sections)
        new_sections = tuple(i for i in new_order if i in included)
        if new_order == order:
            return False
        self._order = new_order
        if new_sections == self.session.brief.sections:
            # Only unticked rows moved: the brief is the same, the list shows the new order.
            self._refresh()
            return True
        return self.session.apply(self.tr("Reorder sections"), edits.set_sections, new_sections)

    def move_row(self, row: int, delta: int) -> bool:
        """Move one row (ticked or not) up (delta < 0) or down by one place."""
        target = row + delta
        if not 0 <= row < len(self._rows) or not 0 <= target < len(self._rows):
            return False
        return self.move_ids([self._rows[row].section_id], target if delta < 0 else target + 1)

    def moveRows(
        self,
        source_parent: AnyIndex,
        source_row: int,
        count: int,
        destination_parent: AnyIndex,
        destination_child: int,
    ) -> bool:
        """Move rows as a list view's internal drag asks; the brief takes the new order."""
        if source_parent.isValid() or destination_parent.isValid() or count < 1:
            return False
        if not 0 <= source_row <= source_row + count - 1 < len(self._rows):
            return False
        moved = [row.section_id for row in self._rows[source_row:source_row + count]]
        return self.move_ids(moved, destination_child)

    def supportedDropActions(self) -> Qt.DropAction:
        """Return MoveAction: rows are only moved within the list."""
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        """Return MoveAction."""
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        """Return the one type the list drags: section ids."""
        return [SECTION_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        """Return the dragged rows' ids, one per line."""
        data = QMimeData()
        ids = [self._rows[i.row()].section_id for i in indexes if i.isValid()]
        data.setData(SECTION_MIME, QByteArray("\n".join(ids).encode("utf-8")))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        """Return True for section ids dropped between rows."""
        return data.hasFormat(SECTION_MIME) and action == Qt.DropAction.MoveAction

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        """Move the dropped sections to the drop position."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        ids = bytes(data.data(SECTION_MIME).data()).decode("utf-8").split("\n")
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._rows)
        self.move_ids([i for i in ids if i], row)
        # The rows were moved through the brief; the view must not remove anything itself.
        return False


FIGURE_COLUMNS = ("label", "value", "unit", "qualifier", "source", "as_of")
_TEXT_COLUMNS = {"label", "source"}


class FigureTableModel(QAbstractTableModel):
    """The library's figures as the brief sees them; editing a cell edits the brief.

    Label and source are shown and edited in ``text_lang``. A rejected edit leaves the
    brief unchanged and marks the cell red with the error until it is fixed.
    """

    rejected = Signal(str)
    accepted = Signal()

    def __init__(self, session: Session, ui_lang: str = "en", parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ui_lang = ui_lang
        self.text_lang = "ar" if ui_lang == "ar" else "en"
        self.figure_ids = list(self._library().figures)
        self.errors: dict[tuple[int, int], tuple[str, str]] = {}
        self._shown = self._effective()
        session.briefChanged.connect(self._refresh)

    def _library(self) -> Library:
        """Return the library with the figures the brief's own sections bring."""
        return with_section_figures(self.session.library, self.session.brief.custom_sections)

    def _effective(self) -> dict[str, Figure]:
        brief = self.session.brief
        return {fid: brief.override(fid) or self._library().figures[fid]
                for fid in self.figure_ids}

    def _refresh(self) -> None:
        ids = list(self._library().figures)
        if ids != self.figure_ids:
            # A section that brings figures came or went: rows are added or removed.
            self.beginResetModel()
            self.figure_ids = ids
            self.errors = {}
            self._shown = self._effective()
            self.endResetModel()
            return
        shown = self._effective()
        changed_rows = {
            row for row, fid in enumerate(self.figure_ids) if shown[fid] != self._shown.get(fid)
        }
        self._shown = shown
        # A cell's rejected text stops mattering once its figure changes another way.
        self.errors = {k: v for k, v in self.errors.items() if k[0] not in changed_rows}
        if self.figure_ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.figure_ids) - 1, len(FIGURE_COLUMNS) - 1)
            )

    def set_text_lang(self, lang: str) -> None:
        """Show and edit labels and sources in ``lang`` ("ar" or "en")."""
        self.beginResetModel()
        self.text_lang = lang
        self.errors = {k: v for k, v in self.errors.items()
                       if FIGURE_COLUMNS[k[1]] not in _TEXT_COLUMNS}
        self.endResetModel()

    def figure(self, row: int) -> Figure:
        """Return the figure shown in ``row`` (the brief's version)."""
        return self._shown[self.figure_ids[row]]

    def is_changed(self, row: int) -> bool:
        """Return True when the brief changes this figure from the library's."""
        return self.session.brief.override(self.figure_ids[row]) is not None

    def field_name(self, column: int) -> str:
        """Return the edits.set_figure_field name of a column in the current text language."""
        name = FIGURE_COLUMNS[column]
        return f"{name}_{self.text_lang}" if name in _TEXT_COLUMNS else name

    def column_of(self, name: str) -> int:
        """Return the column showing ``name`` (one of FIGURE_COLUMNS)."""
        return FIGURE_COLUMNS.index(name)

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of figures."""
        return 0 if parent.isValid() else len(self.figure_ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Return the number of columns."""
        return 0 if parent.isValid() else len(FIGURE_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Return the column titles."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        titles = {
            "label": self.tr("Label"),
            "value": self.tr("Value"),
            "unit": self.tr("Unit"),
            "qualifier": self.tr("Qualifier"),
            "source": self.tr("Source"),
            "as_of": self.tr("As of"),
        }
        return titles[FIGURE_COLUMNS[section]]

    def text(self, row: int, column: int) -> str:
        """Return the editable text of a cell (what a user would type)."""
        figure = self.figure(row)
        name = FIGURE_COLUMNS[column]
        if name == "label":
            return figure.label.get(self.text_lang, fallback=False)  # type: ignore[arg-type]
        if name == "source":
            return figure.source.get(self.text_lang, fallback=False)  # type: ignore[arg-type]
        if name == "value":
            return str(figure.value)
        if name == "unit":
            return figure.unit
        if name == "qualifier":
            return figure.qualifier
        return figure.as_of.isoformat() if figure.as_of else ""

    def display(self, row: int, column: int) -> str:
        """Return a cell as shown: grouped numbers, unit and qualifier words."""
        figure = self.figure(row)
        name = FIGURE_COLUMNS[column]
        if name == "value":
            grouped = f"{figure.value:,}" if figure.kind != "year" else str(figure.value)
            return grouped
        if name == "unit":
            return self.unit_name(figure.unit)
        if name == "qualifier":
            return self.qualifier_name(figure.qualifier)
        if name in _TEXT_COLUMNS:
            return getattr(figure, name).get(self.text_lang)
        return self.text(row, column)

    def unit_name(self, unit_id: str) -> str:
        """Return a unit's name in the interface language."""
        unit = self.session.library.units[unit_id]
        lang = "ar" if self.ui_lang == "ar" else "en"
        # Calendar years have no unit words at all; a dash says so.
        return unit.form(lang, "other") or unit.form(lang, "short") or "—"

    def qualifier_name(self, qualifier: str) -> str:
        """Return a qualifier's name in the interface language."""
        names = QUALIFIER_NAMES.get(qualifier, {"en": qualifier, "ar": qualifier})
        return names["ar" if self.ui_lang == "ar" else "en"]

    def unit_choices(self, row: int) -> list[str]:
        """Return the unit ids a figure may use: those of its library unit's dimension."""
        library = self._library()
        dimension = library.units[library.figures[self.figure_ids[row]].unit].dimension
        return [uid for uid, unit in library.units.items() if unit.dimension == dimension]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Return a cell's text, edit text, colours, alignment or tooltip."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        name = FIGURE_COLUMNS[column]
        error = self.errors.get((row, column))
        if role == Qt.ItemDataRole.DisplayRole:
            # A refused entry leaves the brief's value in the cell; the message says why.
            return self.display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            return self.text(row, column)
        if role == ERROR_ROLE:
            return error[1] if error else ""
        if role == ID_ROLE:
            return self.figure_ids[row]
        if role == Qt.ItemDataRole.BackgroundRole:
            if error:
                return QBrush(ERROR_BACKGROUND)
            if self._cell_changed(row, name):
                return QBrush(CHANGED_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and error:
            return QBrush(ERROR_TEXT)
        if role == Qt.ItemDataRole.ToolTipRole:
            if error:
                return error[1]
            return self._tooltip(row, name)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if name in _TEXT_COLUMNS and self.text_lang == "ar":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignAbsolute
                           | Qt.AlignmentFlag.AlignVCenter)
            if name == "value":
                return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
            return None
        return None

    def _cell_changed(self, row: int, name: str) -> bool:
        override = self.session.brief.override(self.figure_ids[row])
        if override is None:
            return False
        original = self._library().figures[self.figure_ids[row]]
        return getattr(override, name) != getattr(original, name)

    def _tooltip(self, row: int, name: str) -> str:
        figure = self.figure(row)
        original = self._library().figures[figure.id]
        lines = [self._figure_label(row)]
        if name == "value":
            allowed = self.allowed_range(row)
            if allowed:
                lines.append(self.tr("Allowed: {0}.").format(allowed))
        if self._cell_changed(row, name):
            library_text = {
                "value": str(original.value),
                "unit": self.unit_name(original.unit),
                "qualifier": self.qualifier_name(original.qualifier),
                "as_of": original.as_of.isoformat() if original.as_of else "",
            }.get(name)
            if library_text is None:
                library_text = getattr(original, name).get(self.text_lang)
            lines.append(self.tr("Library: {0}").format(library_text))
        return "\n".join(lines)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Return editable cells."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def allowed_range(self, row: int) -> str:
        """Return the values a figure accepts, in the interface language ("" when any)."""
        figure = self.figure(row)
        low, high = figure.minimum, figure.maximum
        if figure.kind == "share":
            low = max(low, Decimal(0)) if low is not None else Decimal(0)
            high = min(high, Decimal(100)) if high is not None else Decimal(100)
        if low is not None and high is not None:
            text = self.tr("from {0} to {1}").format(low, high)
        elif low is not None:
            text = self.tr("at least {0}").format(low)
        elif high is not None:
            text = self.tr("at most {0}").format(high)
        else:
            text = ""
        if figure.kind == "year":
            whole = self.tr("a whole year")
            text = f"{whole}, {text}" if text else whole
        return text

    def _figure_label(self, row: int) -> str:
        return self.figure(row).label.get("ar" if self.ui_lang == "ar" else "en")

    def _value_problem(self, row: int, text: str) -> tuple[str, str]:
        """Return (normalised text, message in the interface language or "")."""
        label = self._figure_label(row)
        allowed = self.allowed_range(row)
        cleaned = normalise_number(text)
        try:
            value = parse_decimal(cleaned, label)
        except BriefingError:
            message = self.tr("{0}: \u201c{1}\u201d is not a number.").format(label, text.strip())
            if allowed:
                message += " " + self.tr("Allowed: {0}.").format(allowed)
            return cleaned, message
        try:
            check_figure_value(self.figure(row), value)
        except BriefingError:
            return cleaned, self.tr("{0}: {1} is not allowed. Allowed: {2}.").format(
                label, text.strip(), allowed
            )
        return cleaned, ""

    def validate(self, row: int, column: int, text: str) -> str:
        """Return the error message ``text`` would cause in a cell, or "" when it is fine."""
        if FIGURE_COLUMNS[column] == "value":
            text, problem = self._value_problem(row, text)
            if problem:
                return problem
        try:
            edits.set_figure_field(
                self.session.brief, self.session.library, self.figure_ids[row],
                self.field_name(column), text,
            )
        except BriefingError as exc:
            return str(exc)
        return ""

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Apply a typed value to the brief; a bad one is refused, the cell keeps the brief's
        value and the message says why."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row, column = index.row(), index.column()
        text = "" if value is None else str(value)
        figure_id = self.figure_ids[row]
        if text == self.text(row, column) and (row, column) not in self.errors:
            return True
        column_name = self.headerData(column, Qt.Orientation.Horizontal)
        figure_name = self._figure_label(row)
        problem = ""
        if FIGURE_COLUMNS[column] == "value":
            text, problem = self._value_problem(row, text)
        try:
            if problem:
                raise BriefingError(problem)
            self.session.apply(
                self.tr("Change {0} of {1}").format(column_name, figure_name),
                edits.set_figure_field,
                self.session.library,
                figure_id,
                self.field_name(column),
                text,
            )
        except BriefingError as exc:
            self.errors[(row, column)] = (self.text(row, column), str(exc))
            self.dataChanged.emit(index, index)
            self.rejected.emit(str(exc))
            return False
        if self.errors.pop((row, column), None) is not None:
            self.dataChanged.emit(index, index)
        self.accepted.emit()
        return True

    def reset_rows(self, rows: list[int]) -> bool:
        """Put the figures of ``rows`` back at their library values (one undo step)."""
        ids = [self.figure_ids[r] for r in rows if self.is_changed(r) or self._row_has_error(r)]
        for key in [k for k in self.errors if k[0] in rows]:
            del self.errors[key]
        changed = self.session.apply(self.tr("Reset figures to library values"), _reset_all, ids)
        if not changed and rows:
            self.dataChanged.emit(self.index(min(rows), 0),
                                  self.index(max(rows), len(FIGURE_COLUMNS) - 1))
        return changed

    def _row_has_error(self, row: int) -> bool:
        return any(key[0] == row for key in self.errors)


_GROUPS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def normalise_number(text: str) -> str:
    """Return a typed number with its decimal comma as a point and group commas dropped.

    "4,4" and "٤٫٤" mean 4.4; "1,250" and "١٬٢٥٠" mean 1250. Arabic digits are left to
    the parser, which folds them.
    """
    folded = text.strip().translate(_ARABIC_DIGITS).replace("\u060c", ",")
    folded = folded.replace("\u066b", ".").replace("\u066c", "").replace("\u00a0", "")
    if "," in folded:
        if _GROUPS.match(folded):
            folded = folded.replace(",", "")
        elif folded.count(",") == 1 and "." not in folded:
            folded = folded.replace(",", ".")
    return folded


_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _toggle_in_place(brief: Brief, section_id: str, included: bool, position: int) -> Brief:
    """Return the brief with a section left out, or included at ``position``."""
    brief = edits.toggle_section(brief, section_id, included)
    if included:
        brief = edits.move_section(brief, section_id, position)
    return brief


def _reset_all(brief: Brief, figure_ids: list[str]) -> Brief:
    """Return the brief with each figure in ``figure_ids`` back at its library value."""
    for figure_id in figure_ids:
        brief = edits.reset_figure(brief, figure_id)
    return brief
