from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "qualitycity.standards"
    label = "standards"
    verbose_name = "掌上标准馆"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = []

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
