"""Read TOML files into plain data with one-line errors that name the file and key."""

from __future__ import annotations

import builtins
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError
from briefing.model import LocalText, parse_decimal
from briefing.textfile import read_text_file


def read_toml(path: Path | Any, name: str | None = None) -> dict[str, Any]:
    """Return the parsed TOML at ``path`` (a Path or Traversable), or raise naming it."""
    label = name or str(path)
    text = read_text_file(path, label, "TOML file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BriefingError(f"{label}: invalid TOML: {exc}") from None


class Table:
    """A TOML table read with typed accessors that name ``file: key`` on error."""

    def __init__(self, data: dict[str, Any], where: str) -> None:
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def _error(self, key: str, problem: str) -> BriefingError:
        return BriefingError(f"{self.where}: key '{key}' {problem}")

    def has(self, key: str) -> bool:
        """Return True when ``key`` is present."""
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        """Return the value as parsed, or ``default``."""
        self.used.add(key)
        return self.data.get(key, default)

    def str(self, key: str, default: str | None = None) -> str:
        """Return a string value; raise when missing (without default) or not a string."""
        self.used.add(key)
        if key not in self.data:
            if default is None:
                raise self._error(key, "is missing")
            return default
        value = self.data[key]
        if not isinstance(value, str):
            raise self._error(key, f"must be a string, not {type(value).__name__}")
        return value

    def bool(self, key: builtins.str, default: builtins.bool) -> builtins.bool:
        """Return a boolean value."""
        self.used.add(key)
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self._error(key, f"must be true or false, not {value!r}")
        return value

    def decimal(
        self, key: builtins.str, default: Decimal | None = None, required: builtins.bool = False
    ) -> Any:
        """Return a number as Decimal (or ``default``)."""
        self.used.add(key)
        if key not in self.data:
            if required:
                raise self._error(key, "is missing")
            return default
        value = self.data[key]
        try:
            return parse_decimal(value, f"{self.where}: key '{key}'")
        except BriefingError:
            raise self._error(key, f"must be a number, not {value!r}") from None

    def date(self, key: builtins.str) -> date | None:
        """Return a TOML date (or ISO date string) or None."""
        self.used.add(key)
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self._error(key, f"must be a date like 2025-10-20, not {value!r}")

    def str_list(self, key: builtins.str) -> tuple[builtins.str, ...]:
        """Return a list of strings."""
        self.used.add(key)
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._error(key, "must be a list of strings")
        return tuple(value)

    def table(self, key: builtins.str, required: builtins.bool = False) -> Table:
        """Return a sub-table (empty when absent and not required)."""
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            if required:
                raise self._error(key, "is missing")
            value = {}
        if not isinstance(value, dict):
            raise self._error(key, "must be a table")
        where = f"{self.where}: {key}" if ":" not in self.where else f"{self.where}.{key}"
        return Table(value, where)

    def local(self, key: builtins.str, required: builtins.bool = False) -> LocalText:
        """Return a bilingual text: a table ``{ar, en}`` or a single string for both."""
        self.used.add(key)
        value = self.data.get(key)
        if value is None:
            if required:
                raise self._error(key, "is missing (give ar and en)")
            return LocalText()
        if isinstance(value, str):
            return LocalText(ar=value, en=value)
        if not isinstance(value, dict):
            raise self._error(key, "must be a table with ar and en")
        unknown = set(value) - {"ar", "en"}
        if unknown:
            raise self._error(key, f"has unknown language {sorted(unknown)[0]!r} (use ar, en)")
        for lang in ("ar", "en"):
            if lang in value and not isinstance(value[lang], str):
                raise self._error(f"{key}.{lang}", "must be a string")
        text = LocalText(ar=value.get("ar", ""), en=value.get("en", ""))
        if required and text.is_empty():
            raise self._error(key, "is empty")
        return text

    def reject_unknown(self, allowed: set[builtins.str]) -> None:
        """Raise naming the first key not in ``allowed``."""
        for key in self.data:
            if key not in allowed:
                raise self._error(key, f"is not known here (known: {', '.join(sorted(allowed))})")
