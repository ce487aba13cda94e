"""Loading the ISO catalogue (shared/data/standards/iso_standards.csv.gz, from
relaton-data-iso; see data/SOURCES.md) with bulk operations.

Stage codes (ISO/IEC Directives Part 1, Annex SD): 60.60 published; 90.xx under
systematic review and still in force (90.92 to be revised); 95.99 withdrawn; stages below
60 are drafts, which are listed as "upcoming". Relations: ``obsoletes:OLD`` (this record
replaces OLD) and ``updates:NEW`` (NEW replaces this record, as relaton writes it) both
become replacement links; ``partOf`` is ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from dataclasses import dataclass

from django.db import transaction

from qualitycity.core.services import audit

from .. import facet_cache, numbers
from ..models import ChangeEvent, ChangeKind, IcsCode, Replacement, Standard, Status
from . import follows
from .catalogue import build_search_text, ics_fields_of, refresh_ics_fields

BATCH = 2000


def stage_status(stage: str) -> str:
    if not stage:
        return Status.CURRENT
    major = stage.split(".")[0]
    if stage == "95.99":
        return Status.ABOLISHED
    if major in ("60", "90", "95"):
        return Status.CURRENT  # 95.20/95.60: withdrawal under way, still in force
    return Status.UPCOMING


def _published(text: str) -> dt.date | None:
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text or "")
    if not m:
        return None
    return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))


@dataclass
class IsoReport:
    rows: int
    created: int
    updated: int
    unparsed: int
    replacements: int
    events: int


def _identity(reference: str) -> dict:
    """Number parts of a reference; the few that don't parse (ISO/IEC DIR 1 ISO SUP) keep
    their reference as the number."""
    parsed = numbers.try_parse(reference)
    if parsed is None:
        cleaned = re.sub(r"\s+", " ", reference.strip())
        digits = re.search(r"\d+", cleaned)
        return {"number": cleaned, "base_number": cleaned.split(":")[0], "prefix": cleaned.split(" ")[0][:40],
                "sequence": digits[0] if digits else "", "part": "", "year": "", "_parsed": False}
    return {"number": parsed.canonical, "base_number": parsed.base, "prefix": parsed.prefix,
            "sequence": parsed.sequence[:20], "part": parsed.part[:20], "year": parsed.year, "_parsed": True}


def read_rows(content: bytes) -> list[dict]:
    text = gzip.decompress(content).decode("utf-8") if content[:2] == b"\x1f\x8b" else content.decode("utf-8")
    latest: dict[str, dict] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row.get("reference"):
            latest[row["reference"].strip()] = row  # the catalogue repeats some references: last wins
    return list(latest.values())


def import_iso(*, by: audit.Actor, content: bytes, progress=None) -> IsoReport:
    """Upsert every record by number, link ICS codes and editions. ``progress`` is an
    optional callable(n) advanced per row (the command passes a tqdm bar's update)."""
    rows = read_rows(content)
    ics_ids = dict(IcsCode.objects.values_list("code", "id"))
    with transaction.atomic():
        existing = {n: (pk, status) for pk, n, status in Standard.objects.filter(kind="international").values_list(
            "id", "number", "status")}
        new_objects, changed, unparsed = [], [], 0
        parsed_rows = []
        ics_by_number: dict[str, set[str]] = {}  # a number listed twice gets both rows' codes
        for row in rows:
            ident = _identity(row["reference"])
            unparsed += not ident.pop("_parsed")
            status = stage_status(row.get("stage", ""))
            fields = dict(
                ident, kind="international", title_en=row.get("title_en", "")[:1000], status=status,
                published_on=_published(row.get("published", "")), stage=row.get("stage", "")[:8],
                committee=row.get("committee", "")[:120], ics_codes=row.get("ics", "")[:200], source="iso",
                search_text=build_search_text(number=ident["number"], title_zh="", title_en=row.get("title_en", "")),
            )
            parsed_rows.append((fields["number"], row))
            ics_by_number.setdefault(fields["number"], set()).update(
                c for c in row.get("ics", "").split(";") if c in ics_ids)
            if progress:
                progress(1)
            if fields["number"] in existing:
                pk, before = existing[fields["number"]]
                if before == Status.REPLACED and status == Status.ABOLISHED:
                    continue  # withdrawn because a newer edition replaced it: already known
                if before != status:
                    changed.append((Standard(pk=pk, **fields), before))
            else:
                existing[fields["number"]] = (None, status)
                new_objects.append(Standard(**fields))
        for std in new_objects:
            std.ics_fields = ics_fields_of(ics_by_number[std.number])
        for start in range(0, len(new_objects), BATCH):
            Standard.objects.bulk_create(new_objects[start:start + BATCH], batch_size=BATCH)
        if changed:
            Standard.objects.bulk_update([s for s, _ in changed], ["status", "stage", "search_text"], batch_size=BATCH)
        ids = dict(Standard.objects.filter(kind="international").values_list("number", "id"))
        through = Standard.ics.through
        links, replacements = [], []
        for number, row in parsed_rows:
            sid = ids[number]
            links += [through(standard_id=sid, icscode_id=ics_ids[c]) for c in row.get("ics", "").split(";") if c in ics_ids]
            for relation in filter(None, (row.get("relations") or "").split("|")):
                kind, _, ref = relation.partition(":")
                other = ids.get(_identity(ref)["number"]) if kind in ("obsoletes", "updates") else None
                if other and other != sid:
                    old, new = (other, sid) if kind == "obsoletes" else (sid, other)
                    replacements.append(Replacement(old_id=old, new_id=new))
        through.objects.bulk_create(links, batch_size=BATCH * 5, ignore_conflicts=True)
        # links are only ever added here, so a standard known before may have gained fields
        created_numbers = {s.number for s in new_objects}
        refresh_ics_fields(ids[n] for n in ics_by_number if n not in created_numbers)
        Replacement.objects.bulk_create(replacements, batch_size=BATCH * 5, ignore_conflicts=True)
        # A withdrawn edition that a newer one obsoletes was replaced, not just abolished.
        replaced_ids = {r.old_id for r in replacements}
        for start in range(0, len(replaced_ids), 900):
            chunk = list(replaced_ids)[start:start + 900]
            Standard.objects.filter(pk__in=chunk, status=Status.ABOLISHED).update(status=Status.REPLACED)
        events = [
            ChangeEvent(standard_id=s.pk, kind=ChangeKind.ABOLISHED if s.status == Status.ABOLISHED else ChangeKind.STATUS,
                        summary=f"{s.number} 状态由“{Status(before).label}”变为“{Status(s.status).label}”")
            for s, before in changed
        ]
        ChangeEvent.objects.bulk_create(events, batch_size=BATCH)
        follows.dispatch(events)
        facet_cache.catalogue_changed()
        audit.record(by=by, action="standards.import_iso", object_type="standards.standard",
                     changes={"rows": len(rows), "created": len(new_objects), "updated": len(changed)})
    return IsoReport(len(rows), len(new_objects), len(changed), unparsed, len(replacements), len(events))
