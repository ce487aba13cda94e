"""Every role against every endpoint: allowed or denied, and never data outside scope.

The sweep below takes its endpoints from the same enumeration as the coverage test and
its expectations from ``authz_spec`` (one line per rule), so a new page or operation
fails here until its rule is described there. The hand-written matrices after it read
real data through the core endpoints, one representative object per scope."""

import re

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS as ANON_ROLE
from qualitycity.core.permissions import RULES, Scope
from qualitycity.core.tests import factories
from qualitycity.core.tests.authz import ANONYMOUS, ROLES_AND_ANONYMOUS, assert_matrix, client_for

from .api_operations import api_operations, url_views
from .authz_spec import SPEC

R = Role
EVERY_ROLE = set(Role)
STAFF = {R.CITY_OFFICE, R.SYSTEM_ADMIN}
ENTERPRISE_READERS = STAFF | {R.DEPARTMENT_OFFICER, R.DISTRICT_OFFICER, R.ENTERPRISE_MEMBER}

# endpoint -> roles allowed (written out here, independently of core.rules)
API_MATRIX = {
    "/api/v1/areas": EVERY_ROLE | {"anonymous"},
    "/api/v1/industries": EVERY_ROLE | {"anonymous"},
    "/api/v1/parks": EVERY_ROLE | {"anonymous"},
    "/api/v1/enterprises": ENTERPRISE_READERS,
    "/api/v1/providers": EVERY_ROLE,
    "/api/v1/departments": EVERY_ROLE,
    "/api/v1/experts": EVERY_ROLE,
    "/api/v1/me": EVERY_ROLE,
    "/api/v1/tokens": EVERY_ROLE,
    "/api/v1/notifications": EVERY_ROLE,
    "/api/v1/audit/events": STAFF,
}
PAGE_MATRIX = {
    "/": EVERY_ROLE | {"anonymous"},
    "/directory/enterprises/": ENTERPRISE_READERS,
    "/directory/providers/": EVERY_ROLE,
    "/directory/government/": EVERY_ROLE,
    "/directory/experts/": EVERY_ROLE,
    "/directory/import/": STAFF,
    "/directory/export/enterprise.csv": STAFF | {R.DISTRICT_OFFICER},
    "/audit/": STAFF,
    "/notifications/": EVERY_ROLE,
}


@pytest.fixture
def world(db):
    return factories.role_users()


# ---- the sweep: every endpoint, every role, every method ---------------------------

SPEC_ROLE = {"anon": ANON_ROLE, "citizen": R.CITIZEN, "enterprise": R.ENTERPRISE_MEMBER, "provider": R.PROVIDER_STAFF,
             "expert": R.EXPERT, "department": R.DEPARTMENT_OFFICER, "district": R.DISTRICT_OFFICER,
             "city": R.CITY_OFFICE, "admin": R.SYSTEM_ADMIN}
SPEC_SCOPE = {"": Scope.ALL, "district": Scope.DISTRICT, "org": Scope.OWN_ORG, "self": Scope.SELF}
EVERYONE = "citizen enterprise provider expert department district city admin"


def grants(line: str) -> dict:
    """A spec line as ``{role: Scope}``."""
    words = line.replace("public", "anon everyone").split()
    result = {}
    for word in words:
        name, _, scope = word.partition("@")
        for role in EVERYONE.split() if name == "everyone" else [name]:
            result[SPEC_ROLE[role]] = SPEC_SCOPE[scope]
    return result


def _dummy(match: re.Match) -> str:
    """A value for a URL parameter: an id nobody has, so that allowed roles reach at most
    a 404 and denied ones must be refused before any lookup."""
    converter = match.group(1) or "str"
    return {"int": "999999", "uuid": "00000000-0000-0000-0000-000000000000"}.get(converter, "x")


