from django.core.paginator import Paginator
from django.shortcuts import render

from ..models import AuditEvent
from ..permissions import requires


@requires("audit.view")
def audit_list(request):
    qs = AuditEvent.objects.select_related("actor").order_by("-seq")
    action = request.GET.get("action", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit/list.html", {"page": page, "action": action})
