"""Paragraph layouts kept between runs of the program, in the user's cache folder.

Breaking a paragraph into lines and setting each line (shaping its words, reordering it,
hyphenating English) is most of what a PDF export spends outside reportlab, and an export
run again, or of a brief edited in a few places, lays out the same paragraphs at the same
widths. The lines of each paragraph are kept per font set, in a file named by a hash of the
font files' bytes, of the layout code's source (so that any change to it starts afresh),
of the versions of HarfBuzz and of the bidi and hyphenation packages; an entry is found
by the text, its direction, its style and its width, exactly. The file holds at most
KEPT_LAYOUTS paragraphs (those used last first) and the folder at most KEPT_FILES files.

The layouts of the library's own brief in every shipped template, language and digit
style are shipped with the program under the same names (``resources/text-caches``,
``python -m briefing.chart_cache``), split by type size and leading so that an export reads
only the parts its template uses: a paragraph not in the user's file is looked up there,
and one found is kept in the user's file like one laid out, so that the next export reads
the user's file alone. Nothing depends on where the program is installed, so a copy
installed elsewhere finds them; other code, fonts or package versions simply miss.

The same file keeps the PDF text operators each paragraph was drawn with, where it was
drawn (see ``briefing.text.draw``): writing a paragraph's glyphs is most of what the first
PDF of a process spends on its text, and a brief exported again draws the same paragraphs
in the same places. Those of the library's brief are shipped too, in parts of their own.
Each entry is kept in the user's and the shipped files as its own marshalled bytes,
unpacked when first looked up, so that reading a file costs little more than copying it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import threading
import zlib
from collections import OrderedDict
from itertools import starmap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.text import handover

if TYPE_CHECKING:
    from briefing.text.fonts import FontSet
    from briefing.text.layout import Line, TextStyle
    from briefing.text.shaping import Glyph

# Bump when what a layout is made of changes in a way the source digest below misses.
LAYOUT_VERSION = "2"
FOLDER = "layouts"
KEPT_LAYOUTS = 20_000
KEPT_FILES = 8
_MAGIC = b"BRLAYOUT2"  # marshal of {key: marshal of the entry}
# The shipped file: marshal of {(size, leading): zlib of marshal of {key: marshal of the
# entry}}, each entry unpacked when first looked up, as in the user's file.
SHIPPED_MAGIC = b"BRLAYSHIP2"
# The modules whose code decides a paragraph's lines and glyphs, and the operators
# drawing them.
_CODE = ("layout", "shaping", "bidi", "script", "fonts", "draw", "embed")
# The word in the key of a paragraph's drawn operators (after its layout's key), and how
# many versions of them are kept (a paragraph drawn in several files of one export at the
# same place may show its glyphs by other codes in each).
DRAWN = "drawn"
DRAWN_VERSIONS = 4
KEPT_DRAWN = 4096
# Packages whose code or data decides them too, with the attribute naming their version
# (the version, not the installed files, so that layouts made where the program was built
# are found wherever it is installed).
_PACKAGES = (("uharfbuzz", "__version__"), ("bidi", "VERSION"), ("pyphen", "__version__"))

_lock = threading.Lock()
_code_digest: str | None = None
_stats = {"made": 0, "kept": 0, "shipped": 0}

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
        for package, attribute in _PACKAGES:
            version = "missing"
            if importlib.util.find_spec(package) is not None:
                version = str(getattr(importlib.import_module(package), attribute, "unknown"))
            digest.update(f"{package}:{version}".encode())
        _code_digest = digest.hexdigest()
    return _code_digest


def cache_info() -> dict[str, int]:
    """Return how many paragraphs were laid out, and found in the user's or the shipped
    layouts, since the last ``forget_kept_layouts``."""
    with _lock:
        return dict(_stats)


def shard_of(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """Return the part of the shipped layouts an entry is in: its type size and leading
    (and the operators drawing paragraphs apart from their layouts)."""
    if key[8:9] == (DRAWN,):
        return key[2], key[3], DRAWN
    return key[2], key[3]


def shipped_bytes(entries: dict[tuple[Any, ...], Any]) -> bytes:
    """Return layouts (and measures) as a shipped file holds them (drawn operators are
    left out)."""
    shards: dict[tuple[float, float], dict[tuple[Any, ...], tuple[Any, ...]]] = {}
    for key in sorted(entries, key=repr):  # the same bytes for the same layouts
        value = entries[key]
        if not isinstance(value, bytes):
            value = marshal.dumps(value)
        shards.setdefault(shard_of(key), {})[key] = value
    packed = {shard: zlib.compress(marshal.dumps(part), 9) for shard, part in shards.items()}
    return SHIPPED_MAGIC + marshal.dumps(packed)


def read_shipped_bytes(data: bytes) -> dict[tuple[float, float], bytes] | None:
    """Return the packed parts of a shipped file, or None for a torn or foreign one."""
    if not data.startswith(SHIPPED_MAGIC):
        return None
    try:
        packed = marshal.loads(data[len(SHIPPED_MAGIC) :])
    except (ValueError, EOFError, TypeError):
        return None
    return packed if isinstance(packed, dict) else None


def read_user_bytes(data: bytes) -> dict[tuple[Any, ...], Any] | None:
    """Return the entries of a user's file (each value still marshalled), or None for a
    torn or foreign one."""
    if not data.startswith(_MAGIC):
        return None
    try:
        entries = marshal.loads(data[len(_MAGIC) :])
    except (ValueError, EOFError, TypeError):
        return None  # torn: laid out again
    return entries if isinstance(entries, dict) else None


def _unpacked(stored: Any) -> Any:
    """Return an entry as read from a file (its marshalled bytes) unpacked, one already
    unpacked as it is, a torn one as None (it is made again)."""
    if not isinstance(stored, bytes):
        return stored
    try:
        return marshal.loads(stored)
    except (ValueError, EOFError, TypeError):
        return None


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


def file_name(fonts: FontSet) -> str:
    """Return the name of the file the layouts of ``fonts`` are kept in (and shipped)."""
    from briefing.fonts import fallback_faces
    from briefing.render import font_subsets

    files = []
    for face in (fonts.arabic, fonts.latin, *fallback_faces()):
        files += [face.regular, face.bold]
    name = "\0".join([_code(), *(font_subsets.font_digest(path) for path in files)])
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".layouts"


class _Kept:
    """The layouts of one font set made before, read from the cache folder once."""

    def __init__(self, fonts: FontSet) -> None:
        from briefing.render import font_subsets

        self.fonts = fonts
        self.key = file_name(fonts)
        # Layouts under ``Key``; ``measure_text``'s two widths under ``(*Key, "measure")``.
        self.entries: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.used: set[tuple[Any, ...]] = set()
        self.added = False
        self.added_keys: list[tuple[Any, ...]] = []  # in the order added (see added_entries)
        self.drawn_added = 0
        self.registered: set[str] = set()  # font names known to be registered here
        self.glyphs: dict[tuple[Any, ...], tuple[Glyph, ...]] = {}
        # The shipped layouts, read at the first paragraph the user's file lacks: their
        # packed parts (None: not read yet) and the parts unpacked so far.
        self.packed: dict[tuple[float, float], bytes] | None = None
        self.unpacked: dict[tuple[float, float], dict[tuple[Any, ...], tuple[Any, ...]]] = {}
        stored = font_subsets.read_cached(FOLDER, self.key)
        entries = read_user_bytes(stored) if stored is not None else None
        if entries is not None:
            self.entries = entries

    def _users(self, key: tuple[Any, ...]) -> Any:
        """Return the user's entry under ``key``, unpacked (the lock held), or None."""
        stored = self.entries.get(key)
        found = _unpacked(stored)
        if found is not stored:
            if found is None:
                del self.entries[key]
            else:
                self.entries[key] = found
        return found

    def _lookup(self, key: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """Return the stored entry under ``key`` (the lock held): the user's, else the
        shipped one, which is then kept as the user's."""
        from briefing.render import font_subsets

        drawn = key[8:9] == (DRAWN,)  # operators are not counted with the layouts
        found = self._users(key)
        if found is not None:
            _stats["kept"] += not drawn
            return found
        if self.packed is None:
            data = font_subsets.read_shipped(FOLDER, self.key)
            self.packed = (read_shipped_bytes(data) if data is not None else None) or {}
        shard = shard_of(key)
        part = self.unpacked.get(shard)
        if part is None:
            try:
                part = marshal.loads(zlib.decompress(self.packed.get(shard, b"")))
            except (ValueError, EOFError, TypeError, zlib.error):
                part = None
            part = self.unpacked[shard] = part if isinstance(part, dict) else {}
        found = _unpacked(part.get(key))
        if found is not None and self.has_room():
            _stats["shipped"] += not drawn
            self.add(key, found)
        return found

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
            stored = self._lookup(key)
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
            found = self._lookup((*key, "measure"))
            if isinstance(found, tuple) and len(found) == 2:
                self.used.add((*key, "measure"))
                return found
        return None

    def put_measures(self, key: Key, measures: tuple[float, float]) -> None:
        with _lock:
            _stats["made"] += 1
            if self.has_room():
                self.add((*key, "measure"), measures)

    def drawn(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        """Return the operators kept under ``key`` (see ``drawn_key``): one or a few
        versions, for the files that gave the paragraph's glyphs other codes."""
        with _lock:
            found = self._lookup(key)
            if not isinstance(found, tuple):
                return ()
            self.used.add(key)
            return found

    def put_drawn(self, key: tuple[Any, ...], value: tuple[Any, ...]) -> None:
        """Keep operators drawn under ``key``, beside the versions kept before (at most
        KEPT_DRAWN between two saves: a preview redrawn through a long session would
        otherwise hold every place each paragraph was ever drawn at)."""
        with _lock:
            if self.has_room() and self.drawn_added < KEPT_DRAWN:
                found = self._users(key)
                versions = found if isinstance(found, tuple) else ()
                self.add(key, (*versions[-(DRAWN_VERSIONS - 1) :], value))
                self.drawn_added += 1

    def stored(self) -> dict[tuple[Any, ...], Any]:
        return self.entries

    def has_room(self) -> bool:
        return len(self.entries) < 2 * KEPT_LAYOUTS  # a long session keeps memory bounded

    def add(self, key: tuple[Any, ...], value: Any) -> None:
        """Keep ``value`` under ``key`` (the lock held), to be written back."""
        self.entries[key] = value
        self.used.add(key)
        self.added = True
        self.added_keys.append(key)

    def put(self, key: Key, lines: tuple[Line, ...]) -> None:
        with _lock:
            _stats["made"] += 1
            if self.has_room():
                self.add(key, _encode(lines))

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
            self.added_keys = []
            self.drawn_added = 0
            data = _MAGIC + marshal.dumps({
                key: value if isinstance(value, bytes) else marshal.dumps(value)
                for key, value in kept.items()
            })
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


# The lines of the layouts this process found or made, by the id of each line: the
# layout's lines (held, so that no other line can take the id while it is here), the
# line's place among them, its font set's layouts and the layout's key.
_origins: OrderedDict[int, tuple[tuple[Line, ...], int, _Kept, Key]] = OrderedDict()
KEPT_ORIGINS = 65536


def note_lines(found: _Kept, key: Key, lines: tuple[Line, ...]) -> None:
    """Remember where ``lines`` come from: the layout ``key`` of the font set ``found``."""
    with _lock:
        for index, line in enumerate(lines):
            _origins[id(line)] = (lines, index, found, key)
            _origins.move_to_end(id(line))
        while len(_origins) > KEPT_ORIGINS:
            _origins.popitem(last=False)


def drawn_key(
    lines: tuple[Line, ...] | list[Line], *place: float
) -> tuple[_Kept, tuple[Any, ...]] | None:
    """Return the layouts holding the drawn operators of ``lines`` and their key there:
    the layout's key, which of its lines, and ``place`` (where they are drawn); None
    when the lines are not consecutive lines of a layout this process found or made."""
    with _lock:
        origin = _origins.get(id(lines[0]))
    if origin is None:
        return None
    whole, start, found, key = origin
    if start + len(lines) > len(whole) or any(
        whole[start + index] is not line for index, line in enumerate(lines)
    ):
        return None
    return found, (*key, DRAWN, start, len(lines), *place)


def key_of(text: str, base: str, style: TextStyle, width: float) -> Key:
    return (text, base, style.size, style.leading, style.bold, style.align,
            style.arabic_scale, width)


def added_mark() -> dict[str, int]:
    """Return how many entries each font set's layouts have added so far."""
    with _lock:
        return handover.mark(_kept.values())


def added_entries(mark: dict[str, int]) -> bytes:
    """Return the entries added since ``mark``, packed for ``adopt_entries`` (see
    ``handover``)."""
    with _lock:
        return handover.added_since(_kept.values(), mark)


def adopt_entries(data: bytes) -> None:
    """Keep entries another process added (``added_entries``) to be written back here."""
    with _lock:
        handover.adopt(_kept.values(), data)


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
        _origins.clear()
        for name in _stats:
            _stats[name] = 0
    layout_text.cache_clear()
