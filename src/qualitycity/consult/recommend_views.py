"""The "为您推荐" page: an enterprise's recommendations, each with its reasons. Enterprise
members see their own; the city office (and system admin) find an enterprise by name or
credit code first."""

from django.shortcuts import get_object_or_404, render

from qualitycity.core import permissions
from qualitycity.core.models import Organization, OrgKind, Role
from qualitycity.core.permissions import requires

from . import recommendations


@requires("recommend.view")
def recommendations_page(request):
    own = permissions.organization_ids(request.user, Role.ENTERPRISE_MEMBER)
    qs = permissions.scoped(request.user, "directory.enterprises.view", Organization.objects.filter(kind=OrgKind.ENTERPRISE))
    can_pick = not own
    org_id = request.GET.get("enterprise") or (own[0] if own else None)
    if org_id and not str(org_id).isdigit():
        org_id = None
    enterprise = get_object_or_404(qs.select_related("industry__parent", "area", "park"), pk=org_id) if org_id else None
    q = request.GET.get("q", "").strip()[:60]
    candidates = []
    if can_pick and q:
        candidates = list(qs.filter(credit_code=q.upper()).select_related("area")[:1]) or list(
            qs.filter(name__icontains=q).select_related("area").order_by("name")[:20])
    groups = recommendations.for_enterprise(enterprise) if enterprise else {}
    return render(request, "consult/recommendations.html", {
        "enterprise": enterprise, "can_pick": can_pick, "q": q, "candidates": candidates,
        "groups": [(recommendations.KIND_LABEL[k], recs) for k, recs in groups.items()],
    })
