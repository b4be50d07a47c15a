"""The main window: sections, figures and brief details on the left, live pages on the right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QKeyCombination,
    QLocale,
    QModelIndex,
    QObject,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefing import edits
from briefing.document import effective_figures
from briefing.errors import BriefingError
from briefing.gui.autosave import Autosaver
from briefing.gui.figures_view import FigureEditor
from briefing.gui.i18n import isolate_ltr
from briefing.gui.ingest_dialog import add_dispatch_action
from briefing.gui.models import CUSTOM_ROLE, ID_ROLE, FigureTableModel, SectionListModel
from briefing.gui.preview import (
    DEBOUNCE_MS,
    PreviewController,
    PreviewPane,
    initial_preview_lang,
)
from briefing.gui.prompts import Prompts
from briefing.gui.section_dialog import SectionDialog, make_left_to_right, make_right_to_left
from briefing.gui.session import Session
from briefing.gui.settings import AppSettings
from briefing.model import LocalText, Section


class UndoKeysToWindow(QObject):
    """Lets Ctrl+Z and Ctrl+Shift+Z in a line edit reach the window's undo stack.

    A QLineEdit keeps its own undo history and claims the undo keys; in the brief's fields
    that history would bypass the brief's undo stack, so the keys are passed on.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Refuse the line edit's claim on the undo and redo keys."""
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        redo_keys = QKeyCombination(
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_Z
        )
        if (event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or event.keyCombination() == redo_keys):
            event.ignore()
            return True
        return False


class MainWindow(QMainWindow):
    """Assemble a brief: choose and order sections, adjust figures, fill in the cover, export."""

    languageChangeRequested = Signal(str)

    def __init__(
        self,
        session: Session,
        settings: AppSettings,
        autosaver: Autosaver | None = None,
        prompts: Prompts | None = None,
        ui_lang: str = "en",
        preview_debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__()
        self.session = session
        self.settings = settings
        self.autosaver = autosaver
        self.prompts = prompts or Prompts(self)
        self.ui_lang = ui_lang
        self._closing_for_rebuild = False
        # Tests that do not look at pages turn this off to spare the renderer.
        self.preview_on_show = True
        self.setObjectName("MainWindow")
        self.undo_keys = UndoKeysToWindow(self)
        self.setMinimumSize(720, 480)
        self.resize(1360, 860)

        # The preview opens in the interface language when the brief is written in it.
        languages = session.brief.languages
        preview_lang = initial_preview_lang(languages, ui_lang)
        self.preview_controller = PreviewController(
            session, preview_lang, debounce_ms=preview_debounce_ms, parent=self
        )
        # The first preview is asked for once the window is on screen (see showEvent).
        self.preview_controller.enabled = False

        self.section_model = SectionListModel(session, ui_lang, self)
        self.figure_model = FigureTableModel(session, ui_lang, self)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_central()
        self.statusBar().setAccessibleName(self.tr("Status"))

        session.briefChanged.connect(self._sync_widgets)
        session.pathChanged.connect(self._update_title)
        session.modifiedChanged.connect(self._update_title)
        self.section_model.rejected.connect(self._show_error_message)
        if autosaver is not None:
            autosaver.saved.connect(self._on_autosaved)
            autosaver.failed.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self._sync_widgets()
        self._update_title()
        self._restore_geometry()

    # -- actions and menus ---------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[..., Any],
        shortcut: QKeySequence | str | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.new_action = self._action(self.tr("&New"), self.new_brief, key.New,
                                       self.tr("Start a new brief"))
        self.open_action = self._action(self.tr("&Open…"), self.open_brief, key.Open,
                                        self.tr("Open a .brief file"))
        self.save_action = self._action(self.tr("&Save"), self.save_brief, key.Save,
                                        self.tr("Save the brief"))
        self.save_as_action = self._action(
            self.tr("Save &As…"), self.save_brief_as, "Ctrl+Shift+S",
            self.tr("Save the brief under a new name"),
        )
        self.export_action = self._action(self.tr("&Export…"), self.open_export_dialog, "Ctrl+E",
                                          self.tr("Export PDF and Word files"))
        self.quit_action = self._action(self.tr("&Quit"), self.close, key.Quit)
        self.undo_action = self.session.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence(key.Undo))
        self.redo_action = self.session.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.add_section_action = self._action(
            self.tr("&Add your section…"), self.add_section, "Ctrl+Shift+N",
            self.tr("Write a section of your own"),
        )
        self.edit_section_action = self._action(self.tr("&Edit your section…"),
                                                self.edit_section, "Ctrl+Shift+E")
        self.remove_section_action = self._action(self.tr("Re&move your section"),
                                                  self.remove_section, "Ctrl+Shift+Delete")
        self.move_up_action = self._action(self.tr("Move section &up"),
                                           lambda: self.move_current_section(-1), "Alt+Up")
        self.move_down_action = self._action(self.tr("Move section &down"),
                                             lambda: self.move_current_section(1), "Alt+Down")
        self.refresh_preview_action = self._action(
            self.tr("&Refresh preview"), self.preview_controller.refresh_now, "F5"
        )
        self.preview_lang_actions = {}
        for number, (code, text) in enumerate(
            (("ar", self.tr("Preview &Arabic")), ("en", self.tr("Preview &English")),
             ("bi", self.tr("Preview &bilingual"))), start=1,
        ):
            self.preview_lang_actions[code] = self._action(
                text, lambda _checked=False, c=code: self.set_preview_lang(c), f"Ctrl+{number}"
            )
        self.template_action = self._action(self.tr("&Customise template…"),
                                            self.open_template_dialog, "Ctrl+T")
        self.settings_action = self._action(self.tr("&Settings…"), self.open_settings,
                                            key.Preferences)
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.about_action = self._action(self.tr("&About Briefing"), self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addSeparator()
        add_dispatch_action(self, file_menu)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.add_section_action)
        edit_menu.addAction(self.edit_section_action)
        edit_menu.addAction(self.remove_section_action)
        edit_menu.addAction(self.move_up_action)
        edit_menu.addAction(self.move_down_action)
        view_menu = bar.addMenu(self.tr("&View"))
        for action in self.preview_lang_actions.values():
            view_menu.addAction(action)
        view_menu.addAction(self.refresh_preview_action)
        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.template_action)
        tools_menu.addAction(self.settings_action)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("MainToolbar")
        toolbar.setMovable(False)
        # Qt's standard icons with the words beside them: recognisable and still explicit.
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # The stack's own undo/redo actions name the step ("Undo Change value of …"); on the
        # toolbar short labels keep the buttons still, and the tooltip names the step.
        self.undo_tool_action = QAction(self.tr("Undo"), self)
        self.undo_tool_action.triggered.connect(self.session.undo_stack.undo)
        self.redo_tool_action = QAction(self.tr("Redo"), self)
        self.redo_tool_action.triggered.connect(self.session.undo_stack.redo)
        stack = self.session.undo_stack
        stack.canUndoChanged.connect(self.undo_tool_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_tool_action.setEnabled)
        stack.undoTextChanged.connect(self.undo_tool_action.setToolTip)
        stack.redoTextChanged.connect(self.redo_tool_action.setToolTip)
        self.undo_tool_action.setEnabled(stack.canUndo())
        self.redo_tool_action.setEnabled(stack.canRedo())
        pixmaps = QStyle.StandardPixmap
        for action, pixmap in (
            (self.new_action, pixmaps.SP_FileIcon),
            (self.open_action, pixmaps.SP_DialogOpenButton),
            (self.save_action, pixmaps.SP_DialogSaveButton),
            # The style mirrors back/forward for a right-to-left interface itself.
            (self.undo_tool_action, pixmaps.SP_ArrowBack),
            (self.redo_tool_action, pixmaps.SP_ArrowForward),
            (self.export_action, pixmaps.SP_DriveFDIcon),
        ):
            action.setIcon(self.style().standardIcon(pixmap))
        for action in (self.new_action, self.open_action, self.save_action, None,
                       self.undo_tool_action, self.redo_tool_action, None, self.export_action):
            if action is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(action)
        # The brief's output languages, the one list the Brief tab and the Export dialog
        # also show, and which of them the preview shows.
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(self.tr("Languages:") + " ", toolbar))
        self.output_lang_actions: dict[str, QAction] = {}
        for code, text in self._language_names():
            action = QAction(text, self)
            action.setCheckable(True)
            action.setToolTip(self.tr("Export and preview the brief in {0}").format(text))
            action.setIcon(self._language_icon(code))
            action.toggled.connect(self._output_lang_action_toggled)
            self.output_lang_actions[code] = action
            toolbar.addAction(action)
        toolbar.addSeparator()
        preview_label = QLabel(self.tr("Pre&view:") + " ", toolbar)
        self.preview_lang_combo = QComboBox(toolbar)
        self.preview_lang_combo.setAccessibleName(self.tr("Language of the preview"))
        self.preview_lang_combo.setToolTip(
            self.tr("Which of the brief's languages the preview shows")
        )
        self.preview_lang_combo.activated.connect(
            lambda i: self.set_preview_lang(str(self.preview_lang_combo.itemData(i)))
        )
        preview_label.setBuddy(self.preview_lang_combo)
        toolbar.addWidget(preview_label)
        toolbar.addWidget(self.preview_lang_combo)

    def _language_icon(self, code: str) -> QIcon:
        """Return a small icon with the script's own letter: ع, A, or both."""
        from PySide6.QtGui import QColor, QFont, QPainter, QPixmap

        letters = {"ar": "ع", "en": "A", "bi": "عA"}[code]
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_ToolBarIconSize) or 24
        pixmap = QPixmap(size * 2, size * 2)  # drawn large, shown sharp on dense screens
        pixmap.setDevicePixelRatio(2.0)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor("#1F4E79"))
        painter.setBrush(QColor("#DCE6F0"))
        painter.drawRoundedRect(1, 1, size - 2, size - 2, 4, 4)
        font = QFont(self.font())
        font.setPixelSize(int(size * (0.5 if code == "bi" else 0.62)))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(pixmap.rect().adjusted(0, 0, -size, -size),
                         Qt.AlignmentFlag.AlignCenter, letters)
        painter.end()
        return QIcon(pixmap)

    def _language_names(self) -> list[tuple[str, str]]:
        return [("ar", self.tr("Arabic")), ("en", self.tr("English")),
                ("bi", self.tr("Bilingual"))]

    @Slot()
    def _output_lang_action_toggled(self) -> None:
        chosen = tuple(code for code, action in self.output_lang_actions.items()
                       if action.isChecked())
        self._apply(self.tr("Change languages"), edits.set_languages, chosen)

    def _sync_output_languages(self) -> None:
        """Show the brief's output languages in the toolbar and keep the preview among them."""
        languages = self.session.brief.languages
        for code, action in self.output_lang_actions.items():
            with QSignalBlocker(action):
                action.setChecked(code in languages)
        if languages and self.preview_controller.lang not in languages:
            lang = self.ui_lang if self.ui_lang in languages else languages[0]
            self.set_preview_lang(lang)
        shown = [(code, text) for code, text in self._language_names() if code in languages]
        with QSignalBlocker(self.preview_lang_combo):
            self.preview_lang_combo.clear()
            for code, text in shown:
                self.preview_lang_combo.addItem(text, code)
            self.preview_lang_combo.setCurrentIndex(
                self.preview_lang_combo.findData(self.preview_controller.lang)
            )
        self.preview_lang_combo.setEnabled(bool(shown))
        for code, action in self.preview_lang_actions.items():
            action.setEnabled(code in languages)
        self.preview_pane.show_languages(languages)

    # -- central widgets -----------------------------------------------------------------
    def _build_central(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Brief editor"))
        self.tabs.addTab(self._build_sections_tab(), self.tr("&Sections"))
        self.figure_editor = FigureEditor(self.figure_model, self)
        self.tabs.addTab(self.figure_editor, self.tr("&Figures"))
        self.tabs.addTab(self._build_details_tab(), self.tr("&Brief"))

        self.preview_pane = PreviewPane(self.preview_controller, self)
        self.preview_pane.langChanged.connect(self._preview_lang_changed)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.preview_pane)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setSizes([760, 600])
        self.setCentralWidget(self.splitter)

    def _build_sections_tab(self) -> QWidget:
        page = QWidget(self)
        hint = QLabel(
            self.tr("Tick the sections to include; drag them (or Alt+Up/Down) to change the "
                    "order. Your own sections are in italics."),
            page,
        )
        hint.setWordWrap(True)
        self.section_view = QListView(page)
        self.section_view.setModel(self.section_model)
        self.section_view.setAccessibleName(self.tr("Sections of the brief"))
        self.section_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.section_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.section_view.setDragEnabled(True)
        self.section_view.setAcceptDrops(True)
        self.section_view.setDropIndicatorShown(True)
        self.section_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.section_view.setSpacing(2)
        self.section_view.doubleClicked.connect(self._section_double_clicked)
        self.section_view.selectionModel().currentChanged.connect(self._update_section_buttons)
        self.section_model.modelReset.connect(self._restore_section_selection)
        self.section_model.modelAboutToBeReset.connect(self._remember_section_selection)
        self._selected_section_id = ""

        buttons = QVBoxLayout()
        self.add_section_button = QPushButton(self.tr("Add…"), page)
        self.add_section_button.setAccessibleName(self.tr("Add your own section"))
        self.add_section_button.clicked.connect(self.add_section)
        self.edit_section_button = QPushButton(self.tr("Edit…"), page)
        self.edit_section_button.setAccessibleName(self.tr("Edit your section"))
        self.edit_section_button.clicked.connect(self.edit_section)
        self.remove_section_button = QPushButton(self.tr("Remove"), page)
        self.remove_section_button.setAccessibleName(self.tr("Remove your section"))
        self.remove_section_button.clicked.connect(self.remove_section)
        self.up_button = QPushButton(self.tr("Up"), page)
        self.up_button.setAccessibleName(self.tr("Move section up"))
        self.up_button.clicked.connect(lambda: self.move_current_section(-1))
        self.down_button = QPushButton(self.tr("Down"), page)
        self.down_button.setAccessibleName(self.tr("Move section down"))
        self.down_button.clicked.connect(lambda: self.move_current_section(1))
        for button in (self.add_section_button, self.edit_section_button,
                       self.remove_section_button, None, self.up_button, self.down_button):
            if button is None:
                buttons.addSpacing(16)
            else:
                buttons.addWidget(button)
        buttons.addStretch(1)

        row = QHBoxLayout()
        row.addWidget(self.section_view, 1)
        row.addLayout(buttons)
        self.section_count = QLabel(page)
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addLayout(row, 1)
        layout.addWidget(self.section_count)
        self._update_section_buttons()
        return page

    def _local_pair(
        self, form: QFormLayout, field_name: str, label_ar: str, label_en: str
    ) -> dict[str, QLineEdit]:
        editors = {}
        for lang, label in (("ar", label_ar), ("en", label_en)):
            editor = QLineEdit(self)
            editor.setAccessibleName(label.replace("&", "").rstrip(":"))
            if lang == "ar":
                make_right_to_left(editor)
            else:
                make_left_to_right(editor)
            editor.textEdited.connect(
                lambda text, f=field_name, c=lang: self._meta_text_edited(f, c, text)
            )
            editor.installEventFilter(self.undo_keys)
            placeholder = self._default_text(field_name, lang)
            if placeholder:
                editor.setPlaceholderText(placeholder)
            form.addRow(label, editor)
            editors[lang] = editor
        return editors

    @staticmethod
    def _default_text(field_name: str, lang: str) -> str:
        """Return what the brief prints when a cover field is left empty."""
        from briefing.document import DEFAULT_SUBTITLE, DEFAULT_TITLE

        defaults = {"title": DEFAULT_TITLE, "subtitle": DEFAULT_SUBTITLE}
        value = defaults.get(field_name)
        return "" if value is None else (value.ar if lang == "ar" else value.en)

    def _build_details_tab(self) -> QWidget:
        inner = QWidget(self)
        cover = QGroupBox(self.tr("Cover"), inner)
        form = QFormLayout(cover)
        self.meta_editors: dict[str, dict[str, QLineEdit]] = {}
        self.meta_editors["title"] = self._local_pair(
            form, "title", self.tr("&Title (Arabic):"), self.tr("Title (English):"))
        self.meta_editors["subtitle"] = self._local_pair(
            form, "subtitle", self.tr("Subtitle (Arabic):"), self.tr("Subtitle (English):"))
        self.meta_editors["recipient"] = self._local_pair(
            form, "recipient", self.tr("&To (Arabic):"), self.tr("To (English):"))
        self.meta_editors["drafter"] = self._local_pair(
            form, "drafter", self.tr("&From (Arabic):"), self.tr("From (English):"))

        self.date_check = QCheckBox(self.tr("Dated"), inner)
        self.date_check.setAccessibleName(self.tr("The brief carries a date"))
        self.date_check.toggled.connect(self._date_toggled)
        self.date_edit = QDateEdit(inner)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setAccessibleName(self.tr("Date of the brief"))
        self.date_edit.dateChanged.connect(self._date_changed)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_check)
        date_row.addWidget(self.date_edit, 1)
        date_label = QLabel(self.tr("&Date:"), inner)
        date_label.setBuddy(self.date_check)
        form.addRow(date_label, date_row)

        self.reference_edit = QLineEdit(inner)
        self.reference_edit.setAccessibleName(self.tr("Reference"))
        make_left_to_right(self.reference_edit)
        self.reference_edit.installEventFilter(self.undo_keys)
        self.reference_edit.textEdited.connect(
            lambda text: self._apply(self.tr("Edit reference"), edits.set_meta, reference=text,
                                     merge_key="meta.reference")
        )
        form.addRow(self.tr("&Reference:"), self.reference_edit)

        marking = QGroupBox(self.tr("Security marking"), inner)
        marking_form = QFormLayout(marking)
        self.marking_check = QCheckBox(self.tr("Use the template's marking"), inner)
        self.marking_check.setAccessibleName(self.tr("Use the template's marking"))
        self.marking_check.toggled.connect(self._marking_toggled)
        marking_form.addRow(self.marking_check)
        self.meta_editors["marking"] = self._local_pair(
            marking_form, "marking", self.tr("&Marking (Arabic):"), self.tr("Marking (English):"))

        output = QGroupBox(self.tr("Output"), inner)
        output_form = QFormLayout(output)
        self.template_combo = QComboBox(inner)
        self.template_combo.setAccessibleName(self.tr("Template"))
        self.template_combo.activated.connect(self._template_chosen)
        customise = QPushButton(self.tr("Customise…"), inner)
        customise.setAccessibleName(self.tr("Customise the template"))
        customise.clicked.connect(self.open_template_dialog)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_combo, 1)
        template_row.addWidget(customise)
        template_label = QLabel(self.tr("Tem&plate:"), inner)
        template_label.setBuddy(self.template_combo)
        output_form.addRow(template_label, template_row)
        self.language_boxes: dict[str, QCheckBox] = {}
        langs = QHBoxLayout()
        for code, text in (("ar", self.tr("Arabic")), ("en", self.tr("English")),
                           ("bi", self.tr("Bilingual"))):
            box = QCheckBox(text, inner)
            box.setAccessibleName(self.tr("Export in {0}").format(text))
            box.toggled.connect(lambda _on, c=code: self._languages_toggled(c))
            self.language_boxes[code] = box
            langs.addWidget(box)
        langs.addStretch(1)
        output_form.addRow(self.tr("Languages:"), langs)
        self.digits_combo = QComboBox(inner)
        self.digits_combo.setAccessibleName(self.tr("Digits in Arabic text"))
        self.digits_combo.addItem(self.tr("Western (0123)"), "latin")
        self.digits_combo.addItem(self.tr("Arabic-Indic (٠١٢٣)"), "arabic")
        self.digits_combo.activated.connect(
            lambda _i: self._apply(self.tr("Change digits"), edits.set_digits,
                                   self.digits_combo.currentData())
        )
        output_form.addRow(self.tr("Di&gits in Arabic:"), self.digits_combo)
        self._fill_templates()

        layout = QVBoxLayout(inner)
        layout.addWidget(cover)
        layout.addWidget(marking)
        layout.addWidget(output)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _fill_templates(self) -> None:
        from briefing.templates import list_templates

        with QSignalBlocker(self.template_combo):
            self.template_combo.clear()
            for entry in list_templates():
                name = entry.get("name_ar") if self.ui_lang == "ar" and entry.get("name_ar") else (
                    entry["name"])
                if entry.get("origin") == "user":
                    name = self.tr("{0} (yours)").format(name)
                self.template_combo.addItem(name, entry["id"])
        self._sync_template_combo()

    def _sync_template_combo(self) -> None:
        wanted = self.session.brief.template
        with QSignalBlocker(self.template_combo):
            index = self.template_combo.findData(wanted)
            if index < 0:
                self.template_combo.addItem(self.tr("{0} (not found)").format(wanted), wanted)
                index = self.template_combo.count() - 1
            self.template_combo.setCurrentIndex(index)

    # -- editing helpers -----------------------------------------------------------------
    def _apply(self, text: str, change: Callable[..., Any], *args: Any, **kw: Any) -> bool:
        """Apply an edit through the session; show its error and resync widgets on failure."""
        try:
            return self.session.apply(text, change, *args, **kw)
        except BriefingError as exc:
            self._show_error_message(str(exc))
            self._sync_widgets()
            return False

    @Slot(str)
    def _show_error_message(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        self.prompts.error(self.tr("Not accepted"), message)

    def _meta_text_edited(self, field_name: str, lang: str, text: str) -> None:
        names = {"title": self.tr("title"), "subtitle": self.tr("subtitle"),
                 "recipient": self.tr("recipient"), "drafter": self.tr("drafter"),
                 "marking": self.tr("marking")}
        self._apply(self.tr("Edit {0}").format(names[field_name]), edits.set_meta_text,
                    field_name, lang, text, merge_key=f"meta.{field_name}.{lang}")

    @Slot(bool)
    def _date_toggled(self, on: bool) -> None:
        value = self.date_edit.date().toPython() if on else None
        self._apply(self.tr("Change date"), edits.set_meta, date=value)

    @Slot(QDate)
    def _date_changed(self, value: QDate) -> None:
        if self.date_check.isChecked():
            self._apply(self.tr("Change date"), edits.set_meta, date=value.toPython(),
                        merge_key="meta.date")

    @Slot(bool)
    def _marking_toggled(self, use_template: bool) -> None:
        if use_template:
            self._apply(self.tr("Use the template's marking"), edits.set_meta, marking=None)
            return
        # Start the brief's own marking from the template's words, ready to change.
        marking = LocalText()
        try:
            from briefing.templates import load_template

            marking = load_template(self.session.brief.template).marking
        except BriefingError:
            pass
        self._apply(self.tr("Set the brief's own marking"), edits.set_meta,
                    marking=LocalText(ar=marking.ar, en=marking.en))

    @Slot(int)
    def _template_chosen(self, index: int) -> None:
        template_id = self.template_combo.itemData(index)
        if template_id:
            self._apply(self.tr("Change template"), edits.set_template, template_id)

    def _languages_toggled(self, _code: str) -> None:
        chosen = tuple(code for code, box in self.language_boxes.items() if box.isChecked())
        self._apply(self.tr("Change languages"), edits.set_languages, chosen)

    # -- sections ------------------------------------------------------------------------
    def current_section_id(self) -> str:
        """Return the id of the section selected in the list, or ""."""
        index = self.section_view.currentIndex()
        return str(index.data(ID_ROLE)) if index.isValid() else ""

    def select_section(self, section_id: str) -> None:
        """Select a section in the list by id."""
        row = self.section_model.row_of(section_id)
        if row >= 0:
            self.section_view.setCurrentIndex(self.section_model.index(row))

    @Slot()
    def _remember_section_selection(self) -> None:
        self._selected_section_id = self.current_section_id()

    @Slot()
    def _restore_section_selection(self) -> None:
        if self._selected_section_id:
            self.select_section(self._selected_section_id)
        self._update_section_buttons()

    def _update_section_buttons(self, *_args: Any) -> None:
        index = self.section_view.currentIndex()
        custom = bool(index.isValid() and index.data(CUSTOM_ROLE))
        for widget in (self.edit_section_button, self.remove_section_button):
            widget.setEnabled(custom)
        self.edit_section_action.setEnabled(custom)
        self.remove_section_action.setEnabled(custom)
        # Ticked or not, every row can be moved.
        row = index.row() if index.isValid() else -1
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.section_model.rowCount() - 1)

    def move_current_section(self, delta: int) -> None:
        """Move the selected section up or down in the brief."""
        section_id = self.current_section_id()
        if section_id:
            self.section_model.move_row(self.section_model.row_of(section_id), delta)
            self.select_section(section_id)

    @Slot(QModelIndex)
    def _section_double_clicked(self, index: QModelIndex) -> None:
        if index.data(CUSTOM_ROLE):
            self.edit_section()

    def _section_dialog(self, section: Section | None) -> SectionDialog:
        brief = self.session.brief
        library = self.session.library
        taken = set(library.section_ids()) | {s.id for s in brief.custom_sections}

        def validate(candidate: Section) -> None:
            if section is None:
                edits.add_custom_section(brief, library, candidate)
            else:
                edits.update_custom_section(brief, library, candidate)

        return SectionDialog(
            library, effective_figures(brief, library), brief.digits, validate, taken,
            section=section, ui_lang=self.ui_lang, parent=self,
        )

    def run_dialog(self, dialog: Any) -> int:
        """Run a modal dialog; tests replace this to drive dialogs without blocking."""
        return int(dialog.exec())

    def _finished_with(self, dialog: Any) -> None:
        """Free a dialog once its values have been read."""
        dialog.deleteLater()

    @Slot()
    def add_section(self) -> None:
        """Write a new section of one's own and add it to the brief."""
        dialog = self._section_dialog(None)
        if self.run_dialog(dialog):
            section = dialog.section()
            if self._apply(self.tr("Add your section"), edits.add_custom_section,
                           self.session.library, section):
                self.select_section(section.id)
        self._finished_with(dialog)

    @Slot()
    def edit_section(self) -> None:
        """Edit the selected section of one's own."""
        section = self.session.brief.custom(self.current_section_id())
        if section is None:
            return
        dialog = self._section_dialog(section)
        if self.run_dialog(dialog):
            self._apply(self.tr("Edit your section"), edits.update_custom_section,
                        self.session.library, dialog.section())
            self.select_section(section.id)
        self._finished_with(dialog)

    @Slot()
    def remove_section(self) -> None:
        """Remove the selected section of one's own from the brief (undo brings it back)."""
        section_id = self.current_section_id()
        if self.session.brief.custom(section_id) is None:
            return
        self._apply(self.tr("Remove your section"), edits.remove_custom_section, section_id)

    # -- keeping widgets in step with the brief ------------------------------------------
    @Slot()
    def _sync_widgets(self) -> None:
        """Show the brief's current values in every widget (after edits, undo, open)."""
        brief = self.session.brief
        meta = brief.meta
        for field_name, editors in self.meta_editors.items():
            value = getattr(meta, field_name)
            for lang, editor in editors.items():
                text = "" if value is None else (value.ar if lang == "ar" else value.en)
                if editor.text() != text:
                    with QSignalBlocker(editor):
                        editor.setText(text)
        use_template = meta.marking is None
        with QSignalBlocker(self.marking_check):
            self.marking_check.setChecked(use_template)
        for editor in self.meta_editors["marking"].values():
            editor.setEnabled(not use_template)
        if use_template:
            self._show_template_marking()
        if self.reference_edit.text() != meta.reference:
            with QSignalBlocker(self.reference_edit):
                self.reference_edit.setText(meta.reference)
        with QSignalBlocker(self.date_check), QSignalBlocker(self.date_edit):
            self.date_check.setChecked(meta.date is not None)
            self.date_edit.setEnabled(meta.date is not None)
            self.date_edit.setDate(QDate(meta.date or date.today()))
        for code, box in self.language_boxes.items():
            with QSignalBlocker(box):
                box.setChecked(code in brief.languages)
        self._sync_output_languages()
        with QSignalBlocker(self.digits_combo):
            self.digits_combo.setCurrentIndex(max(0, self.digits_combo.findData(brief.digits)))
        self._sync_template_combo()
        locale = QLocale()  # counts in the interface's digits, like Qt's own widgets
        self.section_count.setText(
            self.tr("{0} of {1} sections included").format(
                locale.toString(len(brief.sections)), locale.toString(self.section_model.rowCount())
            )
        )
        self._update_section_buttons()

    def _show_template_marking(self) -> None:
        """Show the template's marking, greyed, while the brief uses it."""
        try:
            from briefing.templates import load_template

            marking = load_template(self.session.brief.template).marking
        except BriefingError:
            marking = LocalText()
        for lang, editor in self.meta_editors["marking"].items():
            with QSignalBlocker(editor):
                editor.setText(marking.ar if lang == "ar" else marking.en)

    @Slot()
    def _update_title(self, *_args: Any) -> None:
        name = self.session.display_name() or self.tr("New brief")
        self.setWindowTitle(f"{name}[*] — Briefing")
        self.setWindowModified(self.session.is_modified())

    # -- preview -------------------------------------------------------------------------
    def set_preview_lang(self, code: str) -> None:
        """Show the pages of the brief in ``code`` (ar, en or bi)."""
        self.preview_pane.set_lang(code)
        self.preview_controller.set_lang(code)
        combo = getattr(self, "preview_lang_combo", None)
        if combo is not None and combo.findData(code) >= 0:
            with QSignalBlocker(combo):
                combo.setCurrentIndex(combo.findData(code))

    @Slot(str)
    def _preview_lang_changed(self, code: str) -> None:
        with QSignalBlocker(self.preview_lang_combo):
            self.preview_lang_combo.setCurrentIndex(self.preview_lang_combo.findData(code))
        self.statusBar().showMessage(self.tr("Preview language changed"), 2000)

    def showEvent(self, event: Any) -> None:
        """Build the first preview only once the window is visible (fast start-up)."""
        super().showEvent(event)
        if self.preview_on_show and not self.preview_controller.enabled:
            self.preview_controller.enabled = True
            QTimer.singleShot(0, self.preview_controller.refresh_now)

    # -- files ---------------------------------------------------------------------------
    def confirm_discard(self) -> bool:
        """Return True when it is fine to replace the brief (saved, or changes dropped)."""
        if not self.session.is_modified():
            return True
        answer = self.prompts.ask_save_changes(self.session.display_name())
        if answer == "save":
            return self.save_brief()
        return answer == "discard"

    @Slot()
    def new_brief(self) -> None:
        """Start a new brief (after asking about unsaved changes)."""
        if self.confirm_discard():
            self.session.reset(self.session.new_brief(), None)
            if self.autosaver is not None:
                self.autosaver.discard()

    @Slot()
    def open_brief(self, path: Path | None = None) -> bool:
        """Open a .brief file (asking which when ``path`` is None)."""
        if not self.confirm_discard():
            return False
        if path is None or isinstance(path, bool):
            path = self.prompts.open_file(self.settings.last_folder())
            if path is None:
                return False
        try:
            self.session.open(Path(path))
        except BriefingError as exc:
            self.prompts.error(self.tr("Cannot open the brief"), str(exc))
            return False
        self._remember_file(Path(path))
        if self.autosaver is not None:
            self.autosaver.discard()
        self.statusBar().showMessage(self.tr("Opened {0}").format(isolate_ltr(path)), 4000)
        return True

    @Slot()
    def save_brief(self) -> bool:
        """Save to the brief's file (asking for one the first time)."""
        if self.session.path is None:
            return self.save_brief_as()
        return self._save_to(self.session.path)

    @Slot()
    def save_brief_as(self) -> bool:
        """Save under a new file name."""
        suggested = str(self.session.path or Path(self.settings.last_folder()) / "brief.brief")
        path = self.prompts.save_file(suggested)
        if path is None:
            return False
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        try:
            self.session.save(path)
        except BriefingError as exc:
            self.prompts.error(self.tr("Cannot save the brief"), str(exc))
            return False
        self._remember_file(path)
        if self.autosaver is not None:
            self.autosaver.discard()
        self.statusBar().showMessage(self.tr("Saved {0}").format(isolate_ltr(path)), 4000)
        return True

    def _remember_file(self, path: Path) -> None:
        self.settings.add_recent_file(path)
        self.settings.set_last_folder(str(Path(path).resolve().parent))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files()
        for number, name in enumerate(files, start=1):
            action = self.recent_menu.addAction(f"&{number}  {isolate_ltr(name)}")
            action.triggered.connect(lambda _checked=False, p=name: self.open_brief(Path(p)))
        if not files:
            empty = self.recent_menu.addAction(self.tr("No recent briefs"))
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(self.tr("Clear the list"))
            clear.triggered.connect(self.settings.clear_recent_files)

    @Slot(str)
    def _on_autosaved(self, _path: str) -> None:
        self.statusBar().showMessage(self.tr("Autosaved at {0}").format(_now_hhmm()), 4000)

    # -- dialogs -------------------------------------------------------------------------
    def make_export_dialog(self) -> Any:
        """Return the export dialog for the current brief (tests drive it directly)."""
        from briefing.gui.export_dialog import ExportDialog

        dialog = ExportDialog(self.session, self.settings.export_folder(), self.prompts, self)
        return dialog

    @Slot()
    def open_export_dialog(self) -> None:
        """Choose formats, languages and folder, and export."""
        dialog = self.make_export_dialog()
        self.run_dialog(dialog)
        folder = dialog.folder_edit.text().strip()
        if folder:
            self.settings.set_export_folder(folder)
        self._finished_with(dialog)

    @Slot()
    def open_template_dialog(self) -> None:
        """Customise a copy of the current template and save it as one's own."""
        from briefing.gui.template_dialog import TemplateDialog

        try:
            dialog = TemplateDialog(self.session.brief.template, self.prompts, self)
        except BriefingError as exc:
            self.prompts.error(self.tr("Cannot customise the template"), str(exc))
            return
        if self.run_dialog(dialog) and dialog.saved_id:
            self._fill_templates()
            self._apply(self.tr("Change template"), edits.set_template, dialog.saved_id)
            self.preview_controller.refresh_now()
        self._finished_with(dialog)

    @Slot()
    def open_settings(self) -> None:
        """Choose the interface language."""
        from briefing.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        before = self.settings.ui_language()
        if self.run_dialog(dialog):
            dialog.store()
            after = self.settings.ui_language()
            if after != before:
                self.languageChangeRequested.emit(after)
        self._finished_with(dialog)

    @Slot()
    def show_about(self) -> None:
        """Say what the app is."""
        from briefing import __version__

        QMessageBox.about(
            self,
            self.tr("About Briefing"),
            self.tr("Briefing {0}\nAssemble Arabic, English and bilingual briefs and export "
                    "them as PDF and Word.").format(__version__),
        )

    # -- window state --------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.splitter_state()
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_window_state(self) -> None:
        """Remember geometry, toolbar state and splitter sizes."""
        self.settings.save_window(self.saveGeometry(), self.saveState(), self.splitter.saveState())

    def close_for_rebuild(self) -> None:
        """Close without questions: the same brief continues in a new window."""
        self._closing_for_rebuild = True
        self.save_window_state()
        self.preview_controller.enabled = False
        self.preview_controller.wait()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved changes; on a clean exit remove the autosave."""
        if self._closing_for_rebuild:
            event.accept()
            return
        if not self.confirm_discard():
            event.ignore()
            return
        self.save_window_state()
        self.settings.sync()
        self.preview_controller.enabled = False
        self.preview_controller.timer.stop()
        self.preview_controller.wait()
        if self.autosaver is not None:
            self.autosaver.finish()
        event.accept()


def _now_hhmm() -> str:
    from datetime import datetime

    return datetime.now().strftime("%H:%M")
