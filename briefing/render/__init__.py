"""Renderers that turn a Document into PDF, Word and chart pictures."""

import re
import sys
import threading
from typing import Any

# reportlab's paragraph module compiles, as it is imported, a pattern for web addresses
# that is case-blind over most of Unicode: compiling it takes a tenth of a second, and
# it is used only to link addresses in reportlab's own paragraphs, which no brief uses.
_ADDRESS_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"


class _PatternOnFirstUse:
    """A regular expression compiled the first time one of its methods is looked up."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


def load_platypus() -> None:
    """Import reportlab's page layout modules, its address pattern compiled on first use."""
    if "reportlab.platypus" in sys.modules:
        return
    real = re.compile
    importer = threading.current_thread()

    def compile_later(pattern: Any, flags: int = 0) -> Any:
        if (
            threading.current_thread() is importer
            and isinstance(pattern, str)
            and pattern.startswith(_ADDRESS_PATTERN_START)
        ):
            return _PatternOnFirstUse(pattern, flags)
        return real(pattern, flags)

    re.compile = compile_later
    try:
        import reportlab.platypus  # noqa: F401
    finally:
        re.compile = real
