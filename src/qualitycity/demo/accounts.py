"""One demo login for every role. `make run` prints them; the README lists them."""

from __future__ import annotations

import random

from django.db import transaction

from qualitycity.core.models import Area, Expert, Membership, Organization, OrgKind, Role, User
from qualitycity.core.services import accounts, audit

DEMO_PASSWORD = "demo-2026"

# username, display name, role, how to find the organization
DEMO_LOGINS = [
    ("admin", "系统管理员", Role.SYSTEM_ADMIN, None),
    ("cityoffice", "王质量（市质量强市办）", Role.CITY_OFFICE, {"kind": OrgKind.CITY_OFFICE}),
    ("district", "李区长（洪山区）", Role.DISTRICT_OFFICER, {"kind": OrgKind.DISTRICT_GOVERNMENT, "area__name": "洪山区"}),
    ("department", "张科长（市市场监管局）", Role.DEPARTMENT_OFFICER, {"kind": OrgKind.DEPARTMENT, "name": "武汉市市场监督管理局"}),
    ("enterprise", "陈经理（企业质量负责人）", Role.ENTERPRISE_MEMBER, {"kind": OrgKind.ENTERPRISE, "area__name": "洪山区"}),
    ("lab", "刘主任（检验检测机构）", Role.PROVIDER_STAFF, {"kind": OrgKind.TESTING_LAB}),
    ("certbody", "孙审核员（名品认证机构）", Role.PROVIDER_STAFF, {"kind": OrgKind.CERTIFICATION_BODY}),
    ("expert", "赵教授（质量专家）", Role.EXPERT, None),
    ("citizen", "市民小周", Role.CITIZEN, None),
]


def create_demo_users() -> None:
    by = audit.Actor.system("demo")
    with transaction.atomic():
        for username, display, role, org_filter in DEMO_LOGINS:
            user = User.objects.filter(username=username).first()
            if user is None:  # created through the accounts service, so the audit trail shows who made it
                user = User(username=username, display_name=display, email=f"{username}@demo.qualitycity.local",
                            phone="13800138" + f"{len(username):03d}")
                user.set_password(DEMO_PASSWORD)
                user.is_staff = role in (Role.SYSTEM_ADMIN, Role.CITY_OFFICE)
                user.is_superuser = role == Role.SYSTEM_ADMIN
                accounts.save_user(by=by, user=user)
            if org_filter is not None:
                org = Organization.objects.filter(**org_filter).order_by("id").first()
                accounts.add_membership(by=by, user=user, organization=org, role=role, title="质量负责人")
            if role == Role.EXPERT:
                expert = Expert.objects.order_by("id").first()
                Expert.objects.filter(pk=expert.pk).update(user=user)
                if expert.affiliation_id:
                    accounts.add_membership(by=by, user=user, organization=expert.affiliation, role=Role.EXPERT)
        _colleagues(by)


def _colleagues(by) -> None:
    """The demo enterprise has a few more people, so its home page shows a team."""
    membership = Membership.objects.filter(user__username="enterprise").select_related("organization").first()
    if membership is None:
        return
    rng = random.Random(7)
    for i, (name, title) in enumerate([("周工", "质检员"), ("吴主管", "生产主管"), ("郑会计", "财务")], start=1):
        phone = "139" + f"{rng.randrange(10**8):08d}"
        user = User.objects.filter(username=f"enterprise-staff{i}").first()
        if user is None:
            user = User(username=f"enterprise-staff{i}", display_name=name, phone=phone)
            user.set_unusable_password()
            accounts.save_user(by=by, user=user)
        accounts.add_membership(by=by, user=user, organization=membership.organization, role=Role.ENTERPRISE_MEMBER,
                                title=title)


def print_logins(out) -> None:
    out.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, display, role, _ in DEMO_LOGINS:
        out.write(f"  {username:<12} {Role(role).label:<10} {display}")


__all__ = ["Area", "DEMO_LOGINS", "DEMO_PASSWORD", "create_demo_users", "print_logins"]
