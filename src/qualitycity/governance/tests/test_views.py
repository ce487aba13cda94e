"""Pages: board, task report form, review, assessment PDF, imports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qualitycity.core.models import Attachment, Role

from ..models import Plan, ProgressReport
from ..services import assessment, plan_import
from .factories import SYSTEM, world, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_board_shows_red_amber_green_by_task_and_unit(w):
    page = client(w["users"][Role.CITY_OFFICE]).get(f"/governance/?plan={w['plan'].pk}").content.decode()
    assert "rag-tasks" in page and "计量能力提升" in page and "武汉市市场监督管理局" in page


def test_a_department_files_a_report_with_evidence_through_the_form(w):
    dept = client(w["users"][Role.DEPARTMENT_OFFICER])
    target = w["dept_task"].targets.get()
    evidence = SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 test evidence", content_type="application/pdf")
    r = dept.post(f"/governance/tasks/{w['dept_task'].pk}/", {
        "period": w["q"][4].pk, "narrative": "完成计量校准 30 项", "percent_complete": 40,
        f"value_{target.pk}": "55", "evidence": evidence})
    assert r.status_code == 302
    report = ProgressReport.objects.get()
    assert report.unit == w["orgs"]["dept"] and report.evidence.count() == 1
    assert Attachment.objects.count() == 1


def test_a_form_error_shows_the_message_and_writes_nothing(w):
    dept = client(w["users"][Role.DEPARTMENT_OFFICER])
    r = dept.post(f"/governance/tasks/{w['dept_task'].pk}/", {"period": w["q"][4].pk, "narrative": ""})
    assert r.status_code == 200 and "请填写进展情况" in r.content.decode()
    assert ProgressReport.objects.count() == 0


def test_a_department_cannot_open_another_units_task(w):
    assert client(w["users"][Role.DEPARTMENT_OFFICER]).get(f"/governance/tasks/{w['other_task'].pk}/").status_code == 403


def test_the_city_office_returns_a_report_with_comments(w):
    from ..services import plans

    report = plans.submit_report(by=SYSTEM, item=w["dept_task"], period=w["q"][4], unit=w["orgs"]["dept"],
                                 narrative="x")
    city = client(w["users"][Role.CITY_OFFICE])
    r = city.post(f"/governance/reports/{report.pk}/", {"decision": "return", "comment": "数据缺来源"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == "returned" and report.review_comment == "数据缺来源"


def test_the_plan_import_page_lists_row_problems(w):
    content = xlsx([plan_import.COLUMNS, ["1.1", "9", "任务", "x", "火星局", "", "", "", "", "", "", ""]])
    r = client(w["users"][Role.CITY_OFFICE]).post("/governance/plans/import/", {
        "name": "p", "year": 2026, "file": SimpleUploadedFile("p.xlsx", content)})
    page = r.content.decode()
    assert "import-problems" in page and "火星局" in page
    assert Plan.objects.count() == 1


def test_the_assessment_report_pdf_is_generated_from_live_results(w, monkeypatch):
    from ..views import assessment as views

    scheme = assessment.create_scheme(by=SYSTEM, name="区考核", year=w["plan"].year, subjects="district_gov")
    assessment.compute(by=SYSTEM, scheme=scheme)
    result = scheme.assessments.get(subject=w["jiangan_gov"])
    assessment.adjust(by=SYSTEM, assessment=result, delta="7.5", reason="测试")
    rendered = []
    real = views.render_pdf
    monkeypatch.setattr(views, "render_pdf", lambda html: rendered.append(html) or real(html))
    r = client(w["users"][Role.CITY_OFFICE]).get(f"/governance/assessment/{scheme.pk}/report.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and len(r.content) > 5000
    result.refresh_from_db()
    assert "江岸区人民政府" in rendered[0] and str(result.total) in rendered[0] and "WenQuanYi Micro Hei" in rendered[0]


def test_a_departments_rate_trend_page_charts_its_snapshots_and_is_linked_from_the_catalogue(w):
    import datetime as dt
    from decimal import Decimal

    from ..models import RateSnapshot, ServiceItem

    dept = w["orgs"]["dept"]
    ServiceItem.objects.create(department=dept, code="A1", name="营业执照核准", immediate=True, online=True,
                               one_visit=True, legal_limit_days=20, promised_limit_days=5)
    for month, online in ((3, "40.00"), (6, "55.50")):
        RateSnapshot.objects.create(taken_on=dt.date(2026, month, 1), department=dept, items=1,
                                    immediate=Decimal("30"), online=Decimal(online), one_visit=Decimal("70"))
    RateSnapshot.objects.create(taken_on=dt.date(2026, 6, 1), department=w["other_dept"], items=1,
                                immediate=Decimal("1"), online=Decimal("1"), one_visit=Decimal("1"))
    c = client(w["users"][Role.ENTERPRISE_MEMBER])
    catalogue = c.get("/governance/services/").content.decode()
    assert f"/governance/services/departments/{dept.pk}/" in catalogue
    r = c.get(f"/governance/services/departments/{dept.pk}/")
    assert r.status_code == 200
    assert [(row["taken_on"], row["online"]) for row in r.context["trend"]] == [("2026-03-01", 40.0),
                                                                                ("2026-06-01", 55.5)]
    page = r.content.decode()
    assert 'id="dept-trend"' in page and "vendor/echarts/echarts.min.js" in page
    assert c.get(f"/governance/services/departments/{w['orgs']['own'].pk}/").status_code == 404  # not a department
