"""Read an exported PDF back with pdftotext and check that every paragraph reads in order."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from briefing.document import (
    Block,
    BulletList,
    Chart,
    Cover,
    Document,
    Heading,
    Paragraph,
    Parallel,
    ParallelList,
    ParallelTable,
    Table,
)
from briefing.errors import BriefingError
from briefing.text import FontBook, FontSet, font_book, normalize
from briefing.text.bidi import reorder_line
from briefing.text.layout import BREAK_AFTER
from briefing.text.script import is_invisible, is_mark

_XHTML = "{http://www.w3.org/1999/xhtml}"

# How many words of a paragraph a problem report quotes.
QUOTED_WORDS = 6


@dataclass(frozen=True)
class PdfLine:
    """A line of text as pdftotext found it: page, box, and its characters left to right."""

    page: int
    top: float
    bottom: float
    left: float
    right: float
    text: str  # canonical: NFKC, no spaces, no invisible characters
    raw: str = ""  # the words' characters as the text layer gives them, left to right


@dataclass(frozen=True)
class Expected:
    """A paragraph the PDF must contain: its language, logical text and weight."""

    lang: str
    text: str
    bold: bool = False
    row: int = 0  # blocks side by side (a bilingual row) share a row number


def canonical(text: str) -> str:
    """Return ``text`` in NFKC (presentation forms become letters), without spaces or controls.

    Spaces are left out because pdftotext guesses them from gaps, which a justified
    Arabic line makes wide and a font change inside a word can fake.
    """
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if not c.isspace() and not is_invisible(c))


def _compared(text: str) -> str:
    """Return ``text`` as lines are compared: :func:`canonical` without diacritics.

    Diacritics have no width: pdftotext hangs each on whichever neighbouring word its
    heuristics pick, so their place in its output says nothing about the page (that
    they are all there is tested on the text layer as a whole).
    """
    return "".join(c for c in canonical(text) if not is_mark(c))


def extract_lines(data: bytes) -> list[PdfLine]:
    """Return every text line of the PDF, words ordered left to right as drawn."""
    if shutil.which("pdftotext") is None:
        raise BriefingError(
            "verify needs poppler-utils (pdftotext): install it, or export without --verify"
        )
    with tempfile.TemporaryDirectory(prefix="briefing-verify-") as folder:
        source = Path(folder) / "brief.pdf"
        source.write_bytes(data)
        result = subprocess.run(
            ["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(source), "-"],
            capture_output=True,
            check=False,
        )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else "error"
        raise BriefingError(f"verify: pdftotext cannot read the PDF ({reason})")
    root = ElementTree.fromstring(result.stdout)
    lines: list[PdfLine] = []
    for number, page in enumerate(root.iter(f"{_XHTML}page"), start=1):
        found = []
        for line in page.iter(f"{_XHTML}line"):
            words = [
                (float(word.get("xMin", 0)), word.text or "")
                for word in line.iter(f"{_XHTML}word")
            ]
            box = [float(line.get(key, 0)) for key in ("yMin", "yMax", "xMin", "xMax")]
            found.append((box, words))
        for (top, bottom, left, right), words in _join_pieces(found):
            words.sort(key=lambda item: item[0])
            raw = "".join(text for _, text in words)
            lines.append(PdfLine(number, top, bottom, left, right, _compared(raw), raw))
    lines.sort(key=lambda line: (line.page, line.top, -line.right))
    return lines


# Pieces of one drawn line that pdftotext reports as separate lines (it may cut a
# vocalised word in two) are joined when level and no further apart than this.
JOIN_GAP = 4.0


def _join_pieces(
    found: list[tuple[list[float], list[tuple[float, str]]]],
) -> list[tuple[list[float], list[tuple[float, str]]]]:
    """Return pdftotext's lines of one page with the pieces of one drawn line joined."""
    joined: list[tuple[list[float], list[tuple[float, str]]]] = []
    for box, words in sorted(found, key=lambda item: (item[0][0], item[0][2])):
        top, bottom, left, right = box
        for other_box, other_words in joined:
            overlap = min(bottom, other_box[1]) - max(top, other_box[0])
            level = overlap >= 0.6 * min(bottom - top, other_box[1] - other_box[0])
            gap = max(left, other_box[2]) - min(right, other_box[3])
            if level and gap <= JOIN_GAP:
                other_box[:] = [
                    min(top, other_box[0]), max(bottom, other_box[1]),
                    min(left, other_box[2]), max(right, other_box[3]),
                ]
                other_words += words
                break
        else:
            joined.append((list(box), list(words)))
    return joined


def expected_paragraphs(document: Document) -> list[Expected]:
    """Return the paragraphs of ``document`` in reading order (cells and captions too).

    Each block gets its own ``row``; the two columns of a bilingual row share one.
    """
    result = []
    for row, block in enumerate(document.blocks):
        result += [replace(item, row=row) for item in _expected((block,))]
    return result


