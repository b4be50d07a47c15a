"""Interface language: load the Arabic translation and mirror the layout right-to-left."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from briefing.resources import as_path, resource

_installed: list[QTranslator] = []

LEFT_TO_RIGHT_ISOLATE = "\u2066"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolate_ltr(text: object) -> str:
    """Return ``text`` wrapped as a left-to-right island, for paths and file names in Arabic.

    Without it the bidi algorithm moves a path's leading "/" or a name's ".pdf" to the
    wrong end when the sentence around it is Arabic.
    """
    return f"{LEFT_TO_RIGHT_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def translation_file(lang: str) -> str:
    """Return the path of the app's compiled translation for ``lang``."""
    return str(as_path(resource("i18n", f"briefing_{lang}.qm")))


def install_language(app: QApplication, lang: str) -> bool:
    """Switch the interface to ``lang`` ("en" or "ar"); return False if a file is missing.

    English is the source language, so it needs no file. Qt's own strings (standard
    buttons, file dialogs) come from the translations shipped with Qt.
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    ok = True
    if lang == "ar":
        own = QTranslator(app)
        if own.load(translation_file(lang)):
            app.installTranslator(own)
            _installed.append(own)
        else:
            ok = False
        qt_base = QTranslator(app)
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_base.load(f"qtbase_{lang}", qt_folder):
            app.installTranslator(qt_base)
            _installed.append(qt_base)
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight
    )
    language = QLocale.Language.Arabic if lang == "ar" else QLocale.Language.English
    QLocale.setDefault(QLocale(language))
    return ok
