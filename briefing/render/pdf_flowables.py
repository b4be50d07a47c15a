"""Platypus flowables for briefs: shaped text blocks, stacks, shaded boxes, side-by-side rows."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfdoc
from reportlab.platypus.doctemplate import ActionFlowable, BaseDocTemplate
from reportlab.platypus.flowables import Flowable, Spacer

from briefing.errors import BriefingError
from briefing.render.pdf_tags import Tag, tagged
from briefing.text import Direction, Line, TextStyle, baseline_offset, draw_lines, layout_text
from briefing.text.fonts import arabic_leading

# Lines kept together at the foot and head of a page when a paragraph breaks.
MIN_LINES_AT_BREAK = 2


class TextBlock(Flowable):
    """A paragraph of plain text (never markup), shaped, wrapped and reordered line by line.

    ``indent_start``/``indent_end`` follow the reading direction: for Arabic the start
    is the right edge. A ``bullet`` hangs in the start indent of the first line. A
    ``bookmark`` ``(title, key)`` adds a destination and an outline entry when drawn.
    ``tag`` is its element in the tagged PDF (None: page furniture).
    """

    tag: Tag | None = None

    def __init__(
        self,
        text: str,
        base: Direction,
        style: TextStyle,
        colour: Color,
        *,
        space_before: float = 0.0,
        space_after: float = 0.0,
        indent_start: float = 0.0,
        indent_end: float = 0.0,
        bullet: str = "",
        bookmark: tuple[str, str] | None = None,
        keep_with_next: bool = False,
        lines: tuple[Line, ...] | None = None,
    ) -> None:
        super().__init__()
        self.given_style = style
        if base == "R":
            # Arabic letters are set larger (TextStyle.arabic_scale): so are its lines,
            # and never closer than the ink of vowelled Arabic allows.
            size = style.size * style.arabic_scale
            leading = max(
                round(style.leading * style.arabic_scale, 2),
                arabic_leading(style.fonts, style.bold, size),
            )
            style = replace(style, leading=leading)
        self.text = text
        self.base = base
        self.text_style = style
        self.colour = colour
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.indent_start = indent_start
        self.indent_end = indent_end
        self.bullet = bullet
        self.bookmark = bookmark
        self.keepWithNext = keep_with_next
        self._fixed = lines
        self.lines: tuple[Line, ...] = lines or ()
        self.width = 0.0
        self.height = 0.0

    def __repr__(self) -> str:
        return f"TextBlock({self.text[:40]!r})"

    def _measure(self, avail_width: float) -> float:
        return max(1.0, avail_width - self.indent_start - self.indent_end)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the size of the laid-out paragraph at ``avail_width``."""
        if self._fixed is None:
            layout = layout_text(self.text, self.base, self.text_style, self._measure(avail_width))
            self.lines = layout.lines
        self.width = avail_width
        self.height = len(self.lines) * self.text_style.leading
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Return the lines that fit in ``avail_height`` and the rest, as two blocks."""
        self.wrap(avail_width, avail_height)
        total = len(self.lines)
        fit = int((avail_height + 1e-6) // self.text_style.leading)
        if fit >= total:
            return [self]
        if total - fit < MIN_LINES_AT_BREAK:
            fit = total - MIN_LINES_AT_BREAK
        if fit < MIN_LINES_AT_BREAK and fit < total - 1 and total > MIN_LINES_AT_BREAK:
            return []
        if fit <= 0:
            return []
        head = self._part(self.lines[:fit], first=True)
        tail = self._part(self.lines[fit:], first=False)
        return [head, tail]

    def _part(self, lines: tuple[Line, ...], first: bool) -> TextBlock:
        part = self._new_part(lines, first)
        part.tag = self.tag  # both parts belong to the same paragraph
        return part

    def _new_part(self, lines: tuple[Line, ...], first: bool) -> TextBlock:
        return TextBlock(
            self.text,
            self.base,
            self.given_style,
            self.colour,
            space_before=self.spaceBefore if first else 0.0,
            space_after=0.0 if first else self.spaceAfter,
            indent_start=self.indent_start,
            indent_end=self.indent_end,
            bullet=self.bullet if first else "",
            bookmark=self.bookmark if first else None,
            keep_with_next=False if first else bool(self.keepWithNext),
            lines=lines,
        )

    def draw(self) -> None:
        """Draw the lines, the bullet and the bookmark, tagged as the block's element."""
        with tagged(self.canv, self.tag):
            self._draw()

    def _draw(self) -> None:
        canvas = self.canv
        left = self.indent_end if self.base == "R" else self.indent_start
        if self.bookmark is not None:
            title, key = self.bookmark
            _, top = canvas.absolutePosition(0, self.height)
            canvas.bookmarkPage(key, fit="XYZ", left=0, top=top + 6, zoom=0)
            canvas.addOutlineEntry(title, key, level=0)
        draw_lines(canvas, self.lines, self.text_style, left, self.height, self.colour)
        if self.bullet and self.lines:
            # The bullet is centred in the start indent, on the first line's baseline.
            style = replace(self.text_style, align="center")
            bullet = layout_text(self.bullet, self.base, style, self.indent_start)
            x = self.width - self.indent_start if self.base == "R" else 0.0
            offset = baseline_offset(self.text_style, self.lines)
            draw_lines(canvas, bullet.lines[:1], style, x, self.height, self.colour, offset)


