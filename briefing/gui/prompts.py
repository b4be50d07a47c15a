"""Questions and messages to the user, behind one object that tests replace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class Prompts(QObject):
    """Modal questions (save changes? recover? which file?) and error messages.

    The window asks through this object only, so tests pass one that answers at once
    instead of opening modal dialogs.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window = parent

    def ask_save_changes(self, name: str) -> str:
        """Return "save", "discard" or "cancel" for a brief with unsaved changes."""
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Unsaved changes"))
        box.setText(self.tr("Save the changes to {0}?").format(name or self.tr("the new brief")))
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        if answer == QMessageBox.StandardButton.Discard:
            return "discard"
        return "cancel"

    def ask_recover(self, saved_at: str) -> bool:
        """Return True when the user wants the brief autosaved before a crash back."""
        answer = QMessageBox.question(
            self.window,
            self.tr("Recover your brief?"),
            self.tr("Briefing did not close properly. A copy of your brief was saved "
               "automatically at {0}. Recover it?").format(saved_at),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_replace(self, names: list[str]) -> bool:
        """Return True when the user agrees to replace files another brief exported."""
        answer = QMessageBox.warning(
            self.window,
            self.tr("Replace another brief's files?"),
            self.tr("These files in the folder were exported from another brief:\n{0}\n"
                    "Replace them?").format("\n".join(names)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def error(self, title: str, message: str) -> None:
        """Show a one-line error message."""
        QMessageBox.critical(self.window, title, message)

    def open_file(self, folder: str) -> Path | None:
        """Return a `.brief` file to open, or None."""
        name, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Open brief"), folder, self.tr("Briefs (*.brief)")
        )
        return Path(name) if name else None

    def save_file(self, suggested: str) -> Path | None:
        """Return where to save the brief (with the .brief suffix), or None."""
        name, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Save brief"), suggested, self.tr("Briefs (*.brief)")
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix == ".brief" else path.with_name(path.name + ".brief")

    def choose_folder(self, folder: str) -> Path | None:
        """Return a folder for exports, or None."""
        name = QFileDialog.getExistingDirectory(self.window, self.tr("Export to folder"), folder)
        return Path(name) if name else None

    def choose_image(self, folder: str) -> Path | None:
        """Return a PNG or JPEG logo file, or None."""
        name, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Choose a logo"), folder, self.tr("Images (*.png *.jpg *.jpeg)")
        )
        return Path(name) if name else None

    def open_url(self, url: QUrl) -> bool:
        """Open a folder or file with the desktop's own application."""
        return QDesktopServices.openUrl(url)
