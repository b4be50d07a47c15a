"""Entry point of the frozen `briefing-app` desktop app (same as the installed gui-script)."""

from __future__ import annotations

import sys

from briefing.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
