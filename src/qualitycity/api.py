"""The JSON API at /api/v1/: each app contributes a router; errors are always JSON."""

from __future__ import annotations

import logging
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .core.api import router as directory_router
from .core.errors import DomainError, ImportRejected
from .core.permissions import NotAuthenticated

logger = logging.getLogger("qualitycity.api")

api = NinjaAPI(
    title="QualityCity API",
    version="1.0.0",
    description="质量强市平台 API. Authenticate with a session or `Authorization: Bearer <personal access token>`.",
    docs_url="/docs",
)
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
    return _json(request, 400, exc.as_dict())


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
    return _json(request, 422, {"detail": "请求数据格式不正确", "errors": errors})


@api.exception_handler(NotAuthenticated)
@api.exception_handler(AuthenticationError)
def on_not_authenticated(request, exc):
    return _json(request, 401, {"detail": "需要登录或提供有效的访问令牌"})


@api.exception_handler(PermissionDenied)
def on_denied(request, exc):
    message = str(exc) if str(exc) and "rule" not in str(exc) else "无权执行此操作"
    return _json(request, 403, {"detail": message})


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request, exc):
    return _json(request, 404, {"detail": "对象不存在或不在您的权限范围内"})


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _json(request, exc.status_code, {"detail": str(exc)})


@api.exception_handler(Exception)
def on_unexpected(request, exc: Exception):
    logger.exception("unhandled API error")
    return _json(request, 500, {"detail": "服务器内部错误，已记录"})
