"""`qcity calendar add-working-days DATE N | is-workday DATE | import FILE`."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitycity.core import calendar
from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.services import calendar as calendar_service
from qualitycity.core.services.audit import Actor


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}”不是日期（YYYY-MM-DD）") from None


class Command(BaseCommand):
    help = "The working-day calendar shared by every deadline."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add-working-days", help="print DATE plus N working days")
        add.add_argument("date")
        add.add_argument("days", type=int)
        check = sub.add_parser("is-workday", help="print whether DATE is a working day")
        check.add_argument("date")
        load = sub.add_parser("import", help="load holidays from CSV/Excel: date,kind,name")
        load.add_argument("file")

    def handle(self, *args, **options):
        cal = calendar.get_calendar()
        action = options["action"]
        if action == "add-working-days":
            start = _date(options["date"])
            if options["days"] < 0:
                raise CommandError("工作日数不能为负数")
            due = cal.add_working_days(start, options["days"])
            self.stdout.write(due.isoformat())
            missing = cal.uncovered_years_between(start, due)
            if missing:
                self.stderr.write(f"警告：{'、'.join(map(str, missing))} 年尚无法定节假日数据，仅按周末计算")
        elif action == "is-workday":
            day = _date(options["date"])
            self.stdout.write("工作日" if cal.is_workday(day) else "休息日")
            if not cal.is_covered(day):
                self.stderr.write(f"警告：{day.year} 年尚无法定节假日数据，仅按周末判断")
        else:
            path = Path(options["file"])
            if not path.exists():
                raise CommandError(f"文件不存在：{path}")
            try:
                n = calendar_service.import_days(by=Actor.system("cli"), filename=path.name, content=path.read_bytes())
            except ImportRejected as exc:
                lines = "\n".join(f"  第 {p['line']} 行 {p['column']}：{p['message']}" for p in exc.problems)
                raise CommandError(f"{exc.message}\n{lines}") from None
            except DomainError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(f"已导入 {n} 天")
