from django.apps import AppConfig
from django.utils.translation import gettext_noop


class ConsultConfig(AppConfig):
    name = "qualitycity.consult"
    label = "consult"
    verbose_name = "专家在线问诊"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("consult:index", gettext_noop("专家问诊"), "consult.cases.view"),
        ("consult:knowledge", gettext_noop("问诊知识库"), "consult.knowledge.view"),
        ("consult:recommendations", gettext_noop("为您推荐"), "recommend.view"),
    ]
    # Cards on the user's home page: selector functions (user, role) -> core.workbench.Card | None.
    workbench = ["qualitycity.consult.selectors.workbench"]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
