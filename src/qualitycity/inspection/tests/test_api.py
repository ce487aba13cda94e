import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qualitycity.core.models import Role

from ..models import Order, OrderItem
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return f.world()


def client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_verify_endpoint_accepts_a_report_and_refuses_a_tampered_or_non_pdf_upload(w):
    report = f.order_in("issued", w).reports.get()
    anon = client()
    ok = anon.post("/api/v1/reports/verify", {"file": SimpleUploadedFile("r.pdf", bytes(report.pdf))})
    assert ok.status_code == 200 and ok.json()["authentic"] and ok.json()["number"] == report.number
    data = bytearray(report.pdf)
    data[1000] ^= 0x20
    bad = anon.post("/api/v1/reports/verify", {"file": SimpleUploadedFile("r.pdf", bytes(data))})
    assert bad.status_code == 200 and bad.json()["authentic"] is False
    txt = anon.post("/api/v1/reports/verify", {"file": SimpleUploadedFile("r.pdf", b"not a pdf at all")})
    assert txt.status_code == 400 and "file" in txt.json()["errors"]
    by_number = anon.get(f"/api/v1/reports/{report.number}/verification").json()
    assert by_number["status"] == "valid"


def test_a_lims_reads_orders_and_pushes_results_idempotently(w):
    order = f.order_in("testing", w)
    lims = client(w["users"][Role.PROVIDER_STAFF])
    listed = lims.get("/api/v1/inspection/orders?state=testing").json()
    assert [o["number"] for o in listed["results"]] == [order.number]
    body = {"results": [{"item": "甲醛释放量", "value": "0.2", "unit": "mg/m³", "limit": "≤0.5"},
                        {"item": "含水率", "value": "9", "unit": "%", "limit": "3~13"}]}
    url = f"/api/v1/inspection/orders/{order.number}/results"
    first = lims.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 200, first.content
    again = lims.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.json() == first.json()
    t = lims.post(f"/api/v1/inspection/orders/{order.number}/transitions", {"action": "submit_results"},
                  content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert t.json()["state"] == "results_entered"
    t2 = lims.post(f"/api/v1/inspection/orders/{order.number}/transitions", {"action": "submit_results"},
                   content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert t2.status_code == 200  # replayed, not refused as a second transition
    refused = lims.post(f"/api/v1/inspection/orders/{order.number}/transitions", {"action": "submit_results"},
                        content_type="application/json")
    assert refused.status_code == 400 and "不能执行" in refused.json()["detail"]


def test_a_result_without_a_unit_is_a_400_with_the_field(w):
    order = f.order_in("testing", w)
    lims = client(w["users"][Role.PROVIDER_STAFF])
    r = lims.post(f"/api/v1/inspection/orders/{order.number}/results",
                  {"results": [{"item": "含水率", "value": "9", "limit": "3~13"}]}, content_type="application/json")
    assert r.status_code == 400 and "unit" in r.json()["errors"]
    assert OrderItem.objects.get(order=order, item="含水率").value == ""


def test_a_duplicate_order_submission_creates_one_order(w):
    ent = client(w["users"][Role.ENTERPRISE_MEMBER])
    body = {"product_name": "刨花板", "items": f.ITEMS}
    a = ent.post("/api/v1/inspection/orders", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc")
    b = ent.post("/api/v1/inspection/orders", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc")
    assert a.status_code == b.status_code == 201 and a.json()["number"] == b.json()["number"]
    assert Order.objects.count() == 1


def test_another_lab_cannot_read_or_write_the_order(w):
    other_lab = f.lab("别家检测所")
    from qualitycity.core.tests import factories as core

    stranger = core.user("stranger_lab", role=Role.PROVIDER_STAFF, org=other_lab)
    order = f.order_in("testing", w)
    c = client(stranger)
    assert c.get(f"/api/v1/inspection/orders/{order.number}").status_code == 404
    assert c.post(f"/api/v1/inspection/orders/{order.number}/results", {"results": []},
                  content_type="application/json").status_code == 404
    assert client(w["outsider"]).get(f"/api/v1/inspection/orders/{order.number}").status_code == 404
    district = client(w["users"][Role.DISTRICT_OFFICER])
    assert district.get(f"/api/v1/inspection/orders/{order.number}").status_code == 200
