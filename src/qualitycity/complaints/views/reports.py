"""Supervision bulletins (督办通报) and the holiday calendar page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from qualitycity.core import calendar, permissions
from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import CalendarDay
from qualitycity.core.permissions import requires
from qualitycity.core.services import calendar as calendar_service
from qualitycity.core.services.audit import Actor
from qualitycity.core.tabular import write_xlsx

from .. import selectors

COLUMNS = [
    ("rank", gettext_noop("排名")), ("name", gettext_noop("单位/区")), ("score", gettext_noop("综合得分")), ("volume", gettext_noop("诉求量")), ("volume_prev", gettext_noop("上期诉求量")),
    ("on_time_acceptance", gettext_noop("按时受理率")), ("on_time_completion", gettext_noop("按时办结率")), ("satisfaction", gettext_noop("满意率")),
    ("reopen_rate", gettext_noop("重办率")), ("overdue", gettext_noop("超期件")), ("yellow", gettext_noop("黄牌")), ("red", gettext_noop("红牌")), ("returns", gettext_noop("退回")),
    ("disputes_upheld", gettext_noop("退回成立")),
]


def _period(request) -> selectors.Period:
    months = 3 if request.GET.get("kind") == "quarter" else 1
    text = request.GET.get("start", "")
    try:
        start = dt.date.fromisoformat(text + "-01") if len(text) == 7 else dt.date.fromisoformat(text)
    except ValueError:
        today = calendar.local_date(timezone.now())
        start = selectors._add_months(today.replace(day=1), -months)
    return selectors.period_of(start, months)


RATES = {"on_time_acceptance", "on_time_completion", "satisfaction", "reopen_rate"}


def _shown(key, value):
    return f"{value:.1%}" if key in RATES and value is not None else value


@requires("complaints.bulletins")
def bulletins(request):
    period = _period(request)
    by = "district" if request.GET.get("by") == "district" else "department"
    data = selectors.bulletin(period, by=by)
    if request.GET.get("format") == "xlsx":
        header = [_(label) for _k, label in COLUMNS]
        rows = [[row.get(k) for k, _label in COLUMNS] for row in data["rows"]]
        content = write_xlsx(header, rows, title=f"{period.label}")
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="bulletin-{period.start:%Y%m}-{by}.xlsx"'
        return response
    table = [[_shown(k, row.get(k)) for k, _label in COLUMNS] for row in data["rows"]]
    if request.GET.get("format") == "pdf":
        from django.template.loader import render_to_string
        from weasyprint import HTML

        html = render_to_string("complaints/bulletin_pdf.html", {"data": data, "columns": COLUMNS, "table": table}, request)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="bulletin-{period.start:%Y%m}-{by}.pdf"'
        return response
    chart = {
        "names": [r["name"] for r in data["rows"][:15]],
        "volume": [r["volume"] for r in data["rows"][:15]],
        "score": [r["score"] for r in data["rows"][:15]],
        "map": [{"name": r["area__name"], "value": r["n"]} for r in data["hot_spots"]],
    }
    # the shared district map (static/js/district_map.js) colours the districts of the
    # GeoJSON; functional zones have no boundary there and stay in the table below it
    total = sum(r["n"] for r in data["hot_spots"])
    hot_spots = [{"name": r["area__name"], "n": r["n"], "on_map": r["area__kind"] == "district",
                  "share": f"{r['n'] / total:.1%}" if total else "—"} for r in data["hot_spots"]]
    district_data = [{"kind": r["area__kind"], "name": r["area__name"], "value": r["n"]} for r in data["hot_spots"]]
    return render(request, "complaints/bulletins.html", {
        "data": data, "columns": COLUMNS, "table": table, "chart": chart, "by": by,
        "can_publish": permissions.is_allowed(request.user, "complaints.bulletins.publish"),
        "hot_spots": hot_spots, "district_data": district_data,
        "kind": "quarter" if period.end.month - period.start.month in (3, -9) else "month",
    })


@requires("complaints.configure")
def holidays(request):
    """Admins maintain holidays and make-up working days (the core calendar service writes)."""
    by = Actor.from_request(request)
    if request.method == "POST":
        try:
            if request.FILES.get("file"):
                upload = request.FILES["file"]
                n = calendar_service.import_days(by=by, filename=upload.name, content=upload.read())
                messages.success(request, _("已导入 %(n)d 天") % {"n": n})
            else:
                try:
                    day = dt.date.fromisoformat(request.POST.get("date", ""))
                except ValueError:
                    raise DomainError(_("请输入日期（YYYY-MM-DD）"), field="date") from None
                calendar_service.set_day(by=by, date=day, is_workday=request.POST.get("kind") == "work",
                                         name=request.POST.get("name", "")[:64])
                messages.success(request, _("已保存"))
        except ImportRejected as exc:
            for p in exc.problems[:20]:
                messages.error(request, f"{p['line']}: {p['message']}")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("complaints:holidays")
    year = calendar.local_date(timezone.now()).year
    cal = calendar.get_calendar()
    return render(request, "complaints/holidays.html", {
        "days": CalendarDay.objects.order_by("-date")[:200],
        "coverage": [(y, cal.is_covered(dt.date(y, 1, 1))) for y in range(year - 1, year + 3)],
    })
