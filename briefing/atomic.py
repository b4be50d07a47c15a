"""Atomic file writes: a temporary file beside the target, then one rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class StagedFiles:
    """Collect several outputs and publish them together, or none at all.

    Each output is written to a hidden temporary file in the target folder; ``commit``
    renames them into place. If anything fails before ``commit``, the temporaries are
    removed and the folder is as it was.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.staged: list[tuple[Path, Path]] = []

    def add(self, name: str, data: bytes) -> Path:
        """Stage ``data`` to become ``folder/name``; return the final path."""
        target = self.folder / name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self.staged.append((Path(tmp), target))
        return target

    def commit(self) -> list[Path]:
        """Move every staged file into place; return the final paths."""
        done = []
        for tmp, target in self.staged:
            os.replace(tmp, target)
            done.append(target)
        self.staged = []
        return done

    def discard(self) -> None:
        """Remove every staged temporary file."""
        for tmp, _ in self.staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self.staged = []

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
