from django.apps import AppConfig
from django.utils.translation import gettext_noop


class SurveysConfig(AppConfig):
    name = "qualitycity.surveys"
    label = "surveys"
    verbose_name = "满意度测评"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [("surveys:index", gettext_noop("满意度测评"), "surveys.view")]
    # Public services on the home page and the portal: (url name, label, permission rule).
    public_links: list[tuple[str, str, str]] = [
        ("surveys:public_index", gettext_noop("满意度测评结果"), "surveys.public"),
    ]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
