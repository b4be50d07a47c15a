"""Entry point of the frozen `briefing` command line (same as the installed script)."""

from __future__ import annotations

import sys

from briefing.cli import main

if __name__ == "__main__":
    sys.exit(main())
