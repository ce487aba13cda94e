"""`qcity open311 create-key NAME`: print a new Open311 api_key (shown once)."""

from django.core.management.base import BaseCommand, CommandError

from qualitycity.complaints.services.keys import create_key
from qualitycity.core.errors import DomainError
from qualitycity.core.services.audit import Actor


class Command(BaseCommand):
    help = "Open311 GeoReport v2 client keys."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create-key", help="create a key and print it")
        create.add_argument("name")

    def handle(self, *args, **options):
        try:
            self.stdout.write(create_key(by=Actor.system("cli"), name=options["name"]))
        except DomainError as exc:
            raise CommandError(exc.message) from None
