"""Loading reference data: GB/T 4754-2017 industries (national, every install) and a
city's areas (the demo loads Wuhan; another city runs ``qcity load_areas``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"
INDUSTRY_FILE = DATA_DIR / "gbt4754_2017.csv"


def load_industries(Industry) -> int:
    """Idempotent; takes the model class so a data migration can pass its historical model."""
    with INDUSTRY_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {}
    for row in rows:
        parent = by_code.get(row["parent"]) if row["parent"] else None
        obj, _ = Industry.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": "division" if parent else "section", "parent": parent},
        )
        by_code[row["code"]] = obj
    return len(by_code)


def load_areas_from_geojson(path: Path, *, city_name: str, city_code: str, zones: list[str] = ()) -> int:
    """Create the city, one district per GeoJSON feature (``name``, ``adcode``, ``center``)
    and the functional zones, which have no GB/T 2260 code."""
    from .models import Area

    features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    with transaction.atomic():
        city, _ = Area.objects.update_or_create(
            name=city_name, defaults={"code": city_code, "kind": Area.Kind.CITY, "sort_order": 0}
        )
        for order, feature in enumerate(sorted(features, key=lambda f: f["properties"]["adcode"]), start=1):
            props = feature["properties"]
            center = props.get("center") or [None, None]
            Area.objects.update_or_create(
                name=props["name"],
                defaults={
                    "code": str(props["adcode"]),
                    "kind": Area.Kind.DISTRICT,
                    "parent": city,
                    "center_lng": center[0],
                    "center_lat": center[1],
                    "sort_order": order,
                },
            )
        for offset, zone in enumerate(zones, start=100):
            Area.objects.update_or_create(
                name=zone, defaults={"code": "", "kind": Area.Kind.FUNCTIONAL_ZONE, "parent": city, "sort_order": offset}
            )
    return len(features) + len(zones)
