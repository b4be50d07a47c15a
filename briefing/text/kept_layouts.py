"""Paragraph layouts kept between runs of the program, in the user's cache folder.

Breaking a paragraph into lines and setting each line (shaping its words, reordering it,
hyphenating English) is most of what a PDF export spends outside reportlab, and an export
run again, or of a brief edited in a few places, lays out the same paragraphs at the same
widths. The lines of each paragraph are kept per font set, in a file named by a hash of the
font files' bytes, of the layout code's source (so that any change to it starts afresh),
of HarfBuzz's version and of the bidi and hyphenation packages installed; an entry is found
by the text, its direction, its style and its width, exactly. The file holds at most
KEPT_LAYOUTS paragraphs (those used last first) and the folder at most KEPT_FILES files.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import threading
from itertools import starmap
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing.text.fonts import FontSet
    from briefing.text.layout import Line, TextStyle
    from briefing.text.shaping import Glyph

# Bump when what a layout is made of changes in a way the source digest below misses.
LAYOUT_VERSION = "1"
FOLDER = "layouts"
KEPT_LAYOUTS = 20_000
KEPT_FILES = 8
_MAGIC = b"BRLAYOUT1"
# The modules whose code decides a paragraph's lines and glyphs.
_CODE = ("layout", "shaping", "bidi", "script", "fonts")
# Packages whose data decides them too (their installed files stand for their version).
_PACKAGES = ("uharfbuzz", "bidi", "pyphen")

_lock = threading.Lock()
_code_digest: str | None = None

Key = tuple[str, str, float, float, bool, str, float, float]


def _code() -> str:
    """Return a digest of the layout code's source and of the packages it relies on."""
    global _code_digest
    if _code_digest is None:
        digest = hashlib.sha256(LAYOUT_VERSION.encode())
        here = Path(__file__).parent
        for name in _CODE:
            try:
                digest.update((here / f"{name}.py").read_bytes())
            except OSError:  # compiled files only: the program's version stands for them
                from briefing import __version__

                digest.update(f"{name}:{__version__}".encode())
        for package in _PACKAGES:
            spec = importlib.util.find_spec(package)
            origin = spec.origin if spec is not None else None
            if origin:
                status = Path(origin).stat()
                digest.update(f"{package}:{origin}:{status.st_size}:{status.st_mtime_ns}".encode())
        _code_digest = digest.hexdigest()
    return _code_digest


def _encode(lines: tuple[Line, ...]) -> tuple[Any, ...]:
    return tuple(
        (
            tuple(
                (
                    run.text, run.font, run.size, run.x,
                    tuple((g.gid, g.cluster, g.advance, g.dx, g.dy) for g in run.glyphs),
                    run.logical, run.rtl, run.lead,
                )
                for run in line.runs
            ),
            line.width, line.logical, line.spaces, line.rtl,
        )
        for line in lines
    )


def _decode(
    stored: tuple[Any, ...], glyphs: dict[tuple[Any, ...], tuple[Glyph, ...]]
) -> tuple[Line, ...]:
    """Return the lines of a stored layout; ``glyphs`` holds the glyph runs made so far
    (a word's glyphs recur throughout a brief, and a glyph object takes microseconds)."""
    from briefing.text.layout import Line, Run
    from briefing.text.shaping import Glyph

    lines = []
    for runs, width, logical_line, spaces, line_rtl in stored:
        made = []
        for text, font, size, x, units, logical, rtl, lead in runs:
            shaped = glyphs.get(units)
            if shaped is None:
                shaped = glyphs[units] = tuple(starmap(Glyph, units))
            made.append(Run(text, font, size, x, shaped, logical, rtl, lead))
        lines.append(Line(tuple(made), width, logical_line, spaces, line_rtl))
    return tuple(lines)


