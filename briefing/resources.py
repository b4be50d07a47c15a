"""Locate the shipped data (content, fonts, templates) wherever the package runs from."""

from __future__ import annotations

import importlib.resources
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


@cache
def _root(kind: str) -> Traversable:
    """Return the folder holding the shipped ``kind`` data ("resources" or "templates").

    An installed wheel and a frozen bundle carry the data as ``briefing/_data/<kind>``;
    a source checkout keeps it at the top level beside the package.
    """
    # Go through the regular package "briefing": files("briefing._data.<kind>") would name
    # a namespace package, whose Traversable (MultiplexedPath) has no usable str() path.
    packaged_dir = importlib.resources.files("briefing").joinpath("_data").joinpath(kind)
    if packaged_dir.is_dir():
        return packaged_dir
    return _CHECKOUT_ROOT / kind


def resource(*parts: str) -> Traversable:
    """Return a shipped resource file or folder, e.g. ``resource("fonts", "Amiri-Regular.ttf")``."""
    return _root("resources").joinpath(*parts)


def templates_root() -> Traversable:
    """Return the folder holding the shipped templates."""
    return _root("templates")


def as_path(item: Traversable) -> Path:
    """Return a real filesystem path for ``item`` (fonts and images need one)."""
    # Wheels and bundles are unpacked on disk, so Traversables here are real paths.
    return Path(str(item))
