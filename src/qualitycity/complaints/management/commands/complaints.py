"""`qcity complaints retrain | supervise`."""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitycity.complaints.services import classify, supervision
from qualitycity.core.services.audit import Actor


class Command(BaseCommand):
    help = "Complaints: retrain the classifier, run the supervision sweep."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        retrain = sub.add_parser("retrain", help="retrain on accepted and staff-corrected demands; print held-out figures")
        retrain.add_argument("--seed", type=int, default=0)
        retrain.add_argument("--output", help="also write the figures as JSON to this file")
        sub.add_parser("supervise", help="raise due reminders, 催办 and 督办 flags")

    def handle(self, *args, **options):
        if options["action"] == "supervise":
            self.stdout.write(json.dumps(supervision.sweep(by=Actor.system("cli")), ensure_ascii=False))
            return
        try:
            metrics = classify.retrain(by=Actor.system("cli"), seed=options["seed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for target, m in metrics["targets"].items():
            self.stdout.write(f"{target:9s} accuracy {m['accuracy']:.3f}  macro-F1 {m['macro_f1']:.3f}  ({m['classes']} classes)")
        self.stdout.write(f"held-out {metrics['n_test']} of {metrics['n_train'] + metrics['n_test']}")
        if options.get("output"):
            path = Path(options["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({**metrics, "cpu_count": os.cpu_count(),
                                        "command": "qcity complaints retrain"}, ensure_ascii=False, indent=2))
