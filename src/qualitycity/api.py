"""The JSON API at /api/v1/: each app contributes a router; errors are always JSON."""

from __future__ import annotations

import functools
import logging
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security.base import AuthBase

from .core.api import router as directory_router
from .core.errors import DomainError, ImportRejected
from .core.permissions import NotAuthenticated, ensure_api


class PlatformAuth(AuthBase):
    """Declares how clients authenticate, for the OpenAPI document and the docs page's
    "Authorize" button: a personal access token as a bearer token. The token itself is
    resolved by ``core.middleware`` (so that pages and the API agree on who is asking),
    and each operation's rule decides access, so this never refuses anyone by itself.
    ``csrf`` makes the docs page send the CSRF token, so a logged-in session can try
    writes there too."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = "Personal access token (create one on /accounts/tokens/): `Authorization: Bearer qc_…`"
    csrf = True

    def __call__(self, request):
        return request.user if request.user.is_authenticated else "anonymous"

logger = logging.getLogger("qualitycity.api")

api = NinjaAPI(
    title="QualityCity API",
    version="1.0.0",
    description="质量强市平台 API. Authenticate with a session or `Authorization: Bearer <personal access token>`.",
    docs_url="/docs",
    auth=PlatformAuth(),
)


def _rule_gate(run):
    """Check the operation's rule before ninja parses the request, so that a caller who
    may not use an operation is told so (401/403) whatever the body, and learns nothing
    from validation messages; ``api_requires`` checks again on the parsed call."""
    operation = getattr(run, "__self__", None)
    rule = getattr(getattr(operation, "view_func", None), "permission_rule", None)
    if rule is None:
        return run

    @functools.wraps(run)
    def gated(request, *args, **kwargs):
        try:
            ensure_api(request, rule)
            _refuse_nul(request, kwargs)
        except Exception as exc:  # the handlers below turn it into JSON
            return api.on_exception(request, exc)
        return run(request, *args, **kwargs)

    return gated


def _refuse_nul(request, path_values: dict) -> None:
    """PostgreSQL text cannot hold a NUL character, and psycopg refuses the whole query
    with a ValueError (a 500); SQLite would store it. Refused up front on both."""
    found = [name for name, value in [*request.GET.items(), *path_values.items()] if "\x00" in str(value)]
    if "json" in request.content_type and (b"\\u0000" in request.body or b"\x00" in request.body):
        found.append("body")
    if found:
        raise ValidationError([{"loc": ("query", name), "msg": _("不能包含 NUL 字符")} for name in found])


api.add_decorator(_rule_gate, mode="view")
api.add_router("/", directory_router)


def _mount_domain_routers() -> None:
    """Each domain app's ``api.router`` at ``/api/v1/<API_PREFIX or app>``."""
    for app in settings.DOMAIN_APPS:
        if find_spec(f"qualitycity.{app}.api"):
            module = import_module(f"qualitycity.{app}.api")
            api.add_router(getattr(module, "API_PREFIX", f"/{app}"), module.router)


_mount_domain_routers()


def _json(request, status: int, body: dict):
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    # the documented shape: every field maps to a list of messages
    errors = {field: [str(m) for m in (v if isinstance(v, list | tuple) else [v])] for field, v in exc.errors.items()}
    return _json(request, 400, {**exc.as_dict(), "errors": errors})


@api.exception_handler(ImportRejected)
def on_import_rejected(request, exc: ImportRejected):
    return _json(request, 400, exc.as_dict())


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        # loc is like ("body", "payload", "name", "str"): the field is the first real part;
        # the union-type branch after it says nothing a client can act on.
        location = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path", "payload", "filters")]
        messages = errors.setdefault(location[0] if location else "body", [])
        if item.get("msg") not in messages:
            messages.append(item.get("msg", "invalid"))
    return _json(request, 422, {"detail": _("请求数据格式不正确"), "errors": errors})


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _json(request, 413, {"detail": _("请求体过大（上限 %(kb)d KB）") % {"kb": limit // 1024}, "errors": {}})


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request, exc):
    return _json(request, 400, {"detail": _("请求格式不正确"), "errors": {}})


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def on_out_of_range(request, exc):
    """A number or text the database column cannot hold (SQLite raises OverflowError,
    PostgreSQL DataError). Operations validate their own fields; this is the net under
    them, so the client gets a 422 rather than a 500 on either database."""
    logger.warning("value out of the column's range: %s", exc)
    return _json(request, 422, {"detail": _("请求数据格式不正确"), "errors": {"body": [_("数值或文本超出允许范围")]}})


@api.exception_handler(NotAuthenticated)
@api.exception_handler(AuthenticationError)
def on_not_authenticated(request, exc):
    return _json(request, 401, {"detail": _("需要登录或提供有效的访问令牌")})


@api.exception_handler(PermissionDenied)
def on_denied(request, exc):
    message = str(exc) if str(exc) and "rule" not in str(exc) else _("无权执行此操作")
    return _json(request, 403, {"detail": message})


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request, exc):
    return _json(request, 404, {"detail": _("对象不存在或不在您的权限范围内")})


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _json(request, exc.status_code, {"detail": str(exc)})


@api.exception_handler(Exception)
def on_unexpected(request, exc: Exception):
    logger.exception("unhandled API error")
    return _json(request, 500, {"detail": _("服务器内部错误，已记录")})
