"""matplotlib as the chart drawing loads it: its own folder, the shipped font list, no help text."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from briefing import chart_cache
from briefing.render import charts
from briefing.resources import as_path, resource

# Loads the chart drawing in a fresh interpreter, as a drawing process does, and reports
# where matplotlib keeps its files, whether it opened the system's fonts to list them,
# and the bytes of one of the library's charts.
PROBE = r"""
import hashlib, json, logging, os, sys
messages = []
class Keep(logging.Handler):
    def emit(self, record):
        messages.append(record.getMessage())
logger = logging.getLogger("matplotlib.font_manager")
logger.setLevel(logging.DEBUG)
logger.addHandler(Keep())
from briefing import chart_cache
from briefing.render import chart_drawing
import matplotlib
item = chart_cache.default_items()[0]
png = chart_drawing.draw_png(*item)
from briefing.render import charts
print(json.dumps({
    "folder": os.environ.get("MPLCONFIGDIR"),
    "cachedir": matplotlib.get_cachedir(),
    "scanned": any("generated new fontManager" in m for m in messages),
    "read": any("Using fontManager instance" in m for m in messages),
    "png": hashlib.sha256(png).hexdigest(),
    "key": charts.cache_key(*item),
    "set_doc": matplotlib.patches.Rectangle.set.__doc__,
}))
"""


def probe(env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_shipped_font_list_is_current_and_made_the_same_each_time(tmp_path: Path) -> None:
    shipped = charts.shipped_font_lists(charts.matplotlib_version())
    lists = sorted(shipped.glob("fontlist-*.json"))
    assert lists, "no font list shipped for this matplotlib (run make chart-cache)"
    made = chart_cache.build_font_list(tmp_path / "lists")
    assert made.name == lists[0].name
    assert made.read_bytes() == lists[0].read_bytes()
    listed = json.loads(made.read_text(encoding="utf-8"))
    # matplotlib's own fonts only, by their place inside matplotlib.
    assert listed["ttflist"] and all(
        not os.path.isabs(entry["fname"]) for entry in listed["ttflist"] + listed["afmlist"]
    )


def test_a_first_chart_opens_no_system_font_and_draws_the_same_picture(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "empty-cache")
    found = probe(env)
    folder = Path(str(found["folder"]))
    assert folder.is_relative_to(tmp_path / "empty-cache")
    assert folder.name == charts.matplotlib_version()
    assert Path(str(found["cachedir"])) == folder
    assert found["read"] and not found["scanned"]
    # The same picture as the one shipped, drawn with matplotlib's own list and help.
    shipped = as_path(resource(charts.SHIPPED_CACHE_FOLDER)) / f"{found['key']}.png"
    assert found["png"] == hashlib.sha256(shipped.read_bytes()).hexdigest()
    assert not found["set_doc"]  # the help text left out


def test_a_matplotlib_folder_the_user_chose_is_kept(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["MPLCONFIGDIR"] = str(tmp_path / "mine")
    found = probe(env)
    assert found["folder"] == str(tmp_path / "mine")
    assert found["scanned"]  # matplotlib's own way in a folder of the user's
    assert not (tmp_path / "cache" / "Briefing" / "matplotlib").exists()