class Rule(Flowable):
    """A horizontal rule across the available width."""

    def __init__(
        self,
        colour: Color,
        thickness: float = 0.6,
        space_before: float = 2.0,
        space_after: float = 6.0,
    ) -> None:
        super().__init__()
        self.colour = colour
        self.thickness = thickness
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.width = 0.0
        self.height = thickness

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the rule's size: the full width, its thickness high."""
        self.width = avail_width
        return avail_width, self.thickness

    def draw(self) -> None:
        """Draw the rule."""
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.thickness / 2, self.width, self.thickness / 2)


class Stack(Flowable):
    """Flowables set one under another in a column; splits between or inside them."""

    def __init__(self, items: Sequence[Flowable]) -> None:
        super().__init__()
        self.items = list(items)
        self.width = 0.0
        self.height = 0.0
        self._placed: list[tuple[Flowable, float, float]] = []
        self.spaceBefore = self.items[0].getSpaceBefore() if self.items else 0.0
        self.spaceAfter = self.items[-1].getSpaceAfter() if self.items else 0.0

    def __repr__(self) -> str:
        return f"Stack({self.items!r})"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the column's size: the sum of the items' heights and the space between."""
        self.width = avail_width
        placed = []
        y = 0.0
        for position, item in enumerate(self.items):
            if position:
                y += max(self.items[position - 1].getSpaceAfter(), item.getSpaceBefore())
            _, height = item.wrapOn(self.canv, avail_width, max(1.0, avail_height - y))
            placed.append((item, y, height))
            y += height
        self._placed = placed
        self.height = y
        return avail_width, y

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Return the items that fit in ``avail_height`` and the rest, as two stacks."""
        head, tail = split_items(self.items, avail_width, avail_height, self.canv)
        if not head:
            return []
        if not tail:
            return [self]
        return [Stack(head), Stack(tail)]

    def draw(self) -> None:
        """Draw every item at its place, top down."""
        for item, y, height in self._placed:
            item.drawOn(self.canv, 0, self.height - y - height)


def split_items(
    items: Sequence[Flowable], avail_width: float, avail_height: float, canvas: Any
) -> tuple[list[Flowable], list[Flowable]]:
    """Return ``(head, tail)``: the items that fit in ``avail_height``, then the rest.

    The first item that does not fit whole is split if it can be; a heading that would
    end the head (keep-with-next) moves to the tail with what follows it.
    """
    head: list[Flowable] = []
    used = 0.0
    for position, item in enumerate(items):
        gap = max(items[position - 1].getSpaceAfter(), item.getSpaceBefore()) if head else 0.0
        room = avail_height - used - gap
        _, height = item.wrapOn(canvas, avail_width, max(1.0, room))
        if height <= room + 1e-6:
            head.append(item)
            used += gap + height
            continue
        parts = item.splitOn(canvas, avail_width, room) if room > 0 else []
        if len(parts) >= 2:
            head.append(parts[0])
            return _unhang(head, [*parts[1:], *items[position + 1 :]])
        return _unhang(head, list(items[position:]))
    return head, []


