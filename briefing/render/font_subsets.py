"""Font subsets for the Word files, made once per content: in memory, on disk, shipped.

Subsetting one face with fontTools takes 0.2-1.1 s (Amiri is the slowest) and an export
of three Word files embeds four faces in each. Every subset keeps one fixed repertoire
(see ``docx.SUBSET_REPERTOIRE``), so the subsets of one face are nearly always the same
bytes: they are kept in memory for the process, in the user's cache folder for the next
run, and the subsets of the bundled fonts with the bare repertoire are shipped with the
program (``resources/font-subsets``, ``python -m briefing.chart_cache``), so that a first
export after installing subsets nothing.

A subset is named by a hash of the font's bytes, the characters kept, the fontTools
version and SUBSET_VERSION: a changed font, repertoire or fontTools is simply not found.
"""

from __future__ import annotations

import hashlib
import os
import struct
import threading
from collections import OrderedDict
from pathlib import Path

from briefing.atomic import write_atomic
from briefing.diskcache import DiskCache

# Bump when the subsetting options (docx_fonts.make_subset) change.
SUBSET_VERSION = "1"

SHIPPED_FOLDER = "font-subsets"
MEMORY_ENTRIES = 16
DISK_ENTRIES = 64

_lock = threading.Lock()
_memory: OrderedDict[str, bytes] = OrderedDict()
_digests: dict[tuple[str, int, int], str] = {}
_stats = {"made": 0, "memory_hits": 0, "disk_hits": 0}
_fonttools_version: str | None = None


def cache_info() -> dict[str, int]:
    """Return how many subsets were made, and found in memory or on disk."""
    with _lock:
        return dict(_stats)


def clear_cache() -> None:
    """Forget the subsets kept in memory and reset the counters (tests)."""
    with _lock:
        _memory.clear()
        for name in _stats:
            _stats[name] = 0


def configure(disk: Path | bool | None = True, shipped: Path | bool | None = True) -> None:
    """Set the user's subset folder and the shipped one (``True``: default, ``None``: none)."""
    _disk.configure(disk, shipped)


def subset_key(path: Path, characters: str) -> str:
    """Return the name of the subset of ``path`` keeping ``characters``."""
    digest = hashlib.sha256()
    kept = "".join(sorted(set(characters)))
    for part in (SUBSET_VERSION, _fonttools(), _font_digest(path), kept):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()[:32]


def cached_subset(path: Path, characters: str) -> tuple[str, bytes | None]:
    """Return the key of the subset and its bytes if made before (else None)."""
    key = subset_key(path, characters)
    with _lock:
        data = _memory.get(key)
        if data is not None:
            _memory.move_to_end(key)
            _stats["memory_hits"] += 1
            return key, data
    data = _disk.read(key)
    if data is not None:
        with _lock:
            _stats["disk_hits"] += 1
        _remember(key, data)
    return key, data


def store(key: str, data: bytes) -> None:
    """Keep a subset just made, in memory and in the user's cache folder."""
    with _lock:
        _stats["made"] += 1
    _remember(key, data)
    _disk.write(key, data, DISK_ENTRIES)


def font_digest(path: Path | str) -> str:
    """Return the SHA-256 of a font file's bytes (read once per file version a process)."""
    return _font_digest(Path(path))


def fonttools_version() -> str:
    """Return fontTools' version without importing it."""
    return _fonttools()


def user_folder(folder_name: str) -> Path | None:
    """Return the user's cache folder ``folder_name``, or None when caching is off."""
    return _user_folder(folder_name)


# Measures of the bundled fonts, checks of the shipped templates and the parsed English
# hyphenation patterns, made like those kept in the user's cache folders and shipped
# (``python -m briefing.chart_cache``), so that a first export parses no bundled font and
# no dictionary for them either.
SHIPPED_MEASURES = "font-measures"
SHIPPED_KINDS = ("font-faces", "font-facts", "template-checks", "hyphenation")


# What the first PDF export of the library's own brief computes (its paragraphs' lines,
# its shaped runs, its PDF font subsets), made for every shipped template, language and
# digit style and shipped (``python -m briefing.chart_cache``) under the names the user's
# cache folders use, so that a first export after installing lays out, shapes and subsets
# (nearly) nothing. Read only: what an export makes goes to the user's folders.
SHIPPED_TEXT = "text-caches"
# The kinds of SHIPPED_TEXT that ``read_cached`` finds after the user's own (the kept
# layouts and shaped runs are read with ``read_shipped`` beside the user's instead: one
# file of each holds many entries).
SHIPPED_TEXT_FALLBACK = ("pdf-subsets",)


def read_cached(folder_name: str, key: str) -> bytes | None:
    """Return the bytes kept under ``key`` in the user's cache folder ``folder_name``, else
    shipped with the program (for the kinds in SHIPPED_KINDS and SHIPPED_TEXT_FALLBACK),
    else None."""
    folders = [_user_folder(folder_name)]
    if folder_name in SHIPPED_KINDS:
        shipped = _shipped_folder(SHIPPED_MEASURES)
        folders.append(shipped / folder_name if shipped is not None else None)
    elif folder_name in SHIPPED_TEXT_FALLBACK:
        shipped = _shipped_folder(SHIPPED_TEXT)
        folders.append(shipped / folder_name if shipped is not None else None)
    for folder in folders:
        if folder is None:
            continue
        try:
            return (folder / key).read_bytes()
        except OSError:
            continue
    return None


