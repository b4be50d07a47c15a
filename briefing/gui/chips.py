"""Figure chips: a text editor that shows each ``{fig:id}`` / ``{val:id}`` as one inline box.

A chip is a single object character (U+FFFC) carrying the figure's id in its format, drawn
as a rounded, highlighted box with the figure's label and its current value. The cursor
steps over it as over one letter, Backspace removes it whole, undo brings it back, and the
stored text (``stored_text``) has the placeholder back in its place, character for
character. Inside Arabic text the object character is a neutral, so it takes the direction
of the words around it like any punctuation would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QTextEdit, QToolTip, QWidget

from briefing.model import PLACEHOLDER

OBJECT_CHAR = "\ufffc"
PAD_X = 6.0
PAD_Y = 1.0
FIGURE_ID = QTextFormat.Property.UserProperty + 1
PLACEHOLDER_KIND = QTextFormat.Property.UserProperty + 2
# Copy and paste between the editors keep chips as chips.
STORED_MIME = "application/x-briefing-section-text"


@dataclass(frozen=True)
class ChipText:
    """What a chip shows: the figure's label and value, its tooltip, whether it exists."""

    label: str
    value: str
    tooltip: str
    known: bool = True

    @property
    def caption(self) -> str:
        """Return "label · value", each part isolated so that it keeps its own direction."""
        if not self.value:
            return self.label
        return f"\u2068{self.label}\u2069 · \u2068{self.value}\u2069"


# (figure id, kind "fig" or "val", language of the text) -> what the chip shows
Describe = Callable[[str, str, str], ChipText]
# Figures offered for inserting: (id, label in the interface language)
Offer = Callable[[], list[tuple[str, str]]]


