from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qualitycity.core"
    label = "core"
    verbose_name = "基础目录"

    def ready(self):
        from . import rules  # noqa: F401  (registers the permission rules)
