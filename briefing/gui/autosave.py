"""Autosave every 30 seconds to the user data folder, and crash recovery at start-up."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from briefing.atomic import write_atomic
from briefing.errors import BriefingError
from briefing.gui.session import Session
from briefing.model import Brief
from briefing.store import dumps, load_brief

log = logging.getLogger(__name__)

AUTOSAVE_INTERVAL_MS = 30_000
BRIEF_NAME = "current.brief"
ORIGIN_NAME = "origin.json"
CLEAN_EXIT_NAME = "clean-exit"


@dataclass(frozen=True)
class Recovery:
    """A brief autosaved by a run that did not exit cleanly."""

    brief: Brief
    original_path: Path | None
    saved_at: str


class Autosaver(QObject):
    """Writes the open brief to ``folder`` while it has unsaved changes.

    A clean exit removes the autosaved brief and leaves a marker; at start-up an autosaved
    brief without the marker means the previous run crashed, and it is offered back.
    """

    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        session: Session,
        folder: Path,
        interval_ms: int = AUTOSAVE_INTERVAL_MS,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.folder = Path(folder)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self._written_revision: int | None = None

    @property
    def brief_file(self) -> Path:
        """Return the autosaved brief's path."""
        return self.folder / BRIEF_NAME

    @property
    def marker_file(self) -> Path:
        """Return the clean-exit marker's path."""
        return self.folder / CLEAN_EXIT_NAME

    # -- start-up -------------------------------------------------------------------------
    def pending_recovery(self) -> Recovery | None:
        """Return what a crashed run left behind, or None after a clean exit."""
        if not self.brief_file.is_file() or self.marker_file.exists():
            return None
        try:
            brief = load_brief(self.brief_file)
        except BriefingError as exc:
            log.warning("autosaved brief cannot be read: %s", exc)
            return None
        original: Path | None = None
        saved_at = ""
        try:
            origin = json.loads((self.folder / ORIGIN_NAME).read_text(encoding="utf-8"))
            original = Path(origin["path"]) if origin.get("path") else None
            saved_at = str(origin.get("saved_at", ""))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        if not saved_at:
            saved_at = datetime.fromtimestamp(self.brief_file.stat().st_mtime).isoformat(
                sep=" ", timespec="seconds"
            )
        return Recovery(brief=brief, original_path=original, saved_at=saved_at)

    def start(self) -> None:
        """Begin a run: drop the clean-exit marker and the previous autosave, start the timer."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.marker_file.unlink(missing_ok=True)
        self.discard()
        self.timer.start()

    # -- while running --------------------------------------------------------------------
    @Slot()
    def save_now(self) -> bool:
        """Write the brief if it changed since the last autosave; return True if written."""
        if not self.session.is_modified():
            # Saved to its file: nothing would be lost in a crash.
            self.discard()
            return False
        if self._written_revision == self.session.revision and self.brief_file.is_file():
            return False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.brief_file, dumps(self.session.brief).encode("utf-8"))
            origin = {
                "path": str(self.session.path) if self.session.path else None,
                "saved_at": datetime.now().isoformat(sep=" ", timespec="seconds"),
            }
            write_atomic(self.folder / ORIGIN_NAME, json.dumps(origin).encode("utf-8"))
        except OSError as exc:
            message = f"autosave to {self.folder} failed: {exc.strerror or exc}"
            log.warning(message)
            self.failed.emit(message)
            return False
        self._written_revision = self.session.revision
        self.saved.emit(str(self.brief_file))
        return True

    def discard(self) -> None:
        """Remove the autosaved brief (after a save, a clean exit or a declined recovery)."""
        self.brief_file.unlink(missing_ok=True)
        (self.folder / ORIGIN_NAME).unlink(missing_ok=True)
        self._written_revision = None

    def finish(self) -> None:
        """End the run cleanly: stop, remove the autosave and leave the clean-exit marker."""
        self.timer.stop()
        self.discard()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.marker_file.write_text(datetime.now().isoformat(), encoding="utf-8")
        except OSError as exc:
            log.warning("cannot write the clean-exit marker: %s", exc)