def _unhang(head: list[Flowable], tail: list[Flowable]) -> tuple[list[Flowable], list[Flowable]]:
    """Move trailing keep-with-next items (headings) from the head to the tail."""
    while head and tail and head[-1].getKeepWithNext():
        tail.insert(0, head.pop())
    return head, tail


class Box(Flowable):
    """A shaded box around a stack of flowables, with an accent bar on the start side."""

    def __init__(
        self,
        items: Sequence[Flowable],
        background: Color,
        accent: Color | None,
        base: Direction,
        padding: float = 8.0,
        space_before: float = 4.0,
        space_after: float = 10.0,
    ) -> None:
        super().__init__()
        self.stack = Stack(items)
        self.background = background
        self.accent = accent
        self.base = base
        self.padding = padding
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.width = 0.0
        self.height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the box's size: the content plus padding."""
        inner = avail_width - 2 * self.padding
        _, height = self.stack.wrapOn(self.canv, inner, avail_height - 2 * self.padding)
        self.width = avail_width
        self.height = height + 2 * self.padding
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Return the part of the box that fits and the rest, each in its own box."""
        inner = avail_width - 2 * self.padding
        head, tail = split_items(
            self.stack.items, inner, avail_height - 2 * self.padding, self.canv
        )
        if not head:
            return []
        if not tail:
            return [self]
        options = (self.background, self.accent, self.base, self.padding)
        return [
            Box(head, *options, space_before=self.spaceBefore, space_after=0.0),
            Box(tail, *options, space_before=0.0, space_after=self.spaceAfter),
        ]

    def draw(self) -> None:
        """Draw the shading, the accent bar and the content."""
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.background)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.accent is not None:
            canvas.setFillColor(self.accent)
            bar = 2.5
            x = self.width - bar if self.base == "R" else 0.0
            canvas.rect(x, 0, bar, self.height, stroke=0, fill=1)
        canvas.restoreState()
        self.stack.drawOn(canvas, self.padding, self.padding)


class SideBySide(Flowable):
    """Two columns kept level: Arabic on the right, English on the left (bilingual rows).

    A row that does not fit breaks between pages with each column split at the same
    height, so the two languages stay section by section side by side.
    """

    def __init__(
        self,
        right: Sequence[Flowable],
        left: Sequence[Flowable],
        gutter: float,
        background: Color | None = None,
        padding: float = 0.0,
        space_before: float = 0.0,
        space_after: float = 0.0,
        keep_with_next: bool = False,
        level: bool = False,
        floats: bool = False,
    ) -> None:
        super().__init__()
        self.right = Stack(right)
        self.left = Stack(left)
        # A row of charts (one per language) floats: when it does not fit the rest of
        # the page, the rows after it fill the page and it heads the next one.
        self.floats = floats
        # Level the first lines: the tops of their letters at the same height, not only
        # the tops of the two columns (Arabic lines are taller than English ones).
        self.level = level
        self._drops = (0.0, 0.0)
        self.gutter = gutter
        self.background = background
        self.padding = padding
        self.spaceBefore = space_before or max(self.right.spaceBefore, self.left.spaceBefore)
        self.spaceAfter = space_after or max(self.right.spaceAfter, self.left.spaceAfter)
        self.keepWithNext = keep_with_next
        self.width = 0.0
        self.height = 0.0

    def column_width(self, avail_width: float) -> float:
        """Return the width of each column."""
        return (avail_width - self.gutter - 2 * self.padding) / 2

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the row's size: the taller column plus padding."""
        column = self.column_width(avail_width)
        inner = avail_height - 2 * self.padding
        if self.floats:
            # Handed on to the charts, so that they may shrink at the top of a page.
            for stack in (self.right, self.left):
                if stack.items:
                    stack.items[0]._frame = getattr(self, "_frame", None)
        _, right = self.right.wrapOn(self.canv, column, inner)
        _, left = self.left.wrapOn(self.canv, column, inner)
        self._drops = (0.0, 0.0)
        if self.level and self.right.items and self.left.items:
            tops = (_letter_top(self.right.items[0]), _letter_top(self.left.items[0]))
            high = max(tops)
            self._drops = (high - tops[0], high - tops[1])
        self.width = avail_width
        self.height = max(right + self._drops[0], left + self._drops[1]) + 2 * self.padding
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Return the part of both columns that fits and the rest of both."""
        column = self.column_width(avail_width)
        inner = avail_height - 2 * self.padding
        right_head, right_tail = split_items(self.right.items, column, inner, self.canv)
        left_head, left_tail = split_items(self.left.items, column, inner, self.canv)
        if not right_head and not left_head:
            return postponed(self) if self.floats else []
        if not right_tail and not left_tail:
            return [self]
        if (self.right.items and not right_head) or (self.left.items and not left_head):
            # One language cannot start here: move the whole row on.
            return postponed(self) if self.floats else []
        return [
            SideBySide(
                right_head,
                left_head,
                self.gutter,
                self.background,
                self.padding,
                space_before=self.spaceBefore,
                level=self.level,
            ),
            SideBySide(
                right_tail,
                left_tail,
                self.gutter,
                self.background,
                self.padding,
                space_after=self.spaceAfter,
            ),
        ]

    def draw(self) -> None:
        """Draw the background and both columns, top aligned."""
        canvas = self.canv
        if self.background is not None:
            canvas.saveState()
            canvas.setFillColor(self.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            canvas.restoreState()
        column = self.column_width(self.width)
        top = self.height - self.padding
        drop_right, drop_left = self._drops
        self.right.drawOn(
            canvas, self.width - self.padding - column, top - drop_right - self.right.height
        )
        self.left.drawOn(canvas, self.padding, top - drop_left - self.left.height)


def _letter_top(flowable: Flowable) -> float:
    """Return how far below a text block's top its first line's letters begin (0: not text).

    That is the baseline less the font's ascent, where a reader (and text extraction)
    sees the line begin.
    """
    if not isinstance(flowable, TextBlock) or not flowable.lines:
        return 0.0
    from reportlab.pdfbase import pdfmetrics

    line = flowable.lines[0]
    runs = list(line.runs)
    if not runs:
        return 0.0
    ascent = max(pdfmetrics.getFont(run.font).face.ascent * run.size / 1000 for run in runs)
    return baseline_offset(flowable.text_style, flowable.lines) - ascent


@dataclass(frozen=True)
class _Picture:
    """A picture ready for a PDF image stream: pixel size, colours and compressed pixels.

    ``predictor`` says the stream keeps PNG row filters (PNG data passed through).
    """

    digest: str
    width: int
    height: int
    colour_space: str
    stream: bytes
    predictor: bool = False


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_COLOURS = {0: ("DeviceGray", 1), 2: ("DeviceRGB", 3)}


def _png_passthrough(data: bytes, digest: str) -> _Picture | None:
    """Return an opaque 8-bit PNG's compressed rows as they are, or None for other PNGs.

    PDF's Flate filter with the PNG predictor reads PNG image data directly, so a
    chart saved as RGB needs no decoding or recompression at all.
    """
    if not data.startswith(_PNG_SIGNATURE):
        return None
    position = len(_PNG_SIGNATURE)
    header: tuple[int, ...] | None = None
    chunks: list[bytes] = []
    while position + 8 <= len(data):
        length = struct.unpack(">I", data[position : position + 4])[0]
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind in (b"PLTE", b"tRNS"):
            return None  # palette or transparency: let Pillow flatten it
        elif kind == b"IEND":
            break
    if header is None or not chunks:
        return None
    width, height, depth, colour, _compression, _filter, interlace = header
    if depth != 8 or interlace or colour not in _PNG_COLOURS:
        return None
    space, _ = _PNG_COLOURS[colour]
    return _Picture(digest, width, height, space, b"".join(chunks), predictor=True)


@lru_cache(maxsize=64)
def _picture(data: bytes, what: str) -> _Picture:
    """Return a picture for the PDF, cached by content.

    An opaque 8-bit PNG (how charts are saved) goes in as it is; anything else is
    decoded, flattened on white and compressed once. reportlab would decode,
    recompress and ASCII-encode the picture on every render.
    """
    digest = hashlib.sha1(data).hexdigest()
    passed = _png_passthrough(data, digest)
    if passed is not None:
        return passed
    from PIL import Image as PillowImage

    try:
        with PillowImage.open(io.BytesIO(data)) as opened:
            picture = opened.convert("RGBA")
    except Exception as exc:
        raise BriefingError(f"{what}: the picture cannot be read ({exc})") from None
    flat = PillowImage.new("RGB", picture.size, (255, 255, 255))
    flat.paste(picture, mask=picture.getchannel("A"))
    stream = zlib.compress(flat.tobytes(), 6)
    return _Picture(digest, picture.size[0], picture.size[1], "DeviceRGB", stream)


class _PictureObject(pdfdoc.PDFImageXObject):
    """An image XObject whose stream is already compressed, fetched when the file is written."""

    def __init__(self, name: str, fetch: Callable[[], _Picture]) -> None:
        super().__init__(name)
        self.fetch = fetch

    def format(self, document: Any) -> bytes:
        """Return the image object as PDF bytes."""
        picture = self.fetch()
        stream = pdfdoc.PDFStream(content=picture.stream)
        entries = stream.dictionary.dict
        entries["Type"] = pdfdoc.PDFName("XObject")
        entries["Subtype"] = pdfdoc.PDFName("Image")
        entries["Width"] = picture.width
        entries["Height"] = picture.height
        entries["BitsPerComponent"] = 8
        entries["ColorSpace"] = pdfdoc.PDFName(picture.colour_space)
        # One filter, named directly: with an array of filters, readers expect an array
        # of DecodeParms too and ignore a lone dictionary.
        entries["Filter"] = pdfdoc.PDFName("FlateDecode")
        if picture.predictor:
            colours = 1 if picture.colour_space == "DeviceGray" else 3
            entries["DecodeParms"] = pdfdoc.PDFDictionary(
                {
                    "Predictor": 15,
                    "Colors": colours,
                    "BitsPerComponent": 8,
                    "Columns": picture.width,
                }
            )
        entries["Length"] = len(picture.stream)
        return stream.format(document)


class Picture(Flowable):
    """A PNG or JPEG picture (a chart, a logo) drawn at a given size, centred by default.

    ``data`` may be a function returning the bytes, with ``name`` naming the picture
    (the same name for the same picture): it is then called only when the file is
    written, after every page is laid out, so that a chart drawn by another process
    keeps the layout waiting as little as possible.
    """

    def __init__(
        self,
        data: bytes | Callable[[], bytes],
        width: float,
        height: float,
        what: str = "picture",
        name: str = "",
    ) -> None:
        super().__init__()
        # The picture itself (None until the file is written when given as a function).
        self.picture: _Picture | None = None
        if isinstance(data, bytes):
            picture = self.picture = _picture(data, what)
            self.name = f"chart{picture.digest[:16]}"
            self.fetch: Callable[[], _Picture] = lambda: picture
        else:
            if not name:
                raise ValueError("a picture given as a function needs a name")
            source = data
            self.name = f"chart{name[:16]}"
            self.fetch = lambda: _picture(source(), what)
        self.width = width
        self.height = height
        self.hAlign = "CENTER"
        self.tag: Tag | None = None  # a Figure in the tagged PDF (None: decoration)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the picture's size."""
        return self.width, self.height

    def draw(self) -> None:
        """Draw the picture, adding its image object to the file on first use."""
        canvas = self.canv
        name = self.name
        document = canvas._doc
        registered = document.getXObjectName(name)
        if registered not in document.idToObject:
            image = _PictureObject(name, self.fetch)
            document.Reference(image, registered)
            document.addForm(name, image)
        with tagged(canvas, self.tag):
            canvas.saveState()
            canvas.scale(self.width, self.height)
            canvas.doForm(name)
            canvas.restoreState()


