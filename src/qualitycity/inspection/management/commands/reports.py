"""`qcity reports verify FILE.pdf | pdf REPORT_NO -o FILE | status REPORT_NO | keys --demo`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization, OrgKind

from ...models import Report
from ...services import keys, reports


class Command(BaseCommand):
    help = "Verify, export and sign test reports; create the demo CA and per-lab keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        v = sub.add_parser("verify", help="verify a report PDF (signature, hash, current status)")
        v.add_argument("file")
        v.add_argument("--json", action="store_true")
        s = sub.add_parser("status", help="the current status of a report by number")
        s.add_argument("number")
        p = sub.add_parser("pdf", help="write an issued report as PDF")
        p.add_argument("number")
        p.add_argument("-o", "--output", required=True)
        k = sub.add_parser("keys", help="create the demo CA and a key per lab under QCITY_SIGNING_DIR (var/keys)")
        k.add_argument("--demo", action="store_true", required=True, help="demo keys only; production keys are configured")

    def handle(self, *args, action, **options):
        if action == "verify":
            path = Path(options["file"])
            if not path.is_file():
                raise CommandError(f"找不到文件：{path}")
            try:
                result = reports.verify_pdf(path.read_bytes())
            except DomainError as exc:
                raise CommandError(exc.message) from None
            self._print(result, options["json"])
            if not result.authentic:
                raise SystemExit(1)
        elif action == "status":
            result = reports.verify_number(options["number"])
            self._print(result, False)
            if not result.authentic:
                raise SystemExit(1)
        elif action == "pdf":
            report = Report.objects.filter(number=options["number"].strip().upper()).first()
            if report is None:
                raise CommandError(f"没有编号为 {options['number']} 的报告")
            Path(options["output"]).write_bytes(bytes(report.pdf))
            self.stdout.write(f"{report.number} → {options['output']}（SHA-256 {report.sha256}）")
        elif action == "keys":
            ca = keys.ensure_demo_ca()
            labs = Organization.objects.filter(kind__in=[OrgKind.TESTING_LAB, OrgKind.METROLOGY_INSTITUTE])
            for lab in labs:
                keys.ensure_lab_key(lab)
            self.stdout.write(f"演示 CA：{ca}；已为 {labs.count()} 家机构准备签名密钥（{keys.signing_dir()}）")

    def _print(self, result, as_json: bool):
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        verdict = "真实有效 AUTHENTIC" if result.authentic else "未通过核验 NOT AUTHENTIC"
        self.stdout.write(f"{verdict}：{result.message}")
        if result.number:
            self.stdout.write(f"报告编号 {result.number}，状态 {result.status_label}"
                              + (f"（{result.changed_at:%Y-%m-%d}，{result.reason}）" if result.changed_at else ""))
