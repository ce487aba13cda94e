"""Request plumbing: API tokens, and deny-by-default for views that declare no rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .services.accounts import user_for_token

# Views that guard themselves: the admin site checks is_staff, the API checks per operation.
SELF_GUARDED_NAMESPACES = {"admin", "api-1.0.0"}


class PermissionRuleMiddleware:
    """Sets ``request.user`` from an ``Authorization: Bearer qc_…`` token, and refuses
    any view that has no declared permission rule, so a forgotten declaration fails
    closed rather than open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        request.token_authenticated = False
        if header.startswith("Bearer "):
            user = user_for_token(header[7:].strip())
            if user is not None:
                request.user = user
                request.token_authenticated = True
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is not None and SELF_GUARDED_NAMESPACES & set(match.namespaces):
            return None
        if getattr(view_func, "permission_rule", None) is None:
            raise PermissionDenied("view declares no permission rule")
        return None


class ApiJsonErrorsMiddleware:
    """Whatever fails under /api/ answers in JSON: an unknown path (Django's 404 page), a
    wrong method (ninja's empty 405), or an error raised outside an operation. The
    operations' own errors are JSON already and pass through untouched."""

    PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(self.PREFIX)
            and "json" not in response.get("Content-Type", "")
        ):
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            detail = {404: _("接口不存在"), 405: _("此接口不支持该请求方法")}.get(response.status_code, response.reason_phrase)
            replaced = JsonResponse({"detail": detail, "errors": {}}, status=response.status_code)
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response