# A chart that does not fit the rest of a page is drawn down to this share of its height
# rather than moved on whole, leaving the rest of the page empty.
CHART_MIN_SCALE = 0.7


def _at_page_top(flowable: Flowable) -> bool:
    """Return whether ``flowable`` is being set at the top of its frame (a fresh page)."""
    frame = getattr(flowable, "_frame", None)
    return bool(frame is not None and getattr(frame, "_atTop", False))


class Postponed(ActionFlowable):
    """A float that does not fit the rest of its page, handed to the document.

    The document (``FloatingDocTemplate``) sets it at the top of the next page, and the
    flowables after it fill this page meanwhile, as a typesetter floats a figure rather
    than leave a hole at the foot of the page.
    """

    def __init__(self, flowable: Flowable) -> None:
        super().__init__()
        self.flowable = flowable

    def __repr__(self) -> str:
        return f"Postponed({self.flowable!r})"

    def apply(self, doc: Any) -> None:
        """Give the float to the document, to be set at the top of the next page."""
        doc.postpone(self.flowable)


def postponed(flowable: Flowable) -> list[Flowable]:
    """Return what a float's ``split`` gives when it does not fit the rest of the page.

    That is the float postponed to the next page, when it is laid out by a document
    that floats and it is not already at the top of a page (no later page has more
    room); otherwise nothing, and it moves on whole.
    """
    frame = getattr(flowable, "_frame", None)
    doc = getattr(getattr(flowable, "canv", None), "_doctemplate", None)
    if frame is None or getattr(frame, "_atTop", False):
        return []
    can_postpone = getattr(doc, "can_postpone", None)
    if can_postpone is None or not can_postpone():
        return []
    return [Postponed(flowable)]


