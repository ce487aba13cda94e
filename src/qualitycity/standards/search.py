"""Searching the standards library: numbers first, then Chinese/English full text.

Index and query terms come from ``methods.textsearch`` (CJK bigrams and single
characters, jieba words, Latin words) plus whole-number tokens. SQLite answers with FTS5
(unicode61 tokenizer, bm25) and PostgreSQL with a 'simple' tsvector (GIN, ts_rank_cd).
The engines only decide what matches. Which ``CANDIDATES`` matches are ranked, and in
which order, follows facts both databases share (exact number, share of the query found
in the title, validity, title length, number), in SQL and then in Python, so both
return the same top results.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate, Length, Substr

from qualitycity.methods import textsearch

from . import facet_cache, numbers
from .models import Replacement, Standard, Status
from .services.catalogue import compact

CANDIDATES = 300
MAX_LIMIT = 100


@dataclass
class Filters:
    status: str = ""
    kind: str = ""
    ics: str = ""
    ccs: str = ""
    industry: str = ""
    implemented_from: dt.date | None = None
    implemented_to: dt.date | None = None
    published_from: dt.date | None = None
    published_to: dt.date | None = None

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.status:
            qs = qs.filter(status__in=self.status.split(","))
        if self.kind:
            qs = qs.filter(kind__in=self.kind.split(","))
        if self.ics:
            code = self.ics.strip()
            qs = qs.filter(Q(ics__code=code) | Q(ics__code__startswith=code + ".")).distinct()
        if self.ccs:
            code = self.ccs.strip().upper()
            qs = qs.filter(Q(ccs__code=code) | Q(ccs__parent_code=code) | Q(ccs__code__startswith=code[:1])
                           if len(code) == 1 else Q(ccs__code=code) | Q(ccs__parent_code=code))
        if self.industry:
            qs = qs.filter(industries__code=self.industry.strip()).distinct()
        for name, lookup in (("implemented_from", "implemented_on__gte"), ("implemented_to", "implemented_on__lte"),
                             ("published_from", "published_on__gte"), ("published_to", "published_on__lte")):
            if getattr(self, name):
                qs = qs.filter(**{lookup: getattr(self, name)})
        return qs

    @property
    def active(self) -> bool:
        return any(getattr(self, f) for f in self.__dataclass_fields__)


@dataclass
class Hit:
    standard: Standard
    title_pieces: list[tuple[str, bool]]
    exact: bool = False
    replaced_by: list[str] = field(default_factory=list)

    @property
    def is_current_edition(self) -> bool:
        return self.standard.status in (Status.CURRENT, Status.UPCOMING)


@dataclass
class Result:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestions: list[str]
    page: int
    pages: int
    number: str = ""  # the canonical number when the query was one


def _terms(query: str) -> tuple[list[str], numbers.StandardNumber | None]:
    parsed = numbers.try_parse(query) if re.search(r"\d", query or "") else None
    if parsed is not None:
        return [compact(parsed.base)], parsed
    return textsearch.query_terms(query), None


# ---- the two backends -------------------------------------------------------------


def _filtered_sql(qs: QuerySet) -> tuple[str, tuple]:
    sql, params = qs.order_by().values("id").query.sql_with_params()  # no ORDER BY column in the select
    return sql, params


def _text_condition(terms: list[str], *, any_term: bool) -> tuple[str, list]:
    """A WHERE condition on ``standards_standard`` itself: the engines decide what matches.

    It is applied to the (filtered) table rather than the other way round, because given
    ``rowid IN (filtered ids)`` FTS5 runs the MATCH once per listed row, and PostgreSQL
    hashed every row the filters allow (seconds on a broad filter at 160k standards)."""
    if connection.vendor == "postgresql":
        tsquery, tparams = textsearch.pg_tsquery(terms, any_term=any_term)
        return f"standards_standard.search_vector @@ {tsquery}", list(tparams)
    return ("standards_standard.id IN (SELECT rowid FROM standards_fts WHERE standards_fts MATCH %s)",
            [textsearch.fts5_match(terms, any_term=any_term)])


def _shared_order(terms: list[str], number: numbers.StandardNumber | None) -> list:
    """``_order_key`` as ORM expressions that mean the same on SQLite and PostgreSQL.

    The candidates are chosen by this order rather than by each engine's own relevance
    score (bm25 vs ts_rank_cd), because on a broad query thousands of standards match and
    two different scores would hand the final ranking two different sets: the backends
    would then disagree on the top results."""
    order = []
    if number is not None:
        exact = Q(number=number.own) if number.year else Q(base_number=number.base)
        order.append(Case(When(exact, then=Value(0)), default=Value(1)))
    elif terms:
        found = [Case(When(Q(title_zh__icontains=t) | Q(title_en__icontains=t), then=Value(1)), default=Value(0))
                 for t in terms]
        share = found[0]
        for more in found[1:]:
            share = share + more
        order.append(ExpressionWrapper(share, output_field=IntegerField()).desc())
    order.append(Case(When(status__in=(Status.CURRENT, Status.UPCOMING), then=Value(0)), default=Value(1)))
    if number is not None:
        order.append(F("year").desc())
    order.append(Length(Case(When(title_zh="", then=F("title_en")), default=F("title_zh"))))
    # Python compares code points; so do SQLite's BINARY and PostgreSQL's "C" collations
    order.append(Collate("number", "C") if connection.vendor == "postgresql" else F("number"))
    return order


def match(terms: list[str], qs: QuerySet | None = None, *, any_term: bool = False,
          number: numbers.StandardNumber | None = None):
    """(total, the ``CANDIDATES`` best ids by the shared order, SQL selecting every matching id, params)."""
    condition, params = _text_condition(terms, any_term=any_term)
    matched = (Standard.objects.all() if qs is None else qs).extra(where=[condition], params=params)  # noqa: S610
    total = matched.count()
    ids = list(matched.order_by(*_shared_order(terms, number)).values_list("id", flat=True)[:CANDIDATES])
    selected, selected_params = _filtered_sql(matched)
    return total, ids, selected, tuple(selected_params)


# ---- ranking, facets, suggestions -------------------------------------------------


def _title_share(std: Standard, terms: list[str]) -> float:
    if not terms:
        return 0.0
    title = textsearch.normalize(std.title_zh + " " + std.title_en)
    return sum(1 for t in terms if t in title) / len(terms)


def is_exact(std: Standard, number: numbers.StandardNumber | None) -> bool:
    """The number typed, or — typed without a year — any edition of it."""
    if number is None:
        return False
    return std.number == number.own if number.year else std.base_number == number.base


def _order_key(std: Standard, terms: list[str], number: numbers.StandardNumber | None):
    exact = is_exact(std, number)
    return (
        not exact,
        -round(_title_share(std, terms), 3),
        std.status not in (Status.CURRENT, Status.UPCOMING),
        -(int(std.year) if std.year.isdigit() and number is not None else 0),
        len(std.title),
        std.number,
    )


def facets(sql: str, params: tuple) -> dict[str, list[tuple[str, int]]]:
    """Counts by status, kind, CCS first letter and ICS field over every match (cached)."""
    cache_key = facet_cache.key(sql, params)
    cached = cache.get(cache_key)
    if cached is None:
        cached = _count_facets(sql, params)
        cache.set(cache_key, cached, facet_cache.TTL)
    return cached


def _count_facets(sql: str, params: tuple) -> dict[str, list[tuple[str, int]]]:
    # One GROUP BY over (status, kind, CCS letter) and summing in Python runs the full-text
    # match once instead of three times.
    matched = Standard.objects.extra(where=[f"standards_standard.id IN ({sql})"], params=params)  # noqa: S610
    status, kind, ccs = Counter(), Counter(), Counter()
    for row in matched.annotate(c=Substr("ccs__code", 1, 1)).values("status", "kind", "c").annotate(n=Count("id")):
        status[row["status"]] += row["n"]
        kind[row["kind"]] += row["n"]
        if row["c"]:
            ccs[row["c"]] += row["n"]
    through = Standard.ics.through.objects.extra(where=[f"standard_id IN ({sql})"], params=params)  # noqa: S610
    return {
        "status": _by_count(status),
        "kind": _by_count(kind),
        "ccs": _by_count(ccs)[:12],
        "ics": [(r["c"], r["n"]) for r in through.annotate(c=Substr("icscode__code", 1, 2))
                .values("c").annotate(n=Count("standard_id", distinct=True)).order_by("-n", "c")[:12]],
    }


def _by_count(counter: Counter) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def suggestions(query: str, limit: int = 5) -> list[str]:
    """Numbers whose sequence is within a small edit distance of what was typed, under the
    same prefix (or prefixes sharing its first letters when the prefix itself is mistyped).
    Comparing the short sequence numbers keeps this fast over 100k+ standards."""
    parsed = numbers.try_parse(query)
    if parsed is not None:
        prefixes, sequence = Standard.objects.filter(prefix=parsed.prefix), parsed.sequence
    else:
        m = re.match(r"^([A-Z]{1,6})[^0-9]*?(\d{2,8})", numbers.clean(query).replace(" ", ""))
        if not m:
            return []
        prefixes, sequence = Standard.objects.filter(prefix__startswith=m[1][:2]), m[2]
    lengths = [len(sequence) - 1, len(sequence), len(sequence) + 1]
    candidates = set(
        prefixes.annotate(n=Length("sequence")).filter(n__in=lengths).values_list("sequence", flat=True).distinct()
    )
    allowed = 1 if len(sequence) < 5 else 2
    close = sorted((numbers.edit_distance(seq, sequence, limit=allowed), seq) for seq in candidates)
    close = [seq for d, seq in close if d <= allowed and seq != sequence or (d == 0 and parsed is None)][:limit]
    out: list[str] = []
    for seq in close:
        best = (prefixes.filter(sequence=seq).order_by(
            Case(When(status__in=(Status.CURRENT, Status.UPCOMING), then=0), default=1), "-year").first())
        if best is not None and best.number not in out:
            out.append(best.number)
    return out[:limit]


def replaced_by(ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for old, number in Replacement.objects.filter(old_id__in=ids).values_list("old_id", "new__number"):
        out.setdefault(old, []).append(number)
    return out


def search(query: str = "", filters: Filters | None = None, *, page: int = 1, limit: int = 20,
           with_facets: bool = True) -> Result:
    """Any input is safe: it only ever becomes quoted terms or bound parameters."""
    query = (query or "")[: textsearch.MAX_QUERY_CHARS * 2]
    filters = filters or Filters()
    limit = max(1, min(int(limit or 20), MAX_LIMIT))
    page = max(1, int(page or 1))
    terms, number = _terms(query)
    base_qs = filters.apply(Standard.objects.all()) if filters.active else None
    if not terms:
        if not filters.active:
            return Result(query, 0, [], {}, [], 1, 1)
        qs = base_qs.order_by(F("implemented_on").desc(nulls_last=True), "number")  # same on both databases
        total = qs.count()
        ids = list(qs.values_list("id", flat=True)[(page - 1) * limit: page * limit])
        sql, params = _filtered_sql(base_qs)
        found = _rows(ids)
        ordered = [found[i] for i in ids]
        return Result(query, total, _hits(ordered, [], None), facets(sql, params) if with_facets else {}, [], page,
                      max(1, -(-total // limit)))
    total, ids, sql, params = match(terms, base_qs, number=number)
    if total == 0 and len(terms) > 1 and number is None:
        total, ids, sql, params = match(terms, base_qs, any_term=True, number=number)
    found = _rows(ids)
    display_terms = terms if number is None else []
    ranked = sorted(found.values(), key=lambda s: _order_key(s, display_terms, number))
    shown = ranked[(page - 1) * limit: page * limit]
    exact_found = number is not None and any(is_exact(s, number) for s in ranked)
    hint = [] if exact_found or (number is None and total) or not re.search(r"\d", query) else suggestions(query)
    return Result(
        query=query, total=total, hits=_hits(shown, display_terms, number),
        facets=facets(sql, params) if with_facets and total else {},
        suggestions=hint, page=page, pages=max(1, -(-min(total, len(ranked)) // limit)),
        number=number.own if number else "",
    )


def _rows(ids: list[int]) -> dict[int, Standard]:
    # the index text and the scope are the bulk of a row and no result list shows them
    return Standard.objects.defer("search_text", "scope").in_bulk(ids)


def _hits(standards: list[Standard], terms: list[str], number) -> list[Hit]:
    newer = replaced_by([s.pk for s in standards])
    return [
        Hit(s, textsearch.highlight(s.title, terms), exact=is_exact(s, number),
            replaced_by=newer.get(s.pk, []))
        for s in standards
    ]
