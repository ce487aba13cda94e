"""Open311 GeoReport v2: formats, filters, defaults, errors, keys, privacy."""

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405

import pytest
from django.core.management import call_command

from qualitycity.complaints.models import Demand
from qualitycity.complaints.services.keys import create_key
from qualitycity.core.services.audit import Actor

from . import factories

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def w():
    w = factories.world()
    w["key"] = create_key(by=Actor.system("t"), name="test-client")
    return w


def post(client, w, **fields):
    data = {"api_key": w["key"], "service_code": "food", "attribute[district]": "洪山区", "phone": "13912345678",
            "description": "外卖送来的饭菜有异味，疑似变质", **fields}
    return client.post(f"{BASE}/requests.json", data)


def test_discovery_and_services_in_json_and_xml(client, w):
    assert client.get(f"{BASE}/discovery.json").json()["endpoints"][0]["specification"].endswith("GeoReport_v2")
    services = client.get(f"{BASE}/services.json").json()
    assert {"food", "counterfeit", "other"} <= {s["service_code"] for s in services}
    root = ET.fromstring(client.get(f"{BASE}/services.xml").content)  # noqa: S314
    assert root.tag == "services" and root.find("service/service_code") is not None
    definition = client.get(f"{BASE}/services/food.json").json()
    assert definition["service_code"] == "food" and definition["attributes"][0]["code"] == "district"


def test_post_then_get_by_id_and_token(client, w):
    created = post(client, w).json()[0]
    number, token = created["service_request_id"], created["token"]
    row = client.get(f"{BASE}/requests/{number}.json").json()[0]
    assert row["status"] == "open" and row["service_code"] == "food"
    assert "13912345678" not in client.get(f"{BASE}/requests/{number}.json").content.decode()
    assert client.get(f"{BASE}/tokens/{token}.json").json() == [{"service_request_id": number, "token": token}]
    xml = ET.fromstring(client.get(f"{BASE}/requests/{number}.xml").content)  # noqa: S314
    assert xml.tag == "service_requests" and xml.find("request/status").text == "open"
    assert Demand.objects.get(number=number).channel == "api"


def test_the_key_command_prints_a_working_key(client, w, capsys):
    call_command("open311", "create-key", "cli-client")
    key = capsys.readouterr().out.strip()
    assert post(client, {"key": key}).status_code == 200


@pytest.mark.parametrize(
    ("fields", "status", "text"),
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"service_code": "nosuch"}, 404, "service_code"),
        ({"description": "长" * 4001}, 400, "4000"),
        ({"attribute[district]": "火星区"}, 400, "district"),
        ({"lat": "abc"}, 400, "lat"),
    ],
)
def test_bad_posts_get_spec_errors_and_save_nothing(client, w, fields, status, text):
    before = Demand.objects.count()
    response = post(client, w, **fields)
    assert response.status_code == status
    body = response.json()
    assert body[0]["code"] == status and text in body[0]["description"]
    assert Demand.objects.count() == before


def test_get_requests_filters_and_defaults(client, w):
    old = factories.demand(w, at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    new = factories.demand(w, category="food")
    rows = client.get(f"{BASE}/requests.json").json()  # default: the last 90 days
    assert [r["service_request_id"] for r in rows] == [new.number]
    assert client.get(f"{BASE}/requests.json?service_request_id={old.number}").json()[0]["service_request_id"] == old.number
    assert client.get(f"{BASE}/requests.json?status=closed").json() == []
    ranged = client.get(f"{BASE}/requests.json?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-02-01T00:00:00%2B08:00")
    assert [r["service_request_id"] for r in ranged.json()] == [old.number]
    bad = client.get(f"{BASE}/requests.xml?start_date=yesterday")
    assert bad.status_code == 400 and ET.fromstring(bad.content).tag == "errors"  # noqa: S314
    assert client.get(f"{BASE}/requests.json?start_date=2026-03-01T00:00:00Z&end_date=2026-01-01T00:00:00Z").status_code == 400
    assert client.get(f"{BASE}/requests/SQ000.json").status_code == 404
    assert client.get(f"{BASE}/requests.csv").status_code == 400


def test_a_report_hides_description_and_street(client, w):
    d = factories.demand(w, demand_type="report", anonymous=True, address="光谷大道 88 号",
                         description="自有企业有限公司仓库里在灌装假冒白酒")
    row = client.get(f"{BASE}/requests/{d.number}.json").json()[0]
    assert row["description"] == "" and "光谷" not in row["address"]
