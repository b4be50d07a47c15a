"""Messages between the export and the processes it forks: a fixed header, then a payload."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to the pipe ``fd`` (a pipe may take less than asked at once)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def read_messages(fd: int, header: struct.Struct) -> Iterator[tuple[tuple[int, ...], bytes]]:
    """Yield (header fields, payload) for each whole message on the pipe ``fd``, then close it.

    The header's last field is the payload's length. Reading ends when the writer closes
    the pipe, or with a message cut short: its writer died while writing it.
    """
    with open(fd, "rb") as stream:
        while True:
            head = stream.read(header.size)
            if len(head) < header.size:
                return
            fields = header.unpack(head)
            payload = stream.read(fields[-1])
            if len(payload) < fields[-1]:
                return
            yield fields, payload
