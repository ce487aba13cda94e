"""Login, logout, the audited password reset and the personal access token page."""

import json
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from qualitycity.core.models import ApiToken, Area, AuditEvent, CityMap
from qualitycity.core.services import audit
from qualitycity.core.tests import factories

pytestmark = pytest.mark.django_db


def test_login_and_logout():
    user = factories.user("hank")
    client = Client()
    response = client.post("/accounts/login/", {"username": "hank", "password": factories.PASSWORD})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)
    bad = Client().post("/accounts/login/", {"username": "hank", "password": "wrong"})
    assert bad.status_code == 200 and "_auth_user_id" not in bad.client.session
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_reset_by_email_works_and_is_audited():
    user = factories.user("ivy")
    user.email = "ivy@example.cn"
    user.save()
    client = Client()
    assert client.post("/accounts/password/reset/", {"email": "ivy@example.cn"}).status_code == 302
    link = re.search(r"/accounts/password/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": "Qc-new-pass-2026", "new_password2": "Qc-new-pass-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Qc-new-pass-2026")
    event = AuditEvent.objects.get(action="user.password_reset")
    assert event.object_id == str(user.pk) and event.changes == {} and audit.verify_chain().ok


def test_the_token_page_shows_a_new_key_once_and_revokes():
    user = factories.user("jack")
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "实验室 LIMS"}, follow=True)
    key = re.search(r'<code id="token-key">(qc_[^<]+)</code>', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in client.get("/accounts/tokens/").content.decode()  # shown once only
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/me").json()["username"] == "jack"
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/me").status_code == 401
    assert [e.action for e in AuditEvent.objects.order_by("seq")] == ["api_token.create", "api_token.revoke"]


def test_the_token_page_refuses_a_blank_name_and_creates_nothing():
    client = Client()
    client.force_login(factories.user("kate"))
    response = client.post("/accounts/tokens/", {"name": "  "}, follow=True)
    assert "令牌名称必填" in response.content.decode()
    assert not ApiToken.objects.exists() and not AuditEvent.objects.exists()


def test_one_user_cannot_revoke_another_users_token():
    owner, other = factories.user("lee"), factories.user("max")
    token, _key = __import__("qualitycity.core.services.accounts", fromlist=["x"]).create_api_token(
        by=audit.Actor.system(), user=owner, name="mine")
    client = Client()
    client.force_login(other)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert "mine" not in client.get("/accounts/tokens/").content.decode()


TWO_DISTRICTS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"name": "甲区", "adcode": 990101, "center": [100.1, 30.1]},
         "geometry": {"type": "Polygon", "coordinates": [[[100, 30], [100.2, 30], [100.2, 30.2], [100, 30]]]}},
        {"type": "Feature", "properties": {"name": "乙区", "adcode": "990102", "center": [100.3, 30.1]},
         "geometry": {"type": "Polygon", "coordinates": [[[100.2, 30], [100.4, 30], [100.4, 30.2], [100.2, 30]]]}},
    ],
}


def test_load_areas_loads_a_city_and_its_map(tmp_path):
    path = tmp_path / "city.geojson"
    path.write_text(json.dumps(TWO_DISTRICTS, ensure_ascii=False), encoding="utf-8")
    before = Client().get("/geo/districts.geojson")
    assert before.status_code == 200 and "洪山区" in before.content.decode()  # the bundled Wuhan file
    call_command("load_areas", str(path), "--city", "某市", "--code", "990100", "--zone", "某开发区")
    assert {a.name: a.code for a in Area.objects.filter(parent__name="某市")} == {
        "甲区": "990101", "乙区": "990102", "某开发区": ""}
    served = Client().get("/geo/districts.geojson")
    assert served["Content-Type"].startswith("application/geo+json")
    assert [f["properties"]["name"] for f in served.json()["features"]] == ["甲区", "乙区"]
    actions = sorted(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["area.create"] * 4 + ["city_map.load"] and audit.verify_chain().ok


def test_load_areas_refuses_a_feature_without_a_code_and_writes_nothing(tmp_path):
    broken = json.loads(json.dumps(TWO_DISTRICTS))
    broken["features"][1]["properties"]["adcode"] = "x"
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(CommandError, match="第 2 个要素"):
        call_command("load_areas", str(path), "--city", "某市", "--code", "990100")
    assert not Area.objects.filter(name__in=["某市", "甲区"]).exists()
    assert not CityMap.objects.exists() and not AuditEvent.objects.exists()


def test_the_city_home_map_reads_the_served_boundaries():
    world = factories.role_users()
    client = Client()
    client.force_login(world["users"]["city_office"])
    assert 'data-geojson="/geo/districts.geojson"' in client.get("/").content.decode()
