"""Per-process copies of the small tables every intake reads: categories, districts, time
limits, routing rules, the officers a department's new demands are announced to, and the
active Open311 keys.

Why: an Open311 ``POST requests`` read them with eight queries, about a third of its CPU
in the intake benchmark of issue 5 (target 200 requests/s). Admins change these tables a
few times a year, so each process keeps a copy, and a change reaches it like this:

- a save or delete through the ORM (admin, services, fixtures) drops the copy of the
  process that made it at once, and when it commits, replaces a generation stamp in the
  Django cache that every read compares: with ``REDIS_URL`` (one cache for all processes)
  every process reloads on its next demand;
- with the default per-process memory cache the other processes cannot see that stamp;
  they reload after ``MAX_AGE`` seconds, which also bounds how long a change made outside
  the ORM (``QuerySet.update()``, SQL) goes unseen (a revoked Open311 key, too);
- while a change is uncommitted in this process, reads load afresh and keep nothing, so a
  rolled-back change is never remembered.

Rows are handed out as shared model instances: callers must not modify them.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from qualitycity.core.models import Area, Membership, Organization, Role

from ..models import Category, Open311Key, RoutingRule, TimeLimit

GENERATION_KEY = "qcity:complaints:lookups-generation"
MAX_AGE = 10.0  # seconds another process may go on using its copy after a change here
ANNOUNCED_ROLES = (Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER)


@dataclass(frozen=True)
class Route:
    """Where a rule sends a demand: the lead (主办) and the co-handlers (协办) besides it."""

    lead: Organization
    co: tuple[Organization, ...]


class Tables:
    """One consistent copy; routes and recipients are filled on first use."""

    def __init__(self, generation: str | None):
        self.generation = generation
        self.loaded_at = time.monotonic()
        self.categories = {c.code: c for c in Category.objects.all()}
        self.districts = list(Area.objects.exclude(kind=Area.Kind.CITY))  # in the model's order
        self.by_name: dict[str, Area] = {}
        self.by_code: dict[str, Area] = {}
        for area in self.districts:
            self.by_name.setdefault(area.name, area)
            if area.code:
                self.by_code.setdefault(area.code, area)
        self.by_pk = {a.pk: a for a in self.districts}
        self.limits: dict[str, list[TimeLimit]] = {}
        for limit in TimeLimit.objects.order_by("-effective_from"):
            self.limits.setdefault(limit.demand_type, []).append(limit)
        self._routes: dict[int, dict] | None = None
        self._recipients: dict[int, list] = {}
        self._open311_keys: frozenset[str] | None = None

    def route(self, category_id: int, area_id: int | None) -> Route | None:
        if self._routes is None:  # plain values: a few hundred rules share a few dozen units
            rules = list(RoutingRule.objects.order_by("pk").values_list("pk", "category_id", "area_id", "lead_id"))
            co_ids: dict[int, list[int]] = {}
            for rule_id, org_id in RoutingRule.co_handlers.through.objects.values_list("routingrule_id", "organization_id"):
                co_ids.setdefault(rule_id, []).append(org_id)
            wanted = {lead for *_, lead in rules} | {pk for ids in co_ids.values() for pk in ids}
            orgs = Organization.objects.in_bulk(wanted)
            routes: dict[int, dict] = {}
            for rule_id, rule_category, rule_area, lead_id in rules:
                co = tuple(orgs[pk] for pk in sorted(co_ids.get(rule_id, ())) if pk != lead_id)
                routes.setdefault(rule_category, {}).setdefault(rule_area, Route(orgs[lead_id], co))
            self._routes = routes
        by_area = self._routes.get(category_id, {})
        return by_area.get(area_id) or by_area.get(None)

    def open311_key_active(self, key_hash: str) -> bool:
        """Whether an active key has this hash. A key this copy does not know is looked up,
        so a key made a moment ago (``qcity open311 create-key``) works at once."""
        if self._open311_keys is None:
            self._open311_keys = frozenset(Open311Key.objects.filter(is_active=True).values_list("key_hash", flat=True))
        if key_hash in self._open311_keys:
            return True
        return Open311Key.objects.filter(key_hash=key_hash, is_active=True).exists()

    def recipients(self, org_ids) -> list:
        """The department and district officers of these organizations, by user id."""
        org_ids = list(org_ids)
        missing = [pk for pk in dict.fromkeys(org_ids) if pk not in self._recipients]
        if missing:
            found: dict[int, list] = {pk: [] for pk in missing}
            for m in Membership.objects.filter(organization_id__in=missing, role__in=ANNOUNCED_ROLES).select_related("user"):
                found[m.organization_id].append(m.user)
            self._recipients.update(found)
        users = {u.pk: u for pk in org_ids for u in self._recipients[pk]}
        return [users[pk] for pk in sorted(users)]


_current: Tables | None = None
# Per thread: this thread changed these tables in a transaction it has not committed yet.
_uncommitted = threading.local()


def tables() -> Tables:
    global _current
    generation = cache.get(GENERATION_KEY)
    if generation is None:  # first use, or the cache was cleared: start a generation
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    pending = getattr(_uncommitted, "pending", False)
    if pending and not transaction.get_connection().in_atomic_block:
        pending = _uncommitted.pending = False  # that transaction is over: committed (and stamped) or rolled back
        _current = None
    current = _current
    if current is None or current.generation != generation or time.monotonic() - current.loaded_at > MAX_AGE:
        current = Tables(generation)
        if not pending:  # never keep what may still roll back
            _current = current
    return current


def invalidate() -> None:
    """Forget every process's copy (for writers that bypass the signals: bulk loads, SQL)."""
    global _current
    _current = None
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _committed() -> None:
    if getattr(_uncommitted, "pending", False):  # one stamp for all the changes of one commit
        _uncommitted.pending = False
        invalidate()


def _changed(sender=None, **kwargs) -> None:
    global _current
    _current = None
    _uncommitted.pending = True
    # registered on every change: a callback from a savepoint that rolled back is dropped
    transaction.on_commit(_committed, using=kwargs.get("using"))


WATCHED = (Category, Area, TimeLimit, RoutingRule, Organization, Membership, Open311Key)


def connect_signals() -> None:
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"complaints-lookups-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"complaints-lookups-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=RoutingRule.co_handlers.through, dispatch_uid="complaints-lookups-co")
