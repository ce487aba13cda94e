"""Root URLs: each app's urls.py, the API, auth and health probes."""

from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from .api import api
from .core.permissions import requires
from .core.views import accounts, audit, geo, health, home, notifications


def public(view):
    return requires("public")(view)


audit_patterns = ([path("", audit.audit_list, name="list")], "audit")
notification_patterns = (
    [path("", notifications.inbox, name="inbox"), path("read/", notifications.mark_all_read, name="read")],
    "notifications",
)
token_patterns = (
    [path("", accounts.tokens, name="list"), path("<int:token_id>/revoke/", accounts.revoke_token, name="revoke")],
    "tokens",
)
auth_patterns = [
    path("login/", public(auth_views.LoginView.as_view(redirect_authenticated_user=True)), name="login"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("password/reset/", public(auth_views.PasswordResetView.as_view()), name="password_reset"),
    path("password/reset/done/", public(auth_views.PasswordResetDoneView.as_view()), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        public(accounts.AuditedPasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

def domain_app_urls() -> list:
    """Each domain app's ``urls.py`` at ``/<app>/``, and its optional ``root_urls.py`` at the
    site root (for fixed public addresses such as /open311/v2/)."""
    patterns = []
    for app in settings.DOMAIN_APPS:
        if find_spec(f"qualitycity.{app}.urls"):
            patterns.append(path(f"{app}/", include(f"qualitycity.{app}.urls")))
        if find_spec(f"qualitycity.{app}.root_urls"):
            patterns.append(path("", include(f"qualitycity.{app}.root_urls")))
    return patterns


urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("geo/districts.geojson", geo.districts_geojson, name="districts_geojson"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/", include(auth_patterns)),
    path("directory/", include("qualitycity.core.urls")),
    path("audit/", include(audit_patterns)),
    path("notifications/", include(notification_patterns)),
    path("accounts/tokens/", include(token_patterns)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    *domain_app_urls(),
]
