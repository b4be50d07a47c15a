"""Per-window session journals in the user data folder, and crash recovery at start-up.

Every window owns one journal folder ``<data>/autosave/<id>/`` guarded by the lock file
``<id>.lock``. The journal is rewritten (atomically) shortly after every edit. A journal
whose lock is not held by a running process belongs to a window that crashed; it is kept
until its brief has been saved or the user discards it.
"""

from __future__ import annotations

import json
import logging
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal, Slot

from briefing.atomic import write_atomic
from briefing.errors import BriefingError
from briefing.gui.session import Session
from briefing.model import Brief
from briefing.store import dumps, load_brief

log = logging.getLogger(__name__)

# The journal is written this long after the last edit: a kill loses at most ~1 s of work.
JOURNAL_DELAY_MS = 500
AUTOSAVE_INTERVAL_MS = JOURNAL_DELAY_MS
BRIEF_NAME = "journal.brief"
ORIGIN_NAME = "origin.json"
LOCK_SUFFIX = ".lock"


def _lock_for(folder: Path) -> QLockFile:
    lock = QLockFile(str(folder.with_name(folder.name + LOCK_SUFFIX)))
    # Only a dead owner makes a lock stale, however old it is.
    lock.setStaleLockTime(0)
    return lock


@dataclass
class Recovery:
    """A brief journalled by a window that did not close cleanly."""

    brief: Brief
    original_path: Path | None
    saved_at: str
    folder: Path = field(default_factory=Path)
    lock: QLockFile | None = None

    def release(self) -> None:
        """Give the journal back untouched (it is offered again at the next start)."""
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None

    def discard(self) -> None:
        """Remove the journal for good (the user declined it)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.release()
        self.folder.with_name(self.folder.name + LOCK_SUFFIX).unlink(missing_ok=True)


class Autosaver(QObject):
    """Keeps this window's journal of the open brief while it has unsaved changes."""

    saved = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        session: Session,
        folder: Path,
        interval_ms: int = JOURNAL_DELAY_MS,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.folder = Path(folder)
        self.journal_id = uuid.uuid4().hex
        self.journal_dir = self.folder / self.journal_id
        self.lock: QLockFile | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        self._running = False
        self._written_revision: int | None = None
        session.briefChanged.connect(self._schedule)
        session.modifiedChanged.connect(self._schedule)

    @property
    def brief_file(self) -> Path:
        """Return this window's journalled brief."""
        return self.journal_dir / BRIEF_NAME

    # -- start-up -------------------------------------------------------------------------
    def pending_recoveries(self) -> list[Recovery]:
        """Return the journals of crashed windows, each locked for this window, oldest first.

        A journal whose lock a running window holds is never touched.
        """
        found: list[Recovery] = []
        if not self.folder.is_dir():
            return found
        for sub in sorted(self.folder.iterdir()):
            if not sub.is_dir() or sub == self.journal_dir:
                continue
            lock = _lock_for(sub)
            if not lock.tryLock(0):
                continue  # a live window's journal
            recovery = self._read(sub, lock)
            if recovery is None:
                lock.unlock()
                continue
            found.append(recovery)
        found.sort(key=lambda r: r.saved_at)
        return found

    def pending_recovery(self) -> Recovery | None:
        """Return the newest crashed journal (others are released untouched), or None."""
        found = self.pending_recoveries()
        for other in found[:-1]:
            other.release()
        return found[-1] if found else None

    @staticmethod
    def _read(sub: Path, lock: QLockFile) -> Recovery | None:
        # A write cut short by the crash leaves a temporary file; the journal itself is whole.
        for stale in sub.glob("*.tmp"):
            stale.unlink(missing_ok=True)
        brief_file = sub / BRIEF_NAME
        if not brief_file.is_file():
            return None
        try:
            brief = load_brief(brief_file)
        except BriefingError as exc:
            log.warning("journalled brief cannot be read: %s", exc)
            return None
        original: Path | None = None
        saved_at = ""
        try:
            origin = json.loads((sub / ORIGIN_NAME).read_text(encoding="utf-8"))
            original = Path(origin["path"]) if origin.get("path") else None
            saved_at = str(origin.get("saved_at", ""))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        if not saved_at:
            saved_at = datetime.fromtimestamp(brief_file.stat().st_mtime).isoformat(
                sep=" ", timespec="seconds"
            )
        return Recovery(brief, original, saved_at, folder=sub, lock=lock)

    def start(self) -> None:
        """Begin this window's journal: take its lock; other journals are left alone."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.lock is None:
            lock = _lock_for(self.journal_dir)
            if lock.tryLock(0):
                self.lock = lock
            else:
                log.warning("cannot lock the journal %s", self.journal_dir)
        self._running = True
        self._schedule()

    def adopt(self, recovery: Recovery) -> None:
        """Continue in a recovered journal: it stays on disk until the brief is saved."""
        old_dir, old_lock = self.journal_dir, self.lock
        self.journal_dir = recovery.folder
        self.journal_id = recovery.folder.name
        self.lock = recovery.lock
        recovery.lock = None
        self._written_revision = None
        shutil.rmtree(old_dir, ignore_errors=True)
        if old_lock is not None:
            old_lock.unlock()
            old_lock.removeStaleLockFile()

    # -- while running --------------------------------------------------------------------
    @Slot()
    def _schedule(self, *_args: Any) -> None:
        if self._running and not self.timer.isActive():
            self.timer.start()

    @Slot()
    def save_now(self) -> bool:
        """Write the brief if it changed since the last write; return True if written."""
        if not self.session.is_modified():
            # Saved to its file: nothing would be lost in a crash.
            self.discard()
            return False
        if self._written_revision == self.session.revision and self.brief_file.is_file():
            return False
        try:
            self.journal_dir.mkdir(parents=True, exist_ok=True)
            origin = {
                "path": str(self.session.path) if self.session.path else None,
                "saved_at": datetime.now().isoformat(sep=" ", timespec="seconds"),
            }
            # The brief last: once it is there, where it came from is there too.
            write_atomic(self.journal_dir / ORIGIN_NAME, json.dumps(origin).encode("utf-8"))
            write_atomic(self.brief_file, dumps(self.session.brief).encode("utf-8"))
        except OSError as exc:
            message = f"autosave to {self.journal_dir} failed: {exc.strerror or exc}"
            log.warning(message)
            self.failed.emit(message)
            return False
        self._written_revision = self.session.revision
        self.saved.emit(str(self.brief_file))
        return True

    def discard(self) -> None:
        """Empty this window's journal (after a save, a clean close or a declined recovery)."""
        self.brief_file.unlink(missing_ok=True)
        (self.journal_dir / ORIGIN_NAME).unlink(missing_ok=True)
        self._written_revision = None

    def finish(self) -> None:
        """Close cleanly: stop, remove this window's journal and its lock."""
        self.timer.stop()
        self._running = False
        self.discard()
        shutil.rmtree(self.journal_dir, ignore_errors=True)
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None

    def closed_cleanly(self) -> bool:
        """Return True when this window left no journal behind."""
        return not self.journal_dir.exists() and self.lock is None