def _expected(blocks: tuple[Block, ...]) -> Iterator[Expected]:
    for block in blocks:
        if isinstance(block, Parallel):
            yield from _expected(block.ar)
            yield from _expected(block.en)
        elif isinstance(block, ParallelList):
            for lang, heading in (("ar", block.ar), ("en", block.en)):
                position = 0 if lang == "ar" else 1
                yield from _expected((heading,))
                for pair in block.items:
                    if pair[position]:
                        yield Expected(heading.lang, pair[position])
        elif isinstance(block, ParallelTable):
            yield from _expected((block.ar_heading, block.ar))
            yield from _expected((block.en_heading, block.en))
        elif isinstance(block, Cover):
            if block.style == "none":
                continue
            yield Expected(block.lang, block.title, bold=True)
            if block.subtitle:
                yield Expected(block.lang, block.subtitle)
            for label, value in block.fields:
                yield Expected(block.lang, label, bold=True)
                yield Expected(block.lang, value)
        elif isinstance(block, Heading):
            text = f"{block.number} {block.text}" if block.number else block.text
            yield Expected(block.lang, text, bold=True)
        elif isinstance(block, Paragraph):
            yield Expected(block.lang, block.text)
        elif isinstance(block, BulletList):
            for item in block.items:
                yield Expected(block.lang, item)
        elif isinstance(block, Table):
            for cell in block.header:
                yield Expected(block.lang, cell, bold=True)
            for row in block.rows:
                for cell in row:
                    yield Expected(block.lang, cell)
        elif isinstance(block, Chart):
            yield Expected(block.lang, block.caption)


class _Paragraph:
    """One expected paragraph and the displays of its pieces, computed as they are asked for."""

    def __init__(self, expected: Expected, book: FontBook, brackets: bool = True) -> None:
        self.brackets = brackets
        # A no-break space reads back as a space: it parts words like one.
        self.words = [w for w in normalize(expected.text).replace("\u00a0", " ").split(" ") if w]
        self.base = "R" if expected.lang == "ar" else "L"
        self.book = book
        self.bold = expected.bold
        # Reordering moves characters but never adds or drops one, so the length of a
        # piece's display is the sum of its words' lengths: a cheap bound per line.
        self.lengths = [len(self.display((i, 0), (i, len(w)))) for i, w in enumerate(self.words)]
        self.anchor = _core(self.display((0, 0), (0, len(self.words[0])))) if self.words else ""

    def display(self, start: tuple[int, int], end: tuple[int, int]) -> str:
        """Return the canonical visual form of the words from ``start`` to ``end``.

        Positions are ``(word, character)``; the piece is shaped, given placeholders
        where no font has a character, and reordered with get_display on its own, as
        a line of the PDF is.
        """
        shown = _display(tuple(self._piece(start, end)), self.base, self.book, self.bold)
        return shown if self.brackets else shown.translate(_NO_BRACKETS)

    def _piece(self, start: tuple[int, int], end: tuple[int, int]) -> Iterator[str]:
        (first, offset), (last, stop) = start, end
        for index in range(first, min(last, len(self.words) - 1) + 1):
            word = self.words[index]
            begin = offset if index == first else 0
            finish = stop if index == last else len(word)
            if finish > begin:
                yield word[begin:finish]

    def ends(self, start: tuple[int, int], limit: int) -> Iterator[tuple[tuple[int, int], bool]]:
        """Yield ``(end, whole)`` where a line starting at ``start`` may end, longest first.

        Lines end between words or after a dash inside a word (``whole``: the piece
        may sit anywhere in the line). Only a word too long for a line is cut
        elsewhere, and then the piece fills the line. Pieces longer than ``limit``
        characters are skipped.
        """
        first, offset = start
        found: list[tuple[int, tuple[int, int]]] = []
        total = 0
        for last in range(first, len(self.words)):
            word = self.words[last]
            begin = offset if last == first else 0
            for position in _dash_breaks(word):
                if position > begin:
                    length = total + len(self.display((last, begin), (last, position)))
                    if length <= limit:
                        found.append((length, (last, position)))
            if begin:
                total += len(self.display((last, begin), (last, len(word))))
            else:
                total += self.lengths[last]
            if total > limit:
                break
            found.append((total, (last, len(word))))
        for _, end in sorted(found, reverse=True):
            yield end, True
        word = self.words[first]
        for stop in range(len(word) - 1, offset, -1):
            yield (first, stop), False

    def next_start(self, end: tuple[int, int]) -> tuple[int, int] | None:
        """Return where the text after ``end`` starts, or None at the paragraph's end."""
        word, stop = end
        if stop < len(self.words[word]):
            return (word, stop)
        if word + 1 < len(self.words):
            return (word + 1, 0)
        return None

    def quote(self) -> str:
        """Return the paragraph's first words, for a report."""
        words = self.words[:QUOTED_WORDS]
        return " ".join(words) + ("…" if len(self.words) > QUOTED_WORDS else "")


