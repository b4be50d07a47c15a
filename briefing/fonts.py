"""Bundled font families and the files behind them (no system fonts are ever used)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefing.resources import as_path, resource


@dataclass(frozen=True)
class FontFace:
    """A font family as two files: regular and bold."""

    family: str
    regular: Path
    bold: Path


# Family name -> (regular file, bold file) under resources/fonts.
BUNDLED_FAMILIES: dict[str, tuple[str, str]] = {
    "Amiri": ("Amiri-Regular.ttf", "Amiri-Bold.ttf"),
    "Noto Naskh Arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "Noto Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "Noto Serif": ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
}

# Families that cover Arabic script; the others are Latin-only.
ARABIC_FAMILIES = {"Amiri", "Noto Naskh Arabic"}


def bundled_face(family: str) -> FontFace:
    """Return the bundled face for ``family`` (a key of BUNDLED_FAMILIES)."""
    regular, bold = BUNDLED_FAMILIES[family]
    return FontFace(
        family=family,
        regular=as_path(resource("fonts", regular)),
        bold=as_path(resource("fonts", bold)),
    )


def fallback_faces() -> list[FontFace]:
    """Return the faces tried, in order, for characters the chosen fonts lack."""
    return [bundled_face("Amiri"), bundled_face("Noto Sans"), bundled_face("Noto Naskh Arabic")]