def endpoints() -> list[tuple[str, str, str]]:
    """(kind, method, url, rule) for every page and every API operation and method."""
    found = []
    for route, namespaces, callback in url_views():
        if "admin" in namespaces or route.startswith("api/v1/"):
            continue  # the admin checks is_staff itself; the API is enumerated below
        url = "/" + re.sub(r"<(?:(\w+):)?\w+>", _dummy, route)
        found.append(("page", "GET", url, getattr(callback, "permission_rule", None)))
    for methods, path, view in api_operations():
        url = "/api/v1/" + re.sub(r"\{(?:(\w+):)?\w+\}", lambda m: "999999", path).lstrip("/")
        found.extend(("api", method, url, getattr(view, "permission_rule", None)) for method in methods)
    return sorted(found, key=lambda e: e[2] == "/accounts/logout/")  # logging out ends the session: last


def test_every_endpoint_has_a_matrix_line():
    missing = sorted({f"{method} {url} ({rule})" for _kind, method, url, rule in endpoints() if rule not in SPEC})
    assert missing == []


def test_every_rule_grants_what_its_matrix_line_says():
    differ = {name: line for name, line in SPEC.items() if name not in RULES or RULES[name].grants != grants(line)}
    assert differ == {}


# Endpoints whose declared rule lets a role in and whose view then refuses it on a second
# condition. Each is a place where the rule is not yet "in one place"; the sweep tolerates
# a 403 there for an allowed role, and nothing else.
INNER_CHECKS = {
    "/governance/liaison/": "declares `authenticated`, then requires governance.liaison.view "
                            "or governance.liaison.view_own_enterprise",
    "/governance/liaison/tickets/": "the same two rules, checked inside",
    "/api/v1/governance/liaison/dashboard": "the same two rules, checked inside",
    "/consult/profile/": "an expert login without an expert-pool row has no profile to edit (data, not role)",
}


def _denied_as_expected(kind, role, response) -> bool:
    if kind == "api":
        return response.status_code == (401 if role == ANONYMOUS else 403)
    if role == ANONYMOUS:
        return response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code == 403


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_every_endpoint_answers_each_role_as_its_rule_says(world, role):
    client = client_for(world, role)
    client.raise_request_exception = False  # an allowed role may meet a 500 on a dummy id; not this test's subject
    wrong = []
    for kind, method, url, rule in endpoints():
        allowed = (ANON_ROLE if role == ANONYMOUS else role) in grants(SPEC[rule])
        call = getattr(client, method.lower())
        response = call(url, "{}", content_type="application/json") if kind == "api" and method != "GET" else call(url)
        if kind == "page" and response.status_code == 405:  # a POST-only page: ask the way it is used
            response = client.post(url)
        if allowed:
            refused = response.status_code in (401, 403) or (
                response.status_code == 302 and "/accounts/login/" in response.get("Location", ""))
            if refused and not (response.status_code == 403 and url in INNER_CHECKS):
                wrong.append(f"{method} {url} refused {role} ({rule}: {response.status_code})")
        elif not _denied_as_expected(kind, role, response):
            wrong.append(f"{method} {url} let {role} through ({rule}: {response.status_code})")
    assert wrong == []


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_api_matrix(world, role):
    assert_matrix(client_for(world, role), role, API_MATRIX, api=True)


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
def test_page_matrix(world, role):
    assert_matrix(client_for(world, role), role, PAGE_MATRIX, api=False)


def names_seen(client, url):
    return {row["name"] for row in client.get(url).json()["results"]}


def test_a_district_officer_sees_only_their_district(world):
    client = client_for(world, R.DISTRICT_OFFICER)
    seen = names_seen(client, "/api/v1/enterprises?page_size=100")
    assert "自有企业有限公司" in seen and "江岸他人企业有限公司" not in seen
    other = world["orgs"]["other"]
    assert client.get(f"/api/v1/enterprises/{other.pk}").status_code == 404
    assert client.get(f"/directory/organizations/{other.pk}/").status_code == 403
    export = client.get("/directory/export/enterprise.csv").content.decode("utf-8-sig")
    assert "自有企业" in export and "江岸他人" not in export


