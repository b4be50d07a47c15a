"""Start the desktop app: settings, interface language, recovery offer, main window."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing import edits
from briefing.errors import BriefingError
from briefing.gui.autosave import Autosaver
from briefing.gui.i18n import install_language
from briefing.gui.prompts import Prompts
from briefing.gui.session import Session
from briefing.gui.settings import DATA_DIR_ENV, AppSettings, data_dir
from briefing.gui.single_instance import (
    InstanceServer,
    connect_handler,
    hand_to_running,
    server_name,
)
from briefing.gui.workers import EarlyPreview

if TYPE_CHECKING:  # imported when the first window is built, after the preview's start
    from briefing.gui.mainwindow import MainWindow

log = logging.getLogger(__name__)


class AppController(QObject):
    """Owns the session and autosave for the whole run; windows come and go around them.

    Changing the interface language builds a new window in that language around the
    same session, so nothing typed is lost and the undo history stays.
    """

    def __init__(
        self,
        app: QApplication,
        session: Session,
        settings: AppSettings,
        autosaver: Autosaver,
        prompts_factory: type[Prompts] = Prompts,
    ) -> None:
        super().__init__(app)
        self.app = app
        self.session = session
        self.settings = settings
        self.autosaver = autosaver
        self.prompts_factory = prompts_factory
        self.ui_lang = settings.ui_language()
        self.window: MainWindow | None = None
        self.preview_on_show = True
        # The first window's first preview, started before the window was built.
        self.early_preview: EarlyPreview | None = None
        # Windows opened for briefs handed over by later starts, each with its own journal.
        self.others: list[AppController] = []

    def open_in_new_window(self, path: Path) -> AppController:
        """Open ``path`` in a new window with its own session and journal."""
        session = Session(self.session.library)
        autosaver = Autosaver(session, self.autosaver.folder)
        other = AppController(
            self.app, session, self.settings, autosaver, prompts_factory=self.prompts_factory
        )
        other.preview_on_show = self.preview_on_show
        window = other.build_window()
        autosaver.start()
        window.open_brief(Path(path))
        if self.app.platformName() != "offscreen":  # it has no window stacking
            window.raise_()
            window.activateWindow()
        self.others.append(other)
        return other

    def build_window(self) -> MainWindow:
        """Create and show the main window in the current interface language."""
        from briefing.gui.mainwindow import MainWindow

        install_language(self.app, self.ui_lang)
        window = MainWindow(self.session, self.settings, self.autosaver, ui_lang=self.ui_lang)
        window.prompts = self.prompts_factory(window)
        window.languageChangeRequested.connect(self.switch_language)
        window.preview_on_show = self.preview_on_show
        window.preview_controller.early, self.early_preview = self.early_preview, None
        self.window = window
        window.show()
        return window

    @Slot(str)
    def switch_language(self, lang: str) -> None:
        """Rebuild the window in ``lang`` around the same brief."""
        old = self.window
        self.ui_lang = lang
        if old is not None:
            old.close_for_rebuild()
        self.build_window()
        if old is not None:
            old.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Open a .brief file that the desktop hands to the running app (macOS Finder)."""
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = event.file()
            if path.endswith(".brief") and self.window is not None:
                self.window.open_brief(Path(path))
                return True
        return super().eventFilter(watched, event)

    def offer_recovery(self) -> None:
        """After a crash, offer each crashed window's journal back (asked once the window shows).

        Nothing is deleted before the answer: a crash while the question is open offers it
        again. An accepted journal becomes this window's journal and stays until the brief is
        saved; journals not taken here are left for the next start.
        """
        self.autosaver.start()
        if self.window is None:
            return
        recoveries = self.autosaver.pending_recoveries()
        taken = False
        for recovery in reversed(recoveries):  # newest first
            if taken:
                recovery.release()
                continue
            _hook_say("recovery-question")
            if self.window.prompts.ask_recover(recovery.saved_at):
                self.autosaver.adopt(recovery)
                self.session.reset(recovery.brief, recovery.original_path, modified=True)
                # Written again at once in the adopted journal, so a second crash cannot lose it.
                self.autosaver.save_now()
                self.window.statusBar().showMessage(
                    self.tr("Recovered the autosaved brief"), 6000
                )
                taken = True
            else:
                recovery.discard()


