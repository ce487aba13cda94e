import datetime as dt

import pytest

from qualitycity.core.calendar import deadline_for
from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent, OrgKind, Role
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core

from ..models import InspectionResult, Order, OrderEvent, OrderItem, Service, ServiceStatus
from ..services import catalogue, metrology, orders
from ..services.matching import match_labs
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return f.world()


def test_a_lab_cannot_publish_an_item_outside_its_accredited_scope(w):
    lab = w["orgs"]["lab"]
    before = Service.objects.count()
    with pytest.raises(DomainError, match="苯"):
        catalogue.create_service(by=Actor.system(), provider=lab, category="testing", title="苯检测",
                                 turnaround_days=3, items=[{"item": "苯", "method_no": "GB 18583"}], price=100)
    assert Service.objects.count() == before  # nothing half-written


def test_lapsed_accreditation_suspends_published_services(w):
    lab = w["orgs"]["lab"]
    assert catalogue.suspend_lapsed(by=Actor.system()) == 0
    lab.cma_valid_until = dt.date.today() - dt.timedelta(days=1)
    lab.save()
    assert catalogue.suspend_lapsed(by=Actor.system()) == 1
    service = Service.objects.get(provider=lab)
    assert service.status == ServiceStatus.SUSPENDED and "甲醛释放量" in service.status_reason


def test_matching_keeps_only_labs_covering_every_item_and_explains_the_ranking(w):
    partial = f.lab("只测含水率检测所", items=[f.ITEMS[1]])
    far = f.lab("江岸慢速检测所", in_area=w["areas"]["jiangan"], turnaround=10)
    matches = match_labs(enterprise=w["orgs"]["own"], items=f.ITEMS)
    names = [m.lab.name for m in matches]
    assert partial.name not in names
    assert names == [w["orgs"]["lab"].name, far.name]
    assert any("5 个工作日" in r for r in matches[0].reasons)
    assert any("江岸区" in r for r in matches[1].reasons)
    # the partial lab can serve an order for the item it covers
    assert partial.name in [m.lab.name for m in match_labs(enterprise=w["orgs"]["own"], items=[f.ITEMS[1]])]


def test_choosing_a_lab_outside_scope_is_refused(w):
    partial = f.lab("只测含水率检测所", items=[f.ITEMS[1]])
    count = Order.objects.count()
    with pytest.raises(DomainError, match="未覆盖"):
        orders.create_order(by=f.actor(w["users"][Role.ENTERPRISE_MEMBER]), enterprise=w["orgs"]["own"],
                            product_name="板", items=f.ITEMS, lab=partial)
    assert Order.objects.count() == count


def test_a_lab_whose_scope_lapsed_cannot_accept(w):
    order = f.order_in("requested", w)
    lab = w["orgs"]["lab"]
    lab.cma_valid_until = dt.date.today() - dt.timedelta(days=1)
    lab.save()
    with pytest.raises(DomainError, match="不能受理"):
        orders.transition(by=f.actor(w["users"][Role.PROVIDER_STAFF]), order=order, action="accept", quote="100")
    order.refresh_from_db()
    assert order.state == "requested" and order.quote is None


def test_a_transition_not_allowed_from_the_current_state_is_refused(w):
    order = f.order_in("requested", w)
    events = OrderEvent.objects.count()
    with pytest.raises(DomainError, match="不能执行“登记收样”"):
        orders.transition(by=f.actor(w["users"][Role.PROVIDER_STAFF]), order=order, action="receive",
                          sample_condition="完好")
    assert OrderEvent.objects.count() == events
    assert Order.objects.get(pk=order.pk).state == "requested"


def test_a_result_without_unit_or_limit_is_refused(w):
    order = f.order_in("testing", w)
    with pytest.raises(DomainError) as exc:
        orders.enter_results(by=f.actor(w["users"][Role.PROVIDER_STAFF]), order=order, results=[
            {"item": "甲醛释放量", "value": "0.3", "unit": "", "limit": "≤0.5"},
            {"item": "含水率", "value": "8", "unit": "%", "limit": ""}])
    assert "unit" in exc.value.errors and "limit" in exc.value.errors
    assert not OrderItem.objects.filter(order=order).exclude(value="").exists()


