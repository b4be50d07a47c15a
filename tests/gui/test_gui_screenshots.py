"""The screenshot script writes every documentation picture, each a real window image."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from briefing.gui import screenshots
from briefing.gui.i18n import install_language


@pytest.mark.slow
def test_screenshots_are_written(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_data: Path
) -> None:
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(private_data))
    try:
        assert screenshots.main([str(tmp_path)]) == 0
    finally:
        install_language(qapp, "en")
    names = sorted(p.name for p in tmp_path.glob("*.png"))
    assert names == sorted([
        "main-window-en.png", "main-window-ar.png", "figure-error-en.png",
        "preview-fit-width.png", "preview-200.png",
        "section-editor-en.png", "section-editor-ar.png",
    ])
    for name in names:
        image = QImage(str(tmp_path / name))
        assert image.width() >= 1200 and image.height() >= 700, name
        # A window, not a blank canvas: many distinct colours.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
                   for y in range(0, image.height(), 29)}
        assert len(colours) > 20, name
