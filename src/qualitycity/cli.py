"""`qcity`: Django's manage.py plus the project's own commands.

Pure commands (no database needed, see ``PURE_COMMANDS``) run without setting Django up,
so the numerical engines can be scripted on a machine with no platform installed.
Everything else is a Django management command: ``qcity serve``, ``qcity demo``,
``qcity worker``, ``qcity audit verify`` and all of Django's own.
"""

from __future__ import annotations

import importlib
import os
import sys

PURE_COMMANDS = {
    "risk": "qualitycity.commands.risk",
    "survey": "qualitycity.commands.survey",
    "index": "qualitycity.commands.index",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in PURE_COMMANDS:
        module = importlib.import_module(PURE_COMMANDS[argv[1]])
        return int(module.main(argv[2:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitycity.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
