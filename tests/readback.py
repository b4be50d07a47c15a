"""Reading rendered briefs back: pdftotext's word boxes, and LibreOffice's PDF of a Word file."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

XHTML = "{http://www.w3.org/1999/xhtml}"


def pdf_boxes(pdf: Path | bytes, *options: str) -> ElementTree.Element:
    """Return pdftotext's XHTML of a PDF (a file, or its bytes): its pages, and in them its
    lines and words with their boxes.

    ``options`` go before the file; without any it is ``-bbox-layout`` (blocks and lines
    with the words). ``-bbox`` gives the words alone, in pdftotext's reading order.
    """
    source = "-" if isinstance(pdf, bytes) else str(pdf)
    output = subprocess.run(
        ["pdftotext", *(options or ("-bbox-layout",)), source, "-"],
        input=pdf if isinstance(pdf, bytes) else None,
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    return ElementTree.fromstring(output)


def tagged(element: ElementTree.Element, name: str) -> Iterator[ElementTree.Element]:
    """Yield the ``page``, ``line`` or ``word`` elements below ``element``, in order."""
    return element.iter(f"{XHTML}{name}")


def libreoffice_pdf(
    *sources: Path, out: Path, profile: Path, env: dict[str, str] | None = None,
    timeout: float = 300,
) -> list[Path]:
    """Print Word files to PDF in ``out`` with LibreOffice, in one process with a private
    ``profile`` folder; return the PDFs, in the order of ``sources``."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.absolute().as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        env=env,
        capture_output=True,
        check=True,
        timeout=timeout,
    )
    pdfs = [out / (source.stem + ".pdf") for source in sources]
    for source, pdf in zip(sources, pdfs, strict=True):
        assert pdf.is_file(), f"LibreOffice wrote no PDF for {source.name}"
    return pdfs


def footer_top(pdf: Path) -> float:
    """Return the top (points from the page top) of the footer LibreOffice printed: the
    highest word in the lower half that stands at the same place on every page.

    A footer taller than the bottom margin pushes the body up, so the margin alone does
    not say where the body ends.
    """
    pages = list(tagged(pdf_boxes(pdf, "-bbox"), "page"))
    places: list[set[tuple[str, int, int]]] = []
    for page in pages:
        half = float(page.get("height", 842)) / 2
        places.append({
            (word.text or "", round(float(word.get("yMin", 0))), round(float(word.get("xMin", 0))))
            for word in tagged(page, "word")
            if float(word.get("yMin", 0)) > half
        })
    # The first page may carry a letterhead's own footer.
    common = set.intersection(*places[1:]) if len(places) > 2 else set.intersection(*places)
    if not common:
        return float(pages[0].get("height", 842))
    return float(min(y for _, y, _ in common))


def empty_feet(pdf: Path, top: float, bottom: float, dpi: int = 30) -> list[float]:
    """Return, page by page, the share of the body (``top`` to ``bottom``, points from the
    page top) that lies below the page's lowest inked row."""
    import tempfile

    import numpy as np
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", str(pdf), f"{folder}/p"],
            check=True, timeout=120,
        )
        pictures = sorted(Path(folder).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[1]))
        feet = []
        for picture in pictures:
            grey = np.asarray(Image.open(picture))
            first, last = round(top * dpi / 72), round(bottom * dpi / 72)
            inked = np.where((grey[first:last] < 230).any(axis=1))[0]
            body = last - first
            feet.append((body - 1 - inked[-1]) / body if len(inked) else 1.0)
    return feet


def drawn_pictures(pdf: Path | bytes) -> Iterator[tuple[int, float, str, Any]]:
    """Yield ``(page number, page height, picture name, matrix)`` for each picture drawn,
    in the order of the pages' content; the matrix (numpy, 3 x 3) places its unit square."""
    import io

    import numpy as np
    import pikepdf

    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pikepdf.open(source) as document:
        for number, page in enumerate(document.pages, start=1):
            height = float(page.mediabox[3])
            stack = [np.identity(3)]
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name == "q":
                    stack.append(stack[-1].copy())
                elif name == "Q":
                    stack.pop()
                elif name == "cm":
                    a, b, c, d, e, f = (float(x) for x in operands)
                    stack[-1] = np.array([[a, b, 0], [c, d, 0], [e, f, 1]]) @ stack[-1]
                elif name == "Do":
                    yield number, height, str(operands[0]), stack[-1]
