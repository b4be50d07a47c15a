"""Tests for briefing.templates: shipped templates, validation, inheritance, user copies."""

from __future__ import annotations

import re
import shutil
import tomllib
import zipfile
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from PIL import Image
from samples import write_template

from briefing import edits
from briefing.cli import main
from briefing.document import build_document
from briefing.errors import BriefingError
from briefing.library import load_library
from briefing.model import LocalText
from briefing.resources import as_path, resource, templates_root
from briefing.templates import (
    BLOCKS,
    COLOUR_KEYS,
    TEMPLATE_FILE,
    copy_template,
    list_templates,
    load_template,
    load_template_folder,
    parse_fields,
    save_user_template,
)

SHIPPED = ("ministry", "minimal", "bilingual")
SHIPPED_ROOT = as_path(templates_root())
NAME_LINE = 'name = { ar = "تجربة", en = "Test" }\n'


@pytest.fixture(autouse=True)
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user templates folder at an empty temporary folder."""
    folder = tmp_path / "user-templates"
    monkeypatch.setenv("BRIEFING_USER_TEMPLATES", str(folder))
    return folder


def font_file(name: str) -> Path:
    return as_path(resource("fonts", name))


def refused(folder: Path) -> str:
    """Return the message with which loading the template in ``folder`` is refused."""
    with pytest.raises(BriefingError) as caught:
        load_template_folder(folder)
    message = str(caught.value)
    assert "\n" not in message
    return message


def marked_line(text: str) -> int:
    """Return the 1-based line of ``text`` that carries the marker comment ``# <-``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if "# <-" in line)


# -- shipped templates --------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", SHIPPED)
def test_shipped_template_loads_with_every_field(template_id: str) -> None:
    template = load_template(template_id)
    assert template.id == template_id
    assert template.name.ar and template.name.en
    assert set(template.colours) == set(COLOUR_KEYS)
    assert template.chart_palette
    assert "sections" in template.blocks and set(template.blocks) <= set(BLOCKS)
    assert template.fonts.arabic.regular.is_file() and template.fonts.latin.regular.is_file()
    assert not template.user


def test_templates_differ_where_the_issue_says() -> None:
    ministry, minimal, bilingual = (load_template(i) for i in SHIPPED)
    assert ministry.marking == LocalText(ar="مقيد", en="RESTRICTED")
    assert ministry.cover_style == "memo" and ministry.numbered_headings
    assert ministry.cover_fields == ("recipient", "drafter", "subject", "date", "reference")
    assert minimal.marking == LocalText() and minimal.cover_style == "title"
    assert "key_figures" not in minimal.blocks and not minimal.numbered_headings
    assert minimal.fonts.latin.family == "Noto Sans"
    assert bilingual.parent == "ministry"


def test_child_inherits_what_it_does_not_set() -> None:
    ministry, bilingual = load_template("ministry"), load_template("bilingual")
    child_file = SHIPPED_ROOT / "bilingual" / TEMPLATE_FILE
    own = tomllib.loads(child_file.read_text(encoding="utf-8"))
    assert bilingual.files == (
        (SHIPPED_ROOT / "ministry" / TEMPLATE_FILE).resolve(),
        child_file.resolve(),
    )
    # Set in the child:
    assert bilingual.colours["primary"] == own["colours"]["primary"] != ministry.colours["primary"]
    assert bilingual.page.margin_left_mm == Decimal(own["page"]["margin_left_mm"])
    assert bilingual.marking == LocalText()
    # Inherited, including files that stay in the parent's folder:
    assert "marking" not in own["colours"] and "assets" not in own
    assert bilingual.colours["marking"] == ministry.colours["marking"]
    assert bilingual.page.margin_top_mm == ministry.page.margin_top_mm
    assert bilingual.fonts.arabic == ministry.fonts.arabic
    assert bilingual.logo == ministry.logo == (SHIPPED_ROOT / "ministry" / "logo.png").resolve()
    assert bilingual.letterhead == ministry.letterhead
    assert bilingual.numbered_headings == ministry.numbered_headings


