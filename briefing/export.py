"""The one export entry point used by the command line and the GUI."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefing.atomic import StagedFiles
from briefing.document import Document, build_document, effective_figures, selected_sections
from briefing.errors import BriefingError
from briefing.library import Library, load_library
from briefing.model import Brief, OutputLang, check_formats, check_languages, validate_figure
from briefing.templates import Template, load_template

Progress = Callable[[str, int, int], None]


@dataclass
class ExportResult:
    """What an export wrote, and what the read-back check found (empty when all is well)."""

    paths: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def check_brief(brief: Brief, library: Library) -> None:
    """Raise the first problem in a brief: unknown sections or figures, values out of range."""
    selected_sections(brief, library)
    for figure in effective_figures(brief, library).values():
        # Overrides come from .brief files that may have been edited by hand: check
        # qualifier, kind and label too, and keep the unit's dimension so charts still scale.
        validate_figure(figure, library.units)
        shipped_unit = library.units[library.figures[figure.id].unit]
        if library.units[figure.unit].dimension != shipped_unit.dimension:
            raise BriefingError(
                f"figure {figure.id}: unit {figure.unit!r} measures "
                f"{library.units[figure.unit].dimension}, not {shipped_unit.dimension}"
            )
    for section in brief.custom_sections:
        for chart_id in section.charts:
            if chart_id not in library.charts:
                raise BriefingError(f"section {section.id} names unknown chart {chart_id!r}")
    if not brief.sections:
        raise BriefingError("the brief has no sections selected")


def check_output_folder(out_dir: Path) -> None:
    """Raise if ``out_dir`` cannot hold the exports (under a file, not writable …)."""
    if str(out_dir).strip() == "" or "\0" in str(out_dir):
        raise BriefingError(f"output folder {str(out_dir)!r} is not a valid path")
    probe = Path(out_dir)
    try:
        while not probe.exists():
            if probe.parent == probe:
                break
            probe = probe.parent
    except OSError as exc:  # a name too long for the file system, a loop of links …
        raise BriefingError(f"output folder {out_dir} is not usable: {exc.strerror}") from None
    if probe.exists() and not probe.is_dir():
        raise BriefingError(f"output folder {out_dir} is under a file ({probe}), not a folder")
    if probe.exists() and not os.access(probe, os.W_OK | os.X_OK):
        raise BriefingError(f"output folder {out_dir} is not writable")


def build_documents(
    brief: Brief, languages: Sequence[OutputLang], template: Template, library: Library
) -> dict[OutputLang, Document]:
    """Return the document of each output language."""
    return {lang: build_document(brief, library, template, lang) for lang in languages}


def render(document: Document, fmt: str) -> bytes:
    """Return the bytes of ``document`` rendered as ``fmt`` ("pdf" or "docx")."""
    if fmt == "pdf":
        from briefing.render.pdf import render_pdf

        return render_pdf(document)
    from briefing.render.docx import render_docx

    return render_docx(document)


def export(
    brief: Brief,
    out_dir: Path,
    languages: Sequence[str] | None = None,
    formats: Sequence[str] = ("pdf", "docx"),
    template: str | None = None,
    verify: bool = False,
    progress: Progress | None = None,
    library: Library | None = None,
) -> ExportResult:
    """Render the brief in every language and format into ``out_dir``, all or nothing.

    Files are named ``brief-<lang>.<format>``. Everything is rendered in memory first
    and published with renames at the end, so a failure leaves the folder as it was.
    """
    library = library or load_library()
    langs = check_languages(list(languages) if languages else list(brief.languages))
    fmts = check_formats(list(formats))
    tmpl = load_template(template or brief.template)
    check_brief(brief, library)
    out_dir = Path(out_dir)
    check_output_folder(out_dir)
    documents = build_documents(brief, langs, tmpl, library)
    total = len(langs) * len(fmts)
    outputs: list[tuple[str, bytes]] = []
    result = ExportResult()
    step = 0
    for lang, document in documents.items():
        for fmt in fmts:
            if progress:
                progress(f"brief-{lang}.{fmt}", step, total)
            data = render(document, fmt)
            if verify and fmt == "pdf":
                from briefing.verify import verify_pdf

                result.problems += [f"brief-{lang}.pdf: {p}" for p in verify_pdf(data, document)]
            outputs.append((f"brief-{lang}.{fmt}", data))
            step += 1
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with StagedFiles(out_dir) as staged:
            for name, data in outputs:
                staged.add(name, data)
            result.paths = staged.commit()
    except OSError as exc:
        # A failed rename names the export it would have replaced (a folder in its way …).
        where = exc.filename2 or out_dir
        raise BriefingError(f"cannot write to {where}: {exc.strerror or exc}") from None
    if progress:
        progress("done", total, total)
    return result