def _dash_breaks(word: str) -> list[int]:
    """Return the positions after a hyphen or dash inside ``word`` (where the PDF may break)."""
    return [i + 1 for i, char in enumerate(word[:-1]) if char in BREAK_AFTER and i > 0]


def _core(text: str) -> str:
    """Return the longest run of letters of one direction in ``text`` (a word's display).

    Such a run almost always keeps its order wherever the word stands; brackets may
    turn round, a word mixing scripts ("ءB") may be split by its neighbours ("B A ء"),
    and digits may change places with the next word's ("٧6٣ ٧6٣" shows "٧6٧ ٣6٣"), so
    they are left out. Embedding controls inside the word can still break the run: it
    only speeds up the search, which falls back to reading every line (see _find).
    """
    best = current = ""
    current_kind = ""
    for char in text:
        kind = _direction(char)
        if kind and kind == current_kind:
            current += char
        else:
            current, current_kind = (char, kind) if kind else ("", "")
        best = current if len(current) > len(best) else best
    return best


def _direction(char: str) -> str:
    """Return "R" for right-to-left letters, "L" for left-to-right ones, "" for the rest."""
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    return "L" if kind == "L" and char.isalpha() else ""


@lru_cache(maxsize=16384)
def _display(pieces: tuple[str, ...], base: str, book: FontBook, bold: bool) -> str:
    shown = []
    for piece in pieces:
        chars = []
        for char in piece:
            if is_invisible(char) or _printable(book, char, bold):
                chars.append(char)
            elif not is_mark(char):
                chars.append(book.placeholder(bold)[0])
        shown.append("".join(chars))
    # The same complete UAX #9 reordering (paired brackets included) as the renderer.
    # The text layer holds the source characters in the order they are shown, not
    # the mirrored glyphs (a reader mirrors them back when it restores logical order).
    line = " ".join(shown)
    _, origin, _ = reorder_line(line, base)
    return _compared("".join(line[index] for index in origin))


def _printable(book: FontBook, char: str, bold: bool) -> bool:
    return (
        book.font_for(char, "arabic", bold) is not None
        or book.font_for(char, "latin", bold) is not None
    )


# A cut word fills its line; a shorter piece found in a line is a coincidence.
MIN_CUT_PIECE = 4


def _match(line: PdfLine, paragraph: _Paragraph, start: tuple[int, int]) -> tuple[int, int] | None:
    """Return where the longest piece of ``paragraph`` from ``start`` found in ``line`` ends."""
    for end, whole in paragraph.ends(start, len(line.text)):
        shown = paragraph.display(start, end)
        if not shown:
            continue
        if whole and shown in line.text:
            return end
        if not whole and len(shown) >= MIN_CUT_PIECE and (
            line.text.startswith(shown) or line.text.endswith(shown)
        ):
            return end
    return None


def _below(line: PdfLine, previous: PdfLine) -> bool:
    """Return True when ``line`` may continue ``previous``: lower in its column, or a later page."""
    if line.page != previous.page:
        return line.page > previous.page
    overlaps = line.left < previous.right and line.right > previous.left
    return overlaps and line.top > previous.top + 1.0


# A paragraph is looked for from the page of the last long paragraph found, this many
# pages on at most (a long table or chart can sit between two paragraphs).
SEARCH_PAGES = 4


# Arabic presentation forms (joined letter shapes and ligatures encoded as characters).
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
# Brackets and quotation marks whose pairs the bidi algorithm and the text layer must keep.
BRACKETS = "()[]{}«»‹›"
_NO_BRACKETS = dict.fromkeys(map(ord, BRACKETS))


def presentation_form_problems(lines: list[PdfLine]) -> list[str]:
    """Return one line per page whose text layer gives presentation forms for letters.

    A text layer of presentation forms (U+FB50-FDFF, U+FE70-FEFF) reads as Arabic on
    screen but breaks search, spell-checking, screen readers and text pasted elsewhere:
    copying must give the letters U+0600-06FF.
    """
    found: dict[int, list[str]] = {}
    for line in lines:
        forms = PRESENTATION_FORMS.findall(line.raw)
        if forms:
            found.setdefault(line.page, []).extend(forms)
    return [
        f"page {page}: the text layer gives {len(forms)} Arabic presentation forms "
        f"(U+{ord(forms[0]):04X}…) instead of letters"
        for page, forms in sorted(found.items())
    ]