def chip_image(chip: ChipText, font: QFont, ratio: float = 1.0) -> QImage:
    """Draw a chip: a rounded, highlighted box with its caption in the caption's direction."""
    font = QFont(font)
    font.setPointSizeF(max(6.0, font.pointSizeF() * 0.92))
    metrics = QFontMetricsF(font)
    width = metrics.horizontalAdvance(chip.caption) + 2 * PAD_X
    height = metrics.height() + 2 * PAD_Y
    image = QImage(int(width * ratio + 1), int(height * ratio + 1),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(0.5, 0.5, width - 1.0, height - 1.0)
    path = QPainterPath()
    path.addRoundedRect(box, box.height() / 2.6, box.height() / 2.6)
    fill, edge, ink = (("#dcebfb", "#5b8fd6", "#12325e") if chip.known
                       else ("#f8d7da", "#b4434f", "#842029"))
    painter.fillPath(path, QColor(fill))
    painter.setPen(QPen(QColor(edge), 1.0))
    painter.drawPath(path)
    painter.setPen(QColor(ink))
    painter.setFont(font)
    option = QTextOption(Qt.AlignmentFlag.AlignCenter)
    rtl = any("\u0600" <= c <= "\u06ff" for c in chip.label)
    option.setTextDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    painter.drawText(box, chip.caption, option)
    painter.end()
    return image


class ChipDocument(QTextDocument):
    """A document that draws the picture of each chip when the layout asks for it."""

    def __init__(self, editor: ChipTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor

    def loadResource(self, kind: int, name: QUrl) -> Any:
        """Return the chip picture named ``chip:kind/id`` (other resources as usual)."""
        if name.scheme() == "chip":
            kind_name, _, figure_id = name.path().partition("/")
            chip = self.editor.describe(figure_id, kind_name, self.editor.lang)
            ratio = self.editor.devicePixelRatioF() or 1.0
            return chip_image(chip, self.defaultFont(), ratio)
        return super().loadResource(kind, name)


def is_chip(fmt: QTextFormat) -> bool:
    """Return True when ``fmt`` is the format of a figure chip."""
    return fmt.isImageFormat() and fmt.hasProperty(FIGURE_ID)


class ChipTextEdit(QTextEdit):
    """Edits text in which figures appear as chips; ``stored_text`` gives the placeholders.

    ``single_line`` makes a one-line field (titles, key points): Enter inserts nothing and
    pasted line breaks become spaces.
    """

    storedTextChanged = Signal(str)

    def __init__(
        self, describe: Describe, offer: Offer, lang: str, single_line: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.describe = describe
        self.offer = offer
        self.lang = lang
        self.single_line = single_line
        self.setAcceptRichText(False)
        self.setDocument(ChipDocument(self))
        self.textChanged.connect(lambda: self.storedTextChanged.emit(self.stored_text()))
        if single_line:
            self.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setTabChangesFocus(True)
            metrics = QFontMetricsF(self.font())
            margins = self.contentsMargins()
            height = metrics.height() * 1.35 + 2 * self.document().documentMargin()
            self.setFixedHeight(int(height + margins.top() + margins.bottom() + 2))
        else:
            self.setTabChangesFocus(True)

    # -- chips -----------------------------------------------------------------------------
    def chip_text(self, fmt: QTextFormat) -> ChipText:
        """Return what the chip of format ``fmt`` shows."""
        return self.describe(str(fmt.property(FIGURE_ID)), str(fmt.property(PLACEHOLDER_KIND)),
                             self.lang)

    @staticmethod
    def chip_format(figure_id: str, kind: str = "fig") -> QTextImageFormat:
        """Return the character format of a chip for ``figure_id``."""
        fmt = QTextImageFormat()
        fmt.setName(f"chip:{kind}/{figure_id}")
        fmt.setProperty(FIGURE_ID, figure_id)
        fmt.setProperty(PLACEHOLDER_KIND, kind)
        fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
        return fmt

    def insert_chip(self, figure_id: str, kind: str = "fig") -> None:
        """Insert a chip at the cursor (one undo step), replacing any selection."""
        cursor = self.textCursor()
        cursor.insertText(OBJECT_CHAR, self.chip_format(figure_id, kind))
        # What is typed next is plain text again, not part of the chip.
        cursor.setCharFormat(QTextCharFormat())
        self.setTextCursor(cursor)

    def _insert_stored(self, cursor: QTextCursor, text: str) -> None:
        """Insert stored text at ``cursor``: placeholders become chips."""
        if self.single_line:
            text = " ".join(text.splitlines())
        plain = QTextCharFormat()
        position = 0
        for match in PLACEHOLDER.finditer(text):
            if match.start() > position:
                cursor.insertText(text[position:match.start()], plain)
            cursor.insertText(OBJECT_CHAR, self.chip_format(match.group(2), match.group(1)))
            position = match.end()
        if position < len(text):
            cursor.insertText(text[position:], plain)

    def set_stored_text(self, text: str) -> None:
        """Show ``text``; this is a new start, so the undo history is cleared."""
        self.document().setUndoRedoEnabled(False)
        self.document().clear()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        self._insert_stored(cursor, text)
        cursor.endEditBlock()
        self.document().setUndoRedoEnabled(True)
        # A long one-line field shows its beginning, not its end.
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def stored_text(self) -> str:
        """Return the text with every chip written back as its placeholder."""
        lines = []
        block = self.document().begin()
        while block.isValid():
            parts = []
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid():
                    fmt = fragment.charFormat()
                    text = fragment.text()
                    if is_chip(fmt):
                        token = "{" + str(fmt.property(PLACEHOLDER_KIND)) + ":" \
                            + str(fmt.property(FIGURE_ID)) + "}"
                        parts.append(token * text.count(OBJECT_CHAR))
                    else:
                        parts.append(text.replace(OBJECT_CHAR, "").replace("\u2028", "\n"))
                iterator += 1
            lines.append("".join(parts))
            block = block.next()
        return "\n".join(lines)

    def chip_ids(self) -> list[str]:
        """Return the figure ids of the chips, in text order."""
        return [m.group(2) for m in PLACEHOLDER.finditer(self.stored_text())]

    def chip_at(self, point: QPointF) -> str | None:
        """Return the figure id of the chip under ``point`` (viewport coordinates), if any."""
        layout = self.document().documentLayout()
        offset = QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        position = layout.hitTest(QPointF(point) + offset, Qt.HitTestAccuracy.ExactHit)
        if position < 0:
            return None
        for candidate in (position, position - 1):
            if candidate < 0:
                continue
            cursor = QTextCursor(self.document())
            cursor.setPosition(candidate)
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter,
                                QTextCursor.MoveMode.KeepAnchor)
            if cursor.selectedText() == OBJECT_CHAR:
                fmt = cursor.charFormat()
                if is_chip(fmt):
                    rect = self.cursorRect(cursor)
                    if abs(rect.center().y() - point.y()) <= rect.height():
                        return str(fmt.property(FIGURE_ID))
        return None

    # -- Qt overrides ----------------------------------------------------------------------
    def event(self, event: Any) -> bool:
        """Show a chip's id and source as its tooltip."""
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.ToolTip:
            point = QPointF(self.viewport().mapFrom(self, event.pos()))
            found = self.chip_at(point)
            if found is not None:
                QToolTip.showText(event.globalPos(), self.describe(found, "fig", self.lang).tooltip,
                                  self)
                return True
        return super().event(event)  # elsewhere the field's own tooltip

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Ctrl+Space opens the figure menu; a one-line field takes no line break."""
        if event.key() == Qt.Key.Key_Space and event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier
        ):
            self.show_figure_menu()
            return
        if self.single_line and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()
            return
        super().keyPressEvent(event)

    def figure_menu(self) -> QMenu:
        """Return a menu of the figures by label; choosing one inserts its chip."""
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Insert a figure"))
        for figure_id, label in self.offer():
            action = menu.addAction(label)
            action.setData(figure_id)
            action.triggered.connect(lambda _on=False, f=figure_id: self.insert_chip(f))
        return menu

    def show_figure_menu(self) -> None:
        """Open the figure menu at the cursor."""
        menu = self.figure_menu()
        menu.popup(self.viewport().mapToGlobal(self.cursorRect().bottomLeft()))

    def contextMenuEvent(self, event: Any) -> None:
        """Add "Insert a figure" to the editor's own context menu."""
        menu = self.createStandardContextMenu()
        menu.addSeparator()
        figures = self.figure_menu()
        figures.setTitle(self.tr("Insert a figure") + "\t" + self.tr("Ctrl+Space"))
        menu.addMenu(figures)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copy the text as the brief will read it, and the chips for pasting back here."""
        cursor = self.textCursor()
        fragment = self._selection_stored(cursor)
        data = QMimeData()
        data.setData(STORED_MIME, fragment.encode("utf-8"))
        data.setText(PLACEHOLDER.sub(
            lambda m: self.describe(m.group(2), m.group(1), self.lang).value,
            fragment,
        ))
        return data

    def _selection_stored(self, cursor: QTextCursor) -> str:
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        probe = QTextCursor(self.document())
        parts = []
        for position in range(start, end):
            probe.setPosition(position)
            probe.movePosition(QTextCursor.MoveOperation.NextCharacter,
                               QTextCursor.MoveMode.KeepAnchor)
            char = probe.selectedText()
            fmt = probe.charFormat()
            if char == OBJECT_CHAR and is_chip(fmt):
                parts.append("{" + str(fmt.property(PLACEHOLDER_KIND)) + ":"
                             + str(fmt.property(FIGURE_ID)) + "}")
            elif char == "\u2029":
                parts.append("\n")
            else:
                parts.append(char)
        return "".join(parts)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        """Accept plain text and chips copied from these editors."""
        return source.hasFormat(STORED_MIME) or source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste as plain text; placeholders and copied chips arrive as chips."""
        if source.hasFormat(STORED_MIME):
            text = bytes(source.data(STORED_MIME).data()).decode("utf-8")
        else:
            text = source.text()
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        self._insert_stored(cursor, text)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