class ChartBlock(Flowable):
    """A chart picture with its caption under it, never parted.

    When the room left on a page is short of the picture's height, the picture is drawn
    smaller (keeping its proportions, down to ``CHART_MIN_SCALE``) instead of moving on.
    """

    def __init__(self, picture: Picture, caption: TextBlock, space_before: float = 6.0) -> None:
        super().__init__()
        self.picture = picture
        self.caption = caption
        self.full = (picture.width, picture.height)
        self.spaceBefore = space_before
        self.spaceAfter = caption.getSpaceAfter()
        self.scale = 1.0
        self.small = False  # may stand in a column beside the text that follows it
        self.width = 0.0
        self.height = 0.0
        self._caption_height = 0.0

    def __repr__(self) -> str:
        return f"ChartBlock({self.picture.name!r})"

    def caption_height(self, avail_width: float) -> float:
        """Return the height of the caption and the gap above it at ``avail_width``."""
        _, height = self.caption.wrap(avail_width, 1e6)
        return height + self.caption.getSpaceBefore()

    def min_height(self, avail_width: float) -> float:
        """Return the least height the chart may be drawn at: smallest picture and caption."""
        width, height = self.full
        fitted = height * min(1.0, avail_width / width)
        return fitted * CHART_MIN_SCALE + self.caption_height(avail_width)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the size, the picture made smaller when that lets it fit ``avail_height``."""
        width, height = self.full
        scale = min(1.0, avail_width / width)
        caption = self.caption_height(avail_width)
        if height * scale + caption > avail_height + 1e-6:
            # Drawn smaller to fit, never below the least size (then it moves on whole),
            # unless it already stands at the top of a page: no later page has more room.
            fitting = (avail_height - caption) / height
            if fitting >= scale * CHART_MIN_SCALE or (_at_page_top(self) and fitting > 0):
                scale = fitting
        self.scale = scale
        self.picture.width, self.picture.height = width * scale, height * scale
        self._caption_height = caption
        self.width = avail_width
        self.height = height * scale + caption
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """A chart and its caption do not part: fit whole or move on."""
        _, height = self.wrap(avail_width, avail_height)
        return [self] if height <= avail_height + 1e-6 else []

    def draw(self) -> None:
        """Draw the picture centred, the caption under it."""
        picture = self.picture
        picture.drawOn(self.canv, (self.width - picture.width) / 2, self.height - picture.height)
        self.caption.drawOn(self.canv, 0, 0)


class ChartFloat(Flowable):
    """A chart and the text of its section that follows it, as a typesetter floats them.

    With ``side`` ("left" or "right") a small chart stands in a column of ``share`` of
    the width and the following paragraphs run beside it while they are shorter than the
    chart; the rest run at full width under both. When the chart does not fit the rest of
    the page, the following text moves up to fill the page and the chart floats on to
    the next one; when no text of its section is left to move up, the text after it
    does (see ``postponed``).
    """

    floats = True  # may be set at the top of the next page, after the text that follows

    def __init__(
        self,
        chart: ChartBlock,
        followers: Sequence[Flowable],
        side: str = "",
        share: float = 0.47,
        gap: float = 14.0,
    ) -> None:
        super().__init__()
        self.chart = chart
        self.followers = list(followers)
        self.side = side
        self.share = share
        self.gap = gap
        self.text_first = False  # the text beside the chart is read before it
        self.spaceBefore = chart.getSpaceBefore()
        self.spaceAfter = (
            self.followers[-1].getSpaceAfter() if self.followers else chart.getSpaceAfter()
        )
        self.width = 0.0
        self.height = 0.0
        self.row_height = 0.0
        self.beside: list[Flowable] = []
        self.rest: list[Flowable] = []
        self._placed: list[tuple[Flowable, float, float, float]] = []
        # The followers' own styles: an Arabic paragraph set beside the chart is not
        # justified, one that ends up at full width under it (or on a page before it) is.
        self._styles = [getattr(item, "text_style", None) for item in self.followers]

    def __repr__(self) -> str:
        return f"ChartFloat({self.chart!r}, {len(self.followers)} following)"

    def _copy(self, followers: Sequence[Flowable]) -> ChartFloat:
        other = ChartFloat(self.chart, followers, self.side, self.share, self.gap)
        other.text_first = self.text_first
        return other

    def parted(self) -> tuple[list[Flowable], ChartFloat]:
        """Return the text of this float and the chart alone, to be set after that text.

        Used when an earlier chart already waits for the next page: figures keep their
        order, so this one waits too, and its text goes on filling the page.
        """
        for item, style in zip(self.followers, self._styles, strict=True):
            if style is not None:
                item.text_style = style
        alone = ChartFloat(self.chart, [], "", self.share, self.gap)
        return list(self.followers), alone

    def _columns(self, avail_width: float) -> tuple[float, float]:
        chart_width = min(self.chart.full[0], avail_width * self.share)
        return chart_width, avail_width - chart_width - self.gap

    def _layout(self, avail_width: float, avail_height: float) -> None:
        placed: list[tuple[Flowable, float, float, float]] = []
        for item, style in zip(self.followers, self._styles, strict=True):
            if style is not None:
                item.text_style = style
        self.beside, self.rest = [], list(self.followers)
        # Handed on to the chart, so that it may shrink at the top of a page.
        self.chart._frame = getattr(self, "_frame", None)
        if self.side:
            chart_width, text_width = self._columns(avail_width)
            _, chart_height = self.chart.wrapOn(self.canv, chart_width, avail_height)
            chart_x = 0.0 if self.side == "left" else avail_width - chart_width
            text_x = chart_width + self.gap if self.side == "left" else 0.0
            used = 0.0
            # Whole paragraphs go beside the chart while the column is shorter than it.
            while self.rest and isinstance(self.rest[0], TextBlock):
                item = self.rest[0]
                gap = (
                    max(self.beside[-1].getSpaceAfter(), item.getSpaceBefore())
                    if self.beside
                    else 0.0
                )
                if used + gap >= chart_height - item.text_style.leading:
                    break
                if item.text_style.align == "justify" and item.base == "R":
                    # English is justified here as in the body (hyphenated, its spaces
                    # held tight); Arabic, whose justified spaces may grow to five
                    # times their width, would read back in pieces in so few words a
                    # line, so it stays ragged beside a chart.
                    item.text_style = replace(item.text_style, align="start")
                _, height = item.wrapOn(self.canv, text_width, 1e6)
                placed.append((item, text_x, used + gap, height))
                used += gap + height
                self.beside.append(self.rest.pop(0))
            # The chart first: drawn (and read) before the text beside it.
            placed.insert(0, (self.chart, chart_x, 0.0, chart_height))
            y = max(chart_height, used)
        else:
            _, y = self.chart.wrapOn(self.canv, avail_width, avail_height)
            placed.append((self.chart, 0.0, 0.0, y))
        self.row_height = y
        previous: Flowable = self.chart if not self.beside else self.beside[-1]
        for item in self.rest:
            y += max(previous.getSpaceAfter(), item.getSpaceBefore())
            _, height = item.wrapOn(self.canv, avail_width, max(1.0, avail_height - y))
            placed.append((item, 0.0, y, height))
            y += height
            previous = item
        self._placed = placed
        self.width = avail_width
        self.height = y

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Return the size of the chart, the text beside it and the text under it."""
        self._layout(avail_width, avail_height)
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """Set the chart here with the text beside it, or move text up and float the chart."""
        self._layout(avail_width, avail_height)
        if self.row_height <= avail_height + 1e-6:
            if not self.rest:
                return [self]
            return [self._copy(self.beside), *self.rest]
        if not self.followers:
            return postponed(self)
        # The chart does not fit here: the first paragraph fills the page, split when
        # it is taller than the room, and the chart floats on with the rest. Whatever
        # comes first must fit the room, or the whole float moves to the next page.
        for item, style in zip(self.followers, self._styles, strict=True):
            if style is not None:
                item.text_style = style
        first, *others = self.followers
        room = avail_height - max(0.0, first.getSpaceBefore() - self.getSpaceBefore())
        _, height = first.wrapOn(self.canv, avail_width, max(1.0, room))
        if height <= room + 1e-6:
            if self.side and not others:
                # A small chart does not stand alone off-centre on the next page: its
                # last paragraph goes on with it and runs beside it.
                return []
            return [first, self._copy(others)]
        parts = first.splitOn(self.canv, avail_width, room) if room > 0 else []
        if len(parts) < 2:
            return []
        head, *tail = parts
        _, height = head.wrapOn(self.canv, avail_width, room)
        if height > room + 1e-6:
            return []
        return [head, self._copy([*tail, *others])]

    def draw(self) -> None:
        """Draw the chart and the text at their places, top down."""
        for item, x, y, height in self._placed:
            item.drawOn(self.canv, x, self.height - y - height)


