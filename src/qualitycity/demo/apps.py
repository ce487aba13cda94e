from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "qualitycity.demo"
    label = "demo"
    verbose_name = "演示城市"
