"""A complaint received by an inspection team is filed in the complaints module, or not at all."""


import pytest
from django.test import Client

from qualitycity.complaints.models import Category, Demand, Event, RoutingRule
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Role

from ..models import RegisterEntry
from ..services import inspections
from .factories import SYSTEM, inspection_world

pytestmark = pytest.mark.django_db
R = Role
TEXT = "企业反映办理施工许可时窗口要求提供清单以外的材料，多次往返仍未办成"


@pytest.fixture
def w():
    w = inspection_world()
    # the complaints module routes 营商环境/政务服务 in 洪山区 to the market regulator
    RoutingRule.objects.create(category=Category.objects.get(code="business"), area=w["areas"]["hongshan"],
                               lead=w["orgs"]["dept"])
    return w


def _complaint(w, **fields):
    values = {"register": "complaint", "title": "施工许可窗口多次退件", "area": w["areas"]["hongshan"],
              "detail": TEXT, "contact_name": "王经理", "contact_phone": "13912345678"}
    values.update(fields)
    return inspections.add_entry(by=SYSTEM, team=w["team"], **values)


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_a_complaint_received_files_exactly_one_demand_with_the_inspection_channel(w):
    entry = _complaint(w, enterprise=w["orgs"]["own"])
    demand = Demand.objects.get()
    assert entry.demand_number == demand.number and demand.number.startswith("SQ")
    assert (demand.channel, demand.demand_type, demand.category.code) == ("inspection", "complaint", "business")
    assert demand.area == w["areas"]["hongshan"] and demand.description == TEXT
    assert demand.title == "施工许可窗口多次退件"
    assert (demand.contact_name, demand.contact_phone) == ("王经理", "13912345678")
    # routed by the complaints module's own rules, with its statutory acceptance deadline
    assert demand.lead_org == w["orgs"]["dept"] and demand.state == "assigned" and demand.accept_due
    # the other registers stay in governance
    other = inspections.add_entry(by=SYSTEM, team=w["team"], register="sme", title="某中小企业",
                                  area=w["areas"]["hongshan"], detail="走访登记")
    assert other.demand_number == "" and Demand.objects.count() == 1


def test_an_enterprise_complaining_is_reached_at_its_registered_contact(w):
    firm = w["orgs"]["own"]
    firm.contact_name, firm.contact_phone = "赵会计", "027-87654321"
    firm.save()
    _complaint(w, enterprise=firm, contact_name="", contact_phone="")
    assert Demand.objects.values_list("contact_name", "contact_phone").get() == ("赵会计", "027-87654321")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"detail": ""}, "detail", "请描述诉求内容"),
    ({"detail": "太慢"}, "detail", "请描述诉求内容"),
    ({"contact_phone": "", "contact_name": ""}, "contact_phone", "请留下联系电话"),
    ({"contact_phone": "12345"}, "contact_phone", "不是有效的手机号"),
    ({"category": "no-such"}, "category", "未知的诉求分类"),
])
def test_a_complaint_the_complaints_module_refuses_writes_neither_entry_nor_demand(w, fields, field, message):
    before = (RegisterEntry.objects.count(), Demand.objects.count(), Event.objects.count())
    with pytest.raises(DomainError, match=message) as exc:
        _complaint(w, **fields)
    assert field in exc.value.errors
    assert (RegisterEntry.objects.count(), Demand.objects.count(), Event.objects.count()) == before


def test_the_demand_is_in_the_departments_complaints_queue_and_linked_from_the_team_page(w):
    entry = _complaint(w)
    queue = client(w["users"][R.DEPARTMENT_OFFICER]).get("/complaints/").content.decode()
    assert entry.demand_number in queue
    detail = client(w["users"][R.DEPARTMENT_OFFICER]).get(f"/complaints/d/{entry.demand_number}/")
    assert detail.status_code == 200 and "巡查发现" in detail.content.decode()
    team = client(w["users"][R.CITY_OFFICE]).get(f"/governance/inspections/teams/{w['team'].pk}/").content.decode()
    assert f'href="/complaints/d/{entry.demand_number}/"' in team


def test_the_team_page_files_the_complaint_or_shows_the_complaints_modules_message(w):
    city = client(w["users"][R.CITY_OFFICE])
    url = f"/governance/inspections/teams/{w['team'].pk}/"
    body = {"action": "entry", "register": "complaint", "title": "窗口多次退件", "area": w["areas"]["hongshan"].pk,
            "detail": "", "complaint_category": "business", "contact_name": "王经理", "contact_phone": "13912345678"}
    r = city.post(url, body)
    assert r.status_code == 200 and "请描述诉求内容（至少 5 个字）" in r.content.decode()
    assert not RegisterEntry.objects.exists() and not Demand.objects.exists()
    r = city.post(url, {**body, "detail": TEXT})
    assert r.status_code == 302
    entry = RegisterEntry.objects.get()
    assert Demand.objects.get().number == entry.demand_number


def test_the_demand_and_the_entry_are_one_transaction(w, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(RegisterEntry, "save", fail)
    with pytest.raises(RuntimeError):
        _complaint(w)
    assert not Demand.objects.exists() and not Event.objects.exists()
