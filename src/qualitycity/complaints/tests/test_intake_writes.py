"""What one intake leaves in the database, now that it writes each row once: the demand in
its routed state, its assignments and timeline, and two chained audit events; and nothing
at all, its number included, when any part fails."""

import pytest

from qualitycity.complaints.models import Assignment, Demand, Event, State
from qualitycity.complaints.services import intake
from qualitycity.core.models import AuditEvent
from qualitycity.core.services import audit

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return factories.world()


def test_a_routed_demand_is_stored_once_with_its_rows_and_two_chained_audit_events(w):
    d = factories.demand(w)
    stored = Demand.objects.get(pk=d.pk)
    assert stored.number == d.number and stored.number.startswith("SQ")
    assert stored.state == State.ASSIGNED and stored.lead_org == w["orgs"]["dept"]
    assert stored.updated_at is not None and stored.accept_due == d.accept_due
    assert stored.suggestion == d.suggestion
    assert set(Assignment.objects.filter(demand=d).values_list("organization", "role", "active")) == {
        (w["orgs"]["dept"].pk, "lead", True), (w["orgs"]["district_gov"].pk, "co", True)}
    assert all(a.created_at for a in Assignment.objects.filter(demand=d))
    events = list(Event.objects.filter(demand=d))
    assert [e.kind for e in events] == ["received", "routed"]
    assert d.number in events[0].text and events[1].organization == w["orgs"]["dept"]
    submitted, routed = AuditEvent.objects.filter(object_id=str(d.pk)).order_by("seq")
    assert (submitted.action, routed.action) == ("complaints.submit", "complaints.route")
    assert routed.seq == submitted.seq + 1 and routed.prev_hash == submitted.hash
    assert submitted.object_repr == d.number and routed.actor_label == "自动派单"
    assert routed.changes == {"state": ["received", "assigned"], "lead": [None, w["orgs"]["dept"].name]}
    assert audit.verify_chain().ok


def test_a_demand_without_routing_stays_received_with_one_event_of_each_kind(w):
    d = factories.demand(w, auto_route=False)
    stored = Demand.objects.get(pk=d.pk)
    assert stored.state == State.RECEIVED and stored.lead_org is None
    assert not Assignment.objects.filter(demand=d).exists()
    assert list(Event.objects.filter(demand=d).values_list("kind", flat=True)) == ["received"]
    assert list(AuditEvent.objects.filter(object_id=str(d.pk)).values_list("action", flat=True)) == [
        "complaints.submit"]


def test_a_failed_intake_leaves_nothing_and_gives_its_number_back(w, monkeypatch):
    first = factories.demand(w)

    def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(intake.audit, "record_many", broken)
    counts = Demand.objects.count(), Event.objects.count(), Assignment.objects.count(), AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        factories.demand(w)
    assert (Demand.objects.count(), Event.objects.count(), Assignment.objects.count(),
            AuditEvent.objects.count()) == counts
    monkeypatch.undo()
    following = factories.demand(w)
    assert int(following.number[-4:]) == int(first.number[-4:]) + 1
