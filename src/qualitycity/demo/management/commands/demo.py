"""`qcity demo [--scale N] [--seed S]`: build the deterministic demo city."""

import time
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qualitycity.demo.accounts import create_demo_users, print_logins
from qualitycity.demo.generator import build_demo_city


def demo_order(apps: list[str]) -> list[str]:
    """The apps' demos in settings order, except that the quality index comes after every
    module it takes indicators from (brands loads after it in DOMAIN_APPS), and the annual
    assessment, which reads the published index, after the index."""
    late = [app for app in ("indices", "governance") if app in apps]
    rest = [app for app in apps if app not in late and app != "portal"]
    return rest + late + (["portal"] if "portal" in apps else [])


class Command(BaseCommand):
    help = "Load the demo city (Wuhan) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="multiply the volume (1 = 2,000 enterprises)")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if options["scale"] < 1:
            raise CommandError("--scale 必须是正整数")
        started = time.perf_counter()
        try:
            summary = build_demo_city(scale=options["scale"], seed=options["seed"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        create_demo_users()
        for app in demo_order(settings.DOMAIN_APPS):
            # Each domain app may ship demo data: qualitycity.<app>.demo.load_demo(seed=, scale=, stdout=)
            if find_spec(f"qualitycity.{app}.demo"):
                import_module(f"qualitycity.{app}.demo").load_demo(
                    seed=options["seed"], scale=options["scale"], stdout=self.stdout
                )
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"演示城市已生成（{seconds:.1f} 秒）：企业 {summary.enterprises}，服务机构 {summary.providers}，"
            f"成员单位 {summary.departments}，园区 {summary.parks}，专家 {summary.experts}"
        )
        print_logins(self.stdout)
