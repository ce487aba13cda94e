"""Modules hand their reports to the portal: the complaints bulletin page, the inspection
module's sampling results, and a corrected version after an accepted correction request."""

import datetime as dt

import pytest
from django.test import Client

from qualitycity.brands.tests.factories import inspected
from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core
from qualitycity.inspection import portal_sources

from .. import services
from ..models import CorrectionRequest, Publication, PublicationStatus
from ..sources import BULLETIN_DICTIONARY

pytestmark = pytest.mark.django_db
BY = services.audit.Actor.system("test")


def office(world):
    client = Client()
    client.force_login(world["users"][Role.CITY_OFFICE])
    return client


def test_the_city_office_hands_a_quarterly_bulletin_to_the_portal_as_aggregates_only():
    from qualitycity.complaints.tests import factories as complaints

    w = complaints.world()
    complaints.demand(w)
    start = dt.date.today().replace(day=1)
    quarter = f"{start.year}-{(start.month - 1) // 3 * 3 + 1:02d}"
    response = office(w).post(f"/complaints/bulletins/portal/?kind=quarter&start={quarter}", follow=True)
    pub = Publication.objects.get()
    assert pub.status == PublicationStatus.DRAFT and pub.source_module == "complaints" and "q" in pub.series
    assert "已提交门户待审批" in response.content.decode()
    assert [f["field"] for f in pub.dataset.dictionary] == [f["field"] for f in BULLETIN_DICTIONARY]
    published_text = str(pub.dataset.rows) + pub.summary + str(pub.charts)
    assert "王先生" not in published_text and "13812341234" not in published_text and "自有企业" not in published_text
    again = office(w).post(f"/complaints/bulletins/portal/?kind=quarter&start={quarter}", follow=True)
    assert "已有待发布的版本" in again.content.decode() and Publication.objects.count() == 1
    empty = office(w).post("/complaints/bulletins/portal/?kind=month&start=2001-01", follow=True)
    assert "没有诉求数据" in empty.content.decode() and Publication.objects.count() == 1
    officer = Client()
    officer.force_login(w["users"][Role.DEPARTMENT_OFFICER])
    assert officer.post(f"/complaints/bulletins/portal/?kind=quarter&start={quarter}").status_code == 403


def quarter_of(day):
    return day.year, (day.month - 1) // 3 + 1


def test_sampling_results_are_built_from_the_inspection_modules_issued_reports():
    day = dt.date.today() - dt.timedelta(days=1)
    year, q = quarter_of(day)
    good, bad = core.organization(name="楚天线缆有限公司"), core.organization(name="汉江电器有限公司")
    inspected(good, tested_on=day, product="电线")
    inspected(bad, passed=False, item="泄漏电流", tested_on=day)
    inspected(core.organization(name="未审核企业有限公司"), tested_on=day, state="testing")
    args = portal_sources.sampling_publication(year, q)
    rows = {r["enterprise"]: r for r in args["rows"]}
    assert set(rows) == {"楚天线缆有限公司", "汉江电器有限公司"}
    assert rows["汉江电器有限公司"]["result"] == "不合格" and rows["汉江电器有限公司"]["failed_items"] == "泄漏电流"
    assert rows["楚天线缆有限公司"]["result"] == "合格" and "50.0%" in args["summary"]
    w = core.role_users()
    page = office(w).post("/portal/desk/sampling/", {"year": year, "quarter": q}, follow=True).content.decode()
    pub = Publication.objects.get()
    assert pub.kind == "sampling_results" and pub.status == PublicationStatus.DRAFT and pub.title in page
    refused = office(w).post("/portal/desk/sampling/", {"year": 2001, "quarter": 1}, follow=True).content.decode()
    assert "无可发布的抽查结果" in refused and Publication.objects.count() == 1
    assert "季度应为" in office(w).post("/portal/desk/sampling/", {"year": year, "quarter": 7},
                                        follow=True).content.decode()


def published_sampling():
    day = dt.date.today() - dt.timedelta(days=1)
    inspected(core.organization(name="楚天线缆有限公司"), tested_on=day)
    inspected(core.organization(name="汉江电器有限公司"), passed=False, item="泄漏电流", tested_on=day)
    pub = services.prepare_publication(by=BY, **portal_sources.sampling_publication(*quarter_of(day)))
    services.approve(by=BY, publication=pub)
    return services.publish(by=BY, publication=pub)


def test_an_accepted_correction_becomes_a_new_version_through_the_desk():
    w = core.role_users()
    first = published_sampling()
    wrong = next(i for i, r in enumerate(first.dataset.rows, 1) if r["result"] == "不合格")
    Client().post(f"{first.url}correction/", {"entry": "汉江电器有限公司", "reason": "复检合格"})
    request = CorrectionRequest.objects.get()
    desk = office(w)
    version_url = f"/portal/desk/corrections/{request.pk}/version/"
    early = desk.post(version_url, {"row": wrong, "field": "result", "value": "合格", "note": "更正"}, follow=True)
    assert "只有已受理" in early.content.decode() and Publication.objects.count() == 1
    desk.post(f"/portal/desk/corrections/{request.pk}/", {"accepted": "1", "reply": "予以更正"})
    assert "准备更正版本" in desk.get("/portal/desk/").content.decode()
    bad = desk.post(version_url, {"row": 99, "field": "result", "value": "合格", "note": "更正"}, follow=True)
    assert "行号应在" in bad.content.decode() and Publication.objects.count() == 1
    desk.post(version_url, {"row": wrong, "field": "result", "value": "合格", "field2": "failed_items", "value2": "",
                            "note": "经复核，汉江电器有限公司的检验结论更正为合格。"})
    second = Publication.objects.get(version=2)
    assert second.status == PublicationStatus.DRAFT and second.correction_note.startswith("经复核")
    assert second.dataset.rows[wrong - 1]["result"] == "合格" and second.dataset.rows[wrong - 1]["failed_items"] == ""
    assert "100.0%" in second.summary and second.charts[0]["values"] == [100.0]
    twice = desk.post(version_url, {"row": wrong, "field": "result", "value": "合格", "note": "再次"}, follow=True)
    assert "已为该申请准备了更正版本" in twice.content.decode()
    desk.post(f"/portal/desk/{second.pk}/", {"action": "approve"})
    desk.post(f"/portal/desk/{second.pk}/", {"action": "publish"})
    first.refresh_from_db()
    assert first.status == PublicationStatus.SUPERSEDED
    old_page = Client().get(first.url).content.decode()
    assert "此版本已被更正版本取代" in old_page and second.url in old_page
    assert "经复核" in Client().get(second.url).content.decode()


def test_the_desk_refuses_to_publish_a_report_that_was_not_approved():
    w = core.role_users()
    pub = services.prepare_publication(by=BY, series="x-2026", kind="other", title="待审批的报告", year=2026,
                                       source_module="portal")
    page = office(w).post(f"/portal/desk/{pub.pk}/", {"action": "publish"}, follow=True).content.decode()
    assert "尚未经市质量强市办审批" in page
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.DRAFT and pub.published_on is None
