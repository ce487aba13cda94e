"""The pages a risk officer uses: import with per-line errors, the signal chart, the map
data, and the alert lifecycle through the forms."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qualitycity.core.models import Role

from ..models import Alert, AlertStatus, Assessment, Signal, WeeklyCount


@pytest.fixture
def world(demo_city, db):
    return demo_city


def _client(world, role=Role.CITY_OFFICE):
    c = Client()
    c.force_login(world["users"][role])
    return c


def _json_script(html, element_id):
    m = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_web_import_lists_every_bad_line_and_writes_nothing(world):
    c = _client(world)
    n = WeeklyCount.objects.count()
    content = "周,产品类别,区,数量\n2026-01-05,玩具,洪山区,-2\n2026-01-05,玩具,洪山区,3\n2026-01-07,玩具,江岸区,1\n"
    r = c.post("/risk/import/", {"source": "injury", "file": SimpleUploadedFile("x.csv", content.encode())})
    assert r.status_code == 400
    html = r.content.decode()
    assert "负数" in html and "不是周一" in html and 'id="import-problems"' in html
    assert WeeklyCount.objects.count() == n


def test_web_import_refuses_missing_columns_and_wrong_type(world):
    c = _client(world)
    r = c.post("/risk/import/", {"source": "injury", "file": SimpleUploadedFile("x.csv", "周,区\n".encode())})
    assert r.status_code == 400 and "缺少必需的列" in r.content.decode()
    r = c.post("/risk/import/", {"source": "injury", "file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert r.status_code == 400 and "不支持的文件类型" in r.content.decode()


def test_signal_page_charts_expected_upper_bound_and_alarms(world):
    signal = Signal.objects.get(name__startswith="产品投诉")
    alert = Alert.objects.filter(signal=signal, category="电动自行车", area__name="洪山区").first()
    r = _client(world).get(f"/risk/signals/{signal.number}/", {"series": alert.series_key})
    data = _json_script(r.content.decode(), "chart-data")
    assert data["label"] == "电动自行车 · 洪山区"
    i = data["weeks"].index(alert.week.isoformat())
    assert data["alarm"][i] is True and data["observed"][i] > data["upper"][i] > 0
    assert len(data["expected"]) == len(data["weeks"]) == 26


def test_map_counts_open_alerts_per_district(world):
    r = _client(world).get("/risk/")
    data = {d["name"]: d["value"] for d in _json_script(r.content.decode(), "district-data")}
    assert data["洪山区"] == Alert.objects.filter(area__name="洪山区", status__in=["new", "triaged", "assessed",
                                                                             "action"]).count() > 0
    assert "echarts.min.js" in r.content.decode()


def test_lifecycle_through_the_forms(world):
    c = _client(world)
    alert = Alert.objects.filter(status=AlertStatus.NEW).first()
    base = f"/risk/alerts/{alert.number}/"
    c.post(base + "triage/", {"decision": "confirm", "note": "属实"})
    r = c.post(base + "assess/", {"product": "玩具", "hazard": "小零件", "consumer": "3岁以下儿童",
                                  "s1_description": "误吞窒息", "s1_severity": "4", "s1_steps": "1/10, 10%, 0.5"})
    assert r.status_code == 302
    entry = Assessment.objects.get(alert=alert)
    assert entry.level == "serious" and entry.scenarios[0]["probability"] == pytest.approx(0.005)
    c.post(base + "actions/", {"kind": "consumer_warning", "description": "发布消费警示", "working_days": "5"})
    action = alert.actions.get()
    c.post(base + f"actions/{action.pk}/done/")
    c.post(base + "close/", {"note": "完成"})
    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    assert "风险登记册" in c.get("/risk/register/").content.decode()


def test_bad_probability_in_the_form_is_explained(world):
    c = _client(world)
    alert = Alert.objects.filter(status=AlertStatus.NEW).first()
    c.post(f"/risk/alerts/{alert.number}/triage/", {"decision": "confirm"})
    r = c.post(f"/risk/alerts/{alert.number}/assess/", {"product": "p", "hazard": "h", "s1_description": "d",
                                                        "s1_severity": "2", "s1_steps": "abc"}, follow=True)
    assert "无法识别" in r.content.decode()
    assert not Assessment.objects.filter(alert=alert).exists()


def test_new_signal_form_shows_field_errors(world):
    r = _client(world).post("/risk/signals/new/", {"name": "", "source": "injury", "grouping": "category_district",
                                                    "method": "farrington-flexible", "parameters": "b=abc",
                                                    "monitor_weeks": "4", "response_days": "5"})
    assert r.status_code == 400 and "请填写信号名称" in r.content.decode()
