"""The staff admin writes through the services: validated, and every change audited."""

import pytest
from django.test import Client

from qualitycity.core.models import ApiToken, AuditEvent, Membership, Organization, Role, User
from qualitycity.core.services import accounts, audit
from qualitycity.core.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    admin = factories.user("root", superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def _org_form(org, **overrides):
    data = {
        "kind": org.kind, "name": org.name, "credit_code": org.credit_code, "area": org.area_id,
        "industry": org.industry_id or "", "park": "", "employees": "", "annual_revenue": "", "founded_on": "",
        "growth_stage": "", "address": "", "contact_name": "", "contact_phone": "", "cma_number": "",
        "cma_valid_until": "", "cnas_number": "", "capability_scope": "", "service_station": "",
    }
    return {**data, **overrides}


def test_the_admin_refuses_a_bad_credit_code_and_writes_nothing(staff):
    org = factories.organization(name="甲公司")
    events = AuditEvent.objects.count()
    bad = org.credit_code[:17] + ("0" if org.credit_code[17] != "0" else "1")
    response = staff.post(f"/admin/core/organization/{org.pk}/change/", _org_form(org, credit_code=bad))
    assert response.status_code == 200 and "第 18 位校验码错误" in response.content.decode()
    org.refresh_from_db()
    assert org.credit_code != bad and AuditEvent.objects.count() == events


def test_the_admin_computes_the_size_class_and_audits_the_edit(staff):
    org = factories.organization(name="乙公司")
    response = staff.post(f"/admin/core/organization/{org.pk}/change/",
                          _org_form(org, employees="1", annual_revenue="10", size_class="large"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.size_class == "micro"
    event = AuditEvent.objects.get(action="organization.update", object_id=str(org.pk))
    assert event.changes["employees"] == [None, 1] and event.actor.username == "root"


def test_users_are_deactivated_not_deleted_in_the_admin(staff):
    user = factories.user("bob")
    assert staff.post(f"/admin/core/user/{user.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
    accounts.save_user(by=audit.Actor.system(), user=User(pk=user.pk, username="bob", is_active=False,
                                                           password=user.password, display_name="bob"))
    assert audit.verify_chain().ok
    event = AuditEvent.objects.get(action="user.update")
    assert event.changes["is_active"] == [True, False]


def test_revoking_a_role_in_the_admin_is_audited(staff):
    org = factories.organization()
    user = factories.user("carol", role=Role.ENTERPRISE_MEMBER, org=org)
    membership = Membership.objects.get(user=user)
    response = staff.post(f"/admin/core/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get(action="membership.remove")
    assert event.changes["role"] == ["enterprise", None] and event.changes["user"] == [user.pk, None]


def test_changing_and_granting_roles_in_the_admin_is_audited(staff):
    org = factories.organization()
    user = factories.user("dave")
    response = staff.post("/admin/core/membership/add/",
                          {"user": user.pk, "organization": org.pk, "role": "enterprise", "title": "经理"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert AuditEvent.objects.filter(action="membership.add", object_id=str(membership.pk)).exists()
    response = staff.post(f"/admin/core/membership/{membership.pk}/change/", {"role": "provider", "title": "经理"})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="membership.change").changes == {"role": ["enterprise", "provider"]}


def test_change_role_refuses_a_role_that_cannot_be_granted_and_changes_nothing():
    org = factories.organization()
    user = factories.user("erin", role=Role.ENTERPRISE_MEMBER, org=org)
    membership = Membership.objects.get(user=user)
    with pytest.raises(accounts.DomainError):
        accounts.change_role(by=audit.Actor.system(), membership=membership, role=Role.SYSTEM_ADMIN)
    membership.refresh_from_db()
    assert membership.role == Role.ENTERPRISE_MEMBER and not AuditEvent.objects.exists()


def test_area_and_expert_edits_in_the_admin_are_audited(staff):
    area = factories.area("洪山区", "420111")
    response = staff.post(f"/admin/core/area/{area.pk}/change/", {
        "code": "420111", "name": "洪山区", "kind": "district", "parent": area.parent_id, "sort_order": "7",
        "center_lng": "", "center_lat": ""})
    assert response.status_code == 302
    assert AuditEvent.objects.get(action="area.update").changes["sort_order"] == [0, 7]
    expert = factories.expert()
    assert staff.post(f"/admin/core/expert/{expert.pk}/delete/", {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(action="expert.delete", object_id=str(expert.pk)).exists()


def test_tokens_are_revoked_not_edited_in_the_admin(staff):
    user = factories.user("frank")
    token, _key = accounts.create_api_token(by=audit.Actor.system(), user=user, name="lims")
    response = staff.post("/admin/core/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and AuditEvent.objects.filter(action="api_token.revoke").exists()
    assert staff.post(f"/admin/core/apitoken/{token.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_setting_a_password_in_the_admin_is_audited_without_the_password(staff):
    user = factories.user("gina")
    response = staff.post(f"/admin/core/user/{user.pk}/password/",
                          {"password1": "Tr0ub4dor&3xyz", "password2": "Tr0ub4dor&3xyz", "usable_password": "true"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.password_admin_set")
    assert event.object_id == str(user.pk) and "Tr0ub4dor" not in str(event.changes)


def test_organizations_are_not_deleted_in_the_admin(staff):
    org = factories.organization()
    assert staff.post(f"/admin/core/organization/{org.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Organization.objects.filter(pk=org.pk).exists()


def test_adding_a_user_in_the_admin_is_audited_without_the_password_hash(staff):
    response = staff.post("/admin/core/user/add/", {
        "username": "newbie", "password1": "Tr0ub4dor&3xyz", "password2": "Tr0ub4dor&3xyz", "usable_password": "true",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert user.password not in str(event.changes) and event.changes["password"][1] == "…（已更改）"