class FloatingDocTemplate(BaseDocTemplate):
    """A document template that floats charts to the top of the next page.

    A chart that does not fit the rest of a page even at its least size is postponed
    (see ``Postponed``): the flowables after it (the next section's heading and text)
    fill the page, and the chart heads the next page. Charts keep their order: while
    one waits, a later chart waits behind it and its text goes on filling the page.
    A chart still waiting when the story ends is set after it.
    """

    def build(self, flowables: list[Flowable], *args: Any, **kwargs: Any) -> None:
        """Lay out ``flowables`` (the list is consumed), floating charts as they come."""
        # The story is the list reportlab consumes: floats are put back at its front.
        self._story = flowables
        self._waiting: list[Flowable] = []
        self._closing = False
        flowables.append(_StoryEnd())
        super().build(flowables, *args, **kwargs)

    def can_postpone(self) -> bool:
        """Return whether a float may still wait for the next page (not past the end)."""
        return not self._closing

    def postpone(self, flowable: Flowable) -> None:
        """Keep ``flowable`` for the top of the next page."""
        self._waiting.append(flowable)

    def release(self) -> None:
        """Put the waiting floats at the front of the story.

        A zero-height spacer follows them, as the page break before a heading would
        have: the space under a chart then adds to the space over the heading after it,
        as everywhere else, rather than merging with it.
        """
        if self._waiting:
            self._story[0:0] = [*self._waiting, Spacer(0, 0)]
            self._waiting = []

    def handle_pageBegin(self) -> None:
        """Start a page with the floats that wait for it."""
        super().handle_pageBegin()
        self.release()

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        """Set the next flowable; a float behind a waiting one waits too."""
        if flowables is self._story and self._waiting and flowables:
            following = flowables[0]
            if getattr(following, "floats", False):
                del flowables[0]
                if isinstance(following, ChartFloat):
                    text, following = following.parted()
                    flowables[0:0] = text
                self._waiting.append(following)
                return
        super().handle_flowable(flowables)


class _StoryEnd(ActionFlowable):
    """The end of the story: floats still waiting are set after it, as they fit."""

    def apply(self, doc: Any) -> None:
        """Stop floats from waiting any longer and set those that wait."""
        doc._closing = True
        doc.release()
