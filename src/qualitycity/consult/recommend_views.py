"""The "为您推荐" page: an enterprise's recommendations, each with its reasons."""

from django.shortcuts import get_object_or_404, render

from qualitycity.core import permissions
from qualitycity.core.models import Organization, OrgKind, Role
from qualitycity.core.permissions import requires

from . import recommendations


@requires("recommend.view")
def recommendations_page(request):
    own = permissions.organization_ids(request.user, Role.ENTERPRISE_MEMBER)
    org_id = request.GET.get("enterprise") or (own[0] if own else None)
    qs = permissions.scoped(request.user, "directory.enterprises.view", Organization.objects.filter(kind=OrgKind.ENTERPRISE))
    enterprise = get_object_or_404(qs.select_related("industry__parent", "area"), pk=org_id or 0) if org_id else None
    groups = recommendations.for_enterprise(enterprise) if enterprise else {}
    return render(request, "consult/recommendations.html", {
        "enterprise": enterprise,
        "groups": [(recommendations.KIND_LABEL[k], recs) for k, recs in groups.items()],
    })


