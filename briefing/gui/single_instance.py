"""One running app per user data folder: a .brief opened again is handed to the running app."""

from __future__ import annotations

import getpass
import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 1000


def server_name(data_folder: Path) -> str:
    """Return the local server name for this user and data folder."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    digest = hashlib.sha256(f"{user}\0{Path(data_folder).resolve()}".encode()).hexdigest()
    return f"briefing-{digest[:16]}"


def hand_to_running(name: str, paths: list[Path]) -> bool:
    """Send ``paths`` to a running app listening on ``name``; return False when none runs."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    payload = "".join(str(Path(p).resolve()) + "\n" for p in paths).encode("utf-8")
    socket.write(payload)
    ok = socket.waitForBytesWritten(CONNECT_TIMEOUT_MS) or socket.bytesToWrite() == 0
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
    return ok


class InstanceServer(QObject):
    """Listens for briefs handed over by later starts and reports each path."""

    briefRequested = Signal(str)

    def __init__(self, name: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a socket file left by a crashed run is replaced."""
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        if self.server.listen(self.name):
            return True
        log.warning("cannot listen for other starts: %s", self.server.errorString())
        return False

    def close(self) -> None:
        """Stop listening."""
        self.server.close()

    @Slot()
    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._finish(s))
            if socket.bytesAvailable():
                self._read(socket)
            if socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
                self._finish(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        self._buffers[socket] += bytes(socket.readAll().data())
        data = self._buffers[socket]
        *lines, rest = data.split(b"\n")
        self._buffers[socket] = rest
        for line in lines:
            self._emit(line)

    def _finish(self, socket: QLocalSocket) -> None:
        if socket not in self._buffers:
            return
        self._buffers[socket] += bytes(socket.readAll().data())
        for line in self._buffers.pop(socket).split(b"\n"):
            self._emit(line)
        socket.deleteLater()

    def _emit(self, line: bytes) -> None:
        text = line.decode("utf-8", errors="replace").strip()
        if text:
            self.briefRequested.emit(text)


def connect_handler(server: InstanceServer, handler: Callable[[Path], Any]) -> None:
    """Call ``handler`` with each handed-over path."""
    server.briefRequested.connect(lambda text: handler(Path(text)))
