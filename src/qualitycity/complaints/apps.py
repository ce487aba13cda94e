from django.apps import AppConfig
from django.utils.translation import gettext_noop


class ComplaintsConfig(AppConfig):
    name = "qualitycity.complaints"
    label = "complaints"
    verbose_name = "诉求受理与督办"
    # Navigation entries: (url name, label, permission rule), shown when the rule allows.
    nav: list[tuple[str, str, str]] = [
        ("complaints:index", gettext_noop("诉求办理"), "complaints.view"),
        ("complaints:bulletins", gettext_noop("督办通报"), "complaints.bulletins"),
    ]
    # Public services on the home page and the portal: (url name, label, permission rule).
    public_links: list[tuple[str, str, str]] = [
        ("complaints:new", gettext_noop("我要投诉·反映问题"), "complaints.submit"),
        ("complaints:track", gettext_noop("查询诉求办理进度"), "complaints.track"),
    ]
    # Cards on the user's home page: selector functions (user, role) -> core.workbench.Card | None.
    workbench = ["qualitycity.complaints.selectors.workbench"]

    def ready(self):
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec(f"{self.name}.rules"):
            import_module(f"{self.name}.rules")  # registers the app's permission rules
        from .services import lookups

        lookups.connect_signals()  # changes to routing, taxonomy and districts reach the intake copies
