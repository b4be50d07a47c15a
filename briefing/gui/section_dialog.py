"""Add or edit a user's own section: Arabic and English fields side by side, with a preview."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefing.errors import BriefingError
from briefing.gui.chips import ChipText, ChipTextEdit
from briefing.library import Library
from briefing.model import (
    PLACEHOLDER,
    DigitStyle,
    Figure,
    LocalText,
    Section,
    check_id,
    split_paragraphs,
)
from briefing.numbers import figure_number, figure_phrase

Validator = Callable[[Section], None]


Editor = QLineEdit | QPlainTextEdit | QTextEdit


def _set_direction(widget: Editor, direction: Qt.LayoutDirection, edge: Qt.AlignmentFlag) -> None:
    """Set an editor's text direction and the edge its text starts from."""
    widget.setLayoutDirection(direction)
    alignment = edge | Qt.AlignmentFlag.AlignAbsolute
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        option = widget.document().defaultTextOption()
        option.setTextDirection(direction)
        option.setAlignment(alignment)
        widget.document().setDefaultTextOption(option)
    else:
        widget.setAlignment(alignment)


def make_right_to_left(widget: Editor) -> None:
    """Set an editor for Arabic: text starts at the right and the layout is mirrored."""
    _set_direction(widget, Qt.LayoutDirection.RightToLeft, Qt.AlignmentFlag.AlignRight)


def make_left_to_right(widget: Editor) -> None:
    """Set an editor for English, even inside the mirrored Arabic interface."""
    _set_direction(widget, Qt.LayoutDirection.LeftToRight, Qt.AlignmentFlag.AlignLeft)


def fill_figures(
    text: str, lang: str, figures: dict[str, Figure], library: Library, digits: DigitStyle
) -> str:
    """Return ``text`` with {fig:id} and {val:id} replaced as the exported brief will show them."""

    def replace(match: re.Match[str]) -> str:
        figure = figures.get(match.group(2))
        if figure is None:
            raise BriefingError(f"unknown figure {match.group(2)!r} in {match.group(0)}")
        if match.group(1) == "val":
            return figure_number(figure, lang, digits)  # type: ignore[arg-type]
        return figure_phrase(figure, library.units[figure.unit], lang, digits)  # type: ignore[arg-type]

    return PLACEHOLDER.sub(replace, text)


def section_html(
    section: Section, lang: str, figures: dict[str, Figure], library: Library, digits: DigitStyle
) -> str:
    """Return the section as HTML in ``lang``, with the direction and alignment of that language."""
    direction = "rtl" if lang == "ar" else "ltr"
    font = "Amiri" if lang == "ar" else "Noto Serif"

    def text(value: str) -> str:
        return html.escape(fill_figures(value, lang, figures, library, digits))

    # Qt's rich text takes the direction per block, so every block carries it; alignment
    # follows from the direction (an explicit align="right" would flip in a right-to-left block).
    block = f'dir="{direction}"'
    parts = [f"<body style=\"font-family: '{font}';\">"]
    parts.append(f"<h2 {block}>{text(section.title.get(lang))}</h2>")  # type: ignore[arg-type]
    for paragraph in split_paragraphs(section.body.get(lang)):  # type: ignore[arg-type]
        parts.append(f"<p {block}>{text(paragraph)}</p>")
    key_point = section.key_point.get(lang)  # type: ignore[arg-type]
    if key_point:
        parts.append(f"<p {block}><b>{text(key_point)}</b></p>")
    points = [p.get(lang) for p in section.talking_points]  # type: ignore[arg-type]
    if any(points):
        items = "".join(f"<li {block}>{text(p)}</li>" for p in points if p)
        parts.append(f"<ul {block}>{items}</ul>")
    parts.append("</body>")
    return "".join(parts)


def suggest_id(title_en: str, taken: set[str]) -> str:
    """Return an unused section id made from an English title ("my_section" when empty)."""
    base = re.sub(r"[^a-z0-9]+", "_", title_en.lower()).strip("_")
    if not base or not base[0].isalpha():
        base = f"my_{base}" if base else "my_section"
    base = base[:56].rstrip("_")
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}_{number}"
        number += 1
    return candidate


