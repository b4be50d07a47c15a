"""Export dialog: formats, languages and folder; progress in a worker; show the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, QThreadPool, QUrl, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing.errors import BriefingError
from briefing.gui.i18n import isolate_ltr
from briefing.gui.prompts import Prompts
from briefing.gui.session import Session
from briefing.gui.workers import ExportJob
from briefing.model import check_formats, check_languages


class ExportDialog(QDialog):
    """Choose what to export and where, run the export off the GUI thread, report it."""

    def __init__(
        self,
        session: Session,
        folder: str,
        prompts: Prompts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.prompts = prompts or Prompts(self)
        self.pool = QThreadPool.globalInstance()
        self.running = False
        self.written: list[Path] = []
        self.last_error = ""
        self._job: ExportJob | None = None
        self.setWindowTitle(self.tr("Export brief"))
        self.setMinimumWidth(520)

        self.format_boxes: dict[str, QCheckBox] = {}
        formats = QHBoxLayout()
        for code, text in (("pdf", self.tr("&PDF")), ("docx", self.tr("&Word (.docx)"))):
            box = QCheckBox(text, self)
            box.setChecked(True)
            box.setAccessibleName(text.replace("&", ""))
            self.format_boxes[code] = box
            formats.addWidget(box)
        formats.addStretch(1)

        self.lang_boxes: dict[str, QCheckBox] = {}
        langs = QHBoxLayout()
        for code, text in (
            ("ar", self.tr("&Arabic")), ("en", self.tr("&English")), ("bi", self.tr("&Bilingual")),
        ):
            box = QCheckBox(text, self)
            box.setChecked(code in session.brief.languages)
            box.setAccessibleName(text.replace("&", ""))
            box.toggled.connect(self._languages_toggled)
            self.lang_boxes[code] = box
            langs.addWidget(box)
        langs.addStretch(1)
        # These are the brief's own output languages (also in the toolbar and the Brief tab):
        # a change here is an undoable edit of the brief, and an edit elsewhere shows here.
        session.briefChanged.connect(self._sync_languages)
        self._following = True

        self.folder_edit = QLineEdit(folder, self)
        self.folder_edit.setAccessibleName(self.tr("Export folder"))
        browse = QPushButton(self.tr("&Browse…"), self)
        browse.setAccessibleName(self.tr("Choose export folder"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("Formats:"), formats)
        form.addRow(self.tr("Languages:"), langs)
        form.addRow(self.tr("Folder:"), folder_row)

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Export progress"))
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Export status"))

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.show_button = self.buttons.addButton(
            self.tr("&Show in folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.start_export)
        self.show_button.clicked.connect(self.show_in_folder)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    @Slot()
    def _languages_toggled(self) -> None:
        from briefing import edits

        chosen = tuple(self.chosen_languages())
        try:
            self.session.apply(self.tr("Change languages"), edits.set_languages, chosen)
        except BriefingError as exc:
            self._sync_languages()
            self.prompts.error(self.tr("Not accepted"), str(exc))

    @Slot()
    def _sync_languages(self) -> None:
        for code, box in self.lang_boxes.items():
            with QSignalBlocker(box):
                box.setChecked(code in self.session.brief.languages)

    def done(self, result: int) -> None:
        """Stop following the brief once closed."""
        if self._following:
            self._following = False
            self.session.briefChanged.disconnect(self._sync_languages)
        super().done(result)

    def chosen_formats(self) -> list[str]:
        """Return the ticked formats."""
        return [code for code, box in self.format_boxes.items() if box.isChecked()]

    def chosen_languages(self) -> list[str]:
        """Return the ticked languages."""
        return [code for code, box in self.lang_boxes.items() if box.isChecked()]

    def folder(self) -> Path:
        """Return the folder typed or chosen."""
        return Path(self.folder_edit.text().strip())

    @Slot()
    def _browse(self) -> None:
        chosen = self.prompts.choose_folder(self.folder_edit.text())
        if chosen is not None:
            self.folder_edit.setText(str(chosen))

    @Slot()
    def start_export(self) -> None:
        """Check the choices, then export in a worker; the dialog stays responsive."""
        if self.running:
            return
        formats, languages = self.chosen_formats(), self.chosen_languages()
        # The same checks and one-line messages as the command line (never translated, so
        # that a message can be quoted and searched for whatever the interface language).
        try:
            check_formats(formats)
            check_languages(languages)
            if not self.folder_edit.text().strip():
                raise BriefingError("no output folder given")
        except BriefingError as exc:
            self._fail(str(exc))
            return
        force = False
        foreign = self.foreign_files(languages, formats)
        if foreign:
            if not self.prompts.ask_replace([isolate_ltr(path.name) for path in foreign]):
                self.status.setText(self.tr("Nothing was written."))
                return
            force = True
        self.running = True
        self.written = []
        self.last_error = ""
        self.show_button.setEnabled(False)
        self._set_inputs_enabled(False)
        self.progress.setRange(0, len(formats) * len(languages))
        self.progress.setValue(0)
        self.status.setText(self.tr("Exporting…"))
        job = ExportJob(
            self.session.brief, self.session.library, self.folder(), languages, formats,
            force=force,
        )
        job.signals.progress.connect(self._on_progress)
        job.signals.done.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        self._job = job
        self.pool.start(job)

    def foreign_files(self, languages: list[str], formats: list[str]) -> list[Path]:
        """Return the files this export would replace that another brief exported."""
        from briefing.document import brief_key
        from briefing.export import check_overwrites, export_names

        return check_overwrites(
            self.folder(), export_names(languages, formats, self.session.brief),
            brief_key(self.session.brief),
        )

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for box in (*self.format_boxes.values(), *self.lang_boxes.values()):
            box.setEnabled(enabled)
        self.folder_edit.setEnabled(enabled)
        self.export_button.setEnabled(enabled)
        self.close_button.setEnabled(enabled)

    @Slot(str, int, int)
    def _on_progress(self, name: str, step: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(step)
        if name != "done":
            self.status.setText(self.tr("Writing {0}…").format(isolate_ltr(name)))

    @Slot(list, list)
    def _on_done(self, paths: list[str], problems: list[str]) -> None:
        self.running = False
        self._job = None
        self._set_inputs_enabled(True)
        self.written = [Path(p) for p in paths]
        self.progress.setValue(self.progress.maximum())
        names = ", ".join(isolate_ltr(path.name) for path in self.written)
        self.status.setText(
            self.tr("Exported {0} to {1}").format(names, isolate_ltr(self.folder()))
        )
        self.show_button.setEnabled(bool(self.written))
        self.show_button.setFocus()
        if problems:
            self._fail("\n".join(problems))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.running = False
        self._job = None
        self._set_inputs_enabled(True)
        self.progress.setValue(0)
        self.status.setText(self.tr("Nothing was written."))
        self._fail(message)

    def _fail(self, message: str) -> None:
        self.last_error = message
        self.prompts.error(self.tr("Export failed"), message)

    @Slot()
    def show_in_folder(self) -> None:
        """Open the export folder in the desktop's file manager."""
        folder = self.written[0].parent if self.written else self.folder()
        self.prompts.open_url(QUrl.fromLocalFile(str(folder)))

    def reject(self) -> None:
        """Close, unless an export is still running (the files would be half-published)."""
        if self.running:
            return
        super().reject()

    def closeEvent(self, event: Any) -> None:
        """Refuse to close while exporting."""
        if self.running:
            event.ignore()
            return
        super().closeEvent(event)
