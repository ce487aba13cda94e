import pytest
from django.test import Client

from qualitycity.core.models import Role

from ..models import Case
from . import factories as f

pytestmark = pytest.mark.django_db
R = Role
API = {
    "/api/v1/consult/cases": {R.ENTERPRISE_MEMBER, R.EXPERT, R.CITY_OFFICE},
    "/api/v1/consult/knowledge": set(Role),
    "/api/v1/training/courses": set(Role),
    "/api/v1/training/certificates/verify?code=x": set(Role) | {"anonymous"},
}


@pytest.fixture
def w():
    return f.world()


def client_for(user):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.mark.parametrize("role", sorted(Role) + ["anonymous"])
def test_api_matrix(w, role):
    c = client_for(None if role == "anonymous" else w["users"][role])
    for url, allowed in API.items():
        status = c.get(url).status_code
        expected = 200 if role in allowed else (401 if role == "anonymous" else 403)
        assert status == expected, (role, url, status)


def test_ask_and_answer_through_the_api_and_scope(w):
    ent = client_for(w["users"][R.ENTERPRISE_MEMBER])
    body = {"title": "电线绝缘电阻不合格", "symptom": "客户抽检绝缘电阻低于标准，导体电阻合格。", "field": "testing",
            "standards": "GB/T 5023.3-2008"}
    created = ent.post("/api/v1/consult/cases", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["expert"] == "赵教授"
    number = created.json()["number"]
    bad = ent.post("/api/v1/consult/cases", {**body, "symptom": "短"}, content_type="application/json")
    assert bad.status_code == 400 and "symptom" in bad.json()["errors"] and Case.objects.count() == 1
    expert = client_for(w["users"][R.EXPERT])
    reply = expert.post(f"/api/v1/consult/cases/{number}/messages", {"body": "请复测"}, content_type="application/json")
    assert reply.status_code == 201 and reply.json()["author_role"] == "expert"
    assert [m["body"] for m in ent.get(f"/api/v1/consult/cases/{number}").json()["messages"]][-1] == "请复测"
    for outsider in (w["outsider"], w["users"][R.DISTRICT_OFFICER], w["other_expert_user"]):
        c = client_for(outsider)
        assert c.get(f"/api/v1/consult/cases/{number}").status_code in (403, 404)
        assert number not in c.get("/api/v1/consult/cases").content.decode()
    other = client_for(w["outsider"])
    assert other.post("/api/v1/consult/cases", {**body, "enterprise": w["orgs"]["own"].pk},
                      content_type="application/json").status_code == 400
