"""Atomic file writes: a temporary file beside the target, then one rename."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    path = Path(path)
    tmp = _write_beside(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_beside(target: Path, data: bytes) -> Path:
    """Write ``data`` to a new hidden file in ``target``'s folder, on disk; return its path.

    The file gets the mode ``target`` has (or would get); nothing is left if writing fails.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        _give_mode(tmp, target)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


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
        self.staged.append((_write_beside(target, data), target))
        return target

    def commit(self) -> list[Path]:
        """Move every staged file into place; return the final paths.

        The files being replaced are kept aside until every rename has succeeded: when one
        fails half-way (a full disk, a file held open by a viewer), the old files come back
        and the new ones go, so the folder never mixes new and old exports.
        """
        kept: dict[Path, Path | None] = {}
        done: list[Path] = []
        try:
            for _tmp, target in self.staged:
                kept[target] = _keep_aside(target)
            for tmp, target in self.staged:
                os.replace(tmp, target)
                done.append(target)
        except BaseException:
            for target in reversed(done):
                old = kept.get(target)
                with contextlib.suppress(OSError):
                    if old is None:
                        os.unlink(target)
                    else:
                        os.replace(old, target)
            for old in kept.values():
                if old is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(old)
            raise
        for old in kept.values():
            if old is not None:
                with contextlib.suppress(OSError):
                    os.unlink(old)
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


def _keep_aside(target: Path) -> Path | None:
    """Return a hidden second name (or copy) of ``target``'s current file, None if it has none."""
    if not os.path.lexists(target) or os.path.isdir(target):
        return None  # nothing to keep; a folder in the way makes the rename fail, naming it
    fd, backup = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent)
    os.close(fd)
    try:
        os.unlink(backup)
        try:
            os.link(target, backup)  # a second name costs nothing
        except OSError:
            shutil.copy2(target, backup)  # file systems without hard links
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(backup)
        raise
    return Path(backup)


def _give_mode(tmp: str, target: Path) -> None:
    """Give the temporary file the mode the target has, or a new file would get.

    mkstemp creates files readable by their owner only; an export written to a shared
    folder must stay readable by the colleagues a plain save would let read it.
    """
    if os.name == "nt":
        return  # Windows has no mode bits to speak of
    try:
        mode = os.stat(target).st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)


def _umask() -> int:
    """Return the process umask (read from /proc on Linux, which leaves it untouched)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
