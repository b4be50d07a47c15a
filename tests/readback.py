"""Reading rendered briefs back: pdftotext's word boxes, and LibreOffice's PDF of a Word file."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

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
