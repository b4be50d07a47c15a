"""Settings dialog: the interface language (system, English or Arabic)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from briefing.gui.settings import AppSettings


class SettingsDialog(QDialog):
    """Choose the interface language; the window is rebuilt in it straight away."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Settings"))
        self.language_combo = QComboBox(self)
        self.language_combo.setAccessibleName(self.tr("Interface language"))
        self.language_combo.addItem(self.tr("As the system (default)"), "system")
        # Each language is named in itself, so it can be found whatever the interface shows.
        self.language_combo.addItem("English", "en")
        self.language_combo.addItem("العربية", "ar")
        choice = settings.ui_language_choice()
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(choice)))
        label = QLabel(self.tr("&Interface language:"), self)
        label.setBuddy(self.language_combo)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow(label, self.language_combo)
        layout.addRow(buttons)

    def choose(self, value: str) -> None:
        """Select a language choice ("system", "en" or "ar")."""
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(value)))

    def store(self) -> None:
        """Keep the chosen language in the settings."""
        self.settings.set_ui_language_choice(str(self.language_combo.currentData()))
        self.settings.sync()
