"""Every role against every risk page and write endpoint, plus the scope rules: the
洪山区 district officer never sees or handles a 江岸区 alert, a department officer
handles only alerts assigned to their department, an enterprise sees only its own profile."""

import pytest

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core
from qualitycity.core.tests.authz import client_for

from ..models import Alert, AlertStatus, Signal

R = Role
EVERY = set(Role)
ANON = "anonymous"
STAFF = {R.CITY_OFFICE, R.SYSTEM_ADMIN}
VIEWERS = STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER}


@pytest.fixture
def world(demo_city, db):
    w = dict(demo_city)
    hs = Alert.objects.filter(area__name="洪山区", status=AlertStatus.NEW).first()
    ja = Alert.objects.exclude(area__name="洪山区").exclude(area=None).first()
    if ja is None:  # make sure an out-of-district alert exists
        ja = Alert.objects.create(number="YJ-JA", signal=hs.signal, series_key="x|a0", series_label="玩具 · 江岸区",
                                  category="玩具", area=w["areas"]["jiangan"], week=hs.week, observed=9)
    w.update(hs=hs, ja=ja, signal=Signal.objects.first())
    return w


def pages(w) -> dict:
    own, other = w["orgs"]["own"].pk, w["orgs"]["other"].pk
    return {
        "/risk/": VIEWERS,
        "/risk/alerts/": VIEWERS,
        f"/risk/alerts/{w['hs'].number}/": VIEWERS,
        "/risk/signals/": VIEWERS,
        f"/risk/signals/{w['signal'].number}/": VIEWERS,
        "/risk/register/": VIEWERS,
        "/risk/signals/new/": STAFF,
        "/risk/import/": STAFF,
        f"/risk/enterprises/{own}/": VIEWERS | {R.ENTERPRISE_MEMBER},
        f"/risk/enterprises/{other}/": STAFF | {R.DEPARTMENT_OFFICER},  # 江岸区: not the district officer's
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EVERY) + [ANON])
def test_page_matrix(world, role):
    c = client_for(world, role)
    for url, allowed in pages(world).items():
        status = c.get(url).status_code
        if role in allowed:
            expected = 200
        elif role == ANON:
            expected = 302
        elif "/enterprises/" in url and role in (VIEWERS | {R.ENTERPRISE_MEMBER}):
            expected = 404  # allowed by rule, object outside scope: looks like "not found"
        else:
            expected = 403
        assert status == expected, f"{role} GET {url}: {status} != {expected}"


@pytest.mark.django_db
def test_district_officer_never_sees_another_district(world):
    c = client_for(world, R.DISTRICT_OFFICER)
    assert c.get(f"/risk/alerts/{world['ja'].number}/").status_code == 404
    listing = c.get("/risk/alerts/?status=").content.decode()
    assert world["ja"].number not in listing and world["hs"].number in listing
    assert world["ja"].number not in c.get("/risk/").content.decode()
    r = c.post(f"/risk/alerts/{world['ja'].number}/triage/", {"decision": "dismiss", "note": "x"})
    assert r.status_code == 404
    world["ja"].refresh_from_db()
    assert world["ja"].status != AlertStatus.DISMISSED


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EVERY) + [ANON])
def test_write_matrix(world, role):
    """Writes that must be refused leave the alert unchanged; allowed ones go through."""
    c = client_for(world, role)
    alert = world["hs"]
    alert.refresh_from_db()
    r = c.post(f"/risk/alerts/{alert.number}/assign/", {"department": world["orgs"]["dept"].pk, "working_days": "3"})
    handlers = STAFF | {R.DISTRICT_OFFICER}
    if alert.department_id == world["orgs"]["dept"].pk:
        handlers |= {R.DEPARTMENT_OFFICER}
    if role in handlers:
        assert r.status_code == 302, role
    else:
        assert r.status_code in ((302,) if role == ANON else (403, 404)), (role, r.status_code)
        if role == ANON:
            assert "/login" in r["Location"] or "login" in r["Location"]
    n_signals = Signal.objects.count()
    r = c.post("/risk/signals/new/", {"name": "x", "source": "injury", "grouping": "category_district",
                                      "method": "ears-c1", "monitor_weeks": "4", "response_days": "5"})
    if role in STAFF:
        assert r.status_code == 302
        Signal.objects.filter(name="x").delete()
    else:
        assert r.status_code in (302, 403) and Signal.objects.count() == n_signals
    r = c.post(f"/risk/signals/{world['signal'].number}/run/")
    assert r.status_code == (302 if role in STAFF or role == ANON else 403)


@pytest.mark.django_db
def test_department_officer_handles_only_own_departments_alerts(world):
    other_dept = core.organization(core.OrgKind.DEPARTMENT, name="另一成员单位", in_area=world["areas"]["jiangan"],
                                   industry=None)
    alert = Alert.objects.filter(status=AlertStatus.NEW).exclude(pk=world["hs"].pk).first()
    Alert.objects.filter(pk=alert.pk).update(department=other_dept)
    c = client_for(world, R.DEPARTMENT_OFFICER)
    assert c.get(f"/risk/alerts/{alert.number}/").status_code == 200  # may see
    r = c.post(f"/risk/alerts/{alert.number}/triage/", {"decision": "confirm"})
    assert r.status_code == 403
    alert.refresh_from_db()
    assert alert.status == AlertStatus.NEW


@pytest.mark.django_db
def test_the_home_page_card_counts_only_the_district_officers_own_open_alerts(world):
    page = client_for(world, R.DISTRICT_OFFICER).get("/").content.decode()
    own_open = Alert.objects.filter(area__name="洪山区", status__in=["new", "triaged", "assessed", "action"]).count()
    assert f'<span class="figure">{own_open}</span>' in page
    assert world["ja"].number not in page
