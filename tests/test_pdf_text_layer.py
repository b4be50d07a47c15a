"""The whole default brief's text layer, read back as a copy-and-paste reader would.

Every character a reader takes from the ToUnicode map must be one of the brief's own
(or white space): a glyph with no entry, or one whose code the reader takes for a
character, shows up as a stray code point (the joining stroke Amiri draws in الكوب٢٩
came back as U+1771). And no Arabic word of the source may be lost: each comes back
from pypdf, which maps glyphs one by one, or from pdftotext, which reads the runs'
/ActualText.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from samples import make_document

from briefing.document import Document
from briefing.library import Library
from briefing.render.pdf import BULLET, render_pdf
from briefing.verify import _expected

pypdf = pytest.importorskip("pypdf")

# Arabic letters and their marks; digits, tatweel and punctuation split words.
ARABIC_WORD = re.compile(r"[\u0621-\u063a\u0641-\u065f\u0670-\u06d3\u06d5]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def source_texts(document: Document) -> list[str]:
    """Return every text the brief prints: blocks, cover, headers, footers, marking."""
    texts = [expected.text for expected in _expected(document.blocks)]
    texts += [document.title, document.subject, *document.marking.values()]
    for template_text in (*document.header.values(), *document.footer.values()):
        for lang in document.langs:
            for page in range(1, 40):
                texts.append(document.page_text(template_text, page, 39, lang))
    return [nfc(text) for text in texts if text]


def pypdf_text(data: Path) -> str:
    return nfc("\n".join(page.extract_text() for page in pypdf.PdfReader(data).pages))


def pdftotext_text(data: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(data), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return nfc(result.stdout.decode("utf-8"))


@pytest.mark.parametrize("digits", ["arabic", "latin"])
@pytest.mark.parametrize(
    ("lang", "template"),
    [
        ("ar", "ministry"),
        ("ar", "minimal"),
        ("ar", "bilingual"),
        ("bi", "bilingual"),
        ("bi", "ministry"),
        ("bi", "minimal"),
    ],
)
def test_text_layer_holds_only_source_characters_and_every_arabic_word(
    library: Library, tmp_path: Path, lang: str, template: str, digits: str
) -> None:
    document = make_document(library, lang, template=template, digits=digits)
    path = tmp_path / "brief.pdf"
    path.write_bytes(render_pdf(document))
    texts = source_texts(document)
    # The renderer's own: list items' bullets, the dot between a bilingual marking's halves.
    allowed = set("".join(texts)) | {BULLET, "\u00b7"}

    copied = pypdf_text(path)
    stray = sorted(
        {char for char in copied if char not in allowed and not char.isspace()}
    )
    assert not stray, [f"U+{ord(char):04X} {unicodedata.name(char, '?')}" for char in stray]

    read = pdftotext_text(path)
    words = {word for text in texts for word in ARABIC_WORD.findall(text)}
    assert len(words) > 200  # the brief's Arabic is there to be checked
    copied_words = set(ARABIC_WORD.findall(copied))
    read_words = set(ARABIC_WORD.findall(read))
    lost = sorted(words - copied_words - read_words)
    assert not lost, lost
