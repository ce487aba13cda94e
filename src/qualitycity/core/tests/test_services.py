import pytest

from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent, Organization
from qualitycity.core.services import directory
from qualitycity.core.services.audit import Actor

from . import factories

pytestmark = pytest.mark.django_db


def payload(**overrides):
    data = {
        "name": "武汉测试电气有限公司",
        "credit_code": factories.valid_code(),
        "area": "洪山区",
        "industry": "38",
        "employees": "120",
        "annual_revenue": "8000",
    }
    data.update(overrides)
    return data


def test_it_creates_an_enterprise_with_its_size_class_and_an_audit_event():
    factories.area()
    org = directory.create_organization(by=Actor.system("test"), category="enterprise", data=payload())
    assert org.size_class == "small"  # industry: 120 staff and 8,000万 revenue meet 小型 (20/300) but not 中型 (300/2000)
    event = AuditEvent.objects.get(action="organization.create")
    assert event.object_id == str(org.pk)
    assert event.changes["name"] == [None, "武汉测试电气有限公司"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "91420111MA4K12345X", "第 18 位校验码错误"),
        ("area", "火星区", "未知的区“火星区”"),
        ("industry", "99", "未知的行业代码“99”"),
        ("employees", "-3", "非负整数"),
        ("founded_on", "昨天", "不是日期"),
    ],
)
def test_bad_fields_get_a_specific_message_and_write_nothing(field, value, message):
    factories.area()
    with pytest.raises(DomainError) as caught:
        directory.create_organization(by=Actor.system("test"), category="enterprise", data=payload(**{field: value}))
    assert message in caught.value.errors[field]
    assert not Organization.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_duplicate_credit_code_is_refused_naming_its_holder():
    existing = factories.organization(name="先到企业有限公司")
    with pytest.raises(DomainError, match="已被“先到企业有限公司”使用"):
        directory.create_organization(
            by=Actor.system("test"), category="enterprise", data=payload(credit_code=existing.credit_code)
        )
    assert Organization.objects.count() == 1


def test_update_records_only_the_changed_fields():
    org = factories.organization()
    directory.update_organization(by=Actor.system("test"), organization=org, data={"address": "珞喻路1号"})
    event = AuditEvent.objects.get(action="organization.update")
    assert event.changes == {"address": ["", "珞喻路1号"]}


def test_a_failing_audit_write_rolls_back_the_change(monkeypatch):
    factories.area()

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(directory.audit, "record", broken)
    with pytest.raises(RuntimeError):
        directory.create_organization(by=Actor.system("test"), category="enterprise", data=payload())
    assert not Organization.objects.exists()


def test_numbers_are_prefixed_dated_and_sequential():
    import datetime as dt

    from django.db import transaction

    from qualitycity.core.numbering import next_number

    with transaction.atomic():
        first = next_number("MP", day=dt.date(2026, 11, 26))
        second = next_number("MP", day=dt.date(2026, 11, 26))
        other_day = next_number("MP", day=dt.date(2026, 11, 27))
    assert (first, second, other_day) == ("MP202611260001", "MP202611260002", "MP202611270001")
