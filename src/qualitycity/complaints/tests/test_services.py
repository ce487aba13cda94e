"""The demand life cycle through the services: deadlines, routing, returns, callback."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from qualitycity.complaints.models import Demand, Dispute, Event, Flag, RejectionGround, State, TimeLimit
from qualitycity.complaints.services import supervision, workflow
from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent, Notification, Role
from qualitycity.core.services.audit import Actor

from . import factories

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
BY = Actor.system("test")


@pytest.fixture
def w():
    return factories.world()


def test_a_complaint_gets_a_number_a_code_statutory_deadline_and_is_routed(w):
    # Received Wednesday 2026-09-30 23:30 Shanghai: the National Day week does not count.
    at = dt.datetime(2026, 9, 30, 23, 30, tzinfo=SH)
    d = factories.demand(w, at=at)
    assert d.number == "SQ202609300001" and len(d.tracking_code) == 10
    # 10-01..10-07 are off, Saturday 10-10 is a make-up working day: 10-08, 09, 10, 12, 13, 14, 15.
    assert d.accept_due == dt.date(2026, 10, 15)
    assert d.state == State.ASSIGNED and d.lead_org == w["orgs"]["dept"]
    assert set(d.assignments.values_list("organization__name", "role")) == {
        ("武汉市市场监督管理局", "lead"), ("洪山区人民政府", "co")}
    assert d.respondent == w["orgs"]["own"]  # matched to the directory
    assert factories.demand(w, at=at).number == "SQ202609300002"


def test_a_deadline_in_a_year_without_holiday_data_carries_a_warning(w):
    d = factories.demand(w, at=dt.datetime(2031, 3, 2, 10, tzinfo=SH))
    assert "2031" in d.deadline_warning and d.accept_due == dt.date(2031, 3, 11)


def test_time_limits_follow_their_effective_date(w):
    TimeLimit.objects.create(demand_type="complaint", accept_days=3, handle_days=30, effective_from=dt.date(2026, 4, 15))
    before = factories.demand(w, at=dt.datetime(2026, 4, 14, 10, tzinfo=SH))
    after = factories.demand(w, at=dt.datetime(2026, 4, 15, 10, tzinfo=SH))
    assert before.accept_due == dt.date(2026, 4, 23) and after.accept_due == dt.date(2026, 4, 20)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"description": "长" * 4001}, "description"),
        ({"district": "火星区"}, "district"),
        ({"category": "nosuch"}, "category"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"anonymous": True, "contact_phone": ""}, "anonymous"),
        ({"files": [("big.pdf", b"%PDF-" + b"0" * (21 * 1024 * 1024))]}, "file"),
    ],
)
def test_bad_input_is_refused_with_a_field_message_and_nothing_is_saved(w, fields, field):
    counts = Demand.objects.count(), Event.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError) as err:
        factories.demand(w, **fields)
    assert field in err.value.errors
    assert (Demand.objects.count(), Event.objects.count(), AuditEvent.objects.count()) == counts


def test_an_anonymous_report_keeps_no_contact(w):
    d = factories.demand(w, demand_type="report", anonymous=True, contact_phone="13800000000")
    assert d.anonymous and d.contact_phone == "" and d.accept_due is not None


def test_full_cycle_with_unsatisfied_callback_reopens_once(w):
    d = factories.demand(w, at=dt.datetime(2026, 11, 2, 9, tzinfo=SH))
    d = workflow.accept(by=BY, demand=d, at=dt.datetime(2026, 11, 3, 9, tzinfo=SH))
    # 45 working days run into 2027, which has no holiday data yet: weekends only, with a warning.
    assert d.state == State.HANDLING and d.handle_due == dt.date(2027, 1, 5) and not d.accepted_late
    assert "2027" in d.deadline_warning
    d = workflow.close(by=BY, demand=d, reply="已责令商家退款并立案调查")
    d = workflow.rate(by=BY, demand=d, rating="unsatisfied")
    assert d.state == State.HANDLING and d.reopen_count == 1
    d = workflow.close(by=BY, demand=d, reply="复查后已督促商家全额退款")
    d = workflow.rate(by=BY, demand=d, rating="unsatisfied")
    assert d.state == State.CLOSED and d.reopen_count == 1  # only one reopen
    public = list(d.events.filter(public=True).values_list("kind", flat=True))
    assert public.count("rated") == 2 and "closed" in public


def test_non_acceptance_needs_a_statutory_ground(w):
    d = factories.demand(w)
    with pytest.raises(DomainError):
        workflow.reject(by=BY, demand=d, ground=None)
    d = workflow.reject(by=BY, demand=d, ground=RejectionGround.objects.get(code="g1"))
    assert d.state == State.REJECTED and "第15条第1项" in d.public_reply


def test_a_return_goes_to_arbitration_and_counts_as_a_dispute(w):
    d = factories.demand(w)
    with pytest.raises(DomainError):
        workflow.return_demand(by=BY, demand=d, reason=" ")
    d = workflow.return_demand(by=BY, demand=d, reason="不属于本单位职责")
    assert d.state == State.RETURNED
    assert Notification.objects.filter(recipient=w["users"][Role.CITY_OFFICE], title__contains="退回").exists()
    d = workflow.arbitrate(by=BY, demand=d, uphold=True, new_lead=w["orgs"]["district_gov"])
    assert d.state == State.ASSIGNED and d.lead_org == w["orgs"]["district_gov"]
    assert Dispute.objects.get(demand=d).upheld is True


def test_reassignment_needs_a_reason(w):
    d = factories.demand(w)
    with pytest.raises(DomainError) as err:
        workflow.reassign(by=BY, demand=d, lead=w["orgs"]["district_gov"], reason="")
    assert "reason" in err.value.errors
    d = workflow.reassign(by=BY, demand=d, lead=w["orgs"]["district_gov"], reason="属地管理")
    assert d.lead_org == w["orgs"]["district_gov"] and "属地管理" in d.events.last().text


def test_supervision_reminds_then_chases_then_escalates_once(w):
    d = factories.demand(w, at=dt.datetime(2026, 11, 2, 9, tzinfo=SH))  # accept due 2026-11-11
    assert d.accept_due == dt.date(2026, 11, 11)
    assert supervision.sweep(today=dt.date(2026, 11, 6)) == {"reminder": 0, "yellow": 0, "red": 0}
    assert supervision.sweep(today=dt.date(2026, 11, 10))["reminder"] == 1
    assert supervision.sweep(today=dt.date(2026, 11, 12))["yellow"] == 1
    assert supervision.sweep(today=dt.date(2026, 11, 16)) == {"reminder": 0, "yellow": 0, "red": 1}
    assert supervision.sweep(today=dt.date(2026, 11, 17)) == {"reminder": 0, "yellow": 0, "red": 0}
    assert set(Flag.objects.filter(demand=d).values_list("level", flat=True)) == {"reminder", "yellow", "red"}
    city = w["users"][Role.CITY_OFFICE]
    assert Notification.objects.filter(recipient=city, title__contains="督办").exists()


def test_merging_informs_every_complainant(w):
    a = factories.demand(w, description="某小区门口烧烤店油烟扰民，食品卫生差")
    b = factories.demand(w, description="小区门口烧烤店食品卫生差，油烟很大")
    assert [o.pk for _, o in __import__("qualitycity.complaints.services.classify", fromlist=["x"]).similar_open(b)] == [a.pk]
    workflow.merge(by=BY, target=a, duplicates=[b])
    b.refresh_from_db()
    assert b.state == State.MERGED and b.merged_into == a
    a = workflow.accept(by=BY, demand=a)
    workflow.close(by=BY, demand=a, reply="已责令整改并加装油烟净化设备")
    assert b.events.filter(public=True, kind="closed").exists()
