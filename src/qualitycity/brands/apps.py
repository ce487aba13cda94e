from django.apps import AppConfig
from django.utils.translation import gettext_noop


class BrandsConfig(AppConfig):
    name = "qualitycity.brands"
    label = "brands"
    verbose_name = "武汉名品"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("brands:index", gettext_noop("武汉名品"), "brands.public"),
        ("brands:applications", gettext_noop("名品申请"), "brands.apply"),
        ("brands:review", gettext_noop("名品审核"), "brands.review"),
        ("brands:supervision", gettext_noop("名品监管"), "brands.supervise"),
        ("brands:settings", gettext_noop("名品设置"), "brands.configure"),
    ]
    # Public services on the home page and the portal: (url name, label, permission rule).
    public_links: list[tuple[str, str, str]] = [
        ("brands:check", gettext_noop("查验名品证书"), "brands.public"),
    ]
    # Cards on the user's home page: selector functions (user, role) -> core.workbench.Card | None.
    workbench = ["qualitycity.brands.selectors.workbench"]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
