"""Indicator values per district and year: Excel/CSV import, manual entry, platform providers."""

from __future__ import annotations

import math

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import Area
from qualitycity.core.services import audit
from qualitycity.core.tabular import read_table
from qualitycity.methods.composite.table import MISSING_TOKENS

from .. import sources
from ..models import Framework, Indicator, Value

DISTRICT_COLUMN = "区"
YEARS = range(2000, 2101)


def units() -> list[Area]:
    """The units ranked: the city's districts (functional zones have no boundaries of their own
    in the map and their statistics are reported inside districts)."""
    return list(Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("sort_order", "code", "name"))


def _check_year(year: int) -> None:
    if year not in YEARS:
        raise DomainError(_("年份 %(y)s 不在 2000–2100 之间") % {"y": year}, field="year")


def parse_cell(text: str) -> float | None:
    """None for an empty/"NA" cell; ValueError for anything else that is not a finite number."""
    raw = str(text).strip().replace(",", "")
    if raw.lower() in MISSING_TOKENS:
        return None
    value = float(raw.rstrip("%"))
    if not math.isfinite(value):
        raise ValueError
    return value


def _write(by, framework, year, cells: dict[tuple[int, int], float | None], origin: str, synthetic=False,
           extra: dict | None = None) -> int:
    existing = {(v.indicator_id, v.area_id): v for v in
                Value.objects.filter(indicator__framework=framework, year=year)}
    written = 0
    for (ind_id, area_id), value in cells.items():
        old = existing.get((ind_id, area_id))
        if value is None:
            if old is not None:
                old.delete()
                written += 1
            continue
        if old is None:
            Value.objects.create(indicator_id=ind_id, area_id=area_id, year=year, value=value, origin=origin,
                                 synthetic=synthetic)
        elif old.value != value or old.origin != origin:
            old.value, old.origin, old.synthetic = value, origin, synthetic
            old.save(update_fields=["value", "origin", "synthetic", "updated_at"])
        else:
            continue
        written += 1
    audit.record(by=by, action=f"indices.values.{origin}", obj=framework,
                 changes={"year": year, "cells": written, **(extra or {})})
    return written


def import_values(*, by: audit.Actor, framework: Framework, year: int, filename: str, content: bytes) -> int:
    """One sheet: first column 区 (district name), then one column per indicator (code or name).

    Every row is checked before anything is written; any problem rejects the whole file and
    lists each bad cell by line and column (with the Excel column letter)."""
    _check_year(year)
    table = read_table(filename, content)
    header = table.header
    by_key = {}
    for ind in framework.indicators.all():
        by_key[ind.code] = ind
        by_key[ind.name] = ind
    areas = {a.name: a for a in units()}
    problems: list[dict] = []
    if not header or header[0] != DISTRICT_COLUMN:
        raise ImportRejected([{"line": 1, "column": header[0] if header else "A",
                               "message": _("第一列必须是“区”")}])
    columns: list[tuple[str, str, Indicator]] = []
    seen: set[int] = set()
    for idx, h in enumerate(header[1:], start=2):
        letter = get_column_letter(idx)
        if not h:
            continue
        ind = by_key.get(h)
        if ind is None:
            problems.append({"line": 1, "column": f"{letter}（{h}）", "message": _("不是本体系的指标")})
        elif ind.pk in seen:
            problems.append({"line": 1, "column": f"{letter}（{h}）", "message": _("指标列重复")})
        else:
            seen.add(ind.pk)
            columns.append((h, letter, ind))
    cells: dict[tuple[int, int], float | None] = {}
    seen_rows: dict[str, int] = {}
    for line, raw in table.rows:
        name = raw.get(DISTRICT_COLUMN, "").strip()
        area = areas.get(name)
        if area is None:
            problems.append({"line": line, "column": f"A（{DISTRICT_COLUMN}）",
                             "message": _("“%(n)s”不是本市的区") % {"n": name}})
            continue
        if name in seen_rows:
            problems.append({"line": line, "column": f"A（{DISTRICT_COLUMN}）",
                             "message": _("与第 %(l)s 行重复") % {"l": seen_rows[name]}})
            continue
        seen_rows[name] = line
        for h, letter, ind in columns:
            text = raw.get(h, "")
            try:
                value = parse_cell(text)
            except ValueError:
                problems.append({"line": line, "column": f"{letter}（{h}）",
                                 "message": _("“%(v)s”不是数字") % {"v": text}})
                continue
            if value is not None:
                cells[(ind.pk, area.pk)] = value
    if not table.rows:
        problems.append({"line": 2, "column": "", "message": _("文件没有数据行")})
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        return _write(by, framework, year, cells, Value.Origin.IMPORT)


