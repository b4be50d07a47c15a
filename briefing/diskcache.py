"""Derived bytes kept on disk between runs: the user's cache folder and a shipped one.

A cache reads from the user's folder first, then from a read-only folder of resources/
made ahead and shipped with the program; it writes only to the user's folder, each file
under its key, atomically, and deletes the oldest files beyond a bound. A file that cannot
be read, or fails the cache's check (a torn write, another program's file), is a miss;
a folder that cannot be written only costs making the bytes again next time.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from briefing.atomic import write_atomic

# ``True``: the default folder; ``None`` or ``False``: none; a path: that folder.
Setting = Path | bool | None


def _setting(value: Path | str | bool | None) -> Setting:
    return Path(value) if isinstance(value, (str, Path)) else value


class DiskCache:
    """Files named ``<key><suffix>`` in the user's cache folder and a shipped folder."""

    def __init__(
        self, user_name: str, shipped_name: str, suffix: str, whole: Callable[[bytes], bool]
    ) -> None:
        self.user_name = user_name  # under the user's cache folder
        self.shipped_name = shipped_name  # under resources/
        self.suffix = suffix
        self.whole = whole
        self._lock = threading.Lock()
        self._user: Setting = True
        self._shipped: Setting = True

    def configure(
        self, user: Path | str | bool | None = True, shipped: Path | str | bool | None = True
    ) -> None:
        """Set both folders (``True``: default, ``None``: none)."""
        with self._lock:
            self._user = _setting(user)
            self._shipped = _setting(shipped)

    def configure_user(self, folder: Path | str | bool | None) -> None:
        with self._lock:
            self._user = _setting(folder)

    def configure_shipped(self, folder: Path | str | bool | None) -> None:
        with self._lock:
            self._shipped = _setting(folder)

    def user_folder(self) -> Path | None:
        """Return the writable folder, or None when turned off (BRIEFING_CHART_CACHE=0 too)."""
        with self._lock:
            setting = self._user
        if setting is None or setting is False:
            return None
        if setting is True:
            if os.environ.get("BRIEFING_CHART_CACHE", "").lower() in ("0", "off", "no"):
                return None
            from platformdirs import user_cache_dir

            return Path(user_cache_dir("Briefing", "Briefing")) / self.user_name
        return setting

    def shipped_folder(self) -> Path | None:
        """Return the read-only folder shipped with the program, or None."""
        with self._lock:
            setting = self._shipped
        if setting is None or setting is False:
            return None
        if setting is True:
            from briefing.resources import as_path, resource

            return as_path(resource(self.shipped_name))
        return setting

    def read(self, key: str) -> bytes | None:
        """Return the bytes under ``key`` from the user's folder, else the shipped one, or None."""
        for folder in (self.user_folder(), self.shipped_folder()):
            if folder is None:
                continue
            try:
                data = (folder / f"{key}{self.suffix}").read_bytes()
            except OSError:
                continue
            if self.whole(data):
                return data
        return None

    def write(self, key: str, data: bytes, keep: int) -> None:
        """Store ``data`` under ``key`` in the user's folder, keeping its newest ``keep`` files."""
        folder = self.user_folder()
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(folder / f"{key}{self.suffix}", data)
            self._prune(folder, keep)
        except OSError:
            pass  # a cache that cannot be written only costs making the bytes again

    def _prune(self, folder: Path, keep: int) -> None:
        """Delete the least recently written files beyond ``keep``."""
        entries = [entry for entry in os.scandir(folder) if entry.name.endswith(self.suffix)]
        if len(entries) <= keep:
            return
        entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
        for entry in entries[: len(entries) - keep]:
            with contextlib.suppress(OSError):  # another process removed it first
                os.unlink(entry.path)