class SectionDialog(QDialog):
    """Edit the Arabic and English texts of one of the user's sections."""

    def __init__(
        self,
        library: Library,
        figures: dict[str, Figure],
        digits: DigitStyle,
        validate: Validator,
        taken_ids: set[str],
        section: Section | None = None,
        ui_lang: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.figures = figures
        self.digits = digits
        self.validate = validate
        self.taken_ids = taken_ids
        self.editing = section
        self.ui_lang = ui_lang
        self._id_touched = section is not None
        self.setWindowTitle(
            self.tr("Edit your section") if section else self.tr("Add your section")
        )
        self.resize(1100, 720)

        self.id_edit = QLineEdit(self)
        self.id_edit.setAccessibleName(self.tr("Section id"))
        make_left_to_right(self.id_edit)
        self.id_edit.setReadOnly(section is not None)
        self.id_edit.textEdited.connect(self._id_edited)
        self.id_edit.hide()  # made from the title (suggest_id): the user never types an id

        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Arabic"), self), 0, 1)
        grid.addWidget(QLabel(self.tr("English"), self), 0, 2)
        # Every field shows figures as chips; the stored text keeps the placeholders.
        self.editors: dict[tuple[str, str], ChipTextEdit] = {}
        rows = (
            ("title", self.tr("&Title"), False),
            ("body", self.tr("&Body"), True),
            ("key_point", self.tr("&Key point"), False),
            ("talking_points", self.tr("Talking &points\n(one per line)"), True),
        )
        for number, (name, label_text, multiline) in enumerate(rows, start=1):
            label = QLabel(label_text, self)
            grid.addWidget(label, number, 0, Qt.AlignmentFlag.AlignTop)
            for column, lang in ((1, "ar"), (2, "en")):
                editor = ChipTextEdit(self.chip_text, self.figure_offer, lang,
                                      single_line=not multiline, parent=self)
                editor.textChanged.connect(self._schedule_preview)
                if multiline:
                    editor.setMinimumHeight(140 if name == "body" else 80)
                language = self.tr("Arabic") if lang == "ar" else self.tr("English")
                plain_label = label_text.replace("&", "").splitlines()[0]
                editor.setAccessibleName(f"{plain_label} ({language})")
                editor.setToolTip(self.tr("Ctrl+Space inserts a figure"))
                if lang == "ar":
                    make_right_to_left(editor)
                else:
                    make_left_to_right(editor)
                if column == 1:
                    label.setBuddy(editor)
                self.editors[(name, lang)] = editor
                grid.addWidget(editor, number, column)
        self.editors[("title", "en")].storedTextChanged.connect(self._title_edited)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(2, 2)
        grid.setRowStretch(4, 1)

        self.figure_combo = QComboBox(self)
        self.figure_combo.setAccessibleName(self.tr("Insert a figure"))
        self.figure_combo.addItem(self.tr("Insert a figure at the cursor…"), "")
        for figure in figures.values():
            label = figure.label.get("ar" if ui_lang == "ar" else "en")
            self.figure_combo.addItem(label, figure.id)
        self.figure_combo.activated.connect(self._insert_figure)
        self._last_editor: ChipTextEdit = self.editors[("body", "ar")]
        for editor in self.editors.values():
            editor.installEventFilter(self)

        self.chart_list = QListWidget(self)
        self.chart_list.setAccessibleName(self.tr("Charts shown after the section"))
        self.chart_list.setMaximumHeight(110)
        chosen = set(section.charts) if section else set()
        for chart in library.charts.values():
            title_lang = "ar" if ui_lang == "ar" else "en"
            title = chart.title.get(title_lang)  # type: ignore[arg-type]
            with contextlib.suppress(BriefingError):  # the raw title still names the chart
                title = fill_figures(title, title_lang, figures, library, digits)
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, chart.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if chart.id in chosen else Qt.CheckState.Unchecked
            )
            self.chart_list.addItem(item)

        top = QFormLayout()
        top.addRow(self.tr("Figures:"), self.figure_combo)
        top.addRow(self.tr("Charts:"), self.chart_list)

        editor_box = QWidget(self)
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addLayout(top)
        editor_layout.addLayout(grid, 1)

        preview_box = QGroupBox(self.tr("Preview"), self)
        self.preview = QTextBrowser(preview_box)
        self.preview.setAccessibleName(self.tr("Section preview"))
        self.preview_lang = "ar"
        self.preview_group = QButtonGroup(self)
        switch = QHBoxLayout()
        for code, text in (("ar", self.tr("Arabic")), ("en", self.tr("English"))):
            button = QToolButton(preview_box)
            button.setText(text)
            button.setCheckable(True)
            button.setChecked(code == "ar")
            button.setAccessibleName(self.tr("Preview in {0}").format(text))
            button.toggled.connect(lambda on, c=code: on and self._set_preview_lang(c))
            self.preview_group.addButton(button)
            switch.addWidget(button)
        switch.addStretch(1)
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addLayout(switch)
        preview_layout.addWidget(self.preview, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(editor_box)
        splitter.addWidget(preview_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #842029;")
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(self.tr("Problem with the section"))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(150)
        self._preview_timer.timeout.connect(self.update_preview)

        if section is not None:
            self.id_edit.setText(section.id)
            self._set_text("title", section.title)
            self._set_text("body", section.body)
            self._set_text("key_point", section.key_point)
            for lang in ("ar", "en"):
                lines = "\n".join(p.ar if lang == "ar" else p.en for p in section.talking_points)
                self.editors[("talking_points", lang)].set_stored_text(lines)
        else:
            self.id_edit.setText(suggest_id("", taken_ids))
        self.update_preview()

    # -- fields --------------------------------------------------------------------------
    def chip_text(self, figure_id: str, kind: str, lang: str) -> ChipText:
        """Return what a figure's chip shows in a field of ``lang``: the figure's label in the
        interface language and its value as the brief in ``lang`` prints it."""
        figure = self.figures.get(figure_id)
        ui = "ar" if self.ui_lang == "ar" else "en"
        if figure is None:
            return ChipText(self.tr("Unknown figure"), "",
                            self.tr("No figure {0} in the library").format(figure_id), known=False)
        label = figure.label.get(ui)  # type: ignore[arg-type]
        try:
            if kind == "val":
                value = figure_number(figure, lang, self.digits)  # type: ignore[arg-type]
            else:
                unit = self.library.units[figure.unit]
                value = figure_phrase(figure, unit, lang, self.digits)  # type: ignore[arg-type]
        except (KeyError, BriefingError):
            value = str(figure.value)
        source = figure.source.get(ui) if figure.source else ""  # type: ignore[arg-type]
        tip = [label, self.tr("Figure: {0}").format(figure_id)]
        if source:
            tip.append(self.tr("Source: {0}").format(source))
        return ChipText(label, value.replace("\u00a0", " "), "\n".join(tip))

    def figure_offer(self) -> list[tuple[str, str]]:
        """Return the figures offered for inserting, by label in the interface language."""
        ui = "ar" if self.ui_lang == "ar" else "en"
        return [(f.id, f.label.get(ui)) for f in self.figures.values()]  # type: ignore[arg-type]

    def _set_text(self, name: str, value: LocalText) -> None:
        for lang in ("ar", "en"):
            self.editors[(name, lang)].set_stored_text(value.ar if lang == "ar" else value.en)

    def _text(self, name: str, lang: str) -> str:
        return self.editors[(name, lang)].stored_text()

    def set_field(self, name: str, lang: str, text: str) -> None:
        """Fill one field with stored text (placeholders become chips)."""
        self.editors[(name, lang)].set_stored_text(text)

    def section(self) -> Section:
        """Return the section as currently typed (not yet validated)."""
        points = []
        ar_lines = [line.strip() for line in self._text("talking_points", "ar").splitlines()]
        en_lines = [line.strip() for line in self._text("talking_points", "en").splitlines()]
        ar_lines = [line for line in ar_lines if line]
        en_lines = [line for line in en_lines if line]
        for number in range(max(len(ar_lines), len(en_lines))):
            points.append(
                LocalText(
                    ar=ar_lines[number] if number < len(ar_lines) else "",
                    en=en_lines[number] if number < len(en_lines) else "",
                )
            )
        charts = []
        for row in range(self.chart_list.count()):
            item = self.chart_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                charts.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return Section(
            id=self.id_edit.text().strip(),
            title=self._local("title"),
            body=self._local("body"),
            key_point=self._local("key_point"),
            talking_points=tuple(points),
            charts=tuple(charts),
            custom=True,
        )

    def _local(self, name: str) -> LocalText:
        return LocalText(ar=self._text(name, "ar").strip(), en=self._text(name, "en").strip())

    @Slot(str)
    def _title_edited(self, text: str) -> None:
        if not self._id_touched:
            self.id_edit.setText(suggest_id(text, self.taken_ids))

    @Slot(str)
    def _id_edited(self, _text: str) -> None:
        self._id_touched = True

    def eventFilter(self, watched: Any, event: Any) -> bool:
        """Remember which editor had the focus last, for inserting figures."""
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FocusIn and isinstance(watched, ChipTextEdit):
            self._last_editor = watched
        return super().eventFilter(watched, event)

    @Slot(int)
    def _insert_figure(self, index: int) -> None:
        figure_id = self.figure_combo.itemData(index)
        self.figure_combo.setCurrentIndex(0)
        if not figure_id:
            return
        editor = self._last_editor
        editor.insert_chip(str(figure_id))
        editor.setFocus()

    # -- preview -------------------------------------------------------------------------
    @Slot()
    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def _set_preview_lang(self, lang: str) -> None:
        self.preview_lang = lang
        self.update_preview()

    @Slot()
    def update_preview(self) -> None:
        """Show the section as it will read, in the chosen language and direction."""
        section = self.section()
        try:
            markup = section_html(
                section, self.preview_lang, self.figures, self.library, self.digits
            )
        except BriefingError as exc:
            self.preview.setPlainText(str(exc))
            return
        self.preview.setHtml(markup)
        self.preview.moveCursor(QTextCursor.MoveOperation.Start)
        direction = (Qt.LayoutDirection.RightToLeft if self.preview_lang == "ar"
                     else Qt.LayoutDirection.LeftToRight)
        option = self.preview.document().defaultTextOption()
        option.setTextDirection(direction)
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        self.preview.document().setDefaultTextOption(option)

    # -- result --------------------------------------------------------------------------
    def problem(self) -> str:
        """Return why the typed section cannot be used, or ""."""
        section = self.section()
        try:
            check_id("section", section.id)
            if self.editing is None and section.id in self.taken_ids:
                raise BriefingError(f"section id {section.id!r} is already used")
            if section.body.is_empty():
                raise BriefingError(f"section {section.id}: the body is empty")
            self.validate(section)
        except BriefingError as exc:
            return str(exc)
        return ""

    def accept(self) -> None:
        """Close only when the section is valid; otherwise say what is wrong."""
        message = self.problem()
        if message:
            self.error_label.setText(message)
            return
        super().accept()