def test_an_enterprise_member_sees_only_their_own_firm(world):
    client = client_for(world, R.ENTERPRISE_MEMBER)
    assert names_seen(client, "/api/v1/enterprises") == {"自有企业有限公司"}
    outsider = Client()
    outsider.force_login(world["outsider"])
    own = world["orgs"]["own"]
    assert outsider.get(f"/api/v1/enterprises/{own.pk}").status_code == 404
    assert outsider.patch(
        f"/api/v1/enterprises/{own.pk}", {"address": "x"}, content_type="application/json"
    ).status_code == 404


def test_members_of_an_organization_are_visible_only_inside_scope(world):
    own = world["orgs"]["own"]
    inside = client_for(world, R.ENTERPRISE_MEMBER).get(f"/api/v1/organizations/{own.pk}/members").json()
    assert [m["user"] for m in inside] == ["enterprise_u"]
    outsider = Client()
    outsider.force_login(world["outsider"])
    assert outsider.get(f"/api/v1/organizations/{own.pk}/members").json() == []


def test_a_district_officer_cannot_register_outside_the_district(world):
    client = client_for(world, R.DISTRICT_OFFICER)
    body = {"name": "越界企业有限公司", "credit_code": factories.valid_code("420102"), "area": "江岸区", "industry": "38"}
    response = client.post("/api/v1/enterprises", body, content_type="application/json")
    assert response.status_code == 403
    body["area"] = "洪山区"
    assert client.post("/api/v1/enterprises", body, content_type="application/json").status_code == 201


# ---- own records (scope SELF): one user never reaches another's --------------------


def test_one_user_cannot_reach_another_users_tokens(world):
    from qualitycity.core.services import accounts
    from qualitycity.core.services.audit import Actor

    owner, other = world["users"][R.ENTERPRISE_MEMBER], world["users"][R.CITY_OFFICE]
    token, _key = accounts.create_api_token(by=Actor.system(), user=owner, name="企业对接")
    intruder = client_for(world, R.CITY_OFFICE)  # even staff: tokens are personal
    assert intruder.get("/api/v1/tokens").json() == []
    assert intruder.delete(f"/api/v1/tokens/{token.pk}").status_code == 404
    assert intruder.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and other.pk != owner.pk


def test_one_user_cannot_read_another_users_notifications(world):
    from qualitycity.core.models import Notification
    from qualitycity.core.services import notifications

    owner = world["users"][R.DISTRICT_OFFICER]
    notifications.notify(user=owner, title="督办提醒：洪山区")
    intruder = client_for(world, R.CITY_OFFICE)
    assert intruder.get("/api/v1/notifications").json() == []
    assert "督办提醒" not in intruder.get("/notifications/").content.decode()
    intruder.post("/api/v1/notifications/read", "{}", content_type="application/json")
    assert Notification.objects.get(recipient=owner).read_at is None


def test_one_user_cannot_download_another_users_attachment(world):
    from qualitycity.core.services import attachments
    from qualitycity.core.services.audit import Actor

    owner = world["users"][R.ENTERPRISE_MEMBER]
    item = attachments.store_attachment(by=Actor(user=owner), filename="报告.pdf", content=b"%PDF-1.4\n%%EOF\n")
    for role in (R.CITIZEN, R.PROVIDER_STAFF, R.DISTRICT_OFFICER):
        assert client_for(world, role).get(f"/api/v1/attachments/{item.pk}").status_code == 404
    assert client_for(world, R.ENTERPRISE_MEMBER).get(f"/api/v1/attachments/{item.pk}").status_code == 200
    assert client_for(world, R.CITY_OFFICE).get(f"/api/v1/attachments/{item.pk}").status_code == 200
