"""User settings (QSettings) and the user data folder; both movable by BRIEFING_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QLocale, QSettings

DATA_DIR_ENV = "BRIEFING_DATA_DIR"
UI_LANGUAGES = ("system", "en", "ar")
MAX_RECENT = 8


def data_dir() -> Path:
    """Return the user data folder (autosave, settings when overridden)."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("Briefing", "Briefing"))


def make_settings() -> QSettings:
    """Return the settings store: the platform's own, or an INI file under BRIEFING_DATA_DIR.

    Tests and portable set-ups set BRIEFING_DATA_DIR so nothing touches the user's settings.
    """
    if os.environ.get(DATA_DIR_ENV, "").strip():
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, "Briefing", "Briefing"
    )


def system_ui_language() -> str:
    """Return "ar" when the system locale is Arabic, else "en"."""
    return "ar" if QLocale.system().language() == QLocale.Language.Arabic else "en"


class AppSettings:
    """Typed access to the values the app keeps between runs."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else make_settings()

    def _get(self, key: str, default: Any) -> Any:
        value = self.store.value(key, default)
        return default if value is None else value

    # -- interface language -------------------------------------------------------------
    def ui_language_choice(self) -> str:
        """Return "system", "en" or "ar" as chosen in the settings dialog."""
        value = str(self._get("ui/language", "system"))
        return value if value in UI_LANGUAGES else "system"

    def set_ui_language_choice(self, value: str) -> None:
        """Remember the interface language choice."""
        self.store.setValue("ui/language", value if value in UI_LANGUAGES else "system")

    def ui_language(self) -> str:
        """Return the interface language to use now: "en" or "ar"."""
        choice = self.ui_language_choice()
        return system_ui_language() if choice == "system" else choice

    # -- recent files -------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        """Return recently opened or saved briefs, newest first, existing files only."""
        value = self._get("files/recent", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(item) for item in items if item and Path(str(item)).is_file()][:MAX_RECENT]

    def add_recent_file(self, path: Path) -> None:
        """Put ``path`` first in the recent files."""
        text = str(Path(path).resolve())
        items = [text] + [item for item in self.recent_files() if item != text]
        self.store.setValue("files/recent", items[:MAX_RECENT])

    def clear_recent_files(self) -> None:
        """Forget the recent files."""
        self.store.setValue("files/recent", [])

    # -- folders ------------------------------------------------------------------------
    def export_folder(self) -> str:
        """Return the folder last exported to (the home folder's Briefs at first)."""
        default = str(Path.home() / "Briefs")
        return str(self._get("files/export_folder", default)) or default

    def set_export_folder(self, folder: str) -> None:
        """Remember the export folder."""
        self.store.setValue("files/export_folder", folder)

    def last_folder(self) -> str:
        """Return the folder of the last opened or saved brief."""
        return str(self._get("files/last_folder", str(Path.home())))

    def set_last_folder(self, folder: str) -> None:
        """Remember the folder of the last opened or saved brief."""
        self.store.setValue("files/last_folder", folder)

    # -- window -------------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        """Return the saved main window geometry, if any."""
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        """Return the saved main window state (docks, splitter), if any."""
        value = self.store.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def splitter_state(self) -> QByteArray | None:
        """Return the saved splitter sizes, if any."""
        value = self.store.value("window/splitter")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray) -> None:
        """Remember the main window geometry, state and splitter sizes."""
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)
        self.store.setValue("window/splitter", splitter)

    def sync(self) -> None:
        """Write pending changes to disk."""
        self.store.sync()
