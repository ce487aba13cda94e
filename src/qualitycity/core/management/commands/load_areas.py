"""`qcity load_areas FILE.geojson --city NAME --code CODE`: a city's districts and map."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qualitycity.core.errors import DomainError
from qualitycity.core.services import reference
from qualitycity.core.services.audit import Actor


class Command(BaseCommand):
    help = "Load a city's districts from GeoJSON (properties: name, adcode, center) and keep it for the maps."

    def add_arguments(self, parser):
        parser.add_argument("geojson")
        parser.add_argument("--city", required=True)
        parser.add_argument("--code", required=True, help="the city's GB/T 2260 code")
        parser.add_argument("--zone", action="append", default=[], help="a functional zone (repeatable)")

    def handle(self, *args, **options):
        path = Path(options["geojson"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            text = path.read_text(encoding="utf-8")
            city_map = reference.load_areas(
                by=Actor.system("qcity load_areas"), geojson=text,
                city_name=options["city"], city_code=options["code"], zones=options["zone"],
            )
        except UnicodeDecodeError:
            raise CommandError("GeoJSON 文件应为 UTF-8 编码") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        count = len(reference.reference.parse_districts(city_map.geojson)) + len(options["zone"])
        self.stdout.write(f"已载入 {count} 个区域，地图已更新（/geo/districts.geojson）")
