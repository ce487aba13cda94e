"""Inspection screens: campaigns and teams, register entries, findings and closing them."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qualitycity.core.models import Role

from ..models import Campaign, Finding, RegisterEntry, Team
from ..services import inspections
from .factories import SYSTEM, inspection_world

pytestmark = pytest.mark.django_db
R = Role


@pytest.fixture
def w():
    w = inspection_world()
    return w


def client(user):
    c = Client()
    c.force_login(user)
    return c


def page(response) -> str:
    return response.content.decode()


def _finding(w, **fields):
    values = {"category": "delay", "description": "审批超时未说明理由", "area": w["areas"]["hongshan"],
              "department": w["orgs"]["dept"], "disposal": "rectify"}
    values.update(fields)
    return inspections.record_finding(by=SYSTEM, team=w["team"], **values)


# ---- campaigns and teams --------------------------------------------------------------------


def test_the_city_office_opens_a_campaign_and_sets_up_a_team_with_members(w):
    city = client(w["users"][R.CITY_OFFICE])
    r = city.post("/governance/inspections/teams/new/", {"action": "campaign", "campaign_name": "下半年巡查",
                                                         "campaign_year": dt.date.today().year})
    campaign = Campaign.objects.get(name="下半年巡查")
    assert r.status_code == 302 and r["Location"].endswith(f"?campaign={campaign.pk}")
    r = city.post("/governance/inspections/teams/new/", {
        "action": "team", "campaign": campaign.pk, "name": "第二巡查组", "leader": "王组长", "members": "张三、李四",
        "districts": [w["areas"]["hongshan"].pk, w["areas"]["jiangan"].pk], "departments": [w["orgs"]["dept"].pk]})
    team = Team.objects.get(name="第二巡查组")
    assert r.status_code == 302 and r["Location"] == f"/governance/inspections/teams/{team.pk}/"
    assert (team.campaign, team.leader, team.members) == (campaign, "王组长", "张三、李四")
    assert set(team.districts.values_list("name", flat=True)) == {"洪山区", "江岸区"}
    assert list(team.departments.all()) == [w["orgs"]["dept"]]


def test_a_team_without_leader_or_districts_is_refused_with_each_message(w):
    r = client(w["users"][R.CITY_OFFICE]).post("/governance/inspections/teams/new/", {
        "action": "team", "campaign": w["campaign"].pk, "name": "第三巡查组", "leader": " "})
    text = page(r)
    assert r.status_code == 200 and "巡查组信息不完整" in text and "请填写组长" in text and "请至少选择一个巡查区" in text
    assert 'value="第三巡查组"' in text  # what was typed is kept
    assert Team.objects.count() == 1


def test_a_campaign_with_a_bad_year_is_refused(w):
    r = client(w["users"][R.CITY_OFFICE]).post("/governance/inspections/teams/new/", {
        "action": "campaign", "campaign_name": "巡查", "campaign_year": "明年"})
    assert r.status_code == 200 and "年度不在有效范围内" in page(r)
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("role", [R.DISTRICT_OFFICER, R.DEPARTMENT_OFFICER, R.ENTERPRISE_MEMBER])
def test_only_the_office_sets_up_teams(w, role):
    c = client(w["users"][role])
    assert c.get("/governance/inspections/teams/new/").status_code == 403
    r = c.post("/governance/inspections/teams/new/", {"action": "team", "campaign": w["campaign"].pk, "name": "x",
                                                      "leader": "x", "districts": [w["areas"]["hongshan"].pk]})
    assert r.status_code == 403 and Team.objects.count() == 1


def test_the_inspections_page_links_to_the_new_screens(w):
    finding = _finding(w)
    text = page(client(w["users"][R.CITY_OFFICE]).get("/governance/inspections/"))
    assert "/governance/inspections/teams/new/" in text
    assert f"/governance/inspections/teams/{w['team'].pk}/" in text
    assert f"/governance/inspections/findings/{finding.pk}/" in text


# ---- registers and findings ----------------------------------------------------------------


def test_the_office_adds_a_register_entry_naming_the_inspected_enterprise(w):
    day = timezone.localdate() - dt.timedelta(days=2)
    r = client(w["users"][R.CITY_OFFICE]).post(f"/governance/inspections/teams/{w['team'].pk}/", {
        "action": "entry", "register": "sme", "title": "小微企业融资情况", "area": w["areas"]["hongshan"].pk,
        "enterprise": w["orgs"]["own"].credit_code.lower(), "recorded_on": day.isoformat(), "detail": "走访登记"})
    assert r.status_code == 302
    entry = RegisterEntry.objects.get()
    assert (entry.register, entry.enterprise, entry.area, entry.recorded_on) == (
        "sme", w["orgs"]["own"], w["areas"]["hongshan"], day)


@pytest.mark.parametrize(("fields", "message"), [
    ({"area": "{jiangan}"}, "不在本巡查组的巡查范围内"),
    ({"enterprise": "不存在的公司"}, "未找到企业"),
    ({"recorded_on": "2099-01-01"}, "登记日期不能晚于今天"),
    ({"recorded_on": "昨天"}, "日期格式应为"),
    ({"title": ""}, "请填写事项"),
    ({"register": "rumours"}, "未知清单类型"),
])
def test_a_bad_register_entry_shows_the_message_and_writes_nothing(w, fields, message):
    body = {"action": "entry", "register": "project", "title": "新建厂房", "area": w["areas"]["hongshan"].pk}
    body.update({k: v.format(jiangan=w["areas"]["jiangan"].pk) for k, v in fields.items()})
    r = client(w["users"][R.CITY_OFFICE]).post(f"/governance/inspections/teams/{w['team'].pk}/", body)
    assert r.status_code == 200 and message in page(r)
    assert not RegisterEntry.objects.exists()


def test_the_office_records_a_finding_with_its_disposal_and_deadline(w):
    r = client(w["users"][R.CITY_OFFICE]).post(f"/governance/inspections/teams/{w['team'].pk}/", {
        "action": "finding", "category": "charges", "description": "收取不合理服务费", "area": w["areas"]["hongshan"].pk,
        "department": w["orgs"]["district_gov"].pk,
        "disposal": "account"})
    assert r.status_code == 302
    finding = Finding.objects.get()
    assert finding.number.startswith("XC") and finding.department == w["orgs"]["district_gov"]
    assert finding.disposal == "account" and finding.due_on > timezone.localdate()


def test_a_bad_finding_lists_every_problem_and_writes_nothing(w):
    r = client(w["users"][R.CITY_OFFICE]).post(f"/governance/inspections/teams/{w['team'].pk}/", {
        "action": "finding", "category": "gossip", "description": "", "area": w["areas"]["jiangan"].pk,
        "department": w["orgs"]["own"].pk, "disposal": "rectify", "found_on": "2099-01-01"})
    text = page(r)
    assert r.status_code == 200 and "巡查问题有误，未保存" in text
    for message in ("未知问题类别", "请填写问题描述", "不在本巡查组的巡查范围内", "责任单位须为市直部门或区政府",
                    "发现日期不能晚于今天"):
        assert message in text
    assert not Finding.objects.exists()


def test_the_team_page_is_scoped_to_the_districts_and_departments_it_inspects(w):
    entry = inspections.add_entry(by=SYSTEM, team=w["team"], register="project", title="洪山项目",
                                  area=w["areas"]["hongshan"])
    assert entry.pk
    hongshan = client(w["users"][R.DISTRICT_OFFICER])
    assert "洪山项目" in page(hongshan.get(f"/governance/inspections/teams/{w['team'].pk}/"))
    assert client(w["users"][R.DEPARTMENT_OFFICER]).get(f"/governance/inspections/teams/{w['team'].pk}/").status_code == 200
    for user in (w["jiangan_officer"], w["outsider"]):
        assert client(user).get(f"/governance/inspections/teams/{w['team'].pk}/").status_code == 403
    # reading is not writing: the district officer cannot add to the team's registers
    r = hongshan.post(f"/governance/inspections/teams/{w['team'].pk}/", {
        "action": "entry", "register": "project", "title": "越权登记", "area": w["areas"]["hongshan"].pk})
    assert r.status_code == 403 and RegisterEntry.objects.count() == 1


# ---- following a finding to closure ----------------------------------------------------------


def test_the_office_closes_a_finding_with_its_outcome(w):
    finding = _finding(w)
    city = client(w["users"][R.CITY_OFFICE])
    r = city.post(f"/governance/inspections/findings/{finding.pk}/", {"outcome": "已退还费用并通报"})
    assert r.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.outcome == "已退还费用并通报" and finding.closed_at
    r = city.post(f"/governance/inspections/findings/{finding.pk}/", {"outcome": "再次办结"})
    assert r.status_code == 200 and "该问题已办结" in page(r)


def test_closing_without_an_outcome_keeps_the_finding_open(w):
    finding = _finding(w)
    r = client(w["users"][R.CITY_OFFICE]).post(f"/governance/inspections/findings/{finding.pk}/", {"outcome": " "})
    assert r.status_code == 200 and "请填写处置结果" in page(r)
    finding.refresh_from_db()
    assert finding.status == "open" and finding.closed_at is None


def test_a_finding_is_seen_by_its_district_and_responsible_unit_only_and_closed_only_by_the_office(w):
    finding = _finding(w)  # 洪山, responsible: the market regulator
    url = f"/governance/inspections/findings/{finding.pk}/"
    assert "审批超时未说明理由" in page(client(w["users"][R.DISTRICT_OFFICER]).get(url))
    department = client(w["users"][R.DEPARTMENT_OFFICER])
    assert department.get(url).status_code == 200
    assert department.post(url, {"outcome": "自行办结"}).status_code == 403
    for user in (w["jiangan_officer"], w["outsider"]):
        assert client(user).get(url).status_code == 403
    finding.refresh_from_db()
    assert finding.status == "open"


def test_an_overdue_finding_is_flagged(w):
    finding = _finding(w, found_on=timezone.localdate() - dt.timedelta(days=60))
    Finding.objects.filter(pk=finding.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    text = page(client(w["users"][R.CITY_OFFICE]).get(f"/governance/inspections/findings/{finding.pk}/"))
    assert "badge overdue" in text
