"""The one error type users see: a single line naming what is wrong."""

from __future__ import annotations


class BriefingError(Exception):
    """Bad input from a user: a file, a figure, an id or a value, named in one line.

    The command line prints it as ``error: <message>`` and exits with status 2; the
    GUI shows it in a dialog. Anything else escaping is a bug.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()) if "\n" in message else message)