class _Kept:
    """The layouts of one font set made before, read from the cache folder once."""

    def __init__(self, fonts: FontSet) -> None:
        from briefing.fonts import fallback_faces
        from briefing.render import font_subsets

        files = []
        for face in (fonts.arabic, fonts.latin, *fallback_faces()):
            files += [face.regular, face.bold]
        name = "\0".join([_code(), *(font_subsets.font_digest(path) for path in files)])
        self.fonts = fonts
        self.key = hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".layouts"
        # Layouts under ``Key``; ``measure_text``'s two widths under ``(*Key, "measure")``.
        self.entries: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.used: set[tuple[Any, ...]] = set()
        self.added = False
        self.registered: set[str] = set()  # font names known to be registered here
        self.glyphs: dict[tuple[Any, ...], tuple[Glyph, ...]] = {}
        stored = font_subsets.read_cached(FOLDER, self.key)
        if stored is not None and stored.startswith(_MAGIC):
            try:
                entries = marshal.loads(stored[len(_MAGIC) :])
            except (ValueError, EOFError, TypeError):
                entries = None  # torn: laid out again
            if isinstance(entries, dict):
                self.entries = entries

    def _fonts_ready(self, stored: tuple[Any, ...]) -> bool:
        """Register the fonts a stored layout draws with (a fallback font may not be yet);
        False when one is not in the font set's book (then the layout is made again)."""
        from briefing.text.fonts import font_book, registered_names

        with _lock:  # another lane's thread may be adding to the set
            names = {run[1] for line in stored for run in line[0]} - self.registered
        if not names:
            return True
        known = registered_names()
        if not names <= known:
            book = font_book(self.fonts)
            for script in ("arabic", "latin"):
                for bold in (False, True):
                    book.chain(script, bold)
            known = registered_names()
        with _lock:
            self.registered |= names & known
        return names <= known

    def get(self, key: Key) -> tuple[Line, ...] | None:
        with _lock:
            stored = self.entries.get(key)
        if stored is None or not self._fonts_ready(stored):
            return None
        try:
            with _lock:
                lines = _decode(stored, self.glyphs)
        except (TypeError, ValueError):
            return None  # another shape than this code writes: made again
        with _lock:
            self.used.add(key)
        return lines

    def measures(self, key: Key) -> tuple[float, float] | None:
        """Return the kept ``measure_text`` of a paragraph, or None."""
        with _lock:
            found = self.entries.get((*key, "measure"))
            if isinstance(found, tuple) and len(found) == 2:
                self.used.add((*key, "measure"))
                return found
        return None

    def put_measures(self, key: Key, measures: tuple[float, float]) -> None:
        with _lock:
            if len(self.entries) < 2 * KEPT_LAYOUTS:
                self.entries[(*key, "measure")] = measures
                self.used.add((*key, "measure"))
                self.added = True

    def put(self, key: Key, lines: tuple[Line, ...]) -> None:
        with _lock:
            if len(self.entries) < 2 * KEPT_LAYOUTS:  # a long session keeps memory bounded
                self.entries[key] = _encode(lines)
                self.used.add(key)
                self.added = True

    def save(self) -> None:
        """Write the layouts back if new ones were made: those used this time first."""
        from briefing.render import font_subsets

        with _lock:
            if not self.added:
                return
            kept = {key: self.entries[key] for key in self.used}
            for key, stored in self.entries.items():
                if len(kept) >= KEPT_LAYOUTS:
                    break
                kept.setdefault(key, stored)
            self.entries = kept
            self.used = set()
            self.added = False
            data = _MAGIC + marshal.dumps(kept)
        font_subsets.write_cached(FOLDER, self.key, data, KEPT_FILES)


_kept: dict[FontSet, _Kept | None] = {}


def kept(fonts: FontSet) -> _Kept | None:
    """Return the kept layouts of ``fonts`` (None where no cache folder is used)."""
    from briefing.render import font_subsets

    with _lock:
        if fonts in _kept:
            return _kept[fonts]
    found: _Kept | None = None
    if font_subsets.user_folder(FOLDER) is not None:
        try:
            found = _Kept(fonts)
        except OSError:
            found = None
    with _lock:
        return _kept.setdefault(fonts, found)


def key_of(text: str, base: str, style: TextStyle, width: float) -> Key:
    return (text, base, style.size, style.leading, style.bold, style.align,
            style.arabic_scale, width)


def save_kept_layouts() -> None:
    """Write the layouts made since the last call to the user's cache folder."""
    with _lock:
        every = [entry for entry in _kept.values() if entry is not None]
    for entry in every:
        entry.save()


def forget_kept_layouts() -> None:
    """Forget the layouts read in this process (tests; the cache folder changed)."""
    from briefing.text.layout import layout_text

    with _lock:
        _kept.clear()
    layout_text.cache_clear()