def test_ministry_letterhead_names_the_ministry_in_both_languages() -> None:
    template = load_template("ministry")
    assert template.letterhead is not None
    document = docx.Document(str(template.letterhead))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.first_page_header._element.xml
    assert "وزارة الخارجية" in header_xml and "Ministry of Foreign Affairs" in header_xml
    assert "<w:bidi/>" in header_xml and "<w:rtl/>" in header_xml


def test_ministry_authority_matches_its_letterhead_and_is_inherited() -> None:
    ministry, minimal, bilingual = (load_template(i) for i in SHIPPED)
    header_xml = docx.Document(str(ministry.letterhead)).sections[0].first_page_header._element.xml
    for code in ("ar", "en"):
        lines = ministry.authority.get(code).splitlines()
        assert len(lines) == 2
        assert all(line in header_xml for line in lines)  # the PDF cover says what Word says
    assert bilingual.authority == ministry.authority
    assert minimal.authority.is_empty()


def test_ministry_logo_is_a_transparent_png() -> None:
    template = load_template("ministry")
    assert template.logo is not None
    with Image.open(template.logo) as logo:
        assert logo.format == "PNG" and logo.mode == "RGBA"
        assert logo.size[0] == logo.size[1] >= 256
        assert logo.getpixel((0, 0))[3] == 0  # transparent corner


def test_list_shows_shipped_then_user_templates(user_dir: Path) -> None:
    write_template(user_dir / "mine", f'{NAME_LINE}parent = "minimal"\n')
    write_template(user_dir / "broken", f"{NAME_LINE}colour = 1\n")
    (user_dir / ".half-saved.tmp").mkdir()
    listed = {t["id"]: t for t in list_templates()}
    assert set(listed) == {*SHIPPED, "mine", "broken"}
    assert listed["mine"]["origin"] == "user" and listed["mine"]["parent"] == "minimal"
    assert listed["mine"]["name"] == "Test" and listed["mine"]["path"] == str(user_dir / "mine")
    assert listed["ministry"]["origin"] == "shipped"
    assert "unknown" not in listed["broken"]["error"]
    assert (
        listed["broken"]["name"].startswith("(invalid:") and "'colour'" in listed["broken"]["error"]
    )


