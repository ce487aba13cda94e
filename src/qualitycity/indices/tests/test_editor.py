"""The framework editor: creating a framework, editing and deleting groups and indicators,
district groups, and the years offered (services, audit, pages)."""

import pytest

from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent

from ..models import Framework, Group, Indicator, Value
from ..services import frameworks
from . import factories

pytestmark = pytest.mark.django_db
BY = factories.SYSTEM


def test_a_framework_is_created_from_the_page_and_a_bad_code_is_refused(office):
    c = office["c"]
    r = c.post("/indices/new/", {"code": "wh-2027", "name": "新指数", "description": "说明"})
    fw = Framework.objects.get(code="wh-2027")
    assert r.status_code == 302 and r["Location"] == f"/indices/f/{fw.pk}/"
    assert AuditEvent.objects.filter(action="indices.framework.create", object_id=str(fw.pk)).exists()
    page = c.post("/indices/new/", {"code": "带 空格", "name": ""}).content.decode()
    assert "代码只能由字母" in page and "请填写名称" in page
    assert Framework.objects.count() == 2  # the factory's and the new one: nothing half-made


def test_a_group_is_renamed_reweighted_and_moved_under_another_dimension():
    fw, _, _ = factories.framework()
    product, infra, std = (fw.groups.get(code=c) for c in ("product", "infra", "std"))
    frameworks.update_group(by=BY, group=std, name="标准化", weight=0.4, parent=product)
    std.refresh_from_db()
    assert (std.name, std.weight, std.parent_id) == ("标准化", 0.4, product.pk)
    event = AuditEvent.objects.filter(action="indices.group.update").last()
    assert event.changes["name"] == ["标准", "标准化"]
    with pytest.raises(DomainError) as err:  # a dimension with sub-groups cannot sink a level
        frameworks.update_group(by=BY, group=infra, name="x", weight=None, parent=product)
    assert "parent" in err.value.errors
    with pytest.raises(DomainError):
        frameworks.update_group(by=BY, group=std, name=" ", weight=-1, parent=None)
    std.refresh_from_db()
    assert std.name == "标准化" and std.weight == 0.4  # the refused edit changed nothing


def test_only_an_empty_group_can_be_deleted():
    fw, _, inds = factories.framework()
    lab = fw.groups.get(code="lab")
    with pytest.raises(DomainError, match="还有指标或子维度"):
        frameworks.delete_group(by=BY, group=lab)
    frameworks.delete_indicator(by=BY, indicator=inds["labs"])
    frameworks.delete_group(by=BY, group=lab)
    assert not Group.objects.filter(pk=lab.pk).exists()
    assert AuditEvent.objects.filter(action="indices.group.delete").count() == 1


def test_deleting_an_indicator_takes_its_values_and_says_how_many(office):
    c, fw, inds = office["c"], office["fw"], office["inds"]
    r = c.post(f"/indices/f/{fw.pk}/indicators/{inds['labs'].pk}/delete/", follow=True)
    assert "连同 5 个数据" in r.content.decode()
    assert not Indicator.objects.filter(pk=inds["labs"].pk).exists()
    assert not Value.objects.filter(indicator_id=inds["labs"].pk).exists()
    assert AuditEvent.objects.get(action="indices.indicator.delete").changes["values_deleted"] == 5


def test_the_editor_shows_sub_dimension_weights_and_edits_groups(office):
    c, fw = office["c"], office["fw"]
    std = fw.groups.get(code="std")
    r = c.post(f"/indices/f/{fw.pk}/groups/{std.pk}/", {"name": "标准", "weight": "0.7",
                                                         "parent": fw.groups.get(code="infra").pk})
    assert r.status_code == 302
    page = c.get(f"/indices/f/{fw.pk}/").content.decode()
    assert "权重 0.7" in page
    r = c.post(f"/indices/f/{fw.pk}/groups/{std.pk}/", {"name": "标准", "weight": "七"}, follow=True)
    assert "权重不是数字" in r.content.decode()


def test_years_come_from_the_data(office):
    c, fw = office["c"], office["fw"]
    page = c.get(f"/indices/f/{fw.pk}/").content.decode()
    assert f"/indices/f/{fw.pk}/data/2025/" in page and f"/indices/f/{fw.pk}/data/2026/" in page
    assert f"/indices/f/{fw.pk}/data/2021/" not in page  # no data, no result that year


def test_district_groups_are_saved_and_used(office):
    c, fw = office["c"], office["fw"]
    c.post(f"/indices/f/{fw.pk}/districts/", {"g_420111": "东部", "g_420106": "东部", "g_420102": ""})
    fw.refresh_from_db()
    assert fw.district_groups == {"420111": "东部", "420106": "东部"}
    assert AuditEvent.objects.filter(action="indices.framework.district_groups").exists()
