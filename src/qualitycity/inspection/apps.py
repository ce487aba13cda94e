from django.apps import AppConfig
from django.utils.translation import gettext_noop


class InspectionConfig(AppConfig):
    name = "qualitycity.inspection"
    label = "inspection"
    verbose_name = "质量服务与一键报检"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("inspection:index", gettext_noop("质量服务"), "inspection.catalogue.view"),
        ("inspection:orders", gettext_noop("检验订单"), "inspection.orders.list"),
        ("inspection:lab", gettext_noop("实验室工作台"), "inspection.lab.work"),
        ("inspection:my_services", gettext_noop("我的服务"), "inspection.services.manage"),
        ("inspection:stats", gettext_noop("检验统计"), "inspection.stats.view"),
    ]
    # Public services on the home page and the portal: (url name, label, permission rule).
    public_links: list[tuple[str, str, str]] = [
        ("inspection-verify", gettext_noop("查验检验报告"), "inspection.reports.verify"),
    ]
    # Cards on the user's home page: selector functions (user, role) -> core.workbench.Card | None.
    workbench = ["qualitycity.inspection.selectors.workbench"]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
