from django.apps import AppConfig
from django.utils.translation import gettext_noop


class PortalConfig(AppConfig):
    name = "qualitycity.portal"
    label = "portal"
    verbose_name = "公众门户"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("portal:home", gettext_noop("公众门户"), "portal.public"),
        ("portal:desk", gettext_noop("发布审批"), "portal.publish"),
    ]
    # Public services on the home page and the portal: (url name, label, permission rule).
    public_links: list[tuple[str, str, str]] = [
        ("portal:home", gettext_noop("公众门户：报告公示与开放数据"), "portal.public"),
        ("portal:surveys", gettext_noop("参与满意度调查"), "portal.public"),
    ]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
