"""Tagged PDF: a structure tree (headings, paragraphs, lists, tables, figures) for briefs.

reportlab has no tagging of its own. The brief's flowables are given a ``Tag`` when the
story is built; when a tagged flowable is drawn its content is wrapped in a marked
content sequence (``/P <</MCID k>> BDC ... EMC``) and the tag remembers the page and
MCID. Everything else on a page (header, footer, marking, rules, shading, logo) is
page furniture: each page's stream starts in an ``/Artifact`` sequence that is closed
around every tagged piece. When the file is written the tags become the structure tree
with its parent tree, and the catalog and pages get the entries a reader needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfbase import pdfdoc

ARTIFACT_OPEN = "/Artifact BMC"
CLOSE = "EMC"


class _Literal(pdfdoc.PDFObject):
    """A PDF keyword written as it is (``true``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def format(self, document: Any) -> bytes:
        return self.text.encode("ascii")


TRUE = _Literal("true")


class Tag:
    """One structure element: its type, language, alternative text and where it was drawn.

    ``once`` marks an element drawn again on later pages only as a repeat (a table's
    header row): those repeats are page furniture, not content.
    """

    def __init__(
        self,
        role: str,
        parent: Tag | None = None,
        lang: str = "",
        alt: str = "",
        once: bool = False,
    ) -> None:
        self.role = role
        self.parent = parent
        self.lang = lang or (parent.lang if parent is not None else "")
        self.alt = alt
        self.once = once
        self.children: list[Tag] = []
        self.marks: list[tuple[int, int]] = []  # (page index, MCID)
        if parent is not None:
            parent.children.append(self)

    def __repr__(self) -> str:
        return f"Tag({self.role}, {len(self.marks)} marks)"

    def child(self, role: str, lang: str = "", alt: str = "", once: bool = False) -> Tag:
        """Return a new element under this one."""
        return Tag(role, self, lang=lang, alt=alt, once=once)

    def used(self) -> bool:
        """Say whether this element or one under it was drawn."""
        return bool(self.marks) or any(child.used() for child in self.children)


class TagTree:
    """The structure of one brief: a Document element whose language is the document's."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.root = Tag("Document", lang=lang)

    def add(self, role: str, lang: str = "", alt: str = "", once: bool = False) -> Tag:
        """Return a new top-level element (a heading, a paragraph, a list, a table)."""
        return self.root.child(role, lang=lang, alt=alt, once=once)


class Recorder:
    """Writes the marked-content operators into a canvas's pages and builds the tree."""

    def __init__(self, tree: TagTree) -> None:
        self.tree = tree
        self.next_mcid: dict[int, int] = {}
        self.page_refs: list[Any] = []

    # -- while pages are drawn -----------------------------------------------------------
    def begin(self, canvas: Any, tag: Tag) -> bool:
        """Open a tagged sequence for ``tag`` on the current page; False if it stays furniture."""
        page = canvas._pageNumber - 1
        if tag.once and any(p != page for p, _ in tag.marks):
            return False
        mcid = self.next_mcid.get(page, 0)
        self.next_mcid[page] = mcid + 1
        tag.marks.append((page, mcid))
        canvas._code.append(f"{CLOSE} /{tag.role} <</MCID {mcid}>> BDC")
        return True

    def end(self, canvas: Any) -> None:
        """Close the tagged sequence and go back to page furniture."""
        canvas._code.append(f"{CLOSE} {ARTIFACT_OPEN}")

    # -- when the file is written ----------------------------------------------------------
    def open_page(self, canvas: Any) -> None:
        """Start a held page's stream as furniture (called before its furniture is drawn)."""
        canvas._code.insert(0, ARTIFACT_OPEN)

    def close_page(self, canvas: Any) -> None:
        """End the page's furniture and note the page's reference for the tree."""
        canvas._code.append(CLOSE)
        self.page_refs.append(canvas._doc.thisPageRef())

    def mark_page(self, page: Any, index: int) -> None:
        """Give a page object its parent-tree key and structure tab order."""
        page.__NoDefault__ = [*pdfdoc.PDFPage.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = index
        page.Tabs = pdfdoc.PDFName("S")

    def finish(self, document: Any) -> None:
        """Add the structure tree, parent tree, language and markers to the catalog."""
        tree = self.tree
        by_page: dict[int, dict[int, Any]] = {}
        counter = [0]

        def build(tag: Tag, parent_ref: Any) -> Any:
            counter[0] += 1
            name = f"StructElem{counter[0]}"
            element = pdfdoc.PDFDictionary()
            ref = document.Reference(element, name)
            entries = element.dict
            entries["Type"] = pdfdoc.PDFName("StructElem")
            entries["S"] = pdfdoc.PDFName(tag.role)
            entries["P"] = parent_ref
            if tag.lang and tag.lang != (tag.parent.lang if tag.parent else tree.lang):
                entries["Lang"] = pdfdoc.PDFString(tag.lang)
            if tag.alt:
                entries["Alt"] = pdfdoc.PDFString(tag.alt)
            kids: list[Any] = []
            first_page = tag.marks[0][0] if tag.marks else None
            if first_page is not None:
                entries["Pg"] = self.page_refs[first_page]
            for page, mcid in tag.marks:
                by_page.setdefault(page, {})[mcid] = ref
                if page == first_page:
                    kids.append(mcid)
                else:
                    kids.append(
                        pdfdoc.PDFDictionary(
                            {
                                "Type": pdfdoc.PDFName("MCR"),
                                "Pg": self.page_refs[page],
                                "MCID": mcid,
                            }
                        )
                    )
            for child in tag.children:
                if child.used():
                    kids.append(build(child, ref))
            entries["K"] = pdfdoc.PDFArray(kids)
            return ref

        root = pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("StructTreeRoot")})
        root_ref = document.Reference(root, "StructTreeRoot")
        top = build(tree.root, root_ref)
        nums: list[Any] = []
        for page in range(len(self.page_refs)):
            marks = by_page.get(page, {})
            nums += [page, pdfdoc.PDFArray([marks[mcid] for mcid in sorted(marks)])]
        parent_tree = pdfdoc.PDFDictionary({"Nums": pdfdoc.PDFArray(nums)})
        root.dict["K"] = pdfdoc.PDFArray([top])
        root.dict["ParentTree"] = document.Reference(parent_tree, "ParentTree")
        root.dict["ParentTreeNextKey"] = len(self.page_refs)
        catalog = document.Catalog
        catalog.StructTreeRoot = root_ref
        catalog.Lang = pdfdoc.PDFString(tree.lang)
        catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": TRUE})
        catalog.ViewerPreferences = pdfdoc.PDFDictionary({"DisplayDocTitle": TRUE})


@contextmanager
def tagged(canvas: Any, tag: Tag | None) -> Iterator[None]:
    """Wrap what is drawn inside in ``tag``'s marked content, when the canvas records tags.

    Without a recorder, or without a tag, the drawing is left as it is (furniture).
    """
    recorder: Recorder | None = getattr(canvas, "tag_recorder", None)
    opened = recorder is not None and tag is not None and recorder.begin(canvas, tag)
    try:
        yield
    finally:
        if opened:
            assert recorder is not None
            recorder.end(canvas)
