"""Importing directory organizations from CSV or Excel: all rows or none."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ..errors import DomainError, ImportRejected
from ..models import Organization
from ..tabular import read_table
from . import audit
from .directory import FIELDS, Lookups, _apply, clean


@dataclass
class ImportReport:
    created: int
    updated: int


def _column_label(category: str, key: str) -> str:
    return next((spec.label for spec in FIELDS[category] if spec.key == key), key)


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise DomainError(
            _("文件大小 %(size).1f MB，超过导入上限 %(limit).1f MB：请拆分后导入") % {"size": size / 2**20, "limit": limit / 2**20},
            field="file",
        )


def import_organizations(*, by: audit.Actor, category: str, filename: str, content: bytes) -> ImportReport:
    """Validate every row first; if any row is bad, raise ``ImportRejected`` listing each
    problem (line, column, message) and write nothing. Rows upsert by credit code, or by
    name for departments without one."""
    if category not in FIELDS:
        raise DomainError(_("不支持的机构类别“%(category)s”") % {"category": category[:40]})
    check_size(len(content))
    table = read_table(filename, content)
    known = {spec.label for spec in FIELDS[category]} | {spec.key for spec in FIELDS[category]}
    required = [spec for spec in FIELDS[category] if spec.required]
    missing = [s.label for s in required if s.label not in table.header and s.key not in table.header]
    if missing:
        raise ImportRejected([{"line": 1, "column": m, "message": _("缺少必需的列")} for m in missing])
    unknown = [h for h in table.header if h and h not in known]
    problems: list[dict] = [{"line": 1, "column": h, "message": _("无法识别的列")} for h in unknown]

    lookups = Lookups()
    cleaned: list[tuple[int, dict]] = []
    seen_codes: dict[str, int] = {}
    for line, raw in table.rows:
        values, errors = clean(category, raw, lookups)
        for key, message in errors.items():
            problems.append({"line": line, "column": _column_label(category, key), "message": message})
        code = values.get("credit_code")
        if code:
            if code in seen_codes:
                problems.append(
                    {
                        "line": line,
                        "column": _column_label(category, "credit_code"),
                        "message": _("与第 %(line)d 行的统一社会信用代码重复") % {"line": seen_codes[code]},
                    }
                )
            seen_codes.setdefault(code, line)
        cleaned.append((line, values))
    if not table.rows:
        problems.append({"line": 2, "column": "", "message": _("文件没有数据行")})
    if problems:
        raise ImportRejected(problems)

    existing_by_code = Organization.objects.in_bulk(list(seen_codes), field_name="credit_code")
    created = updated = 0
    with transaction.atomic():
        for _line, values in cleaned:
            org = existing_by_code.get(values.get("credit_code"))
            if org is None and not values.get("credit_code"):
                org = Organization.objects.filter(name=values["name"], kind=values.get("kind")).first()
            before = audit.snapshot(org) if org is not None else {}
            is_new = org is None
            org = org or Organization()
            _apply(org, values)
            org.save()
            created += is_new
            updated += not is_new
            audit.record(
                by=by,
                action="organization.import_create" if is_new else "organization.import_update",
                obj=org,
                changes=audit.diff(before, audit.snapshot(org)),
            )
    return ImportReport(created=created, updated=updated)