def verify_pdf(data: bytes, document: Document) -> list[str]:
    """Return one line per problem of the PDF's text layer; an empty list when it reads right.

    Each paragraph of ``document`` must be found as consecutive lines, each holding
    (after NFKC, without spaces) the display of a run of its words: that catches lines
    set bottom-up, words or letters reversed, lost Latin runs and numbers turned round.
    A paragraph that reads in order once its brackets are left out has its brackets in
    the wrong place or facing the wrong way (the bidi step without the paired-bracket
    rule, or a text layer holding the mirrored characters): that is reported as such.
    Presentation forms anywhere in the text layer are reported page by page.
    """
    lines = extract_lines(data)
    book = font_book(FontSet(document.template.fonts.arabic, document.template.fonts.latin))
    problems: list[str] = presentation_form_problems(lines)
    bare_lines: list[PdfLine] | None = None
    page_starts: dict[int, int] = {}
    for index, line in enumerate(lines):
        page_starts.setdefault(line.page, index)
    # The search for a paragraph starts from the page of the last long paragraph found:
    # short texts (a "2025" cell) match anywhere, so only long ones move it on, and
    # never back (a talking point may repeat a sentence of page 1). Both columns of a
    # bilingual row are searched from where the row starts.
    cursor_page = row_start = row_end = 1
    row, lang = -1, ""
    for expected in expected_paragraphs(document):
        if expected.row != row:
            cursor_page = row_start = row_end = max(cursor_page, row_end)
        elif expected.lang != lang:
            row_end, cursor_page = max(row_end, cursor_page), row_start
        row, lang = expected.row, expected.lang
        paragraph = _Paragraph(expected, book)
        if not sum(paragraph.lengths):
            continue  # nothing visible to find (only joiners or direction marks)
        first = page_starts.get(cursor_page, 0)
        found: bool | None
        found, page = _find(paragraph, lines, first, cursor_page)
        if not found and any(c in BRACKETS for c in expected.text):
            if bare_lines is None:
                bare_lines = [
                    replace(line, text=line.text.translate(_NO_BRACKETS)) for line in lines
                ]
            bare = _Paragraph(expected, book, brackets=False)
            if _find(bare, bare_lines, first, cursor_page)[0]:
                problems.append(
                    f"page {page}: paragraph '{paragraph.quote()}' has its brackets "
                    "out of order or facing the wrong way"
                )
                found = None  # reported
        if found is False:
            problems.append(f"page {page}: paragraph '{paragraph.quote()}' reads out of order")
        elif len(paragraph.words) >= 6:
            cursor_page = max(cursor_page, page - 1)
        row_end = max(row_end, cursor_page)
    return problems


def _find(
    paragraph: _Paragraph, lines: list[PdfLine], first: int, first_page: int
) -> tuple[bool, int]:
    """Return (found, page): the page the paragraph starts on, or where reading it failed.

    Lines are first tried only where the paragraph's anchor shows; the anchor is a
    shortcut, not a proof (a cut first word or an embedding can move its letters), so
    a paragraph not found that way is looked for again in every line. Whether a
    paragraph reads in order is decided by matching its pieces line by line, never by
    the anchor.
    """
    found, page = _search(paragraph, lines, first, first_page, paragraph.anchor)
    if found or not paragraph.anchor:
        return found, page
    found, anywhere = _search(paragraph, lines, first, first_page, "")
    return found, anywhere if found else page


def _search(
    paragraph: _Paragraph, lines: list[PdfLine], first: int, first_page: int, anchor: str
) -> tuple[bool, int]:
    """Return (found, page) as :func:`_find`, trying only lines that hold ``anchor``."""
    failed_page = first_page
    for index in range(first, len(lines)):
        line = lines[index]
        if line.page > first_page + SEARCH_PAGES:
            break
        if anchor and len(anchor) <= len(line.text) and anchor not in line.text:
            continue  # (a first word longer than the line is cut: its piece is checked below)
        end = _match(line, paragraph, (0, 0))
        if end is None:
            continue
        ok, page = _follow(paragraph, lines, index, end)
        if ok:
            return True, line.page
        failed_page = page
    return False, failed_page


def _follow(
    paragraph: _Paragraph, lines: list[PdfLine], index: int, end: tuple[int, int]
) -> tuple[bool, int]:
    """Follow a paragraph from its first line; return (read to the end, page reached)."""
    previous = lines[index]
    start = paragraph.next_start(end)
    while start is not None:
        for candidate in range(index + 1, len(lines)):
            line = lines[candidate]
            if line.page > previous.page + 1:
                return False, previous.page
            if not _below(line, previous):
                continue
            found = _match(line, paragraph, start)
            if found is not None:
                index, previous, end = candidate, line, found
                break
        else:
            return False, previous.page
        start = paragraph.next_start(end)
    return True, previous.page
