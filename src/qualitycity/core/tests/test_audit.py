import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from qualitycity.core.models import AuditEvent
from qualitycity.core.services import audit

pytestmark = pytest.mark.django_db


def write_events(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit.record(by=audit.Actor(ip="10.0.0.1", label="t"), action="test.event", object_type="x", object_id=str(i))


def test_an_intact_chain_verifies():
    write_events(5)
    result = audit.verify_chain()
    assert result.ok and result.checked == 5


def test_it_detects_an_edited_row():
    write_events(5)
    AuditEvent.objects.filter(seq=3).update(action="test.forged")  # bypasses save(), as an attacker with SQL would
    result = audit.verify_chain()
    assert not result.ok and result.seq == 3 and "篡改" in result.problem


def test_it_detects_a_deleted_row_in_the_middle():
    write_events(5)
    AuditEvent.objects.filter(seq=2)._raw_delete(AuditEvent.objects.db)
    result = audit.verify_chain()
    assert not result.ok and result.seq == 2 and "缺失" in result.problem


def test_it_detects_the_last_rows_deleted():
    write_events(5)
    AuditEvent.objects.filter(seq__gte=4)._raw_delete(AuditEvent.objects.db)
    result = audit.verify_chain()
    assert not result.ok and "末尾" in result.problem


def test_events_cannot_be_changed_through_the_orm():
    write_events(1)
    event = AuditEvent.objects.get()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit.record(by=audit.Actor(), action="x")


def test_the_verify_command_reports_the_first_bad_event(capsys):
    write_events(3)
    call_command("audit", "verify")
    assert "3 条事件均校验通过" in capsys.readouterr().out
    AuditEvent.objects.filter(seq=2).update(object_id="changed")
    with pytest.raises(CommandError, match="#2"):
        call_command("audit", "verify")
