"""Start Briefing: the desktop app, or the command line when given a subcommand."""

from __future__ import annotations

import sys

CLI_COMMANDS = {"sections", "figures", "templates", "export", "--help", "-h", "--version"}


def main() -> int:
    """Run the command line for a subcommand, else open the app."""
    if len(sys.argv) > 1 and sys.argv[1] in CLI_COMMANDS:
        from briefing.cli import main as cli_main

        return cli_main(sys.argv[1:])
    from briefing.gui.app import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
