"""Write the documentation screenshots: ``python -m briefing.gui.screenshots [folder]``.

English and Arabic main windows, a refused figure value, the preview at fit width
and at 200 %, and the section editor with its figure chips in both interfaces.
Runs offscreen with a throw-away settings folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

DEFAULT_FOLDER = Path("docs/screenshots")


def _settle(_app: QApplication, ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _wait_signal(signal: object, timeout_ms: int = 120_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)  # type: ignore[attr-defined]


def _wait_ready(app: QApplication, window: object) -> None:
    if window.preview_pane.document.pageCount() == 0:  # type: ignore[attr-defined]
        _wait_signal(window.preview_controller.ready)  # type: ignore[attr-defined]
    _settle(app)


def main(argv: list[str] | None = None) -> int:
    """Write the PNGs to the folder given (docs/screenshots by default)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else DEFAULT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["BRIEFING_DATA_DIR"] = tempfile.mkdtemp(prefix="briefing-shots-")
    from datetime import date

    from briefing import edits
    from briefing.gui.i18n import install_language
    from briefing.gui.mainwindow import MainWindow
    from briefing.gui.qtfonts import register_bundled_fonts
    from briefing.gui.session import Session
    from briefing.gui.settings import AppSettings
    from briefing.library import load_library

    app = QApplication.instance() or QApplication(["briefing-screenshots"])
    QCoreApplication.setApplicationName("Briefing")
    register_bundled_fonts()
    library = load_library()
    written: list[Path] = []

    def shot(window: MainWindow, name: str) -> None:
        _settle(app)
        path = folder / name
        window.grab().save(str(path))
        written.append(path)

    def shot_section_editor(window: MainWindow, lang: str) -> None:
        # One's own section made from a library one: its figures show as chips.
        from dataclasses import replace

        base = library.section("kazakhstan_resources")
        assert base is not None
        section = replace(base, id="our_resources", custom=True)
        dialog = window._section_dialog(section)
        dialog.resize(1280, 760)
        _settle(app)  # drawn without being shown: the offscreen platform has no dialogs
        path = folder / f"section-editor-{lang}.png"
        dialog.grab().save(str(path))
        written.append(path)
        dialog.reject()
        dialog.deleteLater()

    for lang in ("en", "ar"):
        install_language(app, lang)
        # A brief in all three languages: the window previews the interface's language.
        brief = edits.set_meta(edits.default_brief(library), date=date.today())
        session = Session(library, edits.set_languages(brief, ("ar", "en", "bi")))
        window = MainWindow(session, AppSettings(), ui_lang=lang, preview_debounce_ms=50)
        window.resize(1400, 860)
        loop = QEventLoop()
        window.preview_controller.ready.connect(loop.quit)
        QTimer.singleShot(120_000, loop.quit)
        window.show()
        loop.exec()
        _settle(app)
        shot(window, f"main-window-{lang}.png")
        if lang == "en":
            window.tabs.setCurrentIndex(1)
            model = window.figure_model
            row = model.figure_ids.index("kz_exports_eu_share")
            index = model.index(row, model.column_of("value"))
            window.figure_editor.table.setCurrentIndex(index)
            model.setData(index, "140")
            shot(window, "figure-error-en.png")
            window.tabs.setCurrentIndex(0)
            loop = QEventLoop()
            window.preview_controller.ready.connect(loop.quit)
            QTimer.singleShot(120_000, loop.quit)
            window.set_preview_lang("bi")
            loop.exec()
            _settle(app)
            window.preview_pane.set_zoom("width")
            shot(window, "preview-fit-width.png")
            window.preview_pane.set_zoom(2.0)
            shot(window, "preview-200.png")
        shot_section_editor(window, lang)
        window.close_for_rebuild()  # closes without asking about the untouched brief
        window.deleteLater()
        _settle(app)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