def save_manual(*, by: audit.Actor, framework: Framework, year: int, entries: dict[tuple[int, int], str]) -> int:
    """Manual grid entry: ``entries`` maps (indicator id, area id) to the typed text; an empty
    cell removes the value. All cells are checked first; nothing is saved if one is bad."""
    _check_year(year)
    inds = {i.pk: i for i in framework.indicators.all()}
    areas = {a.pk: a for a in units()}
    errors: dict[str, list[str]] = {}
    cells: dict[tuple[int, int], float | None] = {}
    for (ind_id, area_id), text in entries.items():
        if ind_id not in inds or area_id not in areas:
            raise DomainError(_("指标或区不属于本体系"))
        try:
            cells[(ind_id, area_id)] = parse_cell(text)
        except ValueError:
            errors[f"v_{ind_id}_{area_id}"] = [_("%(a)s·%(i)s：“%(v)s”不是数字")
                                               % {"a": areas[area_id].name, "i": inds[ind_id].name, "v": text}]
    if errors:
        raise DomainError(_("有 %(n)s 个单元格不是数字，未保存任何数据") % {"n": len(errors)}, errors=errors)
    with transaction.atomic():
        return _write(by, framework, year, cells, Value.Origin.MANUAL)


def fill_from_platform(*, by: audit.Actor, framework: Framework, year: int, min_coverage: float = 1e-9,
                       require_variance: bool = False) -> tuple[int, list[str]]:
    """Compute every indicator that names a registered provider, for every district.

    A provider that has data for fewer than ``min_coverage`` of the districts that year
    (by default: for none) leaves the indicator's existing values alone, so a module that
    holds no data for an early year does not wipe out that year's imported figures; the
    codes left alone are returned and audited. Within a computed column a district without
    data becomes a missing cell (imputed and reported), never a zero. With ``require_variance``
    a column in which every district has the same value is left alone too (the demo uses it:
    such a column cannot be normalised, and the demo must always compute)."""
    _check_year(year)
    areas = units()
    cells: dict[tuple[int, int], float | None] = {}
    kept: list[str] = []
    for ind in framework.indicators.exclude(provider=""):
        provider = sources.get(ind.provider)
        if provider is None:
            raise DomainError(_("指标“%(i)s”的计算口径“%(p)s”未登记") % {"i": ind.name, "p": ind.provider})
        column = {area.pk: provider.func(area, year) for area in areas}
        found = [v for v in column.values() if v is not None]
        if not areas or len(found) / len(areas) < min_coverage or (require_variance and len(set(found)) < 2):
            kept.append(ind.code)
            continue
        cells.update({(ind.pk, area_id): v for area_id, v in column.items()})
    with transaction.atomic():
        written = _write(by, framework, year, cells, Value.Origin.COMPUTED, extra={"kept": kept})
    return written, kept


def matrix(framework: Framework, year: int) -> tuple[list[Area], list[Indicator], list[list[float | None]]]:
    areas = units()
    inds = list(framework.indicators.select_related("group", "group__parent"))
    index = {(v.indicator_id, v.area_id): v.value for v in Value.objects.filter(indicator__framework=framework,
                                                                                  year=year)}
    rows = [[index.get((i.pk, a.pk)) for i in inds] for a in areas]
    return areas, inds, rows
