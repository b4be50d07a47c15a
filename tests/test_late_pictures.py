"""A file whose chart pictures another process still draws is written in two steps: the
text first, the pictures when the file is finished; the bytes are those of one step."""

from __future__ import annotations

import io
import zipfile

import pytest

from briefing import edits
from briefing.document import build_document
from briefing.library import Library
from briefing.render import charts
from briefing.render.docx import finish_docx, render_docx, start_docx
from briefing.render.pdf import finish_pdf, render_pdf, start_pdf
from briefing.templates import load_template


@pytest.fixture
def document(library: Library):  # type: ignore[no-untyped-def]
    return build_document(edits.default_brief(library), library, load_template("ministry"), "ar")


def test_a_word_file_takes_pictures_still_drawn_when_it_is_finished(
    document, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    expected = render_docx(document)
    asked: list[tuple[str, str]] = []
    real = charts.render_chart_png

    def asking(data, template, size):  # type: ignore[no-untyped-def]
        asked.append((data.id, size))
        return real(data, template, size)

    # Every picture "is being drawn elsewhere": the writer sets stand-ins, and asks for
    # the pictures only when the file is finished.
    monkeypatch.setattr("briefing.render.docx.picture_coming", lambda *item: True)
    monkeypatch.setattr("briefing.render.docx.render_chart_png", asking)
    writer = start_docx(document)
    assert writer.late_pictures, "no stand-in was set: the test sees nothing"
    assert asked == []
    data = finish_docx(writer)
    assert len(asked) == len(writer.late_pictures)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        media = [package.read(n) for n in package.namelist() if n.startswith("word/media/")]
    assert media and not any(b"tEXtchart" in picture for picture in media)
    assert data == expected


def test_a_pdf_drawn_then_written_is_the_same_file(document) -> None:  # type: ignore[no-untyped-def]
    assert finish_pdf(start_pdf(document)) == render_pdf(document)