def test_four_eyes_reviewer_must_differ_from_the_person_who_entered(w):
    order = f.order_in("results_entered", w)
    with pytest.raises(DomainError, match="四眼"):
        orders.transition(by=f.actor(w["users"][Role.PROVIDER_STAFF]), order=order, action="approve")
    orders.transition(by=f.actor(w["reviewer"]), order=order, action="approve")
    assert Order.objects.get(pk=order.pk).state == "reviewed"


def test_receipt_starts_the_working_day_clock_and_overdue_is_flagged(w):
    order = f.order_in("received", w)
    assert order.due_on == deadline_for(order.received_at, order.turnaround_days).due_on
    assert orders.clock(order, today=order.due_on + dt.timedelta(days=7))["flag"] == "overdue"
    assert orders.clock(order, today=order.due_on)["flag"] == "at_risk"


def test_the_whole_flow_is_audited_and_on_the_timeline(w):
    order = f.order_in("issued", w)
    actions = list(order.events.values_list("action", flat=True))
    assert actions == ["create", "accept", "send_sample", "receive", "start_testing", "submit_results", "approve",
                       "issue"]
    audited = set(AuditEvent.objects.filter(object_type="inspection.order", object_id=str(order.pk))
                  .values_list("action", flat=True))
    assert {"inspection.order.accept", "inspection.order.approve", "inspection.order.results"} <= audited
    assert order.number.startswith("JY") and order.reports.get().number.startswith("BG")
    assert order.working_days_used is not None


def test_failed_results_become_inspection_result_facts(w):
    order = f.order_in("reviewed", w, fail=True)
    fact = InspectionResult.objects.get()
    assert (fact.item, fact.hazard, fact.enterprise_id, fact.district_id) == (
        "甲醛释放量", "甲醛超标", order.enterprise_id, order.enterprise.area_id)


def test_plausibility_warns_on_probable_unit_mistakes(w):
    order = f.order_in("testing", w)
    warnings = orders.enter_results(by=f.actor(w["users"][Role.PROVIDER_STAFF]), order=order, results=[
        {"item": "甲醛释放量", "value": "300", "unit": "mg/m³", "limit": "≤0.5"}])
    assert warnings and "单位" in warnings[0]
    assert OrderItem.objects.get(order=order, item="甲醛释放量").passed is False


def test_judge_reads_common_limit_forms():
    assert orders.judge("0.3", "≤0.5") and not orders.judge("0.6", "≤0.5")
    assert orders.judge("8", "3.0~13.0") and not orders.judge("14", "3.0~13.0")
    assert orders.judge("5", ">=5") and orders.judge("x", "≤1") is None


def test_instrument_alerts_fire_once_at_30_and_7_days_and_one_click_orders(w):
    institute = core.organization(OrgKind.METROLOGY_INSTITUTE, name="武汉计量院", in_area=w["areas"]["hongshan"],
                                  industry=None)
    f.lab(org=institute, items=[{"item": "电子秤检定", "method_no": "JJG 1036-2022"}])
    today = dt.date.today()
    inst = metrology.register_instrument(by=Actor.system(), enterprise=w["orgs"]["own"], kind="电子秤",
                                         serial_no="S-1", last_verified_on=today - dt.timedelta(days=340),
                                         cycle_months=12)
    assert metrology.send_due_alerts(by=Actor.system(), on=today) == 1  # the 30-day alert
    assert metrology.send_due_alerts(by=Actor.system(), on=today) == 0
    assert metrology.send_due_alerts(by=Actor.system(), on=inst.next_due_on - dt.timedelta(days=6)) == 1
    order = metrology.order_verification(by=f.actor(w["users"][Role.ENTERPRISE_MEMBER]), instrument=inst)
    assert order.lab == institute
    with pytest.raises(DomainError):
        metrology.order_verification(by=Actor.system(), instrument=type(inst).objects.get(pk=inst.pk))


def test_late_orders_are_reported_to_the_lab_and_the_city_office(w):
    from qualitycity.core.models import Notification

    order = f.order_in("received", w)
    late = order.due_on + dt.timedelta(days=10)
    assert orders.notify_flagged(on=late)["overdue"] == 1
    assert Notification.objects.filter(recipient=w["users"][Role.PROVIDER_STAFF], title__contains="已超期 1 单").exists()
    assert Notification.objects.filter(recipient=w["users"][Role.CITY_OFFICE], title__contains="已超期 1 单").exists()
    assert not Notification.objects.filter(recipient=w["outsider"], title__contains="超期").exists()
