from django.apps import AppConfig
from django.utils.translation import gettext_noop


class IndicesConfig(AppConfig):
    name = "qualitycity.indices"
    label = "indices"
    verbose_name = "质量发展指数"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("indices:index", gettext_noop("质量指数"), "indices.view"),
        ("indices:public_list", gettext_noop("质量指数发布"), "indices.public"),
    ]
    # Public services on the home page and the portal: (url name, label, permission rule).
    public_links: list[tuple[str, str, str]] = [
        ("indices:public_list", gettext_noop("质量发展指数"), "indices.public"),
    ]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
