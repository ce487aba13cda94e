"""The one statement a text search runs: the total, the ``CANDIDATES`` best matches by the
shared order, and (unless they are cached) the groups the facets are added up from.

Counting, choosing the candidates and the facet counts used to be four statements, each
running the full-text match again and visiting every matching row again (and the ICS facet
joined the m2m for each). At 160k standards a one-character query matches ~17k of them,
and visiting the rows is what costs. Here the matches are read once, into a CTE that both
engines materialize because it is used more than once; the facets group by columns of the
row itself (``ccs_id``, ``ics_fields``) and Python adds the groups up by facet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length, StrIndex
from django.db.models.lookups import GreaterThan

from . import numbers
from .models import VALID_STATUSES

CANDIDATES = 300


@dataclass
class Candidate:
    """What the final ranking needs of a matching standard: a few columns, not a row."""

    id: int
    title_zh: str
    title_en: str
    status: str
    number: str
    year: str = ""
    base_number: str = ""

    @property
    def pk(self) -> int:
        return self.id

    @property
    def title(self) -> str:
        return self.title_zh or self.title_en


@dataclass
class Matches:
    total: int
    candidates: list[Candidate]
    groups: list[tuple] | None  # (count, status, kind, ccs_id, ics_fields), when asked for


def order_columns(terms: list[str], number: numbers.StandardNumber | None) -> dict:
    """The shared order's keys as ORM expressions that mean the same on SQLite and
    PostgreSQL (Python's ``_order_key`` in search.py is the same order).

    The candidates are chosen by this order rather than by each engine's own relevance
    score (bm25 vs ts_rank_cd), because on a broad query thousands of standards match and
    two different scores would hand the final ranking two different sets: the backends
    would then disagree on the top results."""
    if number is not None:
        exact = Q(number=number.own) if number.year else Q(base_number=number.base)
        columns = {"exact": Case(When(exact, then=Value(0)), default=Value(1))}
    else:
        found = [Case(When(_in_title(t), then=Value(1)), default=Value(0)) for t in terms] or [Value(0)]
        share = found[0]
        for more in found[1:]:
            share = share + more
        columns = {"share": ExpressionWrapper(share, output_field=IntegerField())}
    columns["invalid"] = Case(When(status__in=VALID_STATUSES, then=Value(0)), default=Value(1))
    columns["tlen"] = Length(Case(When(title_zh="", then=F("title_en")), default=F("title_zh")))
    return columns


def _in_title(term: str) -> Q:
    """``title_zh`` or ``title_en`` contains the term, ignoring case. A term without cased
    letters (Chinese, digits) reads the same in either case, and a plain substring search
    (instr / strpos) answers the same as case-folding every title (UPPER … LIKE on
    PostgreSQL costs ~0.4 µs a row, a third of a broad query's time there)."""
    if term == term.upper() == term.lower():
        return Q(GreaterThan(StrIndex("title_zh", Value(term)), 0)) | Q(GreaterThan(StrIndex("title_en", Value(term)), 0))
    return Q(title_zh__icontains=term) | Q(title_en__icontains=term)


def _order_by(number: numbers.StandardNumber | None) -> str:
    # Python compares code points; so do SQLite's BINARY and PostgreSQL's "C" collations
    by_number = '"number" COLLATE "C"' if connection.vendor == "postgresql" else '"number"'
    if number is not None:
        return f'"exact", "invalid", "year" DESC, "tlen", {by_number}'
    return f'"share" DESC, "invalid", "tlen", {by_number}'


# The facet groups, with the first letter of each group's CCS code (joined on the few
# groups, not on every match): (count, status, kind, ics_fields, CCS letter).
_GROUPS = ('SELECT g."n", g."status", g."kind", g."ics_fields", SUBSTR(c."code", 1, 1) FROM ('
           'SELECT COUNT(*) AS "n", "status", "kind", "ccs_id", "ics_fields" FROM {source} '
           'GROUP BY "status", "kind", "ccs_id", "ics_fields") AS g '
           'LEFT JOIN "standards_ccscode" AS c ON c."id" = g."ccs_id"')


class Statement:
    """The statement for one search, compiled once: ``key`` (SQL and parameters of the
    matching rows) names its facet counts in the cache; ``run`` executes it."""

    def __init__(self, matched: QuerySet, terms: list[str], number: numbers.StandardNumber | None):
        """``matched`` is the standards queryset already restricted to the matches (and filters)."""
        self.number = number
        columns = order_columns(terms, number)
        fields = ["id", "title_zh", "title_en", "status", "number", "kind", "ccs_id", "ics_fields"]
        if number is not None:  # only a number query orders by year; text queries stay on fewer columns
            fields += ["year", "base_number"]
        self.sql, self.params = matched.order_by().annotate(**columns).values(*fields, *columns).query.sql_with_params()

    @property
    def key(self) -> tuple[str, tuple]:
        return self.sql, tuple(self.params)

    def run(self, *, groups: bool) -> Matches:
        # (Sorting only the ids and joining the best back to m saved PostgreSQL ~15%, until
        # its estimate of one row for a three-term match turned the join into 300 scans of m.)
        year, base = ('"year"', '"base_number"') if self.number is not None else ("NULL", "NULL")
        parts = [
            f'SELECT 0, "id", "title_zh", "title_en", "status", "number", {year}, {base} '
            f"FROM (SELECT * FROM m ORDER BY {_order_by(self.number)} LIMIT {CANDIDATES}) AS best",
            "SELECT 1, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL FROM m",
        ]
        if groups:
            parts.append("SELECT 2, grouped.*, NULL, NULL FROM (" + _GROUPS.format(source="m") + ") AS grouped")
        with connection.cursor() as cursor:
            cursor.execute(f"WITH m AS ({self.sql}) " + " UNION ALL ".join(parts), self.params)
            rows = cursor.fetchall()
        total, candidates, grouped = 0, [], []
        for part, n, a, b, c, d, e, f in rows:
            if part == 0:
                candidates.append(Candidate(n, a, b, c, d, e or "", f or ""))
            elif part == 1:
                total = n
            else:
                grouped.append((n, a, b, c, d))
        return Matches(total, candidates, grouped if groups else None)


def count_groups(ids_sql: str, params: tuple) -> list[tuple]:
    """The facet groups of the standards ``ids_sql`` selects (a search by filters only)."""
    source = f'(SELECT * FROM "standards_standard" WHERE "id" IN ({ids_sql})) AS s'
    with connection.cursor() as cursor:
        cursor.execute(_GROUPS.format(source=source), params)
        return cursor.fetchall()


def facets_from_groups(groups: list[tuple]) -> dict[str, list[tuple[str, int]]]:
    """Counts by status, kind, CCS first letter and ICS field. A standard is in one group,
    and its group lists each of its ICS fields once, so adding up groups counts each
    standard once per facet value."""
    status, kind, ccs, ics = Counter(), Counter(), Counter(), Counter()
    for n, st, kd, fields, letter in groups:
        status[st] += n
        kind[kd] += n
        if letter:
            ccs[letter] += n
        for field in fields.split(";") if fields else ():
            ics[field] += n
    return {"status": by_count(status), "kind": by_count(kind), "ccs": by_count(ccs)[:12], "ics": by_count(ics)[:12]}


def by_count(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))
