from django.conf import settings

from . import permissions


def platform(request):
    user = getattr(request, "user", None)
    role = permissions.primary_role(user) if user is not None else permissions.ANONYMOUS
    return {
        "demo_mode": settings.DEMO_MODE,
        "primary_role": role,
        "nav": navigation(user) if user is not None else [],
    }


def navigation(user) -> list[dict]:
    """Role-aware navigation: a link appears only if its rule allows the user."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    items = [
        ("home", _("首页"), "public"),
        ("directory:enterprises", _("企业"), "directory.enterprises.view"),
        ("directory:providers", _("服务机构"), "directory.providers.view"),
        ("directory:government", _("成员单位"), "directory.government.view"),
        ("directory:experts", _("专家库"), "directory.experts.view"),
        ("directory:import", _("导入导出"), "directory.import"),
        ("audit:list", _("审计日志"), "audit.view"),
    ]
    return [
        {"url": reverse(name), "label": label}
        for name, label, rule in items
        if user.is_authenticated and permissions.is_allowed(user, rule)
    ]
