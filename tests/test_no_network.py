"""No network: exporting and starting the app never open an internet socket or look up a name."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from briefing import edits
from briefing.export import export
from briefing.library import Library

INTERNET = (socket.AF_INET, socket.AF_INET6)


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every internet socket and name lookup fail, and return the attempts made.

    The attempts are recorded as well as refused, so that code which catches the error
    and carries on quietly is still caught. Local sockets (AF_UNIX) stay allowed: they
    do not leave the machine.
    """
    attempts: list[str] = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):  # type: ignore[misc,valid-type]
        def __init__(self, family: int = -1, type: int = -1, proto: int = -1,
                     fileno: int | None = None) -> None:
            if fileno is None and (socket.AF_INET if family == -1 else family) in INTERNET:
                attempts.append(f"socket(family={family})")
                raise OSError("network use is refused in this test")
            super().__init__(family, type, proto, fileno)

    def refuse(name: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise OSError(f"{name} is refused in this test")

        return refused

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname",
                 "gethostbyname_ex", "gethostbyaddr", "getnameinfo"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_the_guard_catches_a_connection(network_attempts: list[str]) -> None:
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.org/", timeout=1)
    with pytest.raises(OSError, match="refused"):
        socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    local, other = socket.socketpair()  # a local pair is not the network
    local.close()
    other.close()
    assert len(network_attempts) == 2


@pytest.mark.slow
def test_a_full_export_uses_no_network(
    network_attempts: list[str], library: Library, tmp_path: Path
) -> None:
    """Every section and chart, three languages, PDF and Word, read back with --verify."""
    brief = edits.default_brief(library)
    result = export(brief, tmp_path, languages=("ar", "en", "bi"), formats=("pdf", "docx"),
                    verify=True, library=library)
    assert len(result.paths) == 6
    assert network_attempts == []


@pytest.mark.slow
def test_app_start_up_uses_no_network(
    network_attempts: list[str], qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    library: Library,
) -> None:
    """Start the app as ``briefing-app`` does, until the window shows its first preview."""
    from PySide6.QtWidgets import QApplication

    from briefing.gui.app import AppController
    from briefing.gui.autosave import Autosaver
    from briefing.gui.i18n import install_language
    from briefing.gui.session import Session
    from briefing.gui.settings import AppSettings, data_dir

    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setenv("BRIEFING_USER_TEMPLATES", str(tmp_path / "userdata" / "templates"))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    session = Session(library)
    autosaver = Autosaver(session, data_dir() / "autosave")
    controller = AppController(app, session, AppSettings(), autosaver)
    try:
        window = controller.build_window()  # shows the window, which asks for a preview
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.preview_controller.ready, timeout=120_000) as preview:
            controller.offer_recovery()
        assert window.isVisible()
        assert preview.args[0].startswith(b"%PDF-")
    finally:
        autosaver.timer.stop()
        if controller.window is not None:
            controller.window.preview_controller.enabled = False
            controller.window.preview_controller.wait()
        install_language(app, "en")
    assert network_attempts == []


# -- below Python: the system calls of real processes ---------------------------------------------

APP_UNTIL_PREVIEW = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from briefing.gui import app as gui_app
    from briefing.gui.mainwindow import MainWindow

    qapp = QApplication(sys.argv)

    def watch():
        shown = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, watch)
            return
        shown[0].preview_controller.ready.connect(lambda data: qapp.exit(0))
        shown[0].preview_controller.failed.connect(lambda message: qapp.exit(3))

    QTimer.singleShot(0, watch)
    QTimer.singleShot(120_000, lambda: qapp.exit(4))
    sys.exit(gui_app.main(["briefing-app"]))
    """
)
INTERNET_CALL = re.compile(r"\b(socket|connect|sendto|bind)\(.*\bAF_INET6?\b")


def traced(command: list[str], log: Path, env: dict[str, str]) -> list[str]:
    """Run ``command`` under strace; return its internet socket calls (all processes)."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed")
    probe = subprocess.run([strace, "-qq", "-o", os.devnull, "true"], capture_output=True,
                           check=False)
    if probe.returncode != 0:
        pytest.skip("strace may not trace processes here")
    done = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg,bind", "-o", str(log),
         *command],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [line for line in log.read_text().splitlines() if INTERNET_CALL.search(line)]


@pytest.mark.slow
def test_no_process_opens_an_internet_socket(tmp_path: Path) -> None:
    """The command-line export (with its chart workers) and the app make no such system call."""
    env = os.environ | {
        "QT_QPA_PLATFORM": "offscreen",
        "BRIEFING_DATA_DIR": str(tmp_path / "userdata"),
        "BRIEFING_USER_TEMPLATES": str(tmp_path / "userdata" / "templates"),
        "BRIEFING_CHART_CACHE": "off",
    }
    export_calls = traced(
        [sys.executable, "-m", "briefing.cli", "export", "--lang", "ar,bi", "--format",
         "pdf,docx", "--out", str(tmp_path / "out"), "--verify", "--quiet"],
        tmp_path / "export.trace", env,
    )
    assert export_calls == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "brief-ar.docx", "brief-ar.pdf", "brief-bi.docx", "brief-bi.pdf"
    ]
    app_calls = traced([sys.executable, "-c", APP_UNTIL_PREVIEW], tmp_path / "app.trace", env)
    assert app_calls == []
