"""Small builders for core objects. Industries come from the data migration."""

from __future__ import annotations

import itertools

from qualitycity.core import credit_code
from qualitycity.core.models import Area, Expert, Industry, Membership, Organization, OrgKind, Role, User
from qualitycity.core.reference import load_industries

_counter = itertools.count(1)
PASSWORD = "pw-for-tests-1"


def area(name: str = "洪山区", code: str = "420111") -> Area:
    if not Industry.objects.exists():  # transactional tests flush the data migration's rows
        load_industries(Industry)
    city, _ = Area.objects.get_or_create(name="武汉市", defaults={"code": "420100", "kind": Area.Kind.CITY})
    obj, _ = Area.objects.get_or_create(name=name, defaults={"code": code, "kind": Area.Kind.DISTRICT, "parent": city})
    return obj


def valid_code(area_code: str = "420111") -> str:
    n = next(_counter)
    return credit_code.build("9", "1", area_code, f"{n:08d}" + "A")


def organization(kind=OrgKind.ENTERPRISE, *, name=None, in_area=None, industry="38", **fields) -> Organization:
    in_area = in_area or area()
    n = next(_counter)
    defaults = {
        "kind": kind,
        "name": name or f"测试机构{n}有限公司",
        "area": in_area,
        "credit_code": valid_code(in_area.code or "420100"),
    }
    if kind == OrgKind.ENTERPRISE:
        defaults["industry"] = Industry.objects.get(code=industry)
        defaults["size_class"] = "micro"  # what the size rules give with no staff or revenue
    defaults.update(fields)
    return Organization.objects.create(**defaults)


def user(username: str | None = None, *, role=None, org=None, superuser=False) -> User:
    username = username or f"user{next(_counter)}"
    obj = User.objects.create_user(username=username, password=PASSWORD, display_name=username,
                                   is_superuser=superuser, is_staff=superuser)
    if role is not None and org is not None:
        Membership.objects.create(user=obj, organization=org, role=role)
    return obj


def expert(name="测试专家") -> Expert:
    return Expert.objects.create(name=name, title="高级工程师", specialties="计量校准")


def role_users() -> dict:
    """One user per role, plus the objects their scopes are about.

    - ``district`` officer of 洪山区, whose scope *excludes* the 江岸区 enterprise
    - ``enterprise`` member of ``own_enterprise`` (洪山区); ``outsider`` a member of another firm
    """
    hongshan = area("洪山区", "420111")
    jiangan = area("江岸区", "420102")
    own = organization(name="自有企业有限公司", in_area=hongshan)
    other = organization(name="江岸他人企业有限公司", in_area=jiangan)
    lab = organization(OrgKind.TESTING_LAB, name="测试检测有限公司", in_area=hongshan, industry=None)
    dept = organization(OrgKind.DEPARTMENT, name="武汉市市场监督管理局", in_area=jiangan, industry=None)
    district_gov = organization(OrgKind.DISTRICT_GOVERNMENT, name="洪山区人民政府", in_area=hongshan, industry=None)
    city = organization(OrgKind.CITY_OFFICE, name="市质量强市办", in_area=jiangan, industry=None)
    expert_user = user("expert_u", role=Role.EXPERT, org=lab)
    return {
        "areas": {"hongshan": hongshan, "jiangan": jiangan},
        "orgs": {"own": own, "other": other, "lab": lab, "dept": dept, "district_gov": district_gov, "city": city},
        "users": {
            Role.CITIZEN: user("citizen_u"),
            Role.ENTERPRISE_MEMBER: user("enterprise_u", role=Role.ENTERPRISE_MEMBER, org=own),
            Role.PROVIDER_STAFF: user("provider_u", role=Role.PROVIDER_STAFF, org=lab),
            Role.EXPERT: expert_user,
            Role.DEPARTMENT_OFFICER: user("department_u", role=Role.DEPARTMENT_OFFICER, org=dept),
            Role.DISTRICT_OFFICER: user("district_u", role=Role.DISTRICT_OFFICER, org=district_gov),
            Role.CITY_OFFICE: user("city_u", role=Role.CITY_OFFICE, org=city),
            Role.SYSTEM_ADMIN: user("admin_u", superuser=True),
        },
        "outsider": user("outsider_u", role=Role.ENTERPRISE_MEMBER, org=other),
    }
