"""Grouping the role-aware navigation into one menu per module, so a city official with
thirty links sees a dozen headings instead of a wall of links; and the public services
that apps offer everyone (the home page's and the portal's quick links)."""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import permissions

GROUP_LABELS = {
    "core": gettext_noop("目录"),
    "standards": gettext_noop("标准"),
    "inspection": gettext_noop("质量服务"),
    "consult": gettext_noop("专家问诊"),
    "training": gettext_noop("网上课堂"),
    "complaints": gettext_noop("诉求督办"),
    "risk": gettext_noop("风险预警"),
    "surveys": gettext_noop("满意度"),
    "indices": gettext_noop("质量指数"),
    "governance": gettext_noop("督查考核"),
    "brands": gettext_noop("武汉名品"),
    "portal": gettext_noop("公众门户"),
}


def grouped(items: list[dict]) -> list[dict]:
    """One entry per module; a module with a single visible link stays a plain link,
    and the home page is always a plain link of its own."""
    groups: dict[str, dict] = {}
    for item in items:
        key = "home" if item["name"] == "home" else item["app"]
        if key not in groups:
            groups[key] = {"label": _(GROUP_LABELS.get(key, key)) if key != "home" else item["label"], "items": []}
        groups[key]["items"].append(item)
    return list(groups.values())


def public_links(user) -> list[dict]:
    """The public services of every app (``AppConfig.public_links``: url name, label,
    rule) that this user may use, e.g. filing a complaint or checking a test report."""
    return [
        {"url": reverse(name), "label": _(label), "app": config.label}
        for config in apps.get_app_configs()
        for name, label, rule in getattr(config, "public_links", [])
        if permissions.is_allowed(user, rule)
    ]
