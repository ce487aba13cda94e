from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import permissions
from .nav import grouped


def platform(request):
    user = getattr(request, "user", None)
    role = permissions.primary_role(user) if user is not None else permissions.ANONYMOUS
    return {
        "demo_mode": settings.DEMO_MODE,
        "primary_role": role,
        "nav": navigation(user) if user is not None else [],
        "nav_groups": grouped(navigation(user)) if user is not None else [],
    }


CORE_NAV = [
    ("home", gettext_noop("首页"), "public"),
    ("directory:enterprises", gettext_noop("企业"), "directory.enterprises.view"),
    ("directory:providers", gettext_noop("服务机构"), "directory.providers.view"),
    ("directory:government", gettext_noop("成员单位"), "directory.government.view"),
    ("directory:experts", gettext_noop("专家库"), "directory.experts.view"),
    ("directory:import", gettext_noop("导入导出"), "directory.import"),
    ("audit:list", gettext_noop("审计日志"), "audit.view"),
]


def navigation(user) -> list[dict]:
    """Role-aware navigation: a link appears only if its rule allows the user. Domain
    apps add entries through their AppConfig's ``nav`` (labels marked with gettext_noop)."""
    items = [(name, label, rule, "core") for name, label, rule in CORE_NAV]
    for config in apps.get_app_configs():
        items.extend((name, label, rule, config.label) for name, label, rule in getattr(config, "nav", []))
    return [
        {"url": reverse(name), "label": _(label), "app": app, "name": name}
        for name, label, rule, app in items
        if permissions.is_allowed(user, rule)
    ]
