"""Loading reference data: GB/T 4754-2017 industries (national, every install) and a
city's areas (the demo loads Wuhan; another city runs ``qcity load_areas``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

DATA_DIR = Path(__file__).resolve().parent / "data"
INDUSTRY_FILE = DATA_DIR / "gbt4754_2017.csv"


def load_industries(Industry) -> int:
    """Idempotent; takes the model class so a data migration can pass its historical model."""
    with INDUSTRY_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {}
    for row in rows:
        parent = by_code.get(row["parent"]) if row["parent"] else None
        obj, _created = Industry.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": "division" if parent else "section", "parent": parent},
        )
        by_code[row["code"]] = obj
    return len(by_code)


def parse_districts(text: str) -> list[dict]:
    """The districts of a GeoJSON FeatureCollection as ``{name, code, center}``; raises
    ``ValueError`` naming the first feature that lacks a name or a 6-digit adcode."""
    data = json.loads(text)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise ValueError(_("不是含有要素（features）的 FeatureCollection"))
    districts = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        name, code = str(props.get("name") or "").strip(), str(props.get("adcode") or "").strip()
        if not name or len(name) > 64:
            raise ValueError(_("第 %(n)d 个要素缺少名称（properties.name）") % {"n": number})
        if not (code.isdigit() and len(code) == 6):
            raise ValueError(_("第 %(n)d 个要素（%(name)s）的 adcode 不是 6 位 GB/T 2260 代码") % {"n": number, "name": name})
        center = props.get("center")
        ok = isinstance(center, list) and len(center) == 2 and all(isinstance(c, int | float) for c in center)
        districts.append({"name": name, "code": code, "center": center if ok else [None, None]})
    return districts


def upsert_areas(districts: list[dict], *, city_name: str, city_code: str, zones=()) -> list:
    """Create or update the city, its districts and functional zones (which have no
    GB/T 2260 code); returns every area touched, city first."""
    from .models import Area

    city, _created = Area.objects.update_or_create(
        name=city_name, defaults={"code": city_code, "kind": Area.Kind.CITY, "sort_order": 0}
    )
    touched = [city]
    for order, district in enumerate(sorted(districts, key=lambda d: d["code"]), start=1):
        area, _created = Area.objects.update_or_create(
            name=district["name"],
            defaults={
                "code": district["code"],
                "kind": Area.Kind.DISTRICT,
                "parent": city,
                "center_lng": district["center"][0],
                "center_lat": district["center"][1],
                "sort_order": order,
            },
        )
        touched.append(area)
    for offset, zone in enumerate(zones, start=100):
        area, _created = Area.objects.update_or_create(
            name=zone, defaults={"code": "", "kind": Area.Kind.FUNCTIONAL_ZONE, "parent": city, "sort_order": offset}
        )
        touched.append(area)
    return touched


def load_areas_from_geojson(path: Path, *, city_name: str, city_code: str, zones: list[str] = ()) -> int:
    """The demo's loader (no audit: it builds a fresh database). Deployments use
    ``services.reference.load_areas`` through ``qcity load_areas``, which audits and
    keeps the map."""
    districts = parse_districts(Path(path).read_text(encoding="utf-8"))
    with transaction.atomic():
        upsert_areas(districts, city_name=city_name, city_code=city_code, zones=zones)
    return len(districts) + len(zones)
