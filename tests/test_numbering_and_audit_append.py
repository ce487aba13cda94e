"""The two rows every intake serialises on: the day's number (one upsert) and the audit
chain's head (one multi-event append). Both must stay gapless, ordered and all-or-nothing."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from qualitycity.core.models import AuditEvent, AuditHead, NumberSequence
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 26)
BY = audit.Actor(ip="10.0.0.7", label="t")


def test_the_first_number_of_a_day_creates_its_sequence_and_the_next_ones_count_on():
    with transaction.atomic():
        numbers = [next_number("SQ", day=DAY) for _ in range(3)]
    assert numbers == ["SQ202611260001", "SQ202611260002", "SQ202611260003"]
    assert NumberSequence.objects.get(key="SQ20261126").last == 3


def test_a_rolled_back_number_is_given_back():
    with transaction.atomic():
        assert next_number("SQ", day=DAY) == "SQ202611260001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("SQ", day=DAY) == "SQ202611260002"
        raise RuntimeError("the intake failed after taking its number")
    with transaction.atomic():
        assert next_number("SQ", day=DAY, width=6) == "SQ20261126000002"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_number_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        next_number("SQ", day=DAY)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_intakes_get_distinct_consecutive_numbers():
    numbers, errors = [], []

    def take():
        try:
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(next_number("SQ", day=DAY))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"SQ20261126{i:04d}" for i in range(1, 21)]


def test_several_events_are_appended_in_order_under_one_head_update():
    with transaction.atomic():
        audit.record(by=BY, action="test.before", object_type="x", object_id="0")
    with transaction.atomic():
        events = audit.record_many([
            audit.Entry(by=BY, action="test.first", object_type="x", object_id="1", changes={"a": [None, 1]}),
            audit.Entry(by=audit.Actor.system("router"), action="test.second", object_type="x", object_id="1"),
        ])
    assert [e.seq for e in events] == [2, 3]
    stored = list(AuditEvent.objects.order_by("seq"))
    assert [e.action for e in stored] == ["test.before", "test.first", "test.second"]
    assert [e.pk for e in stored[1:]] == [e.pk for e in events]
    assert stored[2].prev_hash == stored[1].hash and stored[1].prev_hash == stored[0].hash
    assert stored[1].changes == {"a": [None, 1]} and stored[1].ip_address == "10.0.0.7"
    assert stored[2].actor_label == "router"
    head = AuditHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (3, stored[2].hash)
    assert audit.verify_chain().ok


def test_an_append_rolls_back_with_its_change():
    with transaction.atomic():
        audit.record(by=BY, action="test.kept", object_type="x")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record_many([audit.Entry(by=BY, action="test.lost", object_type="x")] * 2)
        raise RuntimeError("the change failed")
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["test.kept"]
    assert AuditHead.objects.get(pk=1).last_seq == 1
    assert audit.verify_chain().ok


def test_an_empty_append_writes_nothing():
    with transaction.atomic():
        assert audit.record_many([]) == []
    assert not AuditEvent.objects.exists() and not AuditHead.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit.record_many([audit.Entry(by=BY, action="x")])
