"""The city statistics, figure by figure, on a small set of orders whose answers are worked
out by hand; and the histogram percentile against numpy's."""

import datetime as dt
import random

import numpy as np
import pytest

from qualitycity.core.models import Industry, OrgKind, Role
from qualitycity.core.tests import factories as core

from ..models import Order, OrderItem
from ..selectors import percentile_from_counts, statistics
from ..services.catalogue import today
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """Ten orders. Lab A (洪山区) and lab B (江岸区); ``own`` is a 洪山区 firm in a 洪山区
    park (industry 38), ``other`` a 江岸区 firm (industry 13)."""
    w = f.world()
    own, other = w["orgs"]["own"], w["orgs"]["other"]
    other.industry = Industry.objects.get(code="13")
    other.save()
    park = core.organization(OrgKind.PARK, name="测试光谷园区", in_area=w["areas"]["hongshan"], industry=None)
    own.park = park
    own.save()
    lab_a = w["orgs"]["lab"]
    lab_b = core.organization(OrgKind.TESTING_LAB, name="江岸检测所", in_area=w["areas"]["jiangan"], industry=None)
    rows = [
        # enterprise, lab, state, category, days used, promised, rating, failed, due_on
        (own, lab_a, "rated", "人造板", 3, 5, 5, False, None),
        (own, lab_a, "issued", "人造板", 6, 5, None, True, None),
        (own, lab_a, "rated", "儿童服装", 5, 5, 4, False, None),
        (other, lab_a, "issued", "儿童服装", 8, 7, None, True, None),
        (other, lab_b, "rated", "人造板", 2, 3, 3, False, None),
        (other, lab_b, "reviewed", "人造板", None, 5, None, True, None),
        (own, lab_b, "testing", "电线电缆", None, 5, None, False, today() - dt.timedelta(days=3)),
        (other, lab_b, "requested", "电线电缆", None, 5, None, False, None),
        (own, lab_a, "accepted", "人造板", None, 5, None, False, None),
        (own, lab_b, "declined", "电线电缆", None, 5, None, False, None),
    ]
    for n, (ent, lab, state, category, used, promised, rating, fails, due) in enumerate(rows, start=1):
        order = Order.objects.create(number=f"JY20990101{n:04d}", enterprise=ent, lab=lab, product_name=category,
                                     product_category=category, state=state, turnaround_days=promised,
                                     working_days_used=used, rating=rating, due_on=due)
        OrderItem.objects.create(order=order, item="外观", passed=None if state in ("requested", "accepted") else True)
        if fails:
            OrderItem.objects.create(order=order, item="甲醛释放量", passed=False)
    return w


def test_every_figure_of_the_city_statistics(city):
    s = statistics(city["users"][Role.CITY_OFFICE])
    assert s["total"] == 10
    assert s["district"] == [
        {"name": "洪山区", "n": 6, "reviewed": 3, "pass_rate": pytest.approx(200 / 3)},
        {"name": "江岸区", "n": 4, "reviewed": 3, "pass_rate": pytest.approx(100 / 3)},
    ]
    industry_38, industry_13 = (Industry.objects.get(code=c).name for c in ("38", "13"))
    assert s["industry"] == [
        {"name": industry_38, "n": 6, "reviewed": 3, "pass_rate": pytest.approx(200 / 3)},
        {"name": industry_13, "n": 4, "reviewed": 3, "pass_rate": pytest.approx(100 / 3)},
    ]
    assert s["category"] == [
        {"name": "人造板", "n": 5, "reviewed": 4, "pass_rate": 50.0},
        {"name": "电线电缆", "n": 3, "reviewed": 0, "pass_rate": None},
        {"name": "儿童服装", "n": 2, "reviewed": 2, "pass_rate": 50.0},
    ]
    # days used 3, 6, 5, 8, 2 against promises 5, 5, 5, 7, 3
    assert s["turnaround"] == {"median": 5.0, "p90": pytest.approx(7.2), "promise_median": 5.0, "on_time": 60.0}
    assert s["turnaround"]["p90"] == np.percentile([3, 6, 5, 8, 2], 90)
    assert s["labs"] == [
        {"name": "测试检测有限公司", "n": 4, "median": 5.5, "p90": pytest.approx(7.4), "late_pct": 50.0, "rating": 4.5},
        {"name": "江岸检测所", "n": 1, "median": 2.0, "p90": 2.0, "late_pct": 0.0, "rating": 3.0},
    ]
    assert s["parks"] == [{"enterprise__park__name": "测试光谷园区", "n": 6, "in_district": 4}]
    assert [(o.number, o.clock["flag"]) for o in s["flagged"]] == [("JY209901010007", "overdue")]


def test_a_district_officer_gets_the_same_figures_for_their_district_only(city):
    s = statistics(city["users"][Role.DISTRICT_OFFICER])
    assert s["total"] == 6
    assert [r["name"] for r in s["district"]] == ["洪山区"]
    assert s["turnaround"] == {"median": 5.0, "p90": pytest.approx(5.8), "promise_median": 5.0,
                               "on_time": pytest.approx(200 / 3)}
    assert [(lab["name"], lab["n"]) for lab in s["labs"]] == [("测试检测有限公司", 3)]


def test_no_finished_orders_gives_empty_figures_not_errors(db):
    w = core.role_users()
    s = statistics(w["users"][Role.CITY_OFFICE])
    assert s["total"] == 0 and s["labs"] == [] and s["district"] == []
    assert s["turnaround"] == {"median": None, "p90": None, "promise_median": None, "on_time": None}


@pytest.mark.parametrize("seed", range(25))
def test_the_histogram_percentile_is_numpys_to_the_last_bit(seed):
    rng = random.Random(seed)
    values = [rng.randint(0, 30) for _ in range(rng.randint(1, 400))]
    counts = {v: values.count(v) for v in set(values)}
    for q in (0, 10, 25, 50, 75, 90, 95, 99, 100):
        assert percentile_from_counts(counts, q) == float(np.percentile(values, q)), (seed, q)
    assert percentile_from_counts({}, 50) is None
