"""The risk API: alerts scoped by district, triage through the service, runs on demand."""

import json

import pytest
from django.test import Client

from qualitycity.core.models import AuditEvent, Role

from ..models import Alert, AlertStatus, Signal, SignalRun

pytestmark = pytest.mark.django_db
R = Role


def client(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def w(demo_city, db):
    return demo_city


def test_a_district_officer_lists_only_alerts_in_their_district(w):
    everything = client(w["users"][R.CITY_OFFICE]).get("/api/v1/risk/alerts").json()
    own = client(w["users"][R.DISTRICT_OFFICER]).get("/api/v1/risk/alerts").json()
    assert len(everything) == min(Alert.objects.count(), 500)
    assert own and {a["district"] for a in own} == {"洪山区"}
    assert len(own) < len(everything)


def test_an_out_of_district_alert_is_not_found_for_a_district_officer(w):
    other = Alert.objects.exclude(area__name="洪山区").exclude(area=None).first()
    r = client(w["users"][R.DISTRICT_OFFICER]).get(f"/api/v1/risk/alerts/{other.number}")
    assert r.status_code == 404


def test_triage_confirms_an_alert_and_is_audited(w):
    alert = Alert.objects.filter(status=AlertStatus.NEW).first()
    r = client(w["users"][R.CITY_OFFICE]).post(f"/api/v1/risk/alerts/{alert.number}/triage",
                                               json.dumps({"confirm": True, "note": "与抽检不合格一致"}),
                                               content_type="application/json")
    assert r.status_code == 200, r.content
    alert.refresh_from_db()
    assert r.json()["status"] == alert.status != AlertStatus.NEW and alert.triage_note == "与抽检不合格一致"
    assert AuditEvent.objects.filter(object_id=str(alert.pk), action__startswith="risk.").exists()


def test_dismissing_without_a_reason_is_refused_and_changes_nothing(w):
    alert = Alert.objects.filter(status=AlertStatus.NEW).first()
    r = client(w["users"][R.CITY_OFFICE]).post(f"/api/v1/risk/alerts/{alert.number}/triage",
                                               json.dumps({"confirm": False}), content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


def test_only_the_city_office_runs_a_signal_on_demand(w):
    signal = Signal.objects.filter(active=True).first()
    runs = SignalRun.objects.count()
    assert client(w["users"][R.DISTRICT_OFFICER]).post(f"/api/v1/risk/signals/{signal.number}/run").status_code == 403
    r = client(w["users"][R.CITY_OFFICE]).post(f"/api/v1/risk/signals/{signal.number}/run")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["series_count"] > 0
    assert SignalRun.objects.count() == runs + 1
