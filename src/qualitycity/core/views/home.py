"""Every role's home page."""

from django.db.models import Count
from django.shortcuts import render

from .. import nav, permissions, selectors, workbench
from ..models import Expert, Membership, Organization, OrgKind, Role
from ..models.organizations import PROVIDER_KINDS
from ..permissions import requires

STAFF_TEMPLATE = "core/home/city_office.html"
TEMPLATES = {
    Role.SYSTEM_ADMIN: STAFF_TEMPLATE,
    Role.CITY_OFFICE: STAFF_TEMPLATE,
    Role.DISTRICT_OFFICER: "core/home/district.html",
    Role.DEPARTMENT_OFFICER: "core/home/department.html",
    Role.PROVIDER_STAFF: "core/home/organization.html",
    Role.ENTERPRISE_MEMBER: "core/home/organization.html",
    Role.EXPERT: "core/home/expert.html",
    Role.CITIZEN: "core/home/citizen.html",
    permissions.ANONYMOUS: "core/home/public.html",
}
# Everyone with work of their own (the system administrator looks after accounts instead)
WORKBENCH_ROLES = (Role.CITY_OFFICE, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER,
                   Role.ENTERPRISE_MEMBER, Role.PROVIDER_STAFF, Role.EXPERT, Role.CITIZEN)


def _kpis() -> dict:
    counts = dict(Organization.objects.values_list("kind").annotate(n=Count("id")))
    return {
        "enterprises": counts.get(OrgKind.ENTERPRISE, 0),
        "providers": sum(counts.get(k, 0) for k in PROVIDER_KINDS),
        "departments": counts.get(OrgKind.DEPARTMENT, 0),
        "parks": counts.get(OrgKind.PARK, 0),
        "experts": Expert.objects.count(),
    }


def _own_organizations(user, role):
    ids = permissions.organization_ids(user, role)
    orgs = list(Organization.objects.filter(pk__in=ids).select_related("area", "industry", "park"))
    members = Membership.objects.filter(organization_id__in=ids).select_related("user").order_by("organization_id", "id")
    by_org: dict[int, list] = {}
    for m in members:
        by_org.setdefault(m.organization_id, []).append(m)
    return [{"org": org, "members": by_org.get(org.pk, [])} for org in orgs]


@requires("public")
def home(request):
    role = permissions.primary_role(request.user)
    context: dict = {"role": role}
    if role in (Role.SYSTEM_ADMIN, Role.CITY_OFFICE, Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER):
        context["kpis"] = _kpis()
        context["district_counts"] = selectors.enterprise_counts_by_district(request.user)
    if role == Role.DISTRICT_OFFICER:
        context["districts"] = [m.organization for m in Membership.objects.filter(
            user=request.user, role=Role.DISTRICT_OFFICER).select_related("organization__area")]
    if role in (Role.ENTERPRISE_MEMBER, Role.PROVIDER_STAFF):
        context["organizations"] = _own_organizations(request.user, role)
    if role == Role.EXPERT:
        context["expert"] = Expert.objects.filter(user=request.user).select_related("affiliation").first()
    if role == Role.DEPARTMENT_OFFICER:
        context["organizations"] = _own_organizations(request.user, role)
    if role == permissions.ANONYMOUS:
        context["public_links"] = nav.public_links(request.user)
    if role in WORKBENCH_ROLES:
        context["workbench"] = workbench.cards_for(request.user, role)
    return render(request, TEMPLATES[role], context)
