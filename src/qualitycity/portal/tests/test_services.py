import pytest

from qualitycity.core.errors import DomainError
from qualitycity.core.services.audit import Actor

from .. import services
from ..models import Dataset, Publication, PublicationStatus
from ..privacy import personal_findings

pytestmark = pytest.mark.django_db
BY = Actor.system("test")
DICT = [{"field": "enterprise", "type": "string", "description": "企业"},
        {"field": "result", "type": "string", "description": "结论"}]


def prepare(**kw):
    args = {"by": BY, "series": "sampling-2026q3", "kind": "sampling_results", "title": "抽查结果", "year": 2026,
            "source_module": "inspection", "rows": [{"enterprise": "甲公司", "result": "合格"}], "dictionary": DICT}
    args.update(kw)
    return services.prepare_publication(**args)


def test_only_an_approved_report_can_be_published():
    pub = prepare()
    with pytest.raises(DomainError, match="尚未经市质量强市办审批"):
        services.publish(by=BY, publication=pub)
    assert Publication.objects.get().status == PublicationStatus.DRAFT
    services.approve(by=BY, publication=pub)
    assert services.publish(by=BY, publication=pub).status == PublicationStatus.PUBLISHED


def test_a_correction_is_a_new_version_and_the_old_stays_visible_as_superseded():
    first = prepare()
    services.approve(by=BY, publication=first)
    services.publish(by=BY, publication=first)
    second = prepare(rows=[{"enterprise": "甲公司", "result": "不合格"}], correction_note="结论更正")
    assert second.version == 2
    services.approve(by=BY, publication=second)
    services.publish(by=BY, publication=second)
    first.refresh_from_db()
    assert first.status == PublicationStatus.SUPERSEDED and first.is_public
    assert Dataset.objects.count() == 2


@pytest.mark.parametrize(
    ("rows", "dictionary", "message"),
    [
        ([{"enterprise": "甲公司", "contact_phone": "x"}], None, "个人信息"),
        ([{"enterprise": "甲公司", "result": "请致电 13812345678"}], DICT, "电话号码"),
        ([{"enterprise": "420106199001011234", "result": "合格"}], DICT, "身份证号码"),
        ([{"enterprise": "甲公司", "result": "合格", "note": "x"}], DICT, "缺少字段说明"),
    ],
)
def test_personal_or_undocumented_data_is_refused_before_anything_is_written(rows, dictionary, message):
    with pytest.raises(DomainError, match=message):
        prepare(rows=rows, dictionary=dictionary if dictionary is not None else [])
    assert not Publication.objects.exists()


def test_credit_codes_of_enterprises_are_not_mistaken_for_id_numbers():
    assert personal_findings([{"credit_code": "914403001922038216"}]) == []