TEST_HOOKS_ENV = "BRIEFING_TEST_HOOKS"


def _hooks_on() -> bool:
    return os.environ.get(TEST_HOOKS_ENV) == "1"


def _hook_say(message: str) -> None:
    """Report progress on stdout for process tests (only with the test hooks on)."""
    if _hooks_on():
        print(message, flush=True)


def _test_script(args: list[str]) -> dict[str, Any]:
    """Return the JSON given by ``--test-script FILE`` (honoured only with the test hooks on)."""
    if "--test-script" not in args:
        return {}
    index = args.index("--test-script")
    name = args[index + 1] if index + 1 < len(args) else ""
    del args[index:index + 2]
    if not _hooks_on() or not name:
        return {}
    data = json.loads(Path(name).read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _answer_next_question(app: QApplication, answer: str) -> None:
    """Press ``answer`` ("yes"/"no") on the next modal question box (process tests)."""
    wanted = QMessageBox.StandardButton.Yes if answer == "yes" else QMessageBox.StandardButton.No

    def press() -> None:
        box = app.activeModalWidget()
        if isinstance(box, QMessageBox) and box.button(wanted) is not None:
            box.button(wanted).click()
        else:
            QTimer.singleShot(50, press)

    QTimer.singleShot(50, press)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the app; an optional argument names a .brief file to open."""
    args = list(sys.argv if argv is None else argv)
    # Before any thread starts: the charts' drawing process, loading matplotlib meanwhile.
    from briefing.gui.chart_server import start_chart_server

    chart_server = start_chart_server()
    # The renderer's imports and fonts load on a thread while Qt and the window start.
    early = EarlyPreview()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Keep user templates with the rest of the user data when that folder is moved (tests,
    # portable set-ups), unless the templates folder is set on its own.
    if os.environ.get(DATA_DIR_ENV) and not os.environ.get("BRIEFING_USER_TEMPLATES"):
        os.environ["BRIEFING_USER_TEMPLATES"] = str(data_dir() / "templates")
    app = QApplication.instance() or QApplication(args)
    app.setOrganizationName("Briefing")
    app.setApplicationName("Briefing")
    app.setApplicationDisplayName("Briefing")
    to_open = [a for a in args[1:] if a.endswith(".brief")]
    name = server_name(data_dir())
    if to_open and hand_to_running(name, [Path(p) for p in to_open]):
        # The running app opens it in a new window; this start has nothing more to do.
        early.cancel()
        return 0
    settings = AppSettings()
    try:
        from briefing.library import load_library

        library = load_library()
    except BriefingError as exc:
        early.cancel()
        install_language(app, settings.ui_language())
        QMessageBox.critical(None, "Briefing", str(exc))
        return 2
    instance = InstanceServer(name, app)
    instance.listen()
    session = Session(library)
    autosaver = Autosaver(session, data_dir() / "autosave")
    controller = AppController(app, session, settings, autosaver)
    if to_open:
        early.cancel()  # the window shows the opened brief instead
    else:
        from briefing.gui.preview import initial_preview_lang

        early.render(session.brief, library,
                     initial_preview_lang(session.brief.languages, controller.ui_lang))
        controller.early_preview = early
    connect_handler(instance, controller.open_in_new_window)
    app.installEventFilter(controller)
    window = controller.build_window()

    script = _test_script(args)

    def after_show() -> None:
        if script.get("answer_recovery"):
            _answer_next_question(app, str(script["answer_recovery"]))
        controller.offer_recovery()
        if to_open and controller.window is not None:
            controller.window.open_brief(Path(to_open[0]))
        for step in script.get("edits", []):
            # Real edits through the session's undo stack, as the editors make them.
            controller.session.apply(
                "title", edits.set_meta_text, str(step["field"]), str(step["lang"]),
                str(step["text"]),
            )
        brief = controller.session.brief
        _hook_say(f"ready title-en={brief.meta.title.en}")

    QTimer.singleShot(0, after_show)
    del window
    try:
        return int(app.exec())
    finally:
        if chart_server is not None:
            from briefing.render.charts import set_remote_drawer

            set_remote_drawer(None)
            chart_server.close()


if __name__ == "__main__":
    sys.exit(main())
