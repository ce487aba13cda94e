from django.apps import AppConfig
from django.utils.translation import gettext_noop


class GovernanceConfig(AppConfig):
    name = "qualitycity.governance"
    label = "governance"
    verbose_name = "督查考核"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("governance:index", gettext_noop("督查考核"), "governance.tasks.view"),
        ("governance:schemes", gettext_noop("年度考核"), "governance.assessment.view"),
    ]
    # Cards on the user's home page: selector functions (user, role) -> core.workbench.Card | None.
    workbench = ["qualitycity.governance.selectors.workbench"]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
