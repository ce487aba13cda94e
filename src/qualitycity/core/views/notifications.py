from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import permissions
from ..models import Notification
from ..permissions import requires
from ..services import notifications


@requires("notifications.own")
def inbox(request):
    qs = permissions.scoped(request.user, "notifications.own", Notification.objects.all())[:100]
    return render(request, "core/notifications.html", {"items": qs})


@require_POST
@requires("notifications.own")
def mark_all_read(request):
    notifications.mark_read(user=request.user)
    return redirect("notifications:inbox")
