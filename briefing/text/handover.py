"""What a forked process added to the kept layouts and shaped runs, handed to its parent.

An export's second process lays out and shapes text the exporting process did not (the
Word writer measures its table cells, say). One process writes the user's cache files,
since two writing the same file would lose one's entries: so the second process sends
what it added, packed by ``added_since``, and the first keeps it (``adopt``) to write with
its own. A store is one cache file's entries: the kept layouts of a font set, the shaped
runs of a font. The callers hold their module's lock.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable
from typing import Any, Protocol


class Store(Protocol):
    """The entries of one cache file, as ``kept_layouts`` and ``shaping`` keep them."""

    key: str  # the name of the file the entries are kept in
    added_keys: list[Any]  # the keys added since the file was read or written, in order

    def stored(self) -> dict[Any, Any]: ...

    def has_room(self) -> bool: ...

    def add(self, key: Any, value: Any) -> None: ...


def mark(stores: Iterable[Store | None]) -> dict[str, int]:
    """Return how many entries each store has added so far."""
    return {store.key: len(store.added_keys) for store in stores if store is not None}


def added_since(stores: Iterable[Store | None], since: dict[str, int]) -> bytes:
    """Return the entries the stores added after ``since`` (a ``mark``), packed."""
    added: dict[str, dict[Any, Any]] = {}
    for store in stores:
        if store is None:
            continue
        start = since.get(store.key, 0)
        if len(store.added_keys) > start:
            stored = store.stored()
            added[store.key] = {
                key: stored[key] for key in store.added_keys[start:] if key in stored
            }
    return marshal.dumps(added)


def adopt(stores: Iterable[Store | None], data: bytes) -> None:
    """Add to the stores the entries another process packed (``added_since``) that they
    lack, as far as they have room."""
    added = marshal.loads(data)  # from this program's own forked process
    for store in stores:
        if store is None:
            continue
        stored = store.stored()
        for key, value in added.get(store.key, {}).items():
            if key not in stored and store.has_room():
                store.add(key, value)
