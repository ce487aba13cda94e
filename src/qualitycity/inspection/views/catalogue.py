"""The public catalogue of quality services and the park service-station pages."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from qualitycity.core import permissions
from qualitycity.core.models import Area, Organization, OrgKind
from qualitycity.core.permissions import requires

from ..models import Category, Service, ServiceStatus
from ..services import catalogue


@requires("inspection.catalogue.view")
def index(request):
    filters = {k: request.GET.get(k, "").strip()[:50] for k in ("q", "category", "district", "park", "provider")}
    qs = catalogue.search(filters["q"], category=filters["category"], district=filters["district"],
                          park=filters["park"], provider=filters["provider"]).prefetch_related("items")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    context = {
        "page": page, "filters": filters, "categories": Category.choices,
        "areas": Area.objects.exclude(kind=Area.Kind.CITY),
        "parks": Organization.objects.filter(kind=OrgKind.PARK).exclude(service_station="").order_by("id"),
    }
    return render(request, "inspection/_services.html" if request.htmx else "inspection/index.html", context)


@requires("inspection.catalogue.view")
def service_detail(request, number: str):
    service = get_object_or_404(Service.objects.select_related("provider__area"), number=number)
    # drafts and withdrawn entries are the provider's business until published
    if service.status != ServiceStatus.PUBLISHED and not permissions.can(request.user, "inspection.services.manage",
                                                                         service):
        raise Http404
    return render(request, "inspection/service.html", {"service": service, "items": service.items.all()})


@requires("inspection.catalogue.view")
def park_station(request, park_id: int):
    """What a park's firms can get without leaving the park: services of providers in its district."""
    park = get_object_or_404(Organization, pk=park_id, kind=OrgKind.PARK)
    services = catalogue.search(park=str(park.pk)).prefetch_related("items")[:100]
    return render(request, "inspection/park.html", {"park": park, "services": services})
