"""The tagged PDF: language, structure tree, marked content and furniture as artifacts."""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from test_render_pdf import make_document

from briefing.document import Block, Chart, Document, Heading, Parallel
from briefing.library import Library
from briefing.render.pdf import render_pdf

TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


def flat_blocks(blocks: Any) -> list[Block]:
    result: list[Block] = []
    for block in blocks:
        if isinstance(block, Parallel):
            result += flat_blocks(block.ar) + flat_blocks(block.en)
        else:
            result.append(block)
    return result


@pytest.fixture(scope="module", params=["ar", "en", "bi"])
def brief(request: pytest.FixtureRequest, library: Library) -> tuple[str, Document, bytes]:
    document = make_document(library, request.param)
    return request.param, document, render_pdf(document)


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Return every structure element, depth first in reading order."""
    found: list[pikepdf.Dictionary] = []

    def walk(element: pikepdf.Dictionary) -> None:
        found.append(element)
        for kid in element.get("/K", []):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
                walk(kid)

    for top in pdf.Root.StructTreeRoot.K:
        walk(top)
    return found


def tree_marks(pdf: pikepdf.Pdf) -> Counter[tuple[tuple[int, int], int]]:
    """Return how often each (page object, MCID) is referenced from the structure tree."""
    marks: Counter[tuple[tuple[int, int], int]] = Counter()
    for element in elements(pdf):
        for kid in element.get("/K", []):
            if isinstance(kid, int):
                marks[(element.Pg.objgen, kid)] += 1
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                marks[(kid.Pg.objgen, int(kid.MCID))] += 1
    return marks


def marked_operations(page: pikepdf.Page) -> list[tuple[str, list[str], int | None]]:
    """Return each operator of a page with the marked-content tags around it, innermost last."""
    stack: list[tuple[str, int | None]] = []
    result: list[tuple[str, list[str], int | None]] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BMC", "BDC"):
            mcid = None
            if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                mcid = int(operands[1].get("/MCID", -1))
            stack.append((str(operands[0]), mcid))
        elif name == "EMC":
            assert stack, "EMC without a marked-content sequence"
            stack.pop()
        mcid = next((m for _, m in reversed(stack) if m is not None), None)
        result.append((name, [tag for tag, _ in stack], mcid))
    assert not stack, "a marked-content sequence is left open at the end of a page"
    return result


def test_language_and_markers(brief: tuple[str, Document, bytes]) -> None:
    lang, _, data = brief
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert str(root.Lang) == ("en" if lang == "en" else "ar")
    assert bool(root.MarkInfo.Marked) is True
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    for page in pdf.pages:
        assert page.obj.Tabs == "/S"
        assert "/StructParents" in page.obj
    english = [e for e in elements(pdf) if str(e.get("/Lang", "")) == "en"]
    if lang == "bi":
        # The English column's elements say so; the Arabic ones inherit the catalog's.
        english_headings = [e for e in english if e.S == "/H2"]
        arabic_headings = [e for e in elements(pdf) if e.S == "/H2" and "/Lang" not in e]
        assert english_headings and len(english_headings) == len(arabic_headings)
    else:
        assert not english


def test_headings_paragraphs_lists_tables_and_figures(
    brief: tuple[str, Document, bytes],
) -> None:
    lang, document, data = brief
    pdf = pikepdf.open(io.BytesIO(data))
    found = elements(pdf)
    assert found[0].S == "/Document"
    kinds = Counter(str(e.S) for e in found)
    blocks = flat_blocks(document.blocks)
    sections = [b for b in blocks if isinstance(b, Heading) and b.level == 1]
    assert sections
    assert kinds["/H1"] == (2 if lang == "bi" else 1)  # the title
    assert kinds["/H2"] == len(sections)  # one per section (and language)
    assert kinds["/P"] >= len(sections)
    assert kinds["/L"] >= 1 and kinds["/LI"] == kinds["/LBody"] >= kinds["/L"]
    assert kinds["/Table"] >= 1 and kinds["/TH"] >= 1 and kinds["/TD"] >= 1
    charts = [b for b in blocks if isinstance(b, Chart)]
    figures = [e for e in found if e.S == "/Figure"]
    assert charts and len(figures) == len(charts)
    for figure, chart in zip(figures, charts, strict=True):
        assert str(figure.Alt).strip()
        assert str(figure.Alt) == (chart.alt or chart.caption)
    # Each list item sits in a list, each cell in a row of a table.
    for element in found:
        if element.S == "/LI":
            assert element.P.S == "/L"
        if element.S in ("/TH", "/TD"):
            assert element.P.S == "/TR" and element.P.P.S == "/Table"


def test_every_mcid_is_in_the_tree_once(brief: tuple[str, Document, bytes]) -> None:
    _, _, data = brief
    pdf = pikepdf.open(io.BytesIO(data))
    in_tree = tree_marks(pdf)
    assert in_tree and set(in_tree.values()) == {1}
    in_pages: Counter[tuple[tuple[int, int], int]] = Counter()
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page in pdf.pages:
        seen = set()
        for operator, _, mcid in marked_operations(page):
            if operator == "BDC" and mcid is not None and mcid not in seen:
                seen.add(mcid)
                in_pages[(page.obj.objgen, mcid)] += 1
        # The parent tree names, by MCID, the element that holds each marked sequence.
        row = parents[int(page.obj.StructParents)]
        assert len(row) == len(seen)
        for mcid in seen:
            element = row[mcid]
            assert mcid in [k for k in element.K if isinstance(k, int)] or any(
                isinstance(k, pikepdf.Dictionary) and int(k.get("/MCID", -1)) == mcid
                for k in element.K
            )
    assert in_pages == in_tree


def test_all_text_is_marked_and_every_page_has_furniture(
    brief: tuple[str, Document, bytes],
) -> None:
    _, _, data = brief
    pdf = pikepdf.open(io.BytesIO(data))
    for number, page in enumerate(pdf.pages, start=1):
        shown = [(tags, mcid) for op, tags, mcid in marked_operations(page) if op in TEXT_SHOWING]
        assert shown, number
        assert all(tags for tags, _ in shown), f"page {number}: text outside marked content"
        assert any(tags[-1] == "/Artifact" for tags, _ in shown), number
        assert any(mcid is not None for _, mcid in shown), number


def without_artifact_text(data: bytes, keep_artifacts: bool, tmp_path: Path) -> str:
    """Return pdftotext's text with the artifacts' text (or the content's) removed."""
    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        kept = []
        for (operands, operator), (name, tags, _) in zip(
            pikepdf.parse_content_stream(page), marked_operations(page), strict=True
        ):
            in_artifact = bool(tags) and tags[-1] == "/Artifact"
            if name in TEXT_SHOWING and in_artifact != keep_artifacts:
                continue
            kept.append((operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
    path = tmp_path / f"stripped-{keep_artifacts}.pdf"
    pdf.save(path)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_header_footer_and_marking_are_artifacts(library: Library, tmp_path: Path) -> None:
    document = make_document(library, "en")
    data = render_pdf(document)
    content = without_artifact_text(data, keep_artifacts=False, tmp_path=tmp_path)
    furniture = without_artifact_text(data, keep_artifacts=True, tmp_path=tmp_path)
    pages = len(pikepdf.open(io.BytesIO(data)).pages)
    marking = document.marking["en"]
    assert marking and marking not in content
    assert furniture.count(marking) == 2 * pages  # top and bottom of every page
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in furniture
        assert f"Page {number} of {pages}" not in content
    # The running header repeats the title: a section heading is content only.
    heading = next(
        b.text for b in flat_blocks(document.blocks) if isinstance(b, Heading) and b.level == 1
    )
    assert heading in " ".join(content.split())
    assert heading not in " ".join(furniture.split())


def test_tagging_leaves_the_arabic_text_layer_alone(library: Library, tmp_path: Path) -> None:
    document = make_document(library, "ar")
    texts = []
    for tagged in (True, False):
        path = tmp_path / f"ar-{tagged}.pdf"
        path.write_bytes(render_pdf(document, tagged=tagged))
        texts.append(
            subprocess.run(
                ["pdftotext", "-layout", str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    assert texts[0].strip()
    assert texts[0] == texts[1]
    plain = pikepdf.open(tmp_path / "ar-False.pdf")
    assert "/StructTreeRoot" not in plain.Root and "/MarkInfo" not in plain.Root
