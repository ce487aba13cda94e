"""Account pages of our own: the audited password reset and personal access tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions
from ..errors import DomainError
from ..models import ApiToken
from ..permissions import requires
from ..services import accounts
from ..services.audit import Actor


class AuditedSetPasswordForm(SetPasswordForm):
    """Django's reset form, saving through ``accounts.set_password`` so the reset is audited."""

    def __init__(self, user, *args, actor: Actor, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.actor = actor

    def save(self, commit=True):
        return accounts.set_password(
            by=self.actor, user=self.user, password=self.cleaned_data["new_password1"], how="reset"
        )


class AuditedPasswordResetConfirmView(PasswordResetConfirmView):
    form_class = AuditedSetPasswordForm

    def get_form_kwargs(self):
        # the person resetting is not logged in: the event names the account and the address
        return {**super().get_form_kwargs(), "actor": Actor(user=self.user, ip=Actor.from_request(self.request).ip)}


@requires("tokens.own")
def tokens(request):
    """List, create and revoke. A new key goes through the session to the redirected
    page and is popped there: shown once, and reloading the page creates nothing."""
    if request.method == "POST":
        try:
            _token, key = accounts.create_api_token(
                by=Actor.from_request(request), user=request.user, name=request.POST.get("name", "")
            )
            request.session["new_api_token"] = key
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("tokens:list")
    created_key = request.session.pop("new_api_token", None)
    rows = permissions.scoped(request.user, "tokens.own", ApiToken.objects.order_by("-id"))
    return render(request, "core/tokens.html", {"tokens": rows, "created_key": created_key})


@require_POST
@requires("tokens.own")
def revoke_token(request, token_id: int):
    token = get_object_or_404(permissions.scoped(request.user, "tokens.own", ApiToken.objects.all()), pk=token_id)
    accounts.revoke_api_token(by=Actor.from_request(request), token=token)
    messages.success(request, _("令牌“%(name)s”已吊销") % {"name": token.name})
    return redirect("tokens:list")