def read_shipped(folder_name: str, key: str) -> bytes | None:
    """Return the bytes shipped under ``key`` in ``text-caches/<folder_name>``, else None
    (also where the shipped caches are turned off: ``configure(shipped=None)``)."""
    shipped = _shipped_folder(SHIPPED_TEXT)
    if shipped is None:
        return None
    try:
        return (shipped / folder_name / key).read_bytes()
    except OSError:
        return None


def write_cached(folder_name: str, key: str, data: bytes, entries: int) -> None:
    """Keep ``data`` under ``key`` in the user's cache folder ``folder_name``, which holds
    at most ``entries`` files (the least recently written go first)."""
    folder = _user_folder(folder_name)
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / key, data)
        found = sorted(os.scandir(folder), key=lambda entry: entry.stat().st_mtime_ns)
        for entry in found[: max(0, len(found) - entries)]:
            os.unlink(entry.path)
    except OSError:
        pass  # a cache that cannot be written only costs the work again next time


def whole_font(data: bytes) -> bool:
    """Return True for bytes that start like a whole TrueType or OpenType font."""
    return _whole_font(data)


def fs_type(path: Path) -> int:
    """Return the OS/2 fsType of a font file (0 without an OS/2 table), read directly."""
    table = os2_table(path)
    return struct.unpack_from(">H", table, 8)[0] if len(table) >= 10 else 0


def os2_table(path: Path) -> bytes:
    """Return the bytes of a TrueType/OpenType font's OS/2 table (b"" when it has none)."""
    return font_table(path, b"OS/2")


def font_table(path: Path, tag: bytes) -> bytes:
    """Return the bytes of the table ``tag`` of a TrueType/OpenType font (b"" when it has
    none), read straight from the file's table directory."""
    with open(path, "rb") as handle:
        header = handle.read(12)
        if len(header) < 12:
            return b""
        (count,) = struct.unpack_from(">H", header, 4)
        records = handle.read(16 * count)
        for index in range(len(records) // 16):
            found, _checksum, offset, length = struct.unpack_from(">4sIII", records, 16 * index)
            if found == tag:
                handle.seek(offset)
                return handle.read(length)
    return b""


def _remember(key: str, data: bytes) -> None:
    with _lock:
        _memory[key] = data
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)


def _whole_font(data: bytes) -> bool:
    """Return True for bytes that start like a TrueType or OpenType font (not a torn file)."""
    if len(data) < 12 or data[:4] not in (b"\0\1\0\0", b"OTTO", b"true"):
        return False
    (count,) = struct.unpack_from(">H", data, 4)
    if len(data) < 12 + 16 * count:
        return False
    end = max(
        (offset + length for _tag, _sum, offset, length in struct.iter_unpack(
            ">4sIII", data[12 : 12 + 16 * count])),
        default=0,
    )
    return end <= len(data)


def _font_digest(path: Path) -> str:
    status = Path(path).stat()
    identity = (str(path), status.st_size, status.st_mtime_ns)
    with _lock:
        digest = _digests.get(identity)
    if digest is None:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        with _lock:
            _digests[identity] = digest
    return digest


def _fonttools() -> str:
    """Return fontTools' version without importing more than its package (its own
    ``version``, the same string its installed metadata says, read in a hundredth of the
    time that reading the metadata takes)."""
    global _fonttools_version
    if _fonttools_version is None:
        try:
            import fontTools

            _fonttools_version = str(fontTools.version)
        except (ImportError, AttributeError):
            from importlib.metadata import PackageNotFoundError, version

            try:
                _fonttools_version = version("fonttools")
            except PackageNotFoundError:
                _fonttools_version = "unknown"
    return _fonttools_version


# The user's subsets, else those of the bundled fonts shipped with the program.
_disk = DiskCache("font-subsets", SHIPPED_FOLDER, ".ttf", _whole_font)


def _user_folder(name: str) -> Path | None:
    """Return the user's cache folder ``name`` beside the Word subsets' one, or None.

    ``configure(disk=…)`` and BRIEFING_CHART_CACHE=off rule every such folder: a folder
    given to ``configure`` holds the Word subsets itself and the others below it.
    """
    base = _disk.user_folder()
    if base is None:
        return None
    with _disk._lock:
        default = _disk._user is True
    return base.parent / name if default else base / name


def _shipped_folder(name: str) -> Path | None:
    """Return the shipped folder ``name`` beside the Word subsets' one, or None.

    A folder given to ``configure(shipped=…)`` holds the Word subsets itself and the
    other shipped kinds below it.
    """
    base = _disk.shipped_folder()
    if base is None:
        return None
    with _disk._lock:
        default = _disk._shipped is True
    return base.parent / name if default else base / name
