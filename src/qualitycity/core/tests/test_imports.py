import io

import pytest
from openpyxl import Workbook

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import AuditEvent, Organization
from qualitycity.core.services.audit import Actor
from qualitycity.core.services.imports import import_organizations
from qualitycity.core.tabular import write_csv

from . import factories

pytestmark = pytest.mark.django_db
HEADER = ["名称", "统一社会信用代码", "所在区", "行业代码", "从业人员", "营业收入(万元)"]


def run(content: bytes, filename="firms.csv"):
    return import_organizations(by=Actor.system("test"), category="enterprise", filename=filename, content=content)


def test_a_clean_csv_imports_every_row():
    factories.area()
    rows = [["甲公司", factories.valid_code(), "洪山区", "38", "30", "500"], ["乙公司", factories.valid_code(), "420111", "C39", "", ""]]
    report = run(write_csv(HEADER, rows))
    assert (report.created, report.updated) == (2, 0)
    assert Organization.objects.get(name="乙公司").industry.code == "39"
    assert AuditEvent.objects.filter(action="organization.import_create").count() == 2


def test_one_bad_row_imports_nothing_and_every_problem_is_listed():
    factories.area()
    code = factories.valid_code()
    rows = [
        ["甲公司", code, "洪山区", "38", "30", "500"],
        ["乙公司", "91420111MA4K12345X", "火星区", "38", "abc", ""],
        ["丙公司", code, "洪山区", "99", "", ""],
    ]
    with pytest.raises(ImportRejected) as caught:
        run(write_csv(HEADER, rows))
    problems = {(p["line"], p["column"]) for p in caught.value.problems}
    assert problems == {(3, "统一社会信用代码"), (3, "所在区"), (3, "从业人员"), (4, "行业代码"), (4, "统一社会信用代码")}
    assert not Organization.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_missing_required_column_is_reported():
    with pytest.raises(ImportRejected) as caught:
        run(write_csv(["名称"], [["甲公司"]]))
    assert {p["column"] for p in caught.value.problems} == {"统一社会信用代码", "所在区", "行业代码"}


def test_excel_imports_and_reimport_updates_by_credit_code():
    factories.area()
    code = factories.valid_code()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["甲公司", code, "洪山区", 38, 30, 500])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run(buffer.getvalue(), "firms.xlsx").created == 1
    again = run(write_csv(HEADER, [["甲公司（更名）", code, "洪山区", "38", "30", "500"]]))
    assert (again.created, again.updated) == (0, 1)
    assert Organization.objects.get(credit_code=code).name == "甲公司（更名）"


def test_an_unsupported_file_type_is_refused():
    with pytest.raises(DomainError, match="请上传 .csv 或 .xlsx"):
        run(b"%PDF-1.4", "firms.pdf")


def test_an_export_imports_back_unchanged_keeping_masked_phones():
    from django.test import Client

    from qualitycity.core.models import Role

    firm = factories.organization(name="往返企业有限公司", contact_phone="13812345678", address="光谷大道1号")
    city = factories.organization("city_office", name="市质量强市办", industry=None)
    staff = factories.user("exporter", role=Role.CITY_OFFICE, org=city)
    client = Client()
    client.force_login(staff)
    exported = client.get("/directory/export/enterprise.xlsx")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    report = import_organizations(by=Actor.system("t"), category="enterprise", filename="e.xlsx", content=exported.content)
    assert (report.created, report.updated) == (0, 1)
    firm.refresh_from_db()
    assert firm.contact_phone == "13812345678" and firm.address == "光谷大道1号"


@pytest.mark.parametrize("category, kind, fmt", [
    ("provider", "testing_lab", "csv"), ("provider", "metrology", "xlsx"),
    ("government", "department", "csv"), ("government", "district_gov", "xlsx"),
])
def test_providers_and_departments_export_and_import_back(category, kind, fmt):
    from django.test import Client

    from qualitycity.core.models import Role

    world = factories.role_users()
    org = factories.organization(kind, name="往返测试机构", industry=None, cma_number="CMA-2026-01", address="洪山路 1 号")
    client = Client()
    client.force_login(world["users"][Role.CITY_OFFICE])
    exported = client.get(f"/directory/export/{category}.{fmt}").content
    before = Organization.objects.count()
    report = import_organizations(by=Actor.system("test"), category=category, filename=f"x.{fmt}", content=exported)
    assert report.created == 0 and report.updated >= 1 and Organization.objects.count() == before
    org.refresh_from_db()
    assert org.kind == kind and org.address == "洪山路 1 号" and org.name == "往返测试机构"
    assert AuditEvent.objects.filter(action="organization.import_update", object_id=str(org.pk)).exists()


def test_a_provider_file_with_a_bad_kind_imports_nothing():
    factories.area()
    header = ["名称", "类型", "统一社会信用代码", "所在区"]
    rows = [["好检测公司", "检验检测机构", factories.valid_code(), "洪山区"], ["坏检测公司", "饭店", factories.valid_code(), "洪山区"]]
    with pytest.raises(ImportRejected) as err:
        import_organizations(by=Actor.system("t"), category="provider", filename="p.csv", content=write_csv(header, rows))
    assert err.value.problems == [{"line": 3, "column": "类型", "message": "不支持的取值“饭店”"}]
    assert not Organization.objects.filter(name__endswith="检测公司").exists() and not AuditEvent.objects.exists()
