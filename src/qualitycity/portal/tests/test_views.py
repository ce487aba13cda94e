import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core

from .. import services
from ..models import CorrectionRequest
from .test_services import prepare

pytestmark = pytest.mark.django_db
BY = Actor.system("test")


def published(**kw):
    pub = prepare(**kw)
    services.approve(by=BY, publication=pub)
    return services.publish(by=BY, publication=pub)


def test_the_portal_shows_published_reports_only():
    published(title="已发布的抽查结果")
    prepare(series="draft-series", title="尚未审批的报告")
    home = Client().get("/portal/").content.decode()
    assert "已发布的抽查结果" in home and "尚未审批的报告" not in home
    reports = Client().get("/portal/reports/").content.decode()
    assert "已发布的抽查结果" in reports and "尚未审批的报告" not in reports
    assert Client().get("/portal/reports/draft-series/v1/").status_code == 404


def test_superseded_versions_stay_visible_and_point_to_the_new_one():
    published()
    published(correction_note="更正")
    old = Client().get("/portal/reports/sampling-2026q3/v1/").content.decode()
    assert "此版本已被更正版本取代" in old and "/portal/reports/sampling-2026q3/v2/" in old


def test_datasets_download_as_csv_and_json():
    pub = published()
    slug = pub.dataset.slug
    csv_body = Client().get(f"/portal/open-data/{slug}.csv").content.decode("utf-8-sig")
    assert csv_body.splitlines()[0] == "enterprise,result" and "甲公司,合格" in csv_body
    body = Client().get(f"/portal/open-data/{slug}.json").json()
    assert body["license"] and body["dictionary"][0]["field"] == "enterprise" and body["rows"][0]["result"] == "合格"


def test_open_data_api_paginates_and_explains_bad_paging():
    pub = published(rows=[{"enterprise": f"企业{i}", "result": "合格"} for i in range(25)])
    api = Client()
    page = api.get(f"/api/v1/open/datasets/{pub.dataset.slug}?page=3&page_size=10").json()
    assert page["count"] == 25 and [r["enterprise"] for r in page["results"]] == [f"企业{i}" for i in range(20, 25)]
    for query, message in [("page=0", "不小于 1"), ("page=abc", "不小于 1"), ("page_size=1000", "1–500"),
                           ("page=9&page_size=10", "超出范围")]:
        response = api.get(f"/api/v1/open/datasets/{pub.dataset.slug}?{query}")
        assert response.status_code == 400 and message in response.json()["detail"], query
    assert api.get("/api/v1/open/datasets/nope").status_code == 404
    assert [d["slug"] for d in api.get("/api/v1/open/datasets").json()] == [pub.dataset.slug]


def test_a_correction_request_is_recorded_without_publishing_the_contact():
    pub = published()
    response = Client().post(f"/portal/reports/{pub.series}/v1/correction/",
                             {"entry": "甲公司", "reason": "该批次复检合格", "contact": "13812345678"})
    assert response.status_code == 302
    assert CorrectionRequest.objects.get().contact == "13812345678"
    assert "13812345678" not in Client().get(f"/portal/reports/{pub.series}/v1/").content.decode()
    refused = Client().post(f"/portal/reports/{pub.series}/v1/correction/", {"entry": "", "reason": ""})
    assert "请写明有误的条目和理由" in refused.content.decode() and CorrectionRequest.objects.count() == 1


@pytest.mark.parametrize("role", sorted(set(Role)) + ["anonymous"])
def test_only_the_city_office_runs_the_publishing_desk(role):
    world = core.role_users()
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    expected = 200 if role in (Role.CITY_OFFICE, Role.SYSTEM_ADMIN) else (302 if role == "anonymous" else 403)
    assert client.get("/portal/desk/").status_code == expected
    assert client.get("/portal/").status_code == 200


def test_reports_published_by_other_modules_are_listed():
    import datetime as dt

    from django.utils import timezone

    from qualitycity.surveys.models import Project

    common = {"target_kind": "industry", "year": 2025, "starts_on": dt.date(2025, 5, 1), "ends_on": dt.date(2025, 6, 30)}
    Project.objects.create(number="SV202506300001", title="2025年物业服务满意度测评", published=True,
                           published_at=timezone.now(), **common)
    Project.objects.create(number="SV202506300002", title="未发布的测评", **common)
    archive = Client().get("/portal/reports/").content.decode()
    assert "2025年物业服务满意度测评" in archive and "/surveys/results/SV202506300001/" in archive
    assert "未发布的测评" not in archive
    assert "2025年物业服务满意度测评" in Client().get("/portal/").content.decode()


def test_every_published_report_downloads_as_a_pdf():
    pub = published(charts=[{"title": "合格率", "type": "bar", "labels": ["电线电缆"], "values": [96.5]}])
    response = Client().get(f"/portal/reports/{pub.series}/v1/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert b"WenQuanYi" in _inflated(response.content)  # the CJK font is embedded
    assert Client().get("/portal/reports/draft-only/v1/report.pdf").status_code == 404


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its Flate streams decompressed, so object names can be searched."""
    import re
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)
