"""The governance API: filing and reviewing reports, bad input as 400 JSON, scoped lists."""

import json

import pytest
from django.test import Client

from qualitycity.core.models import Role

from ..models import ProgressReport
from ..services import plans
from .factories import SYSTEM, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def client(user):
    c = Client()
    c.force_login(user)
    return c


def post(c, url, body):
    return c.post(url, json.dumps(body), content_type="application/json")


def test_a_department_files_a_report_and_the_city_office_accepts_it(w):
    dept = client(w["users"][Role.DEPARTMENT_OFFICER])
    target = w["dept_task"].targets.get()
    r = post(dept, f"/api/v1/governance/tasks/{w['dept_task'].pk}/reports",
             {"period": w["q"][4].pk, "narrative": "推进中", "percent_complete": 60, "values": {str(target.pk): "70"}})
    assert r.status_code == 201, r.content
    report_id = r.json()["id"]
    r = post(client(w["users"][Role.CITY_OFFICE]), f"/api/v1/governance/reports/{report_id}/review", {"accept": True})
    assert r.status_code == 200 and r.json()["status"] == "accepted"


def test_a_report_into_a_closed_period_is_a_400_with_the_field(w):
    plans.close_period(by=SYSTEM, period=w["q"][1])
    dept = client(w["users"][Role.DEPARTMENT_OFFICER])
    r = post(dept, f"/api/v1/governance/tasks/{w['dept_task'].pk}/reports",
             {"period": w["q"][1].pk, "narrative": "x"})
    assert r.status_code == 400 and "period" in r.json()["errors"]
    assert ProgressReport.objects.count() == 0


def test_a_department_cannot_file_for_another_units_task(w):
    dept = client(w["users"][Role.DEPARTMENT_OFFICER])
    r = post(dept, f"/api/v1/governance/tasks/{w['other_task'].pk}/reports", {"period": w["q"][4].pk, "narrative": "x"})
    assert r.status_code == 404
    assert ProgressReport.objects.count() == 0


def test_a_department_cannot_review(w):
    report = plans.submit_report(by=SYSTEM, item=w["dept_task"], period=w["q"][4], unit=w["orgs"]["dept"],
                                 narrative="x")
    r = post(client(w["users"][Role.DEPARTMENT_OFFICER]), f"/api/v1/governance/reports/{report.pk}/review",
             {"accept": True})
    assert r.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


def test_task_lists_are_scoped(w):
    codes = lambda u: {t["code"] for t in client(u).get("/api/v1/governance/tasks").json()}  # noqa: E731
    assert codes(w["users"][Role.DEPARTMENT_OFFICER]) == {"1.01"}
    assert codes(w["users"][Role.DISTRICT_OFFICER]) == {"1.02"}
    # 江岸区 hosts the departments, yet its officer sees only the district's own task
    assert codes(w["jiangan_officer"]) == {"1.03"}
    assert codes(w["users"][Role.CITY_OFFICE]) == {"1.01", "1.02", "1.03", "1.04"}
