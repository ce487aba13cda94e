import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from qualitycity.core.tests import factories as core

from .. import services
from ..models import Dataset, Publication
from ..privacy import looks_like_home_address, looks_like_person_name, personal_findings
from .test_views import published

pytestmark = pytest.mark.django_db
BY = services.audit.Actor.system("test")


def test_the_open_data_api_answers_429_past_its_rate_limit():
    cache.clear()
    published()
    client = Client()
    codes = [client.get("/api/v1/open/datasets").status_code for _ in range(121)]
    assert codes[:120] == [200] * 120 and codes[120] == 429
    # the limit is per visitor: another address is still served
    assert Client(REMOTE_ADDR="10.0.0.9").get("/api/v1/open/datasets").status_code == 200
    cache.clear()


def test_report_tables_are_headed_by_the_data_dictionary_descriptions():
    pub = published()
    page = Client().get(pub.url).content.decode()
    assert '<th scope="col">企业</th>' in page and '<th scope="col">结论</th>' in page
    assert '<th scope="col">enterprise</th>' not in page and 'data-label="结论">合格<' in page


def test_a_module_report_that_is_published_through_the_portal_is_listed_once():
    from qualitycity.surveys.models import Project

    Project.objects.create(number="SV202506300001", title="2025年物业服务满意度测评", published=True,
                           published_at=timezone.now(), target_kind="industry", year=2025,
                           starts_on=dt.date(2025, 5, 1), ends_on=dt.date(2025, 6, 30))
    from ..sources import ModuleReport, _in_portal

    assert "/surveys/results/SV202506300001/" in Client().get("/portal/reports/").content.decode()
    published(series="survey-report-2025", kind="satisfaction", source_module="surveys",
              title="2025年物业服务满意度测评")
    archive = Client().get("/portal/reports/").content.decode()
    assert archive.count("2025年物业服务满意度测评") == 1 and "/surveys/results/SV202506300001/" not in archive
    report = ModuleReport("2025年物业服务满意度测评", "satisfaction", "", 2025, "/x/", "", None, "SV202506300001",
                          "surveys")
    assert _in_portal(report, [("satisfaction-sv202506300001", "surveys", "另一个标题")])
    assert not _in_portal(report, [("satisfaction-sv202506300001", "indices", "另一个标题")])


def test_the_home_page_counts_only_what_was_published():
    from qualitycity.brands.tests.factories import certified

    area = core.area()
    certified(core.organization(in_area=area), today=dt.date.today() - dt.timedelta(days=10))
    home = Client().get("/portal/").content.decode()
    assert "<div class=\"num\">—</div><div class=\"label\">有效武汉名品证书" in home
    services_pub = services.prepare_publication(
        by=BY, series="brand-registry-2026", kind="brand_registry", title="名品公示", year=2026, source_module="brands",
        rows=[{"district": area.name, "valid_certificates": 7}],
        dictionary=[{"field": "district", "type": "string", "description": "区"},
                    {"field": "valid_certificates", "type": "integer", "description": "有效名品证书数"}])
    services.approve(by=BY, publication=services_pub)
    services.publish(by=BY, publication=services_pub)
    index = services.prepare_publication(by=BY, series="quality-index-2025", kind="quality_index",
                                         title="2025年质量发展指数", year=2025, source_module="indices",
                                         summary="全市质量发展指数 82.4，比上年提高 1.2。各区排名见正文。")
    services.approve(by=BY, publication=index)
    services.publish(by=BY, publication=index)
    home = Client().get("/portal/").content.decode()
    assert "<div class=\"num\">7</div>" in home and "全市质量发展指数 82.4，比上年提高 1.2" in home


def test_the_portal_offers_a_way_to_take_part_in_a_survey():
    from qualitycity.surveys.models import Project

    today = dt.date.today()
    Project.objects.create(number="SV1", title="2026年公共交通满意度测评", status="collecting", target_kind="industry",
                           year=today.year, starts_on=today - dt.timedelta(days=5), ends_on=today + dt.timedelta(days=5))
    Project.objects.create(number="SV2", title="已结束的测评", status="closed", target_kind="industry", year=today.year,
                           starts_on=today - dt.timedelta(days=50), ends_on=today - dt.timedelta(days=5))
    assert "/portal/surveys/" in Client().get("/portal/").content.decode()
    page = Client().get("/portal/surveys/").content.decode()
    assert "2026年公共交通满意度测评" in page and "已结束的测评" not in page


@pytest.mark.parametrize("value", ["张伟", "李娜女士", "联系人：王芳", "欧阳先生"])
def test_person_names_are_found_by_value(value):
    assert looks_like_person_name(value)
    assert "疑似自然人姓名" in personal_findings([{"enterprise": value}])[0]


@pytest.mark.parametrize("value", ["武汉钢铁有限公司", "洪山区", "江汉区", "合格", "不合格", "电线电缆", "人造板", "泄漏电流",
                                   "黄金饰品", "石油", "高新区", "武汉市市场监督管理局", "2026-07-01", "光谷大道77号"])
def test_company_district_and_product_names_are_not_mistaken_for_personal_data(value):
    assert personal_findings([{"enterprise": value}]) == []


def test_a_home_address_is_found_by_value():
    assert looks_like_home_address("洪山区珞喻路1号3栋2单元501室")
    assert "疑似个人住址" in personal_findings([{"note": "住在洪山区珞喻路1号3栋2单元501室"}])[0]


def test_every_dataset_kind_the_modules_build_is_free_of_personal_data():
    """The demo city with the complaints, inspection-derived sampling and 名品 data, then every
    builder the portal has: nothing personal in any dataset it publishes."""
    from qualitycity.brands import demo as brands_demo
    from qualitycity.brands.tests.factories import inspected
    from qualitycity.complaints import demo as complaints_demo
    from qualitycity.core.models import Organization, OrgKind
    from qualitycity.demo.generator import build_demo_city

    from .. import demo

    build_demo_city(seed=5)
    complaints_demo.load_demo(seed=5, scale=1, stdout=io.StringIO())
    brands_demo.load_demo(seed=5, scale=1, stdout=io.StringIO())
    year, q = (dt.date.today().year - 1, 4) if dt.date.today().month <= 3 else (dt.date.today().year,
                                                                                (dt.date.today().month - 1) // 3)
    day = dt.date(year, 3 * q - 1, 15)
    for i, firm in enumerate(Organization.objects.filter(kind=OrgKind.ENTERPRISE).order_by("id")[:40]):
        inspected(firm, passed=i % 7 != 0, tested_on=day)
    demo.load_demo(seed=5, scale=1, stdout=io.StringIO())
    kinds = set(Publication.objects.values_list("kind", flat=True))
    assert {"sampling_results", "brand_registry", "complaint_bulletin"} <= kinds
    for dataset in Dataset.objects.all():
        assert personal_findings(dataset.rows, dataset.dictionary) == [], dataset.slug
        assert dataset.rows and {f["field"] for f in dataset.dictionary} >= {k for r in dataset.rows for k in r}
    for module in ("surveys", "indices"):  # their builders, once they publish through the portal
        try:
            sources = __import__(f"qualitycity.{module}.portal_sources", fromlist=["datasets"])
        except ModuleNotFoundError:
            continue
        for rows, dictionary in getattr(sources, "datasets", lambda: [])():
            assert personal_findings(rows, dictionary) == [], module
