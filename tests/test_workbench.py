"""The home-page workbench: each person sees their own open work from every module, and
never another firm's."""

import datetime as dt

import pytest
from django.test import Client

from qualitycity.complaints.tests import factories as complaint_factories
from qualitycity.consult.models import Case
from qualitycity.consult.tests import factories as consult_factories
from qualitycity.core.models import Role
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core_factories
from qualitycity.core.tests.authz import client_for
from qualitycity.inspection.services import orders
from qualitycity.inspection.tests import factories as inspection_factories
from qualitycity.standards.models import Standard
from qualitycity.standards.reference import ensure_code_tables
from qualitycity.standards.services import follows
from qualitycity.standards.tests.factories import CATALOGUE, load, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = consult_factories.world()
    inspection_factories.lab(org=w["orgs"]["lab"])
    w["reviewer"] = core_factories.user("reviewer_u", role=Role.PROVIDER_STAFF, org=w["orgs"]["lab"])
    w["order"] = inspection_factories.order_in("requested", w)
    w["case"] = consult_factories.ask(w)
    return w


def home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_enterprise_sees_its_orders_and_questions_with_the_next_step(w):
    page = home(client_for(w, Role.ENTERPRISE_MEMBER))
    assert w["order"].number in page and w["case"].number in page
    assert "一键送检" in page and "问专家" in page and "/consult/ask/" in page


def test_another_firm_sees_none_of_it(w):
    outsider = Client()
    outsider.force_login(w["outsider"])
    page = home(outsider)
    assert w["order"].number not in page and w["case"].number not in page
    assert "还没有检验订单" in page


def test_the_lab_sees_the_new_request_until_it_is_accepted(w):
    lab_user = w["users"][Role.PROVIDER_STAFF]
    assert w["order"].number in home(client_for(w, Role.PROVIDER_STAFF))
    orders.transition(by=inspection_factories.actor(lab_user), order=w["order"], action="accept", quote="800")
    assert w["order"].number not in home(client_for(w, Role.PROVIDER_STAFF))


def test_the_expert_sees_the_case_waiting_for_their_answer(w):
    case = Case.objects.get(pk=w["case"].pk)
    assert (case.status, case.expert_id) == (Case.Status.ASSIGNED, w["expert"].pk)  # matched on cable testing
    assert case.number in home(client_for(w, Role.EXPERT))
    other = Client()
    other.force_login(w["other_expert_user"])
    assert case.number not in home(other)


def test_the_home_page_query_count_does_not_grow_with_the_work(w, django_assert_max_num_queries):
    client = client_for(w, Role.ENTERPRISE_MEMBER)
    home(client)
    for _ in range(5):
        inspection_factories.order_in("requested", w)
    with django_assert_max_num_queries(40):
        home(client)


def test_a_followed_standard_about_to_be_abolished_comes_first_with_its_date():
    ensure_code_tables()
    w = core_factories.role_users()
    ends = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    load(CATALOGUE + [row("QB/T 9999-2010", "即将废止的示例标准", 废止日期=ends)])
    member = Actor(user=w["users"][Role.ENTERPRISE_MEMBER])
    for number in ("GB/T 19001-2016", "QB/T 9999-2010"):
        follows.follow(by=member, standard=Standard.objects.get(number=number))
    page = home(client_for(w, Role.ENTERPRISE_MEMBER))
    assert page.index("QB/T 9999-2010") < page.index("GB/T 19001-2016")
    assert f"{ends} 起失效" in page
    outsider = Client()
    outsider.force_login(w["outsider"])
    assert "QB/T 9999-2010" not in home(outsider)


def test_a_citizens_demand_shows_on_their_home_and_on_the_handling_departments():
    w = complaint_factories.world()
    citizen = w["users"][Role.CITIZEN]
    mine = complaint_factories.demand(w, by=Actor(user=citizen))
    citizen_client = client_for(w, Role.CITIZEN)
    page = home(citizen_client)
    assert mine.number in page and "我要反映问题" in page
    assert citizen_client.get(f"/complaints/d/{mine.number}/", follow=True).status_code == 200  # to the public view
    other_citizen = core_factories.user("citizen2_u", role=Role.CITIZEN)
    stranger = Client()
    stranger.force_login(other_citizen)
    assert mine.number not in home(stranger)
    assert mine.number in home(client_for(w, Role.DEPARTMENT_OFFICER))  # the food rule routes to this department
