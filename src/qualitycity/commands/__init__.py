"""Project commands that need no Django: each module exposes ``main(argv: list[str]) -> int``.

``qualitycity.cli`` routes ``qcity <name> ...`` to ``qualitycity.commands.<name>.main``
for the names registered in ``cli.PURE_COMMANDS``; every other name goes to Django's
management commands.
"""
