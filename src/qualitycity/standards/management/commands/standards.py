"""`qcity standards normalize TEXT | import FILE | import-iso FILE.csv.gz | announce | digest`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitycity.standards.numbers import StandardNumberError, normalize


class Command(BaseCommand):
    help = "The standards library: normalize numbers, import catalogues."
    requires_system_checks = []  # normalizing is pure; the imports check what they need themselves

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        norm = sub.add_parser("normalize", help="print the canonical form of a standard number")
        norm.add_argument("text", nargs="+", help="the number as typed (quote it or pass it in pieces)")
        load = sub.add_parser("import", help="import the national platform's CSV/.xlsx export (all rows or none)")
        load.add_argument("file")
        iso = sub.add_parser("import-iso", help="load the ISO catalogue (iso_standards.csv.gz)")
        iso.add_argument("file")
        iso.add_argument("--no-progress", action="store_true", help="no progress bar")
        sub.add_parser("announce", help="announce standards coming into force within 30 days (daily)")
        sub.add_parser("digest", help="email the weekly digest of changes to followers")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "normalize":
            self._normalize(" ".join(options["text"]))
            return
        from qualitycity.core.services.audit import Actor
        from qualitycity.standards.reference import ensure_code_tables

        ensure_code_tables()
        by = Actor.system("cli")
        if action == "import":
            self._import(by, Path(options["file"]))
        elif action == "import-iso":
            self._import_iso(by, Path(options["file"]), progress=not options["no_progress"])
        elif action == "announce":
            from qualitycity.standards.services import follows

            self.stdout.write(f"已通知即将实施的标准 {follows.announce_upcoming(by=by)} 项")
        else:
            from qualitycity.standards.services import follows

            self.stdout.write(f"已发送周报给 {follows.weekly_digest()} 位用户")

    def _normalize(self, text: str) -> None:
        try:
            self.stdout.write(normalize(text))
        except StandardNumberError as exc:
            # Exit status 2 tells scripts "malformed input", as argparse does for bad usage.
            raise CommandError(str(exc), returncode=2) from None

    def _import(self, by, path: Path) -> None:
        from qualitycity.core.errors import DomainError, ImportRejected
        from qualitycity.standards.services import imports

        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            outcome = imports.import_file(by=by, filename=path.name, content=path.read_bytes())
        except ImportRejected as exc:
            lines = "\n".join(f"  第 {p['line']} 行 {p['column']}：{p['message']}" for p in exc.problems)
            raise CommandError(f"{exc.message}\n{lines}") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"新增 {outcome.created} 项，更新 {outcome.updated} 项，未变 {outcome.unchanged} 项；"
            f"记录变更 {len(outcome.events)} 条"
        )

    def _import_iso(self, by, path: Path, *, progress: bool) -> None:
        from tqdm import tqdm

        from qualitycity.standards.services import iso

        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        content = path.read_bytes()
        rows = len(iso.read_rows(content)) if progress else None
        with tqdm(total=rows, unit="条", disable=not progress, file=self.stderr._out) as bar:
            report = iso.import_iso(by=by, content=content, progress=bar.update)
        self.stdout.write(
            f"ISO 目录：{report.rows} 条，新增 {report.created}，状态变更 {report.updated}，"
            f"代替关系 {report.replacements}，未能解析标准号 {report.unparsed}（按原样保存）"
        )
