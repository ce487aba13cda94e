"""An amended report may correct result values: the order's results, the new signed report,
the verification of both numbers and the failed-result facts all follow."""

import pytest
from django.test import Client

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core

from ..models import InspectionResult, OrderEvent, OrderItem, Report, ReportStatus
from ..services import reports
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed():
    """An issued report whose 甲醛释放量 failed (0.95 against ≤0.124)."""
    w = f.world()
    order = f.order_in("issued", w, fail=True)
    return w, order, order.reports.get()


def lab(w):
    return f.actor(w["users"][Role.PROVIDER_STAFF])


def results_of(order):
    return {i.item: (i.value, i.unit, i.limit, i.passed) for i in OrderItem.objects.filter(order=order)}


def test_a_corrected_value_turns_the_fail_into_a_pass_everywhere(failed):
    w, order, old = failed
    assert InspectionResult.objects.filter(order_item__order=order).count() == 1
    new = reports.amend_report(by=lab(w), report=old, reason="小数点录入错误：0.95 应为 0.095",
                               results=[{"item": "甲醛释放量", "value": "0.095"}])
    assert results_of(order)["甲醛释放量"] == ("0.095", "mg/m³", "≤0.124", True)  # judged again from the limit
    assert results_of(order)["含水率"] == ("8.1", "%", "3.0~13.0", True)  # untouched
    assert new.corrections == [{"item": "甲醛释放量",
                                "before": {"value": "0.95", "unit": "mg/m³", "limit": "≤0.124", "passed": False,
                                           "external_provider": "", "hazard": "甲醛超标"},
                                "after": {"value": "0.095", "unit": "mg/m³", "limit": "≤0.124", "passed": True,
                                          "external_provider": "", "hazard": "甲醛超标"}}]
    assert not InspectionResult.objects.filter(order_item__order=order).exists()  # no longer a failure to count
    html = reports.report_html(order=order, number=new.number, issued_at=new.issued_at, authorised_by=w["users"][Role.PROVIDER_STAFF],
                               supersedes=old, amendment_note=new.amendment_note, corrections=new.corrections)
    for text in ("Amendment to Report " + old.number, "更正的检测项目", "0.95 mg/m³", "0.095 mg/m³", "小数点录入错误"):
        assert text in html, text
    assert reports.verify_pdf(bytes(new.pdf)).authentic
    was = reports.verify_number(old.number)
    assert (was.authentic, was.status, was.superseded_by) == (False, ReportStatus.SUPERSEDED, new.number)
    assert new.number in was.message and "已被更正" in was.message
    assert reports.verify_number(new.number).supersedes == old.number
    assert reports.verify_pdf(bytes(old.pdf)).superseded_by == new.number  # the old file still verifies as genuine
    note = OrderEvent.objects.filter(order=order, action="amend_report").get().note
    assert old.number in note and new.number in note and "甲醛释放量" in note


def test_a_correction_that_makes_a_pass_fail_adds_the_fact():
    w = f.world()
    order = f.order_in("issued", w)
    assert not InspectionResult.objects.filter(order_item__order=order).exists()
    reports.amend_report(by=lab(w), report=order.reports.get(), reason="复核发现含水率超出范围",
                         results=[{"item": "含水率", "value": "15.2", "hazard": "变形开裂"}])
    fact = InspectionResult.objects.get(order_item__order=order)
    assert (fact.item, fact.hazard, fact.product_category, fact.tested_on) == ("含水率", "变形开裂", "刨花板",
                                                                               order.tested_on)


def test_an_amendment_without_changed_results_keeps_the_results(failed):
    w, order, old = failed
    before = results_of(order)
    new = reports.amend_report(by=lab(w), report=old, reason="委托方名称更正",
                               results=[{"item": "甲醛释放量", "value": "0.95"}])
    assert new.corrections == [] and results_of(order) == before
    assert InspectionResult.objects.filter(order_item__order=order).count() == 1


