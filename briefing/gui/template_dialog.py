"""Customise a copy of a template (marking, colours, fonts, logo, margins) as one's own."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefing.errors import BriefingError
from briefing.fonts import ARABIC_FAMILIES, BUNDLED_FAMILIES
from briefing.gui.prompts import Prompts
from briefing.gui.qtfonts import register_bundled_fonts
from briefing.gui.section_dialog import make_left_to_right, make_right_to_left
from briefing.templates import COLOUR_KEYS, Template, load_template

COLOUR_PATTERN = re.compile(r"^#[0-9A-Fa-f]{6}$")
MARGINS = (("top", "margin_top_mm"), ("bottom", "margin_bottom_mm"),
           ("left", "margin_left_mm"), ("right", "margin_right_mm"))


class PageSample(QWidget):
    """A small drawn page showing the chosen margins, colours, fonts, marking and logo."""

    def __init__(self, dialog: TemplateDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.setMinimumSize(230, 320)
        self.setAccessibleName(self.tr("Sample page"))

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Draw the sample page."""
        values = self.dialog.values()
        colours = values["colours"]
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#8a8f96"))
        # A4 proportions, as large as fits.
        height = self.height() - 20
        width = height * 210 / 297
        if width > self.width() - 20:
            width = self.width() - 20
            height = width * 297 / 210
        page = QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)
        painter.fillRect(page, QColor("#FFFFFF"))
        scale = width / 210
        margins = values["margins"]
        inner = page.adjusted(float(margins["left"]) * scale, float(margins["top"]) * scale,
                              -float(margins["right"]) * scale, -float(margins["bottom"]) * scale)
        painter.setPen(QPen(QColor("#D0D4DA"), 1, Qt.PenStyle.DashLine))
        painter.drawRect(inner)
        families = register_bundled_fonts()
        arabic = QFont(families.get(values["fonts"]["arabic"], values["fonts"]["arabic"]))
        arabic.setPixelSize(max(8, int(9 * scale)))
        marking = values["marking"]
        painter.setFont(arabic)
        painter.setPen(QColor(colours["marking"]))
        top_band = QRectF(page.left(), page.top(), page.width(), inner.top() - page.top())
        painter.drawText(top_band, Qt.AlignmentFlag.AlignCenter,
                         " / ".join(t for t in (marking["ar"], marking["en"]) if t))
        if values["logo"] and Path(values["logo"]).is_file():
            logo = QPixmap(values["logo"])
            if not logo.isNull():
                box = logo.scaled(int(28 * scale), int(18 * scale),
                                  Qt.AspectRatioMode.KeepAspectRatio,
                                  Qt.TransformationMode.SmoothTransformation)
                painter.drawPixmap(int(inner.right() - box.width()), int(inner.top()), box)
        title_font = QFont(arabic)
        title_font.setPixelSize(max(9, int(13 * scale)))
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor(colours["primary"]))
        line = QRectF(inner.left(), inner.top() + 22 * scale, inner.width(), 16 * scale)
        painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         "مذكرة إحاطة")
        painter.setPen(QPen(QColor(colours["accent"]), max(1.0, 0.8 * scale)))
        painter.drawLine(line.bottomLeft(), line.bottomRight())
        body_font = QFont(arabic)
        painter.setFont(body_font)
        painter.setPen(QColor(colours["text"]))
        y = line.bottom() + 6 * scale
        for text in ("يتناول هذا الموجز التعاون في النقل العابر والطاقة.",
                     "الممر الأوسط والموانئ والسكك الحديدية."):
            painter.drawText(QRectF(inner.left(), y, inner.width(), 12 * scale),
                             Qt.AlignmentFlag.AlignRight, text)
            y += 12 * scale
        latin = QFont(families.get(values["fonts"]["latin"], values["fonts"]["latin"]))
        latin.setPixelSize(max(8, int(9 * scale)))
        painter.setFont(latin)
        painter.setPen(QColor(colours["muted"]))
        painter.drawText(QRectF(inner.left(), y, inner.width(), 12 * scale),
                         Qt.AlignmentFlag.AlignLeft, "The Middle Corridor, ports and railways")
        y += 16 * scale
        box = QRectF(inner.left(), y, inner.width(), 20 * scale)
        painter.fillRect(box, QColor(colours["box"]))
        y = box.bottom() + 8 * scale
        row_height = 9 * scale
        painter.fillRect(QRectF(inner.left(), y, inner.width(), row_height),
                         QColor(colours["table_header"]))
        painter.setPen(QColor(colours["table_header_text"]))
        painter.setFont(body_font)
        painter.drawText(QRectF(inner.left(), y, inner.width() - 4, row_height),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "المؤشر")
        for number in range(4):
            y += row_height
            if number % 2:
                painter.fillRect(QRectF(inner.left(), y, inner.width(), row_height),
                                 QColor(colours["table_stripe"]))
        painter.setPen(QPen(QColor(colours["rule"]), 1))
        painter.drawLine(inner.left(), y + row_height, inner.right(), y + row_height)
        painter.end()


