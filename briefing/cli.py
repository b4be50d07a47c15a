"""Command line: list the library and templates, export briefs (exit 2 on bad input)."""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from briefing.errors import BriefingError

# The process ends right after its command: at exit, skip the interpreter's last full
# garbage collection over every object it made (a tenth of a second after an export).
atexit.register(gc.freeze)

EXIT_OK = 0
EXIT_VERIFY_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # as a shell reports death by SIGPIPE


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise BriefingError(message)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``briefing`` command."""
    parser = _Parser(
        prog="briefing",
        description="Assemble Arabic, English and bilingual briefs and export PDF and Word.",
    )
    from briefing import __version__

    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, text in (
        ("sections", "list the library's sections"),
        ("figures", "list the library's figures"),
        ("templates", "list shipped and user templates"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--json", action="store_true", help="print JSON instead of a table")
    commands.choices["templates"].add_argument(
        "--copy", nargs=2, metavar=("TEMPLATE", "FOLDER"), default=None,
        help="write a self-contained copy of TEMPLATE (id or folder) into FOLDER to edit",
    )
    export = commands.add_parser(
        "export", help="export a brief to PDF and/or Word", description="Export a brief."
    )
    export.add_argument("brief_file", nargs="?", metavar="BRIEF_FILE", help="a .brief project file")
    export.add_argument("--lang", default=None, help="comma list of ar, en, bi (default: ar)")
    export.add_argument("--format", default="pdf,docx", help="comma list of pdf, docx")
    export.add_argument("--out", required=True, help="output folder")
    export.add_argument("--sections", default=None, help="comma list of section ids, in order")
    export.add_argument(
        "--set", action="append", default=[], metavar="FIGURE_ID=VALUE", help="change a figure"
    )
    export.add_argument(
        "--add-section", action="append", default=[], metavar="FILE.toml",
        help="add your own section from a TOML file",
    )
    export.add_argument("--template", default=None, help="template id or template folder")
    export.add_argument(
        "--marking", default=None, metavar="LEVEL",
        help="security marking level: unclassified, restricted, confidential or secret",
    )
    export.add_argument(
        "--force", action="store_true", help="replace files another brief exported"
    )
    export.add_argument("--digits", default=None, help="latin or arabic digits in Arabic text")
    export.add_argument(
        "--calendar", default=None,
        help="dates in the gregorian or hijri (Umm al-Qura) calendar, or both",
    )
    export.add_argument(
        "--months", default=None,
        help="Arabic month names: egyptian (أكتوبر), levantine (تشرين الأول) or both",
    )
    export.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="the brief's date")
    export.add_argument(
        "--reference", default=None, help="reference number, on the cover and in the footer"
    )
    export.add_argument(
        "--distribution", default=None, metavar="TEXT",
        help="who receives copies (English; Arabic too unless --distribution-ar is given)",
    )
    export.add_argument(
        "--distribution-ar", default=None, metavar="TEXT", help="who receives copies, in Arabic"
    )
    export.add_argument(
        "--talking-points",
        default=None,
        metavar="N|RANKS",
        help="how many talking points to keep (6 by default), or which by rank: 1,3,4",
    )
    export.add_argument(
        "--verify", action="store_true",
        help="read every exported PDF's text back: each paragraph in order, brackets the right "
        "way round, letters rather than presentation forms",
    )
    export.add_argument("--quiet", action="store_true", help="print nothing on success")
    ingest = commands.add_parser(
        "ingest", help="make a section with its figures from a news dispatch",
        description="Read an Arabic or English news dispatch (dateline, paragraphs) and write "
        "a section TOML for --add-section: every quantity becomes a {fig:ID} placeholder with "
        "its own [[figures]] entry. The other language's text is left for you to write.",
    )
    ingest.add_argument("dispatch_file", metavar="FILE.txt", help="the dispatch, UTF-8 text")
    ingest.add_argument("--out", required=True, metavar="SECTION.toml", help="section file")
    ingest.add_argument("--id", default=None, help="section id (default: dispatch_YYYYMMDD)")
    ingest.add_argument("--year", type=int, default=None,
                        help="year of the dateline when it names day and month only")
    ingest.add_argument("--quiet", action="store_true", help="print nothing on success")
    return parser


def _print_table(rows: list[list[str]], header: list[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


def cmd_sections(args: argparse.Namespace) -> int:
    from briefing.library import load_library

    library = load_library()
    items = [{"id": s.id, "title": s.title.to_dict()} for s in library.sections]
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        _print_table([[s.id, s.title.en, s.title.ar] for s in library.sections],
                     ["id", "title (en)", "title (ar)"])
    return EXIT_OK


def cmd_figures(args: argparse.Namespace) -> int:
    from briefing.library import load_library

    library = load_library()
    items: list[dict[str, Any]] = [
        {
            "id": f.id,
            "value": float(f.value) if f.value != f.value.to_integral_value() else int(f.value),
            "unit": f.unit,
            "qualifier": f.qualifier,
            "label": f.label.to_dict(),
            "source": f.source.en or f.source.ar,
            "source_ar": f.source.ar,
            "as_of": f.as_of.isoformat() if f.as_of else None,
            "min": None if f.minimum is None else float(f.minimum),
            "max": None if f.maximum is None else float(f.maximum),
        }
        for f in library.figures.values()
    ]
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
    else:
        _print_table(
            [[i["id"], f"{i['qualifier'].replace('_', ' ')} {i['value']}".strip(), i["unit"],
              i["label"]["en"], i["as_of"] or ""] for i in items],
            ["id", "value", "unit", "label", "as of"],
        )
    return EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    from briefing.templates import copy_template, list_templates

    if args.copy:
        print(copy_template(args.copy[0], Path(args.copy[1])))
        return EXIT_OK
    items = list_templates()
    if args.json:
        print(json.dumps([{k: t[k] for k in ("id", "name", "path", "origin")} for t in items],
                         ensure_ascii=False, indent=2))
    else:
        _print_table([[t["id"], t["origin"], t["name"], t["path"]] for t in items],
                     ["id", "origin", "name", "path"])
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from briefing import edits
    from briefing.calendars import check_calendar, check_months
    from briefing.export import export
    from briefing.library import load_library, load_section_file
    from briefing.model import (
        check_digits,
        check_formats,
        check_languages,
        check_talking_points,
    )
    from briefing.store import load_brief

    if not args.out.strip():
        raise BriefingError("--out: the output folder is empty")
    library = load_library()
    if args.brief_file:
        notices: list[str] = []
        brief = load_brief(Path(args.brief_file), notices)
        for notice in notices:
            print(f"notice: {notice}", file=sys.stderr)
    else:
        from datetime import date

        brief = edits.default_brief(library)
        brief = edits.set_meta(brief, date=date.today())
    languages = check_languages(_split(args.lang)) if args.lang is not None else brief.languages
    formats = check_formats(_split(args.format))
    taken: dict[str, str] = {}
    for file in args.add_section:
        section = load_section_file(Path(file), library, taken)
        taken.update({figure.id: section.id for figure in section.figures})
        brief = edits.add_custom_section(brief, library, section)
    if args.sections is not None:
        # Ids are written with hyphens as often as with underscores; the library spells "_".
        wanted = [section_id.replace("-", "_") for section_id in _split(args.sections)]
        for section_id in wanted:
            if brief.custom(section_id) is None and library.section(section_id) is None:
                known = ", ".join(library.section_ids())
                raise BriefingError(f"--sections: unknown section {section_id!r} (known: {known})")
        brief = edits.set_sections(brief, tuple(wanted))
    for assignment in args.set:
        figure_id, sep, value = assignment.partition("=")
        if not sep or not figure_id.strip():
            raise BriefingError(f"--set {assignment!r}: use FIGURE_ID=VALUE")
        brief = edits.set_figure_value(brief, library, figure_id.strip(), value.strip())
    if args.digits is not None:
        brief = replace(brief, digits=check_digits(args.digits))
    if args.calendar is not None:
        brief = replace(brief, calendar=check_calendar(args.calendar, "--calendar"))
    if args.months is not None:
        brief = replace(brief, months=check_months(args.months, "--months"))
    if args.date is not None:
        day = edits.parse_date(args.date, "--date")
        brief = edits.set_meta(brief, date=day)
    if args.reference is not None:
        reference = " ".join(args.reference.split())
        if not reference:
            raise BriefingError("--reference: the reference is empty")
        brief = edits.set_meta(brief, reference=reference)
    if args.distribution is not None or args.distribution_ar is not None:
        from briefing.model import LocalText

        english = " ".join((args.distribution or "").split())
        arabic = " ".join((args.distribution_ar or "").split())
        if not (english or arabic):
            raise BriefingError("--distribution: the distribution list is empty")
        brief = edits.set_meta(brief, distribution=LocalText(ar=arabic, en=english))
    if args.marking is not None:
        from briefing.model import marking_for_level

        brief = edits.set_meta(brief, marking=marking_for_level(args.marking))
    if args.talking_points is not None:
        try:
            check_talking_points(args.talking_points)
        except BriefingError as exc:
            raise BriefingError(f"--talking-points: {exc}") from None
        brief = replace(brief, talking_points=args.talking_points)
    result = export(
        brief,
        Path(args.out),
        languages=languages,
        formats=formats,
        template=args.template,
        verify=args.verify,
        library=library,
        force=args.force,
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        for path in result.paths:
            print(path)
    if result.problems:
        for problem in result.problems:
            print(f"verify: {problem}", file=sys.stderr)
        return EXIT_VERIFY_FAILED
    if args.verify and not args.quiet:
        print("verify: every paragraph reads back in order", file=sys.stderr)
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from briefing.atomic import write_atomic
    from briefing.ingest import parse_dispatch, section_toml
    from briefing.library import load_library, load_section_file
    from briefing.textfile import read_text_file

    source = Path(args.dispatch_file)
    text = read_text_file(source, str(source), "text file")
    if "\x00" in text:
        raise BriefingError(f"{source}: not a text file (it holds NUL bytes)")
    if args.id is not None:
        from briefing.model import check_id

        check_id("section", args.id)
    try:
        dispatch = parse_dispatch(text, year=args.year, section_id=args.id)
    except BriefingError as exc:
        raise BriefingError(f"{source}: {exc}") from None
    out = Path(args.out)
    if out.is_dir():
        raise BriefingError(f"--out {out}: is a folder; give the section file's name")
    document = section_toml(dispatch)
    # Read the section back as --add-section will before the file appears.
    library = load_library()
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "section.toml"
        probe.write_text(document, encoding="utf-8")
        load_section_file(probe, library)
    write_atomic(out, document.encode("utf-8"))
    if not args.quiet:
        print(out)
        for figure in dispatch.figures:
            qualifier = f"{figure.qualifier.replace('_', ' ')} " if figure.qualifier else ""
            print(f"  {figure.id}: {qualifier}{figure.value.normalize():f} {figure.unit}"
                  f"  ({figure.text})")
        other = "English" if dispatch.lang == "ar" else "Arabic"
        print(f"{len(dispatch.figures)} figures; the {other} text is left for you to write",
              file=sys.stderr)
    return EXIT_OK


COMMANDS = {
    "sections": cmd_sections,
    "figures": cmd_figures,
    "templates": cmd_templates,
    "export": cmd_export,
    "ingest": cmd_ingest,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return EXIT_BAD_INPUT
        return COMMANDS[args.command](args)
    except BriefingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`briefing figures | head`): stop quietly, and point stdout
        # at /dev/null so that the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        # A bug, not bad input; still one line, never a traceback, and a distinct status.
        print(f"error: unexpected failure ({type(exc).__name__}: {exc}); please report it",
              file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
