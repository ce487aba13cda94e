"""Every URL and every API operation declares a permission rule that exists."""

import pytest

from qualitycity.core.permissions import RULES

from .api_operations import api_operations, url_views

SELF_GUARDED = {"admin", "api-1.0.0"}  # admin checks is_staff; the API checks per operation (below)


def test_every_url_pattern_declares_a_rule():
    missing = []
    for route, namespaces, callback in url_views():
        if SELF_GUARDED & set(namespaces) or route.startswith("api/v1/"):
            continue
        rule = getattr(callback, "permission_rule", None)
        if rule not in RULES:
            missing.append(route)
    assert missing == []


def test_every_api_operation_declares_a_rule():
    operations = list(api_operations())
    assert len(operations) >= 15  # guards against enumerating nothing
    missing = [f"{m} {p}" for m, p, view in operations if getattr(view, "permission_rule", None) not in RULES]
    assert missing == []


@pytest.mark.django_db
def test_a_view_without_a_rule_is_refused(rf):
    """Deny by default: the middleware refuses an undeclared view even if a test misses it."""
    from django.core.exceptions import PermissionDenied

    from qualitycity.core.middleware import PermissionRuleMiddleware

    request = rf.get("/x")
    request.resolver_match = None
    with pytest.raises(PermissionDenied):
        PermissionRuleMiddleware(lambda r: None).process_view(request, lambda r: None, (), {})
