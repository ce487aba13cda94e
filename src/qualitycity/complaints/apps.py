from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "qualitycity.complaints"
    label = "complaints"
    verbose_name = "诉求受理与督办"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = []

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
