"""Make the bundled font files available to Qt widgets (previews use the brief's fonts)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFontDatabase

from briefing.fonts import BUNDLED_FAMILIES, bundled_face


@cache
def register_bundled_fonts() -> dict[str, str]:
    """Load every bundled family into Qt once; return {bundled name: Qt family name}."""
    families: dict[str, str] = {}
    for family in BUNDLED_FAMILIES:
        face = bundled_face(family)
        for path in (face.regular, face.bold):
            font_id = QFontDatabase.addApplicationFont(str(path))
            loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if loaded:
                families.setdefault(family, loaded[0])
    return families
