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


def test_a_user_with_events_cannot_be_deleted_and_the_chain_stays_clean():
    from django.db.models import ProtectedError

    from qualitycity.core.tests import factories

    user = factories.user("leaver")
    with transaction.atomic():
        audit.record(by=audit.Actor(user=user), action="test.event", object_type="x", object_id="1")
    with pytest.raises(ProtectedError):
        user.delete()
    user.is_active = False  # how people leave
    user.save()
    result = audit.verify_chain()
    assert result.ok and result.checked == 1
    assert AuditEvent.objects.get().actor_id == user.pk


def _request(rf, **meta):
    request = rf.get("/", **meta)
    request.user = __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
    return request


def test_the_audit_ip_ignores_x_forwarded_for_without_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = _request(rf, REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert audit.Actor.from_request(request).ip == "10.1.1.1"


def test_the_audit_ip_takes_the_hop_our_proxy_saw(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # the client claims 6.6.6.6; our proxy appended the address it really saw
    request = _request(rf, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert audit.Actor.from_request(request).ip == "203.0.113.9"


def test_a_bogus_address_is_stored_as_null_not_an_error(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(rf, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    actor = audit.Actor.from_request(request)
    assert actor.ip is None
    with transaction.atomic():
        event = audit.record(by=audit.Actor(ip="bogus; drop table", label="t"), action="test.event")
    assert AuditEvent.objects.get(pk=event.pk).ip_address is None and audit.verify_chain().ok


def test_a_forged_forwarded_header_does_not_reach_the_trail_through_the_api(client, settings):
    from qualitycity.core.models import Role
    from qualitycity.core.tests import factories

    settings.TRUSTED_PROXY_COUNT = 0
    world = factories.role_users()
    client.force_login(world["users"][Role.CITY_OFFICE])
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json",
                           HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 201
    assert AuditEvent.objects.get(action="api_token.create").ip_address == "192.0.2.7"
