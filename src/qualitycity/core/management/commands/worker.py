"""`qcity worker`: run background tasks from the database queue."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (django-tasks database backend)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args, **options):
        extra = ["--batch"] if options["batch"] else []
        call_command("db_worker", "--queue-name", options["queue_name"], *extra)
