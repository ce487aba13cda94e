"""`qcity worker`: run background tasks from the database queue."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a background task worker (database queue, or RQ when TASKS_BACKEND=redis)."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args, **options):
        if settings.TASKS_BACKEND == "redis":
            extra = ["--burst"] if options["batch"] else []
            # django-tasks-rq needs its own job class to turn an RQ job back into a Task.
            call_command("rqworker", options["queue_name"], *extra, job_class="django_tasks_rq.backend.Job")
            return
        extra = ["--batch"] if options["batch"] else []
        call_command("db_worker", "--queue-name", options["queue_name"], *extra)
