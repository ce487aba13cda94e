"""`qcity scheduler`: enqueue periodic jobs when their time comes."""

import time

from django.core.management.base import BaseCommand

from qualitycity.core.schedule import all_periodic
from qualitycity.core.services.schedule import enqueue_due


class Command(BaseCommand):
    help = "Enqueue each app's periodic jobs (tasks.SCHEDULE) once per cron slot; the worker runs them."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one sweep, then exit (for cron)")
        parser.add_argument("--interval", type=int, default=30, help="seconds between sweeps")
        parser.add_argument("--list", action="store_true", help="print the jobs and their cron times")

    def handle(self, *args, **options):
        if options["list"]:
            for job in all_periodic():
                self.stdout.write(f"{job.cron:<16} {job.name}  {job.description}")
            return
        while True:
            for run in enqueue_due():
                self.stdout.write(f"enqueued {run.job} ({run.slot:%Y-%m-%d %H:%M} UTC)")
            if options["once"]:
                return
            time.sleep(options["interval"])
