"""Writing standards: the one upsert that the national import, the demo and the admin use.

It detects what changed against what is stored — a new standard, a status change, a new
edition replacing an old one, an abolition — and records each as a ``ChangeEvent`` with
the date it takes effect; followers are then notified (``services.follows``).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from qualitycity.core.models import Industry, Organization
from qualitycity.core.services import audit
from qualitycity.methods.textsearch import index_terms

from .. import facet_cache, numbers
from ..models import (
    CcsCode,
    ChangeEvent,
    ChangeKind,
    IcsCode,
    Replacement,
    Standard,
    StandardBody,
    Status,
)


def compact(number: str) -> str:
    """A number as one alphanumeric token (GB/T 19001-2016 → gbt190012016), which every
    tokenizer (FTS5 unicode61, PostgreSQL's parser) keeps whole."""
    return re.sub(r"[^0-9a-z]", "", number.lower())


def number_terms(parsed: numbers.StandardNumber) -> list[str]:
    terms = [compact(parsed.own), compact(parsed.base), compact(parsed.prefix + parsed.sequence), parsed.sequence]
    if parsed.adopted is not None:
        terms += [compact(parsed.adopted.canonical), compact(parsed.adopted.base)]
    return terms


def build_search_text(*, number: str, title_zh: str, title_en: str, scope: str = "", adopted_number: str = "") -> str:
    parsed = numbers.try_parse(number)
    extra = number_terms(parsed) if parsed else [compact(number)]
    if adopted_number:
        adopted = numbers.try_parse(adopted_number)
        extra += [compact(adopted.canonical), compact(adopted.base)] if adopted else [compact(adopted_number)]
    # Titles count twice so a title hit outranks a scope hit in bm25 and ts_rank_cd alike.
    return " ".join(index_terms(title_zh, title_zh, title_en, scope[:2000], extra_terms=extra, unigrams=True))


def ics_fields_of(codes: Iterable[str]) -> str:
    """``Standard.ics_fields`` for the given linked ICS codes: their distinct two-digit
    fields, sorted, ";"-joined (29.060.20, 29.060.10, 67.060 → "29;67")."""
    return ";".join(sorted({code[:2] for code in codes if code}))


def refresh_ics_fields(standard_ids: Iterable[int]) -> int:
    """Recompute ``ics_fields`` from the links of these standards; returns how many changed.
    For writers that link ICS codes in bulk (no m2m signal) to existing standards."""
    ids, changed = list(standard_ids), 0
    through = Standard.ics.through
    for start in range(0, len(ids), 500):  # under SQLite's bound-parameter limit
        chunk = ids[start:start + 500]
        codes: dict[int, set[str]] = {}
        for sid, code in through.objects.filter(standard_id__in=chunk).values_list("standard_id", "icscode__code"):
            codes.setdefault(sid, set()).add(code)
        stale: dict[str, list[int]] = {}
        for sid, stored in Standard.objects.filter(id__in=chunk).values_list("id", "ics_fields"):
            wanted = ics_fields_of(codes.get(sid, ()))
            if wanted != stored:
                stale.setdefault(wanted, []).append(sid)
        for value, sids in stale.items():
            changed += Standard.objects.filter(id__in=sids).update(ics_fields=value)
    return changed


# Set while a writer links ICS codes through ``.set()`` and has written ``ics_fields`` itself.
_writer_keeps_ics_fields = contextvars.ContextVar("writer_keeps_ics_fields", default=False)


@contextlib.contextmanager
def _keeping_ics_fields():
    token = _writer_keeps_ics_fields.set(True)
    try:
        yield
    finally:
        _writer_keeps_ics_fields.reset(token)


def ics_links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed receiver for ``Standard.ics``: keeps ``ics_fields`` right whoever edits
    the links (the admin, a shell, a future writer). Connected in apps.ready."""
    if _writer_keeps_ics_fields.get():
        return
    if reverse and action == "pre_clear":  # the code's standards are unknown after the clear
        instance._standards_before_clear = list(instance.standards.values_list("id", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_ics_fields([instance.pk])
    elif action == "post_clear":
        refresh_ics_fields(getattr(instance, "_standards_before_clear", []))
    else:
        refresh_ics_fields(pk_set or [])


@dataclass
class Record:
    """One standard as an import row describes it, already validated."""

    number: str
    title_zh: str = ""
    title_en: str = ""
    status: str = Status.CURRENT
    published_on: dt.date | None = None
    implemented_on: dt.date | None = None
    abolished_on: dt.date | None = None
    replaces: list[str] = field(default_factory=list)
    replaced_by: list[str] = field(default_factory=list)
    ics: list[str] = field(default_factory=list)
    ccs: str = ""
    adoption: str = ""
    adopted_number: str = ""
    competent_department: str = ""
    technical_committee: str = ""
    drafters: str = ""
    scope: str = ""
    industries: list[str] = field(default_factory=list)
    source: str = "import"


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    events: list[ChangeEvent] = field(default_factory=list)


FIELDS = (
    "title_zh", "title_en", "status", "published_on", "implemented_on", "abolished_on", "adoption",
    "adopted_number", "competent_department", "technical_committee", "drafters", "scope", "source",
)


def _fields_for(record: Record) -> dict:
    parsed = numbers.parse(record.number)
    values = {name: getattr(record, name) for name in FIELDS}
    values.update(
        base_number=parsed.base, kind=parsed.kind, prefix=parsed.prefix, sequence=parsed.sequence,
        part=parsed.part, year=parsed.year[:4], ics_codes=";".join(record.ics),
        search_text=build_search_text(
            number=record.number, title_zh=record.title_zh, title_en=record.title_en,
            scope=record.scope, adopted_number=record.adopted_number,
        ),
    )
    return values


def _stub(number: str, status: str) -> Standard:
    """A standard known only as the other end of a replacement (代替/被代替)."""
    parsed = numbers.parse(number)
    return Standard.objects.create(
        number=parsed.canonical, base_number=parsed.base, kind=parsed.kind, prefix=parsed.prefix,
        sequence=parsed.sequence, part=parsed.part, year=parsed.year[:4], status=status, source="reference",
        search_text=build_search_text(number=parsed.canonical, title_zh="", title_en=""),
    )


def _event(std: Standard, kind: str, on, summary: str, related: Standard | None = None) -> ChangeEvent:
    return ChangeEvent.objects.create(standard=std, kind=kind, effective_on=on, summary=summary[:300], related=related)


def _link_bodies(std: Standard, record: Record, orgs_by_name: dict[str, Organization]) -> None:
    """Directory organizations named as department, committee or drafter (exact name)."""
    wanted = [
        (StandardBody.Role.DEPARTMENT, record.competent_department),
        (StandardBody.Role.COMMITTEE, record.technical_committee),
        *[(StandardBody.Role.DRAFTER, name) for name in re.split(r"[、,，;；]", record.drafters)],
    ]
    for role, name in wanted:
        org = orgs_by_name.get(name.strip())
        if org is not None:
            StandardBody.objects.get_or_create(standard=std, organization=org, role=role)


def _status_event(std: Standard, before: str, record: Record) -> ChangeEvent:
    label = Status(record.status).label
    if record.status == Status.ABOLISHED:
        return _event(std, ChangeKind.ABOLISHED, record.abolished_on, f"{std.number} 废止")
    if record.status == Status.UPCOMING:
        return _event(std, ChangeKind.UPCOMING, record.implemented_on, f"{std.number} 将于 {record.implemented_on} 实施")
    return _event(std, ChangeKind.STATUS, record.implemented_on or record.abolished_on,
                  f"{std.number} 状态由“{Status(before).label}”变为“{label}”")


def _replace(old: Standard, new: Standard, outcome: Outcome) -> None:
    _, created = Replacement.objects.get_or_create(old=old, new=new)
    if not created:
        return
    on = new.implemented_on
    outcome.events.append(
        _event(old, ChangeKind.NEW_EDITION, on, f"{old.number} 被 {new.number} 代替" + (f"，{on} 起实施" if on else ""), new)
    )
    # The old edition stays in force until the new one is implemented.
    if new.status == Status.CURRENT and old.status in (Status.CURRENT, Status.UPCOMING):
        old.status = Status.REPLACED
        old.abolished_on = old.abolished_on or on
        old.save(update_fields=["status", "abolished_on", "updated_at"])


@transaction.atomic
def upsert(*, by: audit.Actor, records: list[Record], action: str = "standards.import") -> Outcome:
    """Create or update every record by number, link editions, record change events and
    notify followers. All in one transaction: callers validate first, and any error
    leaves nothing written."""
    from . import follows

    outcome = Outcome()
    canonical = [numbers.normalize(r.number) for r in records]
    existing = {s.number: s for s in Standard.objects.filter(number__in=canonical)}
    ics = {c.code: c for c in IcsCode.objects.filter(code__in={c for r in records for c in r.ics})}
    ccs = {c.code: c for c in CcsCode.objects.filter(code__in={r.ccs for r in records if r.ccs})}
    industries = {i.code: i for i in Industry.objects.filter(code__in={c for r in records for c in r.industries})}
    names = {n.strip() for r in records for n in [r.competent_department, r.technical_committee,
                                                   *re.split(r"[、,，;；]", r.drafters)] if n.strip()}
    orgs_by_name = {o.name: o for o in Organization.objects.filter(name__in=names)}
    saved: dict[str, Standard] = {}
    for number, record in zip(canonical, records, strict=True):
        record.number = number
        values = _fields_for(record)
        values["ccs"] = ccs.get(record.ccs)
        linked_ics = [ics[c] for c in record.ics if c in ics]
        values["ics_fields"] = ics_fields_of(c.code for c in linked_ics)
        std = existing.get(number)
        if std is None:
            std = Standard.objects.create(number=number, **values)
            outcome.created += 1
            outcome.events.append(_event(
                std, ChangeKind.NEW, record.implemented_on or record.published_on,
                f"新标准 {number} {std.title}" + (f"，{record.implemented_on} 起实施" if record.implemented_on else ""),
            ))
        else:
            before_status = std.status
            changed = {k for k, v in values.items() if getattr(std, k) != v and k != "search_text"}
            if std.ccs_id != (values["ccs"].pk if values["ccs"] else None):
                changed.add("ccs")
            for key, value in values.items():
                setattr(std, key, value)
            if changed:
                std.save()
                outcome.updated += 1
            else:
                outcome.unchanged += 1
            if before_status != std.status:
                outcome.events.append(_status_event(std, before_status, record))
        with _keeping_ics_fields():  # written with the other values above
            std.ics.set(linked_ics)
        std.industries.set([industries[c] for c in record.industries if c in industries])
        _link_bodies(std, record, orgs_by_name)
        saved[number] = std
    for record in records:
        std = saved[record.number]
        for other in record.replaces:
            other = numbers.normalize(other)
            old = saved.get(other) or Standard.objects.filter(number=other).first() or _stub(other, Status.REPLACED)
            _replace(old, std, outcome)
        for other in record.replaced_by:
            other = numbers.normalize(other)
            new = saved.get(other) or Standard.objects.filter(number=other).first() or _stub(other, Status.CURRENT)
            _replace(std, new, outcome)
        if record.adopted_number:
            adopted = Standard.objects.filter(number=numbers.normalize(record.adopted_number)).first()
            if adopted is not None and std.adopted_id != adopted.pk:
                Standard.objects.filter(pk=std.pk).update(adopted=adopted)
    audit.record(
        by=by, action=action, object_type="standards.standard",
        changes={"created": outcome.created, "updated": outcome.updated, "events": len(outcome.events),
                 "numbers": canonical[:50]},
    )
    follows.dispatch(outcome.events)
    facet_cache.catalogue_changed()
    return outcome
