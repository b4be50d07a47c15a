"""Ids written with hyphens in TOML files, as people write them, mean the library's ids."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.errors import BriefingError
from briefing.library import hyphens_as_underscores, load_library, load_section_file

SECTION = """\
id = "caspian-ports"
charts = ["baku-port"]

[title]
ar = "موانئ بحر قزوين"
en = "Caspian ports"

[body]
ar = "يملك كازاخستان {fig:kz-oil-reserves} من النفط."
en = "Kazakhstan holds {fig:kz-oil-reserves} of oil, {val:kz_gas-reserves} of gas."
"""


def test_a_section_file_with_hyphenated_ids_loads_as_the_library_spells_them(
    tmp_path: Path,
) -> None:
    library = load_library()
    path = tmp_path / "caspian.toml"
    path.write_text(SECTION, encoding="utf-8")
    section = load_section_file(path, library)
    assert section.id == "caspian_ports"
    assert section.charts == ("baku_port",)
    assert "{fig:kz_oil_reserves}" in section.body.en
    assert "{val:kz_gas_reserves}" in section.body.en


def test_an_export_with_a_hyphenated_section_prints_its_figures(tmp_path: Path) -> None:
    path = tmp_path / "caspian.toml"
    path.write_text(SECTION.replace('charts = ["baku-port"]\n', ""), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export", "--add-section", str(path), "--sections", "caspian-ports",
                 "--lang", "en", "--format", "pdf", "--out", str(out)]) == 0
    (pdf,) = out.glob("*.pdf")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert "Kazakhstan holds 4.4 billion tonnes of oil" in text, text
    assert "{fig:" not in text and "{val:" not in text
    assert "Caspian ports" in text


def test_an_id_spelt_both_ways_is_refused_by_name() -> None:
    with pytest.raises(BriefingError, match=r"figures.toml: \[kz-oil\] is defined twice"):
        hyphens_as_underscores({"kz_oil": {"value": 1}, "kz-oil": {"value": 2}}, "figures.toml")
