"""Governance: every role against every endpoint, and never data outside scope."""

import datetime as dt

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests.authz import ROLES_AND_ANONYMOUS, assert_matrix, client_for
from qualitycity.governance.models import Cadre, PlanItem
from qualitycity.governance.services import assessment, liaison, plans
from qualitycity.governance.tests.factories import SYSTEM, world

R = Role
EVERY_ROLE = set(Role)
STAFF = {R.CITY_OFFICE, R.SYSTEM_ADMIN}
UNITS = STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER}
LIAISON = UNITS | {R.ENTERPRISE_MEMBER}

PAGES = {
    "/governance/": UNITS,
    "/governance/reports/": UNITS,
    "/governance/rectifications/": UNITS,
    "/governance/assessment/": UNITS,
    "/governance/plans/import/": STAFF,
    "/governance/services/": EVERY_ROLE,
    "/governance/services/import/": STAFF,
    "/governance/liaison/": LIAISON,
    "/governance/liaison/tickets/": LIAISON,
    "/governance/liaison/pair/": STAFF | {R.DISTRICT_OFFICER},
    "/governance/liaison/match/": STAFF | {R.DISTRICT_OFFICER},
    "/governance/inspections/teams/new/": STAFF,
    "/governance/inspections/": UNITS,
    "/governance/inspections/bulletin/": UNITS,
    "/governance/plans/{plan}/timeline/": UNITS,
    "/governance/plans/{plan}/rounds/": STAFF,
}
API = {
    "/api/v1/governance/tasks": UNITS,
    "/api/v1/governance/reports": UNITS,
    "/api/v1/governance/assessment/results": UNITS,
    "/api/v1/governance/service-rates": EVERY_ROLE,
    "/api/v1/governance/liaison/dashboard": LIAISON,
}


@pytest.fixture
def w(db):
    return world()


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_page_and_api_matrix(w, role):
    c = client_for(w, role)
    assert_matrix(c, role, PAGES, api=False, plan=w["plan"].pk)
    assert_matrix(c, role, API, api=True)


def test_a_district_officer_never_sees_another_districts_tasks_reports_or_results(w):
    jiangan_report = plans.submit_report(by=SYSTEM, item=w["jiangan_task"], period=w["q"][4], unit=w["jiangan_gov"],
                                         narrative="江岸进展")
    dept_report = plans.submit_report(by=SYSTEM, item=w["dept_task"], period=w["q"][4], unit=w["orgs"]["dept"],
                                      narrative="部门进展")
    scheme = assessment.create_scheme(by=SYSTEM, name="区考核", year=w["plan"].year, subjects="district_gov")
    assessment.compute(by=SYSTEM, scheme=scheme)
    c = client_for(w, R.DISTRICT_OFFICER)  # 洪山区
    assert c.get(f"/governance/tasks/{w['jiangan_task'].pk}/").status_code == 403
    assert c.get(f"/governance/reports/{jiangan_report.pk}/").status_code == 403
    assert c.get(f"/governance/reports/{dept_report.pk}/").status_code == 403
    assert c.get("/api/v1/governance/reports").json() == []
    subjects = {r["subject"] for r in c.get("/api/v1/governance/assessment/results").json()}
    assert subjects == {"洪山区人民政府"}
    board = c.get("/governance/").content.decode()
    assert "洪山区质量提升" in board and "江岸区质量提升" not in board and "计量能力提升" not in board
    # 江岸区 hosts the departments' offices; its officer still sees only the district's own reports
    jiangan = Client()
    jiangan.force_login(w["jiangan_officer"])
    assert {r["number"] for r in jiangan.get("/api/v1/governance/reports").json()} == {jiangan_report.number}


def test_a_department_officer_reports_only_for_their_own_unit(w):
    c = client_for(w, R.DEPARTMENT_OFFICER)
    r = c.post(f"/governance/tasks/{w['other_task'].pk}/", {"period": w["q"][4].pk, "narrative": "越权"})
    assert r.status_code == 403
    r = c.post(f"/governance/tasks/{w['jiangan_task'].pk}/", {"period": w["q"][4].pk, "narrative": "越权"})
    assert r.status_code == 403
    assert not w["other_task"].reports.exists() and not w["jiangan_task"].reports.exists()


def test_only_the_city_office_reviews(w):
    report = plans.submit_report(by=SYSTEM, item=w["dept_task"], period=w["q"][4], unit=w["orgs"]["dept"],
                                 narrative="x")
    for role in (R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER):
        client_for(w, role).post(f"/governance/reports/{report.pk}/", {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == "submitted"


def test_an_enterprise_sees_only_its_own_tickets_and_confirms_them(w):
    cadre = Cadre.objects.create(name="干部", department=w["orgs"]["dept"])
    own = liaison.assign(by=SYSTEM, cadre=cadre, enterprise=w["orgs"]["own"], year=2026)
    other = liaison.assign(by=SYSTEM, cadre=cadre, enterprise=w["orgs"]["other"], year=2026)
    mine = liaison.open_ticket(by=SYSTEM, pairing=own, issue="自有诉求", department=w["orgs"]["dept"])
    theirs = liaison.open_ticket(by=SYSTEM, pairing=other, issue="他人诉求", department=w["orgs"]["dept"])
    c = client_for(w, R.ENTERPRISE_MEMBER)
    page = c.get("/governance/liaison/tickets/").content.decode()
    assert "自有诉求" in page and "他人诉求" not in page
    assert c.get("/api/v1/governance/liaison/dashboard").json()["pairs"] == 1
    # the department resolves; an enterprise cannot resolve, nor touch another firm's ticket
    c.post("/governance/liaison/tickets/", {"ticket": mine.pk, "action": "resolve", "resolution": "x"})
    mine.refresh_from_db()
    assert mine.status == "open"
    client_for(w, R.DEPARTMENT_OFFICER).post("/governance/liaison/tickets/",
                                             {"ticket": mine.pk, "action": "resolve", "resolution": "已办"})
    liaison.resolve_ticket(by=SYSTEM, ticket=theirs, resolution="已办")
    assert c.post("/governance/liaison/tickets/", {"ticket": theirs.pk, "action": "confirm",
                                                   "satisfied": "1"}).status_code == 404
    c.post("/governance/liaison/tickets/", {"ticket": mine.pk, "action": "confirm", "satisfied": "1"})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "closed" and theirs.status == "resolved"


def test_the_home_page_lists_only_the_units_own_late_tasks(w):
    PlanItem.objects.filter(plan=w["plan"], kind="task").update(deadline=dt.date.today() - dt.timedelta(days=1))
    department = client_for(w, R.DEPARTMENT_OFFICER).get("/").content.decode()
    assert "1.01 计量能力提升" in department and "1.03" not in department and "1.02" not in department
    district = client_for(w, R.DISTRICT_OFFICER).get("/").content.decode()
    assert "1.02 洪山区质量提升" in district and "1.03" not in district
