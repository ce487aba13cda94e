"""The complaints module hands its bulletin to the public portal: the city office prepares
the period's aggregates (per department, no demand and no person) as a draft publication,
which the publishing desk then approves and publishes."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor


def prepare_bulletin(*, by: Actor, period):
    from qualitycity.portal import services
    from qualitycity.portal.sources import complaint_bulletin_publication

    args = complaint_bulletin_publication(period)
    if args is None:
        raise DomainError(_("{label}没有诉求数据，无可发布的通报").format(label=period.label))
    return services.prepare_publication(by=by, **args)


@require_POST
@requires("complaints.bulletins.publish")
def prepare_for_portal(request):
    from .views.reports import _period

    try:
        pub = prepare_bulletin(by=Actor.from_request(request), period=_period(request))
        messages.success(request, _("已提交门户待审批：%(t)s（第 %(v)d 版）") % {"t": pub.title, "v": pub.version})
    except DomainError as exc:
        messages.error(request, exc.message)
    query = request.GET.urlencode()
    return redirect(f"{reverse('complaints:bulletins')}?{query}" if query else reverse("complaints:bulletins"))