class TemplateDialog(QDialog):
    """Edit a copy of a template and save it in the user's templates folder."""

    def __init__(self, template_id: str, prompts: Prompts | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base: Template = load_template(template_id)
        self.prompts = prompts or Prompts(self)
        self.saved_id = ""
        self.saved_folder: Path | None = None
        self.setWindowTitle(self.tr("Customise template"))
        base = self.base

        self.id_edit = QLineEdit(self._suggest_id(), self)
        make_left_to_right(self.id_edit)
        self.id_edit.setAccessibleName(self.tr("New template id"))
        self.id_edit.hide()  # made from the name: see _name_edited
        self.name_ar = QLineEdit(base.name.ar, self)
        make_right_to_left(self.name_ar)
        self.name_ar.setAccessibleName(self.tr("Template name (Arabic)"))
        self.name_en = QLineEdit(base.name.en, self)
        make_left_to_right(self.name_en)
        self.name_en.setAccessibleName(self.tr("Template name (English)"))
        self.marking_ar = QLineEdit(base.marking.ar, self)
        make_right_to_left(self.marking_ar)
        self.marking_ar.setAccessibleName(self.tr("Marking (Arabic)"))
        self.marking_en = QLineEdit(base.marking.en, self)
        make_left_to_right(self.marking_en)
        self.marking_en.setAccessibleName(self.tr("Marking (English)"))

        self.name_en.textEdited.connect(self._name_edited)
        self.name_ar.textEdited.connect(self._name_edited)
        names = QFormLayout()
        names.addRow(self.tr("Name (Arabic):"), self.name_ar)
        names.addRow(self.tr("Name (English):"), self.name_en)
        names.addRow(self.tr("&Marking (Arabic):"), self.marking_ar)
        names.addRow(self.tr("Marking (English):"), self.marking_en)

        colours_box = QGroupBox(self.tr("Colours"), self)
        colour_grid = QGridLayout(colours_box)
        self.colour_edits: dict[str, QLineEdit] = {}
        self.colour_buttons: dict[str, QPushButton] = {}
        for number, key in enumerate(COLOUR_KEYS):
            label = self.colour_names()[key]
            edit = QLineEdit(base.colours[key], colours_box)
            make_left_to_right(edit)
            edit.setMaxLength(7)
            edit.setAccessibleName(self.tr("Colour: {0}").format(label))
            edit.textChanged.connect(self._colour_typed)
            button = QPushButton(colours_box)
            button.setFixedWidth(34)
            button.setAccessibleName(self.tr("Pick colour: {0}").format(label))
            button.clicked.connect(lambda _c=False, k=key: self._pick_colour(k))
            self.colour_edits[key] = edit
            self.colour_buttons[key] = button
            row, column = divmod(number, 2)
            colour_grid.addWidget(QLabel(label, colours_box), row, column * 3)
            colour_grid.addWidget(edit, row, column * 3 + 1)
            colour_grid.addWidget(button, row, column * 3 + 2)

        fonts_box = QGroupBox(self.tr("Fonts"), self)
        fonts_form = QFormLayout(fonts_box)
        self.arabic_font = QComboBox(fonts_box)
        self.arabic_font.setAccessibleName(self.tr("Arabic font"))
        for family in BUNDLED_FAMILIES:
            if family in ARABIC_FAMILIES:
                self.arabic_font.addItem(family, family)
        self.arabic_font.setCurrentIndex(
            max(0, self.arabic_font.findData(base.fonts.arabic.family))
        )
        self.latin_font = QComboBox(fonts_box)
        self.latin_font.setAccessibleName(self.tr("Latin font"))
        for family in BUNDLED_FAMILIES:
            if family != "Noto Naskh Arabic":  # it has no Latin letters
                self.latin_font.addItem(family, family)
        self.latin_font.setCurrentIndex(max(0, self.latin_font.findData(base.fonts.latin.family)))
        for combo in (self.arabic_font, self.latin_font):
            combo.currentIndexChanged.connect(lambda _i: self.sample.update())
        fonts_form.addRow(self.tr("&Arabic:"), self.arabic_font)
        fonts_form.addRow(self.tr("&Latin:"), self.latin_font)

        margins_box = QGroupBox(self.tr("Margins (mm)"), self)
        margins_form = QFormLayout(margins_box)
        self.margin_spins: dict[str, QDoubleSpinBox] = {}
        for key, attribute in MARGINS:
            spin = QDoubleSpinBox(margins_box)
            spin.setRange(5, 60)
            spin.setDecimals(1)
            spin.setSingleStep(1)
            spin.setValue(float(getattr(base.page, attribute)))
            spin.valueChanged.connect(lambda _v: self.sample.update())
            label = {"top": self.tr("Top"), "bottom": self.tr("Bottom"),
                     "left": self.tr("Left"), "right": self.tr("Right")}[key]
            spin.setAccessibleName(self.tr("Margin: {0}").format(label))
            self.margin_spins[key] = spin
            margins_form.addRow(label + ":", spin)

        logo_box = QGroupBox(self.tr("Logo"), self)
        logo_row = QHBoxLayout(logo_box)
        # The logo is shown by its file name (the full path, often inside the installation,
        # is in the tooltip); the path itself is kept aside.
        self.logo_path = str(base.logo) if base.logo else ""
        self.logo_edit = QLineEdit(logo_box)
        self.logo_edit.setReadOnly(True)
        make_left_to_right(self.logo_edit)
        self.logo_edit.setAccessibleName(self.tr("Logo file"))
        self._show_logo()
        browse = QPushButton(self.tr("Choose…"), logo_box)
        browse.setAccessibleName(self.tr("Choose a logo file"))
        browse.clicked.connect(self._choose_logo)
        clear = QPushButton(self.tr("No logo"), logo_box)
        clear.setAccessibleName(self.tr("Remove the logo"))
        clear.clicked.connect(lambda: self.set_logo(""))
        logo_row.addWidget(self.logo_edit, 1)
        logo_row.addWidget(browse)
        logo_row.addWidget(clear)

        self.sample = PageSample(self)
        for edit in (self.marking_ar, self.marking_en):
            edit.textChanged.connect(lambda _t: self.sample.update())

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #842029;")
        self.error_label.setAccessibleName(self.tr("Problem with the template"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addLayout(names)
        left.addWidget(colours_box)
        side = QHBoxLayout()
        side.addWidget(fonts_box)
        side.addWidget(margins_box)
        left.addLayout(side)
        left.addWidget(logo_box)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(self.sample, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._colour_typed()

    def colour_names(self) -> dict[str, str]:
        """Return readable names of the template colours, in the interface language."""
        return {
            "primary": self.tr("Headings and title"),
            "accent": self.tr("Accent"),
            "text": self.tr("Body text"),
            "muted": self.tr("Secondary text"),
            "rule": self.tr("Rules"),
            "table_header": self.tr("Table header"),
            "table_header_text": self.tr("Table header text"),
            "table_stripe": self.tr("Table stripes"),
            "box": self.tr("Key-point box"),
            "marking": self.tr("Marking"),
        }

    def set_logo(self, path: str) -> None:
        """Use the image at ``path`` as the logo ("" for none)."""
        self.logo_path = path
        self._show_logo()
        self.sample.update()

    def _show_logo(self) -> None:
        self.logo_edit.setText(Path(self.logo_path).name if self.logo_path else self.tr("None"))
        self.logo_edit.setToolTip(self.logo_path)

    @Slot(str)
    def _name_edited(self, _text: str) -> None:
        """Name the saved copy after its English (else Arabic) name: ids stay out of sight."""
        if self.base.user:
            return  # the user's own template is saved over itself
        source = self.name_en.text().strip() or self.name_ar.text().strip()
        slug = re.sub(r"[^\w]+", "-", source.casefold()).strip("-_")[:56].strip("-_")
        if not slug or not slug[0].isalnum() or not slug.isascii() or slug == self.base.id:
            slug = f"{self.base.id}-custom"
        self.id_edit.setText(slug)

    def _suggest_id(self) -> str:
        """Return the id to save under: the user's own template itself, or a new copy's."""
        return self.base.id if self.base.user else f"{self.base.id}-custom"

    @Slot()
    def _colour_typed(self, *_args: Any) -> None:
        for key, edit in self.colour_edits.items():
            text = edit.text().strip()
            good = bool(COLOUR_PATTERN.match(text))
            edit.setStyleSheet("" if good else "QLineEdit { background: #F8D7DA; }")
            self.colour_buttons[key].setStyleSheet(
                f"QPushButton {{ background: {text}; border: 1px solid #555; }}" if good else ""
            )
        if hasattr(self, "sample"):  # colours are typed in before the sample exists
            self.sample.update()

    def _pick_colour(self, key: str) -> None:
        current = QColor(self.colour_edits[key].text())
        chosen = QColorDialog.getColor(current, self, self.colour_names()[key])
        if chosen.isValid():
            self.colour_edits[key].setText(chosen.name().upper())

    def _choose_logo(self) -> None:
        chosen = self.prompts.choose_image(str(Path.home()))
        if chosen is not None:
            self.set_logo(str(chosen))

    def values(self) -> dict[str, Any]:
        """Return what the dialog shows, with colours falling back to the base's when invalid."""
        colours = {}
        for key, edit in self.colour_edits.items():
            text = edit.text().strip()
            colours[key] = text.upper() if COLOUR_PATTERN.match(text) else self.base.colours[key]
        return {
            "colours": colours,
            "marking": {"ar": self.marking_ar.text().strip(), "en": self.marking_en.text().strip()},
            "fonts": {
                "arabic": self.arabic_font.currentData(),
                "latin": self.latin_font.currentData(),
            },
            "margins": {key: Decimal(str(spin.value())) for key, spin in self.margin_spins.items()},
            "logo": self.logo_path,
        }

    def changes(self) -> dict[str, Any]:
        """Return the changes for save_user_template (raises on a badly typed colour)."""
        colours = {}
        for key, edit in self.colour_edits.items():
            text = edit.text().strip()
            if not COLOUR_PATTERN.match(text):
                raise BriefingError(f"colour {key}: {text!r} is not a colour like #1F3A5F")
            colours[key] = text.upper()
        values = self.values()
        return {
            "name": {"ar": self.name_ar.text().strip(), "en": self.name_en.text().strip()},
            "marking": values["marking"],
            "colours": colours,
            "fonts": values["fonts"],
            "margins": values["margins"],
            "logo": values["logo"] or None,
        }

    def save(self) -> bool:
        """Write the template; on a problem show it and return False."""
        from briefing.templates import save_user_template

        new_id = self.id_edit.text().strip()
        try:
            folder = save_user_template(self.base, new_id, self.changes())
        except BriefingError as exc:
            self.error_label.setText(str(exc))
            return False
        self.saved_id = new_id
        self.saved_folder = folder
        return True

    def accept(self) -> None:
        """Save, and close only when the template was written."""
        if self.save():
            super().accept()
