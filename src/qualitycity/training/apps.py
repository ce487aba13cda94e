from django.apps import AppConfig
from django.utils.translation import gettext_noop


class TrainingConfig(AppConfig):
    name = "qualitycity.training"
    label = "training"
    verbose_name = "网上课堂"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("training:index", gettext_noop("网上课堂"), "training.courses.view"),
        ("training:stats", gettext_noop("培训统计"), "training.stats"),
    ]
    # Cards on the user's home page: selector functions (user, role) -> core.workbench.Card | None.
    workbench = ["qualitycity.training.selectors.workbench"]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
