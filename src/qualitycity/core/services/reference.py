"""Reference data that staff maintain: a city's areas and map, and admin edits of areas,
industries and experts. Each change is audited like any other."""

from __future__ import annotations

import hashlib

from django.db import models, transaction
from django.utils.translation import gettext as _

from .. import reference
from ..errors import DomainError
from ..models import CityMap
from . import audit

# The largest boundary file we keep in a row; a city's simplified districts are ~1 MB.
MAX_GEOJSON_BYTES = 20 * 1024 * 1024


def load_areas(*, by: audit.Actor, geojson: str, city_name: str, city_code: str, zones=()) -> CityMap:
    """A city's districts (one per GeoJSON feature) and functional zones; the file is kept
    so the maps draw this city's boundaries. All or nothing."""
    if len(geojson.encode()) > MAX_GEOJSON_BYTES:
        raise DomainError(_("GeoJSON 文件超过 %(mb)d MB") % {"mb": MAX_GEOJSON_BYTES // 2**20}, field="geojson")
    if not (city_code.isdigit() and len(city_code) == 6):
        raise DomainError(_("城市代码应为 6 位 GB/T 2260 代码"), field="code")
    try:
        districts = reference.parse_districts(geojson)
    except ValueError as exc:
        raise DomainError(_("GeoJSON 格式不符：%(problem)s") % {"problem": exc}, field="geojson") from None
    with transaction.atomic():
        from ..models import Area

        before = {a.name: audit.snapshot(a) for a in Area.objects.all()}
        touched = reference.upsert_areas(districts, city_name=city_name, city_code=city_code, zones=zones)
        entries = []
        for area in touched:
            old = before.get(area.name, {})
            changes = audit.diff(old, audit.snapshot(area))
            if changes:
                action = "area.update" if old else "area.create"
                entries.append(audit.Entry(by=by, action=action, obj=area, changes=changes))
        sha = hashlib.sha256(geojson.encode()).hexdigest()
        city_map = CityMap.objects.create(city=touched[0], geojson=geojson, sha256=sha)
        entries.append(audit.Entry(by=by, action="city_map.load", obj=city_map,
                                   changes={"sha256": [None, sha], "districts": [None, len(districts)]}))
        audit.record_many(entries)
    return city_map


def save_record(*, by: audit.Actor, obj: models.Model) -> models.Model:
    """Save an area, industry or expert edited by staff, recording what changed."""
    label = obj._meta.model_name
    with transaction.atomic():
        created = obj.pk is None
        before = {} if created else audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
        obj.save()
        changes = audit.diff(before, audit.snapshot(obj))
        if created or changes:
            audit.record(by=by, action=f"{label}.{'create' if created else 'update'}", obj=obj, changes=changes)
    return obj


def delete_record(*, by: audit.Actor, obj: models.Model) -> None:
    """Delete a reference row; refused with a message while other rows still use it."""
    label = obj._meta.model_name
    with transaction.atomic():
        audit.record(by=by, action=f"{label}.delete", obj=obj, changes=audit.diff(audit.snapshot(obj), {}))
        try:
            with transaction.atomic():
                obj.delete()
        except models.ProtectedError:
            raise DomainError(_("“%(obj)s”仍被其他记录引用，不能删除") % {"obj": obj}) from None
