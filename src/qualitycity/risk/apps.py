from django.apps import AppConfig
from django.utils.translation import gettext_noop


class RiskConfig(AppConfig):
    name = "qualitycity.risk"
    label = "risk"
    verbose_name = "质量安全风险监测预警"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("risk:index", gettext_noop("风险监测预警"), "risk.view"),
    ]
    # Cards on the user's home page: selector functions (user, role) -> core.workbench.Card | None.
    workbench = ["qualitycity.risk.selectors.workbench"]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
