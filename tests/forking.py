"""Running a forking case of the export in a fresh interpreter, for the process tests.

Each case runs in a new interpreter: this one may have run GUI tests before, after which
Python counts a Qt thread and rightly refuses to fork. A case script prints one line of
JSON last, its report, with ``safe`` saying whether this system forks safely.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

# The source of ``children()`` for a case script: the processes this one left running.
CHILDREN = r'''
def children():
    found = []
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children", encoding="ascii") as handle:
            found += [int(pid) for pid in handle.read().split()]
    return found
'''


def run_case(script: str, name: str, folder: Path) -> tuple[dict[str, Any], str]:
    """Run the case ``name`` of ``script`` with ``folder``; return its report and stderr.

    Skips the test where the system does not fork safely (not Linux).
    """
    done = subprocess.run(
        [sys.executable, "-c", script, name, str(folder)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not report["safe"]:
        pytest.skip("this system does not fork safely (not Linux)")
    return report, done.stderr
