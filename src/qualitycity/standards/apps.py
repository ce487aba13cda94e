from django.apps import AppConfig
from django.utils.translation import gettext_noop


class StandardsConfig(AppConfig):
    name = "qualitycity.standards"
    label = "standards"
    verbose_name = "掌上标准馆"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("standards:index", gettext_noop("标准查询"), "standards.search"),
        ("standards:mine", gettext_noop("我的标准"), "standards.follow"),
        ("standards:work", gettext_noop("标准化工作"), "standards.work"),
        ("standards:import", gettext_noop("导入标准目录"), "standards.import"),
    ]
    # Public services on the home page and the portal: (url name, label, permission rule).
    public_links: list[tuple[str, str, str]] = [
        ("standards:index", gettext_noop("查标准"), "standards.search"),
    ]
    # Cards on the user's home page: selector functions (user, role) -> core.workbench.Card | None.
    workbench = ["qualitycity.standards.selectors.workbench"]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        from django.db.models.signals import m2m_changed

        from .models import Standard
        from .services.catalogue import ics_links_changed

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
        m2m_changed.connect(ics_links_changed, sender=Standard.ics.through, dispatch_uid="standards.ics_fields")
