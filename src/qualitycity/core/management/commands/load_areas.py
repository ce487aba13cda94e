"""`qcity load_areas FILE.geojson --city NAME --code CODE`: a city's districts for maps."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitycity.core.reference import load_areas_from_geojson


class Command(BaseCommand):
    help = "Load a city's districts from GeoJSON (properties: name, adcode, center)."

    def add_arguments(self, parser):
        parser.add_argument("geojson")
        parser.add_argument("--city", required=True)
        parser.add_argument("--code", required=True, help="the city's GB/T 2260 code")
        parser.add_argument("--zone", action="append", default=[], help="a functional zone (repeatable)")

    def handle(self, *args, **options):
        path = Path(options["geojson"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            n = load_areas_from_geojson(path, city_name=options["city"], city_code=options["code"], zones=options["zone"])
        except (KeyError, ValueError) as exc:
            raise CommandError(f"GeoJSON 格式不符：{exc}") from None
        self.stdout.write(f"已载入 {n} 个区域")
