"""Liaison screens: pairing by hand, the matching proposal, visit logs and the enterprise's rating."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qualitycity.core.models import AuditEvent, Role
from qualitycity.core.tests import factories as core_factories

from ..models import Cadre, LiaisonTicket, Pairing, Rating, Visit
from ..services import liaison
from .factories import SYSTEM, world

pytestmark = pytest.mark.django_db
R = Role
YEAR = dt.date.today().year


@pytest.fixture
def w():
    w = world()
    hongshan = w["areas"]["hongshan"]
    w["cadres"] = [Cadre.objects.create(name=f"干部{i}", department=w["orgs"]["dept"], home_area=hongshan,
                                        industry_section="C") for i in range(3)]
    return w


def client(user):
    c = Client()
    c.force_login(user)
    return c


def page(response) -> str:
    return response.content.decode()


def _pair(w, enterprise, cadre=0):
    return liaison.assign(by=SYSTEM, cadre=w["cadres"][cadre], enterprise=enterprise, year=YEAR)


# ---- pairing by hand ------------------------------------------------------------------------


def test_the_city_office_pairs_a_cadre_with_an_enterprise_by_hand(w):
    own, cadre = w["orgs"]["own"], w["cadres"][1]
    city = client(w["users"][R.CITY_OFFICE])
    form = page(city.get(f"/governance/liaison/pair/?year={YEAR}&enterprise={own.pk}"))
    assert "pair-form" in form and cadre.name in form
    r = city.post("/governance/liaison/pair/", {"enterprise": own.pk, "cadre": cadre.pk, "year": YEAR})
    pairing = Pairing.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/governance/liaison/pairs/{pairing.pk}/"
    assert (pairing.cadre, pairing.enterprise, pairing.year, pairing.method) == (cadre, own, YEAR, "assigned")
    assert AuditEvent.objects.filter(action="governance.liaison.pair").count() == 1


def test_pairing_an_enterprise_that_already_has_a_cadre_says_so_and_writes_nothing(w):
    _pair(w, w["orgs"]["own"])
    r = client(w["users"][R.CITY_OFFICE]).post("/governance/liaison/pair/", {
        "enterprise": w["orgs"]["own"].pk, "cadre": w["cadres"][2].pk, "year": YEAR})
    assert r.status_code == 200 and "已有联系干部" in page(r)
    assert Pairing.objects.get().cadre == w["cadres"][0]


def test_pairing_without_choosing_a_cadre_is_refused(w):
    r = client(w["users"][R.CITY_OFFICE]).post("/governance/liaison/pair/", {
        "enterprise": w["orgs"]["own"].pk, "cadre": "", "year": YEAR})
    assert r.status_code == 200 and "请选择联系干部" in page(r)
    assert not Pairing.objects.exists()


def test_a_district_officer_pairs_only_the_enterprises_of_their_district(w):
    district = client(w["users"][R.DISTRICT_OFFICER])  # 洪山区
    listing = page(district.get("/governance/liaison/pair/"))
    assert "自有企业有限公司" in listing and "江岸他人企业有限公司" not in listing
    r = district.post("/governance/liaison/pair/", {"enterprise": w["orgs"]["other"].pk, "cadre": w["cadres"][0].pk})
    assert r.status_code == 403 and not Pairing.objects.exists()
    r = district.post("/governance/liaison/pair/", {"enterprise": w["orgs"]["own"].pk, "cadre": w["cadres"][0].pk})
    assert r.status_code == 302 and Pairing.objects.get().enterprise == w["orgs"]["own"]


@pytest.mark.parametrize("role", [R.DEPARTMENT_OFFICER, R.ENTERPRISE_MEMBER, R.CITIZEN])
def test_others_cannot_open_the_pairing_screens(w, role):
    c = client(w["users"][role])
    assert c.get("/governance/liaison/pair/").status_code == 403
    assert c.get("/governance/liaison/match/").status_code == 403
    assert c.post("/governance/liaison/pair/", {"enterprise": w["orgs"]["own"].pk,
                                                "cadre": w["cadres"][0].pk}).status_code == 403
    assert not Pairing.objects.exists()


# ---- automatic matching: propose, adjust, confirm ------------------------------------------


def _proposal(c, **params):
    r = c.get("/governance/liaison/match/", {"propose": 1, "year": YEAR, **params})
    assert r.status_code == 200
    return {row["enterprise"].pk: row["proposed"] for row in r.context["rows"]}


def test_the_matching_proposes_without_writing_and_the_confirmation_keeps_adjustments(w):
    own, other = w["orgs"]["own"], w["orgs"]["other"]
    city = client(w["users"][R.CITY_OFFICE])
    proposed = _proposal(city)
    assert {own.pk, other.pk} <= set(proposed) and not Pairing.objects.exists()
    swap = next(c for c in w["cadres"] if c.pk != proposed[other.pk])
    body = {"year": YEAR, "row": [own.pk, other.pk], f"take_{own.pk}": "on", f"take_{other.pk}": "on",
            f"proposed_{own.pk}": proposed[own.pk], f"cadre_{own.pk}": proposed[own.pk],
            f"proposed_{other.pk}": proposed[other.pk], f"cadre_{other.pk}": swap.pk}
    r = city.post("/governance/liaison/match/", body)
    assert r.status_code == 302
    pairs = {p.enterprise_id: p for p in Pairing.objects.all()}
    assert pairs[own.pk].cadre_id == proposed[own.pk] and pairs[own.pk].method == "matched"
    assert pairs[other.pk].cadre == swap and pairs[other.pk].method == "assigned"


def test_an_unticked_row_is_left_unpaired(w):
    own, other = w["orgs"]["own"], w["orgs"]["other"]
    city = client(w["users"][R.CITY_OFFICE])
    proposed = _proposal(city)
    city.post("/governance/liaison/match/", {
        "year": YEAR, "row": [own.pk, other.pk], f"take_{own.pk}": "on", f"cadre_{own.pk}": proposed[own.pk],
        f"proposed_{own.pk}": proposed[own.pk], f"cadre_{other.pk}": proposed[other.pk]})
    assert list(Pairing.objects.values_list("enterprise", flat=True)) == [own.pk]


def test_a_ticked_row_without_a_cadre_refuses_the_whole_confirmation(w):
    own, other = w["orgs"]["own"], w["orgs"]["other"]
    r = client(w["users"][R.CITY_OFFICE]).post("/governance/liaison/match/", {
        "year": YEAR, "row": [own.pk, other.pk], f"take_{own.pk}": "on", f"take_{other.pk}": "on",
        f"cadre_{own.pk}": w["cadres"][0].pk, f"cadre_{other.pk}": ""})
    assert r.status_code == 200 and "请选择联系干部" in page(r) and "proposal" in page(r)
    assert not Pairing.objects.exists()


def test_confirming_an_enterprise_paired_meanwhile_names_it_and_writes_nothing(w):
    own, other = w["orgs"]["own"], w["orgs"]["other"]
    _pair(w, own)
    r = client(w["users"][R.CITY_OFFICE]).post("/governance/liaison/match/", {
        "year": YEAR, "row": [own.pk, other.pk], f"take_{own.pk}": "on", f"take_{other.pk}": "on",
        f"cadre_{own.pk}": w["cadres"][1].pk, f"cadre_{other.pk}": w["cadres"][2].pk})
    assert r.status_code == 200 and "自有企业有限公司 在" in page(r) and "已有联系干部" in page(r)
    assert Pairing.objects.count() == 1


def test_a_district_officers_proposal_and_confirmation_stay_in_their_district(w):
    own, other = w["orgs"]["own"], w["orgs"]["other"]
    district = client(w["users"][R.DISTRICT_OFFICER])
    assert set(_proposal(district)) == {own.pk}
    r = district.post("/governance/liaison/match/", {
        "year": YEAR, "row": [other.pk], f"take_{other.pk}": "on", f"cadre_{other.pk}": w["cadres"][0].pk})
    assert r.status_code == 403 and not Pairing.objects.exists()


# ---- visits ---------------------------------------------------------------------------------


def test_the_cadres_department_logs_a_visit_and_an_issue_becomes_a_ticket(w):
    pairing = _pair(w, w["orgs"]["own"])
    day = timezone.localdate() - dt.timedelta(days=3)
    r = client(w["users"][R.DEPARTMENT_OFFICER]).post(f"/governance/liaison/pairs/{pairing.pk}/", {
        "action": "visit", "visited_on": day.isoformat(), "form": "meeting", "content": "座谈了解用工情况",
        "issue_1": "招工难", "dept_1": w["other_dept"].pk, "follow_up": "协调人社部门对接招聘会"})
    assert r.status_code == 302
    visit = Visit.objects.get()
    assert (visit.visited_on, visit.form, visit.issues_raised) == (day, "meeting", 1)
    assert visit.follow_up == "协调人社部门对接招聘会"
    ticket = LiaisonTicket.objects.get()
    assert ticket.department == w["other_dept"] and ticket.issue == "招工难"


@pytest.mark.parametrize(("fields", "message"), [
    ({"visited_on": "2099-01-01"}, "走访日期不能晚于今天"),
    ({"visited_on": "2026-13-45"}, "日期格式应为"),
    ({"content": "  "}, "请填写走访内容"),
    ({"form": "carrier-pigeon"}, "未知走访形式"),
    ({"issue_1": "融资难", "dept_1": ""}, "请选择责任部门"),
    ({"issue_2": "", "dept_2": "{enterprise}"}, "请填写问题内容"),
    ({"issue_1": "融资难", "dept_1": "{enterprise}"}, "请选择责任部门"),
])
def test_a_bad_visit_shows_the_message_and_writes_neither_visit_nor_ticket(w, fields, message):
    pairing = _pair(w, w["orgs"]["own"])
    body = {"action": "visit", "visited_on": timezone.localdate().isoformat(), "form": "onsite", "content": "走访",
            "issue_3": "用地审批慢", "dept_3": w["orgs"]["dept"].pk}
    body.update({k: str(v).format(enterprise=w["orgs"]["own"].pk) for k, v in fields.items()})
    r = client(w["users"][R.CITY_OFFICE]).post(f"/governance/liaison/pairs/{pairing.pk}/", body)
    assert r.status_code == 200 and message in page(r)
    assert Visit.objects.count() == 0 and LiaisonTicket.objects.count() == 0


def test_a_wrong_district_officer_an_outsider_or_another_department_cannot_see_or_log_visits(w):
    pairing = _pair(w, w["orgs"]["own"])  # 洪山 enterprise, cadre of the market regulator
    other_dept_user = core_factories.user("edu_u", role=R.DEPARTMENT_OFFICER, org=w["other_dept"])
    body = {"action": "visit", "visited_on": timezone.localdate().isoformat(), "content": "越权走访"}
    for user in (w["jiangan_officer"], w["outsider"], other_dept_user):
        c = client(user)
        assert c.get(f"/governance/liaison/pairs/{pairing.pk}/").status_code == 403
        assert c.post(f"/governance/liaison/pairs/{pairing.pk}/", body).status_code == 403
    # the enterprise itself reads its liaison but does not log the cadre's visits
    enterprise = client(w["users"][R.ENTERPRISE_MEMBER])
    assert enterprise.get(f"/governance/liaison/pairs/{pairing.pk}/").status_code == 200
    assert enterprise.post(f"/governance/liaison/pairs/{pairing.pk}/", body).status_code == 403
    assert not Visit.objects.exists()
    # the 洪山 district officer may
    assert client(w["users"][R.DISTRICT_OFFICER]).post(f"/governance/liaison/pairs/{pairing.pk}/",
                                                        body).status_code == 302


# ---- the enterprise's rating ------------------------------------------------------------------


def test_the_enterprise_rates_its_cadre_for_the_year_and_can_revise_it(w):
    pairing = _pair(w, w["orgs"]["own"])
    enterprise = client(w["users"][R.ENTERPRISE_MEMBER])
    assert "rate-form" in page(enterprise.get(f"/governance/liaison/pairs/{pairing.pk}/"))
    r = enterprise.post(f"/governance/liaison/pairs/{pairing.pk}/", {"action": "rate", "score": "4",
                                                                     "comment": "响应及时"})
    assert r.status_code == 302
    enterprise.post(f"/governance/liaison/pairs/{pairing.pk}/", {"action": "rate", "score": "5"})
    rating = Rating.objects.get()
    assert (rating.pairing, rating.year, rating.score) == (pairing, YEAR, 5)


@pytest.mark.parametrize("score", ["9", "0", "很好", ""])
def test_a_bad_score_is_refused_with_a_message(w, score):
    pairing = _pair(w, w["orgs"]["own"])
    r = client(w["users"][R.ENTERPRISE_MEMBER]).post(f"/governance/liaison/pairs/{pairing.pk}/",
                                                     {"action": "rate", "score": score})
    assert r.status_code == 200 and "评分须为 1 到 5 的整数" in page(r)
    assert not Rating.objects.exists()


def test_only_the_paired_enterprise_rates(w):
    pairing = _pair(w, w["orgs"]["own"])
    for user in (w["users"][R.CITY_OFFICE], w["users"][R.DEPARTMENT_OFFICER], w["outsider"]):
        r = client(user).post(f"/governance/liaison/pairs/{pairing.pk}/", {"action": "rate", "score": "1"})
        assert r.status_code == 403
    assert not Rating.objects.exists()


def test_the_liaison_page_links_to_the_entry_screens_for_those_who_may_use_them(w):
    pairing = _pair(w, w["orgs"]["own"])
    city = page(client(w["users"][R.CITY_OFFICE]).get("/governance/liaison/"))
    assert "/governance/liaison/pair/" in city and "/governance/liaison/match/" in city
    assert f"/governance/liaison/pairs/{pairing.pk}/" in city
    enterprise = page(client(w["users"][R.ENTERPRISE_MEMBER]).get("/governance/liaison/"))
    assert "/governance/liaison/match/" not in enterprise and f"/governance/liaison/pairs/{pairing.pk}/" in enterprise
