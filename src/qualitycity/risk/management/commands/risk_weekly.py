"""`qcity risk_weekly`: enqueue the weekly signal run (for cron / systemd timers);
``--now`` runs it in this process instead."""

from django.core.management.base import BaseCommand

from qualitycity.core.services.audit import Actor


class Command(BaseCommand):
    help = "Run (or enqueue) every active risk signal for the last complete week"

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run here instead of enqueueing")

    def handle(self, *args, now=False, **options):
        if now:
            from qualitycity.risk.services.signals import run_weekly

            runs = run_weekly(by=Actor.system("command:risk_weekly"))
            self.stdout.write(f"{len(runs)} signal(s) run, {sum(r.alarm_count for r in runs)} alarm(s)")
        else:
            from qualitycity.risk.tasks import run_weekly_signals

            result = run_weekly_signals.enqueue()
            self.stdout.write(f"enqueued {result.id}")
