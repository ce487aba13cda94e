"""`qcity complaints retrain | supervise | import-email FILE...`."""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitycity.complaints.services import classify, email_import, supervision
from qualitycity.core.errors import DomainError
from qualitycity.core.services.audit import Actor


class Command(BaseCommand):
    help = "Complaints: retrain the classifier, run the supervision sweep, import e-mailed demands."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        retrain = sub.add_parser("retrain", help="retrain on accepted and staff-corrected demands; print held-out figures")
        retrain.add_argument("--seed", type=int, default=0)
        retrain.add_argument("--output", help="also write the figures as JSON to this file")
        sub.add_parser("supervise", help="raise due reminders, 催办 and 督办 flags")
        mail = sub.add_parser("import-email", help="file demands from .eml files or mbox mailboxes (channel email)")
        mail.add_argument("files", nargs="+", metavar="FILE")
        mail.add_argument("--district", help="district for messages that name none (default: the classifier's guess)")

    def handle(self, *args, **options):
        if options["action"] == "supervise":
            self.stdout.write(json.dumps(supervision.sweep(by=Actor.system("cli")), ensure_ascii=False))
            return
        if options["action"] == "import-email":
            self._import_email(options["files"], options.get("district"))
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

    def _import_email(self, names, district):
        files = []
        for name in names:
            try:
                files.append((name, Path(name).read_bytes()))
            except OSError as exc:
                raise CommandError(f"{name}: {exc.strerror}") from None
        try:
            report = email_import.import_files(by=Actor.system("cli"), files=files, default_district=district)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        for label, number in report.created:
            self.stdout.write(f"imported  {label} -> {number}")
        for label, number in report.duplicates:
            self.stdout.write(f"duplicate {label} (already {number or 'imported'})")
        for label, filename, reason in report.refused_attachments:
            self.stdout.write(f"attachment refused {label} {filename}: {reason}")
        for label, reason in report.rejected:
            self.stderr.write(f"rejected  {label}: {reason}")
        self.stdout.write(f"{len(report.created)} imported, {len(report.duplicates)} duplicates skipped, "
                          f"{len(report.rejected)} rejected")
        if report.rejected:
            raise CommandError(f"{len(report.rejected)} message(s) rejected; nothing was written for them")
