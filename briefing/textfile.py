"""Read a user's text file with one-line errors that name the file and the problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing.errors import BriefingError


def read_text_file(path: Path | Any, label: str, kind: str) -> str:
    """Return the UTF-8 text at ``path`` (a Path or Traversable), or raise naming ``label``.

    ``kind`` says what the file should have been ("TOML file", "brief file") in the
    messages for a folder or for bytes that are not UTF-8 text.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BriefingError(f"{label}: file not found") from None
    except IsADirectoryError:
        raise BriefingError(f"{label}: is a folder, not a {kind}") from None
    except OSError as exc:
        raise BriefingError(f"{label}: cannot read ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BriefingError(
            f"{label}: not UTF-8 text (bad byte at {exc.start}), so not a {kind}"
        ) from None
