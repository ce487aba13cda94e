"""Enumerating every URL pattern and API operation, for the permission tests."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from qualitycity.api import api


def url_views(resolver=None, prefix="", namespaces=()):
    """Yield (route, namespaces, callback) for every Django URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from url_views(pattern, route, ns)
        elif isinstance(pattern, URLPattern):
            yield route, namespaces, pattern.callback


def api_operations():
    """Yield (methods, path, view_func) for every django-ninja operation."""
    routers = [("", api.default_router)] + [(prefix, router) for prefix, router, *_ in api._routers]
    seen = set()
    for prefix, router in routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                key = (tuple(operation.methods), prefix + path)
                if key in seen:
                    continue
                seen.add(key)
                yield operation.methods, prefix + path, operation.view_func
