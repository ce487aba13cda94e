"""`qcity standards normalize TEXT | import FILE | import-iso FILE.csv.gz`."""

from django.core.management.base import BaseCommand, CommandError

from qualitycity.standards.numbers import StandardNumberError, normalize


class Command(BaseCommand):
    help = "The standards library: normalize numbers, import catalogues."
    requires_system_checks = []  # normalizing is pure; the imports check what they need themselves

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        norm = sub.add_parser("normalize", help="print the canonical form of a standard number")
        norm.add_argument("text", nargs="+", help="the number as typed (quote it or pass it in pieces)")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "normalize":
            self._normalize(" ".join(options["text"]))

    def _normalize(self, text: str) -> None:
        try:
            self.stdout.write(normalize(text))
        except StandardNumberError as exc:
            # Exit status 2 tells scripts "malformed input", as argparse does for bad usage.
            raise CommandError(str(exc), returncode=2) from None
