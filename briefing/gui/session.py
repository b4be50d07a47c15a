"""The open brief: current snapshot, library, file path and an undo stack of snapshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from briefing import edits
from briefing.library import Library
from briefing.model import Brief
from briefing.store import load_brief, save_brief

# QUndoCommand ids must be positive integers; one id is enough because merging is
# decided by comparing merge keys.
_MERGEABLE_ID = 1


class BriefCommand(QUndoCommand):
    """One edit, kept as the brief before and after it (both frozen snapshots)."""

    def __init__(
        self, session: Session, before: Brief, after: Brief, text: str, merge_key: str = ""
    ) -> None:
        super().__init__(text)
        self.session = session
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def redo(self) -> None:
        """Show the brief after the edit."""
        self.session._show(self.after)

    def undo(self) -> None:
        """Show the brief before the edit."""
        self.session._show(self.before)

    def id(self) -> int:
        """Return a merge id for keystroke edits of one field, -1 (never merge) otherwise."""
        return _MERGEABLE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Fold a following keystroke in the same field into this command."""
        if not isinstance(other, BriefCommand) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        # Typing and then deleting the same characters leaves nothing to undo.
        self.setObsolete(self.after == self.before)
        return True


class Session(QObject):
    """Holds the current brief and its file; every change goes through ``apply``."""

    briefChanged = Signal()
    pathChanged = Signal()
    modifiedChanged = Signal(bool)

    def __init__(self, library: Library, brief: Brief | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.library = library
        self.brief: Brief = brief if brief is not None else self.new_brief()
        self.path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        # Counts every change of the shown brief; autosave compares it to what it wrote.
        self.revision = 0
        self._forced_dirty = False

    def new_brief(self) -> Brief:
        """Return a fresh brief with every library section and today's date."""
        from datetime import date

        return edits.set_meta(edits.default_brief(self.library), date=date.today())

    @Slot(bool)
    def _clean_changed(self, clean: bool) -> None:
        self.modifiedChanged.emit(self._forced_dirty or not clean)

    # -- editing -----------------------------------------------------------------------------
    def apply(
        self, text: str, change: Callable[..., Brief], *args: Any, merge_key: str = "", **kw: Any
    ) -> bool:
        """Run the pure edit ``change(brief, *args)`` and push it as an undoable step.

        Raises BriefingError from the edit unchanged, so callers show its message.
        Returns False when the edit changes nothing (nothing is pushed then).
        """
        before = self.brief
        after = change(before, *args, **kw)
        if after == before:
            return False
        self.undo_stack.push(BriefCommand(self, before, after, text, merge_key))
        return True

    def _show(self, brief: Brief) -> None:
        self.brief = brief
        self.revision += 1
        self.briefChanged.emit()

    # -- files -------------------------------------------------------------------------------
    def is_modified(self) -> bool:
        """Return True when the brief differs from the file it was opened from or saved to."""
        return self._forced_dirty or not self.undo_stack.isClean()

    def reset(self, brief: Brief, path: Path | None, modified: bool = False) -> None:
        """Replace the brief (new, opened or recovered); the undo history starts again."""
        self.undo_stack.clear()
        self._forced_dirty = modified
        self.set_path(path)
        self._show(brief)
        self.modifiedChanged.emit(self.is_modified())

    def set_path(self, path: Path | None) -> None:
        """Remember the file the brief belongs to."""
        self.path = Path(path) if path is not None else None
        self.pathChanged.emit()

    def open(self, path: Path) -> None:
        """Load a `.brief` file (raises BriefingError naming the file on failure)."""
        brief = load_brief(Path(path))
        self.reset(brief, Path(path))

    def save(self, path: Path | None = None) -> Path:
        """Write the brief to ``path`` (or its current file) and mark it unmodified."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("save() needs a path for a brief that has never been saved")
        save_brief(self.brief, target)
        self._forced_dirty = False
        self.undo_stack.setClean()
        self.set_path(target)
        self.modifiedChanged.emit(False)
        return target

    def display_name(self) -> str:
        """Return the file name shown in the title bar."""
        return self.path.name if self.path else ""
