import pytest

from qualitycity.core.models import Organization, OrgKind
from qualitycity.core.pagination import CappedPaginator

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven():
    for i in range(7):
        factories.organization(OrgKind.ENTERPRISE, name=f"分页企业{i}")
    return Organization.objects.filter(name__startswith="分页企业").order_by("name")


def test_a_long_list_is_counted_only_up_to_the_cap(seven):
    paginator = CappedPaginator(seven, 2, cap=5)
    assert paginator.count == 6 and paginator.capped and paginator.num_pages == 3
    assert [o.name for o in paginator.page(3)] == ["分页企业4", "分页企业5"]


def test_a_short_list_gets_its_exact_count(seven):
    paginator = CappedPaginator(seven, 2, cap=50)
    assert paginator.count == 7 and not paginator.capped and paginator.num_pages == 4
    assert [o.name for o in paginator.page(4)] == ["分页企业6"]