def test_cli_lists_user_templates_as_json(
    user_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    write_template(user_dir / "mine", f'{NAME_LINE}parent = "ministry"\n')
    assert main(["templates", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert all({"id", "name", "path"} <= set(item) for item in items)
    assert [item["id"] for item in items][-1] == "mine"


def test_user_template_shadows_shipped_id_and_can_extend_it(user_dir: Path) -> None:
    write_template(
        user_dir / "ministry", f'{NAME_LINE}parent = "ministry"\n[marking]\nen = "SECRET"\n'
    )
    template = load_template("ministry")
    assert template.user and template.folder == (user_dir / "ministry").resolve()
    assert template.marking == LocalText(ar="مقيد", en="SECRET")
    assert template.files[0] == (SHIPPED_ROOT / "ministry" / TEMPLATE_FILE).resolve()


# -- header and footer fields -------------------------------------------------------------------


def test_parse_fields_splits_text_fields_and_escaped_braces() -> None:
    assert parse_fields("{title} — {{draft}} p. {page}") == [
        ("field", "title"),
        ("text", " — {draft} p. "),
        ("field", "page"),
    ]
    assert parse_fields("") == []
    for bad in ("{title", "a } b", "{ {page}"):
        with pytest.raises(ValueError, match="lone"):
            parse_fields(bad)


def test_literal_braces_reach_the_document_unharmed(tmp_path: Path) -> None:
    folder = write_template(
        tmp_path / "braces",
        f'{NAME_LINE}[header]\nen = "{{{{draft}}}} {{title}}"\nar = "{{title}}"\n'
        '[footer]\nen = "{page} of {pages} }}"\nar = "{page}"\n',
    )
    template = load_template_folder(folder)
    assert template.header.en == "{draft} {title}"
    library = load_library()
    brief = edits.default_brief(library)
    document = build_document(brief, library, template, "en")
    assert (
        document.header["en"] == "{draft} Azerbaijan–Kazakhstan cooperation in transit and energy"
    )
    assert document.page_text(document.footer["en"], 2, 7, "en") == "2 of 7 }"


# -- refusals: each kind of broken template names file, key and line ----------------------------

BROKEN = {
    "unknown top key": ('colour = "#000000"  # <-\n', "key 'colour' is not a template key"),
    "unknown table key": (
        '[colours]\nprimry = "#000000"  # <-\n',
        "key 'colours.primry' is not known",
    ),
    "table given as value": ("page = 3  # <-\n", "key 'page' must be a table"),
    "number as string": (
        '[fonts]\nsize_body = "big"  # <-\n',
        "'fonts.size_body' must be a number",
    ),
    "boolean as number": (
        "[fonts]\nsize_body = true  # <-\n",
        "'fonts.size_body' must be a number",
    ),
    "number out of range": ("[page]\nmargin_top_mm = 100  # <-\n", "must be from 5 to 60"),
    "string as bool": ('[layout]\ncharts = "yes"  # <-\n', "must be true or false"),
    "colour by name": (
        '[colours]\nprimary = "blue"  # <-\n',
        "'colours.primary' = 'blue' is not a colour",
    ),
    "short colour": ('[colours]\nbox = "#12345"  # <-\n', "is not a colour like #1F3A5F"),
    "bad chart colour": (
        '[colours]\nchart = ["#112233", "red"]  # <-\n',
        "'colours.chart' has 'red'",
    ),
    "empty chart palette": ("[colours]\nchart = []  # <-\n", "must be a list of 1 to 12 colours"),
    "unknown page size": (
        '[page]\nsize = "A5"  # <-\n',
        "'page.size' = 'A5' (use one of A4, Letter)",
    ),
    "unknown cover style": ('[cover]\nstyle = "fancy"  # <-\n', "'cover.style' = 'fancy'"),
    "unknown cover field": ('[cover]\nfields = ["date", "x"]  # <-\n', "has unknown item 'x'"),
    "unknown block": ('[layout]\nblocks = ["sections", "toc"]  # <-\n', "unknown item 'toc'"),
    "repeated block": ('[layout]\nblocks = ["sections", "sections"]  # <-\n', "'sections' twice"),
    "no sections block": ('[layout]\nblocks = ["cover"]  # <-\n', "must include 'sections'"),
    "unknown header field": ('[header]\nen = "{author}"  # <-\n', "unknown field {author}"),
    "lone brace": ('[footer]\nar = "{page"  # <-\n', "lone '{' at column 1"),
    "closing brace": ('[footer]\nen = "a } b"  # <-\n', "lone '}' at column 3"),
    "field name in braces": ('[header]\nen = "{{page}}"  # <-\n', "field name in braces"),
    "multi-line marking": ('[marking]\nen = "A\\nB"  # <-\n', "must be one line"),
    "unknown language": ('[marking]\nfr = "SECRET"  # <-\n', "'marking.fr' is not known"),
    "unbundled font": ('[fonts]\nlatin = "Comic Sans"  # <-\n', "neither a bundled family"),
    "latin-only arabic font": ('[fonts]\narabic = "Noto Sans"  # <-\n', "has no Arabic letters"),
    "arabic-only latin font": (
        '[fonts]\nlatin = "Noto Naskh Arabic"  # <-\n',
        "has no Latin letters",
    ),
    "missing font file": (
        '[fonts]\nlatin = "fonts/gone.ttf"  # <-\n',
        "missing file 'fonts/gone.ttf'",
    ),
    "missing logo": ('[assets]\nlogo = "logo.png"  # <-\n', "'assets.logo' names a missing file"),
    "wrong logo type": (
        '[assets]\nlogo = "logo.gif"  # <-\n',
        "must be a .png or .jpg or .jpeg file",
    ),
    "letterhead not docx": ('[assets]\nletterhead = "a.dotm"  # <-\n', "must be a .docx file"),
    "parent not an id": (
        'parent = "../ministry"  # <-\n',
        "'parent' = '../ministry' must be a template id",
    ),
    "unknown parent": ('parent = "nowhere"  # <-\n', "names unknown template 'nowhere'"),
    "parent is itself": ('parent = "selfish"  # <-\n', "'selfish' names the template itself"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_broken_template_is_refused_naming_file_key_and_line(tmp_path: Path, case: str) -> None:
    snippet, expected = BROKEN[case]
    text = NAME_LINE + snippet
    folder = write_template(tmp_path / "selfish", text)
    message = refused(folder)
    assert message.startswith(f"{folder / TEMPLATE_FILE} line {marked_line(text)}: key '"), message
    assert expected in message


def test_invalid_toml_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = write_template(tmp_path / "t", f'{NAME_LINE}[colours]\nprimary = "#123456\n')
    message = refused(folder)
    assert message.startswith(f"{folder / TEMPLATE_FILE}: invalid TOML")
    assert "line 3" in message


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / TEMPLATE_FILE).write_bytes(NAME_LINE.encode("cp1256"))
    assert "not UTF-8" in refused(folder)


def test_template_without_a_name_is_refused(tmp_path: Path) -> None:
    folder = write_template(tmp_path / "t", '[marking]\nen = "X"\n')
    assert refused(folder) == f"{folder / TEMPLATE_FILE}: key 'name' is missing (give ar and en)"


def test_folder_without_template_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(BriefingError, match=r"has no template\.toml"):
        load_template(str(tmp_path / "empty"))
    with pytest.raises(BriefingError, match=r"unknown template 'nope' \(known: bilingual, "):
        load_template("nope")


def test_parent_loop_is_refused_naming_the_loop(user_dir: Path) -> None:
    write_template(user_dir / "a", f'{NAME_LINE}parent = "b"\n')
    write_template(user_dir / "b", f'{NAME_LINE}parent = "c"\n')
    write_template(user_dir / "c", f'{NAME_LINE}parent = "a"  # <-\n')
    with pytest.raises(BriefingError) as caught:
        load_template("a")
    assert str(caught.value) == (
        f"{user_dir / 'c' / TEMPLATE_FILE} line 2: key 'parent' = 'a' makes a loop: a → b → c → a"
    )


def test_error_in_a_parent_names_the_parent_file(user_dir: Path) -> None:
    write_template(user_dir / "base", f'{NAME_LINE}[colours]\naccent = "gold"\n')
    write_template(user_dir / "child", f'{NAME_LINE}parent = "base"\n')
    with pytest.raises(BriefingError) as caught:
        load_template("child")
    assert str(caught.value).startswith(
        f"{user_dir / 'base' / TEMPLATE_FILE} line 3: key 'colours.accent'"
    )


@pytest.fixture
def png(tmp_path: Path) -> Path:
    """Return a small valid PNG outside any template folder."""
    path = tmp_path / "outside.png"
    Image.new("RGB", (40, 40), "#1F3A5F").save(path)
    return path


def test_asset_path_with_dotdot_is_refused(tmp_path: Path, png: Path) -> None:
    folder = write_template(tmp_path / "t", f'{NAME_LINE}[assets]\nlogo = "../outside.png"\n')
    assert "'assets.logo' = '../outside.png' leaves the template folder" in refused(folder)


def test_absolute_asset_path_is_refused(tmp_path: Path, png: Path) -> None:
    folder = write_template(tmp_path / "t", f'{NAME_LINE}[assets]\nlogo = "{png}"\n')
    assert "not an absolute path" in refused(folder)
    write_template(folder, f'{NAME_LINE}[assets]\nlogo = "C:/x/logo.png"\n')
    assert "not an absolute path" in refused(folder)


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path, png: Path) -> None:
    folder = write_template(tmp_path / "t", f'{NAME_LINE}[assets]\nlogo = "logo.png"\n')
    (folder / "logo.png").symlink_to(png)
    assert "leaves the template folder through a symbolic link" in refused(folder)
    # A font file reached through a linked folder is refused the same way.
    (folder / "fonts").symlink_to(font_file("NotoSans-Regular.ttf").parent)
    write_template(folder, f'{NAME_LINE}[fonts]\nlatin = "fonts/NotoSans-Regular.ttf"\n')
    assert "through a symbolic link" in refused(folder)


def test_symlink_inside_the_folder_is_accepted(tmp_path: Path, png: Path) -> None:
    folder = write_template(tmp_path / "t", f'{NAME_LINE}[assets]\nlogo = "logo.png"\n')
    shutil.copy(png, folder / "real.png")
    (folder / "logo.png").symlink_to(folder / "real.png")
    assert load_template_folder(folder).logo == (folder / "real.png").resolve()


def test_damaged_files_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    (folder / "fonts").mkdir(parents=True)
    (folder / "fonts" / "fake.ttf").write_bytes(b"not a font at all")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    Image.new("RGB", (40, 40)).save(folder / "photo.png", format="JPEG")
    (folder / "plain.docx").write_text("hello", encoding="utf-8")
    with zipfile.ZipFile(folder / "macro.docx", "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\0")
    cases = {
        '[fonts]\nlatin = "fonts/fake.ttf"\n': "'fake.ttf' is not a readable TrueType font",
        '[assets]\nlogo = "logo.png"\n': "'logo.png' is not a readable image",
        '[assets]\nlogo = "photo.png"\n': "holds a JPEG picture, not PNG",
        '[assets]\nletterhead = "plain.docx"\n': "not a Word .docx file",
        '[assets]\nletterhead = "macro.docx"\n': "contains macros",
    }
    for snippet, expected in cases.items():
        write_template(folder, NAME_LINE + snippet)
        message = refused(folder)
        assert message.startswith(f"{folder / TEMPLATE_FILE} line 3: key "), message
        assert expected in message


def test_font_files_in_the_template_folder_are_used(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    (folder / "fonts").mkdir(parents=True)
    shutil.copy(font_file("NotoNaskhArabic-Regular.ttf"), folder / "fonts" / "ar.ttf")
    shutil.copy(font_file("NotoNaskhArabic-Bold.ttf"), folder / "fonts" / "ar-bold.ttf")
    write_template(
        folder,
        f'{NAME_LINE}[fonts]\narabic = "fonts/ar.ttf"\narabic_bold = "fonts/ar-bold.ttf"\n',
    )
    face = load_template_folder(folder).fonts.arabic
    assert face.family == "Noto Naskh Arabic"
    assert (face.regular, face.bold) == (
        (folder / "fonts/ar.ttf").resolve(),
        (folder / "fonts/ar-bold.ttf").resolve(),
    )


def test_bad_template_makes_export_exit_2_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_template(tmp_path / "bad", f'{NAME_LINE}[colours]\nprimary = "navy"\n')
    out = tmp_path / "out"
    assert main(["export", "--template", str(bad), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {bad / TEMPLATE_FILE} line 3:")
    assert "'colours.primary' = 'navy'" in err
    assert not out.exists()
    out.mkdir()
    (out / "brief-ar.pdf").write_bytes(b"old")
    assert main(["export", "--template", str(bad), "--out", str(out)]) == 2
    assert [p.name for p in out.iterdir()] == ["brief-ar.pdf"]
    assert (out / "brief-ar.pdf").read_bytes() == b"old"


# -- saving and copying -------------------------------------------------------------------------


def own_keys(folder: Path) -> dict[str, object]:
    return tomllib.loads((folder / TEMPLATE_FILE).read_text(encoding="utf-8"))


def test_save_user_template_writes_only_the_changes(user_dir: Path, png: Path) -> None:
    base = load_template("ministry")
    folder = save_user_template(
        base,
        "my-ministry",
        {
            "marking": {"ar": "سري", "en": "SECRET"},
            "colours": {"primary": "#0a3d62", "accent": base.colours["accent"]},
            "fonts": {"latin": "Noto Sans", "arabic": "Amiri", "size_body": Decimal("11.5")},
            "margins": {"left": 25, "top": base.page.margin_top_mm},
            "logo": png,
        },
    )
    assert folder == user_dir / "my-ministry"
    assert own_keys(folder) == {
        "parent": "ministry",
        "name": {"ar": f"{base.name.ar} (my-ministry)", "en": f"{base.name.en} (my-ministry)"},
        "marking": {"ar": "سري", "en": "SECRET"},
        "colours": {"primary": "#0a3d62"},
        "fonts": {"latin": "Noto Sans", "size_body": 11.5},
        "page": {"margin_left_mm": 25},
        "assets": {"logo": "logo.png"},
    }
    assert (folder / "logo.png").read_bytes() == png.read_bytes()
    saved = load_template("my-ministry")
    assert saved.user and saved.parent == "ministry"
    assert saved.marking == LocalText(ar="سري", en="SECRET")
    assert (
        saved.colours["primary"] == "#0A3D62" and saved.colours["accent"] == base.colours["accent"]
    )
    assert saved.logo == (folder / "logo.png").resolve() and saved.letterhead == base.letterhead
    assert [p.name for p in user_dir.iterdir()] == ["my-ministry"]
    assert "my-ministry" in [t["id"] for t in list_templates()]


def test_saving_again_updates_the_same_template_in_place(user_dir: Path, png: Path) -> None:
    first = save_user_template(
        load_template("minimal"), "note", {"name": "Note", "logo": png, "marking": "DRAFT"}
    )
    again = save_user_template(load_template("note"), "note", {"colours": {"box": "#FFFFFF"}})
    assert again == first
    keys = own_keys(again)
    assert keys["parent"] == "minimal" and keys["name"] == {"ar": "Note", "en": "Note"}
    assert keys["marking"] == {"ar": "DRAFT", "en": "DRAFT"}
    assert keys["colours"] == {"box": "#FFFFFF"} and (again / "logo.png").is_file()
    removed = save_user_template(load_template("note"), "note", {"logo": None})
    assert load_template_folder(removed).logo is None
    assert sorted(p.name for p in user_dir.iterdir()) == ["note"]


def test_user_copy_may_take_the_shipped_id(user_dir: Path) -> None:
    folder = save_user_template(load_template("ministry"), "ministry", {"marking": "OFFICIAL"})
    assert own_keys(folder)["parent"] == "ministry"
    template = load_template("ministry")
    assert template.user and template.marking.en == "OFFICIAL"
    assert template.files[0] == (SHIPPED_ROOT / "ministry" / TEMPLATE_FILE).resolve()


def test_save_copies_a_font_file(user_dir: Path, tmp_path: Path) -> None:
    source = tmp_path / "MyArabic.ttf"
    shutil.copy(font_file("NotoNaskhArabic-Regular.ttf"), source)
    folder = save_user_template(load_template("minimal"), "f", {"fonts": {"arabic": str(source)}})
    assert own_keys(folder)["fonts"] == {"arabic": "fonts/MyArabic.ttf"}
    assert load_template("f").fonts.arabic.regular == (folder / "fonts" / "MyArabic.ttf").resolve()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"colours": {"primary": "navy"}}, "key 'colours.primary' = 'navy' is not a colour"),
        ({"colours": {"purple": "#800080"}}, "unknown colour 'purple'"),
        ({"margins": {"left": 200}}, "key 'page.margin_left_mm' = 200 must be from 5 to 60"),
        ({"fonts": {"arabic": "Noto Sans"}}, "has no Arabic letters"),
        ({"fonts": {"latin": "Helvetica"}}, "neither a bundled family"),
        ({"marking": "A\nB"}, "key 'marking.ar' must be one line"),
        ({"logo": "/no/such/logo.png"}, "logo '/no/such/logo.png' is not a file"),
        ({"header": "x"}, "unknown key 'header'"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_written(
    user_dir: Path, changes: dict[str, object], expected: str
) -> None:
    with pytest.raises(BriefingError) as caught:
        save_user_template(load_template("ministry"), "mine", changes)
    assert str(caught.value).startswith("template changes: ")
    assert expected in str(caught.value)
    assert not user_dir.exists() or list(user_dir.iterdir()) == []


def test_save_refuses_bad_ids_and_loops(user_dir: Path) -> None:
    with pytest.raises(BriefingError, match=r"template id '\.\./x'"):
        save_user_template(load_template("ministry"), "../x", {})
    save_user_template(load_template("ministry"), "a", {})
    save_user_template(load_template("a"), "b", {})
    with pytest.raises(BriefingError, match=r"makes a loop: a → b → a"):
        save_user_template(load_template("b"), "a", {})
    assert own_keys(user_dir / "a")["parent"] == "ministry"
    assert sorted(p.name for p in user_dir.iterdir()) == ["a", "b"]


def test_save_refuses_a_base_outside_the_known_folders(user_dir: Path, tmp_path: Path) -> None:
    loose = write_template(tmp_path / "loose", NAME_LINE)
    with pytest.raises(BriefingError, match="copy it into the user templates folder first"):
        save_user_template(load_template(str(loose)), "mine", {})


def test_copy_template_is_self_contained_and_equal(tmp_path: Path) -> None:
    dest = copy_template("bilingual", tmp_path / "copies" / "my-bi")
    keys = own_keys(dest)
    assert "parent" not in keys and keys["assets"] == {
        "letterhead": "letterhead.docx",
        "logo": "logo.png",
    }
    copied, original = load_template(str(dest)), load_template("bilingual")
    different = {k for k, v in asdict(copied).items() if asdict(original)[k] != v}
    assert different == {"id", "folder", "files", "parent", "logo", "letterhead"}
    assert copied.logo is not None and original.logo is not None
    assert copied.logo.read_bytes() == original.logo.read_bytes()
    with pytest.raises(BriefingError, match="already exists"):
        copy_template("bilingual", dest)


def test_cli_copies_a_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "--copy", "minimal", str(tmp_path / "m")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "m")
    assert load_template(str(tmp_path / "m")).name == load_template("minimal").name


def test_dumped_text_reads_back_exactly(user_dir: Path) -> None:
    tricky = 'Quote " backslash \\ end'
    notes = "first line\nsecond\tline"
    folder = save_user_template(
        load_template("minimal"),
        "tricky",
        {"name": {"ar": "اسم", "en": tricky}, "description": notes},
    )
    assert own_keys(folder)["name"] == {"ar": "اسم", "en": tricky}
    assert own_keys(folder)["description"] == {"ar": notes, "en": notes}
    with pytest.raises(BriefingError, match=r"key 'name\.ar' must be one line"):
        save_user_template(load_template("minimal"), "tricky", {"name": "a\tb"})
    assert re.search(r"^parent = \"minimal\"$", (folder / TEMPLATE_FILE).read_text(), re.M)


def test_a_letterhead_with_damaged_word_xml_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    shipped = as_path(SHIPPED_ROOT / "ministry" / "letterhead.docx")
    with zipfile.ZipFile(shipped) as source:
        members = {name: source.read(name) for name in source.namelist()}
    damaged = {
        "cut.docx": {**members, "word/document.xml": members["word/document.xml"][:200]},
        "other.docx": {**members, "word/document.xml": b"<html><body/></html>"},
        "bare.docx": {"word/document.xml": members["word/document.xml"]},
    }
    for name, content in damaged.items():
        with zipfile.ZipFile(folder / name, "w") as archive:
            for member, data in content.items():
                archive.writestr(member, data)
    expected = {
        "cut.docx": "cannot be opened as a Word document",
        "other.docx": "word/document.xml is not one",
        "bare.docx": "no [Content_Types].xml",
    }
    for name, problem in expected.items():
        write_template(folder, f'{NAME_LINE}[assets]\nletterhead = "{name}"\n')
        message = refused(folder)
        assert problem in message, message
    with zipfile.ZipFile(folder / "whole.docx", "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    write_template(folder, f'{NAME_LINE}[assets]\nletterhead = "whole.docx"\n')
    assert load_template_folder(folder).letterhead == (folder / "whole.docx").resolve()
