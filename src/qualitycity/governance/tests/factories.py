"""A small governance world on top of core's role users."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook

from qualitycity.complaints import reference as complaints_reference
from qualitycity.core.models import Area, Organization, OrgKind, Role
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories

from ..models import PlanItem, Target
from ..models.plans import district_of
from ..services import inspections, plans

SYSTEM = Actor.system("test")


def xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def task(plan, code, title, lead, *, deadline=None, target=None, parent=None):
    item = PlanItem.objects.create(plan=plan, parent=parent, kind="task", code=code, title=title, lead_unit=lead,
                                   deadline=deadline or dt.date(plan.year, 12, 28), weight=Decimal(1),
                                   district=district_of(lead))
    if target is not None:
        Target.objects.create(item=item, indicator="覆盖率", unit="%", target_value=Decimal(target))
    return item


def world(year: int | None = None) -> dict:
    """Role users plus: a plan with a department task, a 洪山 district task and a 江岸 district task."""
    # Liaison tickets and inspection complaints are complaints demands. The complaints
    # taxonomy is seeded by a migration, and a transactional test's flush elsewhere in
    # the same worker removes it, so make sure it is there.
    complaints_reference.ensure()
    w = factories.role_users()
    year = year or dt.date.today().year
    jiangan_gov = factories.organization(OrgKind.DISTRICT_GOVERNMENT, name="江岸区人民政府",
                                         in_area=w["areas"]["jiangan"], industry=None)
    other_dept = factories.organization(OrgKind.DEPARTMENT, name="武汉市教育局", in_area=w["areas"]["jiangan"],
                                        industry=None)
    plan = plans.create_plan(by=SYSTEM, name=f"{year}年质量强市工作要点", year=year)
    goal = PlanItem.objects.create(plan=plan, kind="goal", code="1", title="夯实质量基础")
    w.update({
        "plan": plan,
        "dept_task": task(plan, "1.01", "计量能力提升", w["orgs"]["dept"], target=90, parent=goal),
        "hongshan_task": task(plan, "1.02", "洪山区质量提升", w["orgs"]["district_gov"], target=20, parent=goal),
        "jiangan_task": task(plan, "1.03", "江岸区质量提升", jiangan_gov, target=20, parent=goal),
        "other_task": task(plan, "1.04", "质量教育", other_dept, parent=goal),
        "jiangan_gov": jiangan_gov, "other_dept": other_dept,
        "jiangan_officer": factories.user("jiangan_u", role=Role.DISTRICT_OFFICER, org=jiangan_gov),
        "q": {p.quarter: p for p in plan.periods.all()},
    })
    return w


def inspection_world() -> dict:
    """``world()`` plus this year's business-environment campaign and its first team, which
    covers 洪山区 and the market regulator."""
    w = world()
    w["campaign"] = inspections.create_campaign(by=SYSTEM, name="营商环境专项巡查", year=dt.date.today().year)
    w["team"] = inspections.create_team(by=SYSTEM, campaign=w["campaign"], name="第一巡查组", leader="李组长",
                                        districts=[w["areas"]["hongshan"]], departments=[w["orgs"]["dept"]])
    return w


__all__ = ["Area", "Organization", "SYSTEM", "inspection_world", "task", "world", "xlsx"]