@pytest.mark.parametrize("reason, rows, message", [
    ("", [{"item": "甲醛释放量", "value": "0.095"}], "请填写更正原因"),
    ("单位录入错误", [{"item": "甲醛释放量", "unit": ""}], "缺少单位"),
    ("单位录入错误", [{"item": "甲醛释放量", "value": ""}], "缺少结果"),
    ("项目名称错误", [{"item": "苯", "value": "0.1"}], "没有检测项目"),
    ("判定错误", [{"item": "甲醛释放量", "value": "未检出", "limit": "见标准"}], "无法按限值自动判定"),
])
def test_a_refused_amendment_changes_nothing(failed, reason, rows, message):
    w, order, old = failed
    before = (results_of(order), Report.objects.count(), OrderEvent.objects.count(), InspectionResult.objects.count())
    with pytest.raises(DomainError, match=message):
        reports.amend_report(by=lab(w), report=old, reason=reason, results=rows)
    after = (results_of(order), Report.objects.count(), OrderEvent.objects.count(), InspectionResult.objects.count())
    assert after == before
    assert Report.objects.get(pk=old.pk).status == ReportStatus.VALID


def test_a_superseded_report_cannot_be_amended_again(failed):
    w, _order, old = failed
    reports.amend_report(by=lab(w), report=old, reason="第一次更正", results=[{"item": "甲醛释放量", "value": "0.095"}])
    with pytest.raises(DomainError, match="不能再次更正"):
        reports.amend_report(by=lab(w), report=old, reason="第二次", results=[{"item": "甲醛释放量", "value": "0.1"}])


# ---- pages -----------------------------------------------------------------------------

def client(user):
    c = Client()
    c.force_login(user)
    return c


def item_pk(order, name):
    return OrderItem.objects.get(order=order, item=name).pk


def test_the_lab_corrects_a_value_on_the_amend_page_and_the_old_number_points_to_the_new(failed):
    w, order, old = failed
    page = client(w["users"][Role.PROVIDER_STAFF])
    form = page.get(f"/inspection/reports/{old.number}/amend/")
    assert form.status_code == 200 and 'value="0.95"' in form.content.decode()
    pk, other = item_pk(order, "甲醛释放量"), item_pk(order, "含水率")
    posted = {"reason": "小数点录入错误", f"value_{pk}": "0.095", f"unit_{pk}": "mg/m³", f"limit_{pk}": "≤0.124",
              f"passed_{pk}": "", f"hazard_{pk}": "", f"value_{other}": "8.1", f"unit_{other}": "%",
              f"limit_{other}": "3.0~13.0", f"passed_{other}": "", f"hazard_{other}": ""}
    assert page.post(f"/inspection/reports/{old.number}/amend/", {**posted, "reason": ""}).status_code == 200
    assert Report.objects.count() == 1  # the reason is required
    done = page.post(f"/inspection/reports/{old.number}/amend/", posted)
    assert done.status_code == 302
    new = Report.objects.get(supersedes=old)
    verify = Client().get(f"/verify/{old.number}/").content.decode()
    assert "已被更正" in verify and f"/verify/{new.number}/" in verify
    assert f"/verify/{old.number}/" in Client().get(f"/verify/{new.number}/").content.decode()
    detail = page.get(f"/inspection/orders/{order.number}/").content.decode()
    assert "0.95 → 0.095" in detail


def test_only_the_issuing_lab_may_amend(failed):
    w, _order, old = failed
    rival_lab = f.lab("别家检测所")
    rival = core.user("rival_u", role=Role.PROVIDER_STAFF, org=rival_lab)
    assert client(rival).get(f"/inspection/reports/{old.number}/amend/").status_code == 404
    assert client(rival).post(f"/inspection/reports/{old.number}/amend/", {"reason": "x"}).status_code == 404
    assert client(w["users"][Role.ENTERPRISE_MEMBER]).get(f"/inspection/reports/{old.number}/amend/").status_code == 403
    assert client(w["users"][Role.CITY_OFFICE]).post(f"/inspection/reports/{old.number}/amend/",
                                                    {"reason": "x"}).status_code == 403
    assert Report.objects.get(pk=old.pk).status == ReportStatus.VALID and Report.objects.count() == 1
