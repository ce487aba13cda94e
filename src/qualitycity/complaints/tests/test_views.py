"""Pages: intake form, public status page, queue, detail actions, bulletins, holidays."""

import datetime as dt

import pytest
from django.core.cache import cache

from qualitycity.complaints.models import Demand, State
from qualitycity.core.models import AuditEvent, CalendarDay, Role

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    cache.clear()
    return factories.world()


FORM = {"demand_type": "complaint", "category": "food", "district": "洪山区", "description": "超市出售过期牛奶，要求处理",
        "contact_name": "李女士", "contact_phone": "13700001111"}


def test_a_citizen_files_and_tracks_anonymously(client, w):
    response = client.post("/complaints/new/", FORM)
    demand = Demand.objects.get()
    assert demand.tracking_code in response.content.decode()
    page = client.get(f"/complaints/track/{demand.tracking_code}/").content.decode()
    assert demand.number in page and "待受理" in page and "13700001111" not in page
    assert client.get("/complaints/track/NOSUCHCODE/").status_code == 200


def test_the_form_guides_on_a_too_long_text_and_saves_nothing(client, w):
    response = client.post("/complaints/new/", {**FORM, "description": "字" * 4001})
    assert "4000" in response.content.decode() and Demand.objects.count() == 0


def test_the_honeypot_and_the_throttle(client, w):
    client.post("/complaints/new/", {**FORM, "website": "http://spam"})
    assert Demand.objects.count() == 0
    for _ in range(6):
        response = client.post("/complaints/new/", FORM)
    assert Demand.objects.count() == 5 and "频繁" in response.content.decode()


def test_internal_notes_never_reach_the_status_page(client, w):
    d = factories.demand(w)
    staff = client
    staff.force_login(w["users"][Role.DEPARTMENT_OFFICER])
    staff.post(f"/complaints/d/{d.number}/accept/")
    staff.post(f"/complaints/d/{d.number}/note/", {"text": "内部：商家老板是熟人"})
    staff.logout()
    page = client.get(f"/complaints/track/{d.tracking_code}/").content.decode()
    assert "已受理" in page and "熟人" not in page


def test_department_handles_city_escalates_citizen_rates(client, w):
    d = factories.demand(w)
    client.force_login(w["users"][Role.DEPARTMENT_OFFICER])
    assert "不予受理" in client.get(f"/complaints/d/{d.number}/").content.decode()
    client.post(f"/complaints/d/{d.number}/accept/")
    assert client.post(f"/complaints/d/{d.number}/escalate/").status_code == 403  # departments cannot flag themselves
    client.force_login(w["users"][Role.CITY_OFFICE])
    client.post(f"/complaints/d/{d.number}/escalate/", {"note": "群众反映强烈"})
    client.force_login(w["users"][Role.DEPARTMENT_OFFICER])
    client.post(f"/complaints/d/{d.number}/close/", {"reply": "已责令下架并罚款"})
    client.logout()
    client.post(f"/complaints/track/{d.tracking_code}/", {"rating": "satisfied"})
    d.refresh_from_db()
    assert d.state == State.CLOSED and d.flags.filter(level="red").exists()


def test_revealing_a_phone_is_audited(client, w):
    d = factories.demand(w)
    client.force_login(w["users"][Role.DEPARTMENT_OFFICER])
    assert "138****1234" in client.get(f"/complaints/d/{d.number}/").content.decode()
    assert client.post(f"/complaints/d/{d.number}/contact/").json()["phone"] == "13812341234"
    assert AuditEvent.objects.filter(action="complaints.reveal_contact").count() == 1
    client.force_login(w["users"][Role.DISTRICT_OFFICER])  # may handle, may not unmask
    assert client.post(f"/complaints/d/{d.number}/contact/").status_code == 403


def test_bulletin_page_and_excel(client, w):
    d = factories.demand(w)
    client.force_login(w["users"][Role.CITY_OFFICE])
    month = d.received_at.strftime("%Y-%m")
    page = client.get(f"/complaints/bulletins/?start={month}").content.decode()
    assert "武汉市市场监督管理局" in page and "echarts.min.js" in page
    xlsx = client.get(f"/complaints/bulletins/?start={month}&format=xlsx")
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(f"/complaints/bulletins/?start={month}&format=pdf&by=district")
    assert pdf.content[:5] == b"%PDF-"


def test_bulletin_map_colours_districts_by_volume_with_a_table_fallback(client, w):
    import json
    import re

    for _ in range(2):
        factories.demand(w)
    factories.demand(w, district="江岸区")
    client.force_login(w["users"][Role.CITY_OFFICE])
    month = Demand.objects.first().received_at.strftime("%Y-%m")
    page = client.get(f"/complaints/bulletins/?start={month}").content.decode()
    assert 'id="district-map"' in page and "/geo/districts.geojson" in page and "js/district_map.js" in page
    data = json.loads(re.search(r'<script id="district-data" type="application/json">(.*?)</script>', page).group(1))
    assert data == [{"kind": "district", "name": "洪山区", "value": 2}, {"kind": "district", "name": "江岸区", "value": 1}]
    table = page[page.index('id="hot-spot-table"'):]
    assert re.search(r'<td data-label="区">洪山区</td><td data-label="诉求量">2</td><td data-label="占比">66.7%</td>', table)


def test_an_admin_maintains_holidays_in_the_ui(client, w):
    client.force_login(w["users"][Role.SYSTEM_ADMIN])
    client.post("/complaints/holidays/", {"date": "2031-01-01", "kind": "off", "name": "元旦"})
    assert CalendarDay.objects.get(date=dt.date(2031, 1, 1)).is_workday is False
    assert "元旦" in client.get("/complaints/holidays/").content.decode()
