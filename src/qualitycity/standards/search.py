"""Searching the standards library: numbers first, then Chinese/English full text.

Index and query terms come from ``methods.textsearch`` (CJK bigrams and single
characters, jieba words, Latin words) plus whole-number tokens. SQLite answers with FTS5
(unicode61 tokenizer, bm25) and PostgreSQL with a 'simple' tsvector (GIN, ts_rank_cd).
The engines only decide what matches. Which ``CANDIDATES`` matches are ranked, and in
which order, follows facts both databases share (exact number, share of the query found
in the title, validity, title length, number), in SQL and then in Python, so both
return the same top results. The SQL side is one statement per search (``search_sql``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.functions import Length
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from qualitycity.methods import textsearch

from . import facet_cache, numbers, search_sql
from .models import Replacement, Standard, Status
from .search_sql import Candidate
from .services.catalogue import compact

CANDIDATES = search_sql.CANDIDATES
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
    prefix: str = ""  # set when the query is a bare prefix such as "GB/T" (see _bare_prefix)

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.prefix:
            qs = qs.filter(prefix=self.prefix)
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


def _matched(terms: list[str], qs: QuerySet | None, *, any_term: bool) -> QuerySet:
    condition, params = _text_condition(terms, any_term=any_term)
    return (Standard.objects.all() if qs is None else qs).extra(where=[condition], params=params)  # noqa: S610


def match(terms: list[str], qs: QuerySet | None = None, *, any_term: bool = False,
          number: numbers.StandardNumber | None = None):
    """(total, the ``CANDIDATES`` best ids by the shared order, SQL selecting every matching id, params)."""
    matched = _matched(terms, qs, any_term=any_term)
    found = search_sql.Statement(matched, terms, number).run(groups=False)
    selected, selected_params = _filtered_sql(matched)
    ranked = sorted(found.candidates, key=lambda c: _order_key(c, terms if number is None else [], number))
    return found.total, [c.id for c in ranked], selected, tuple(selected_params)


# ---- ranking, facets, suggestions -------------------------------------------------


def _title_share(std: Standard | Candidate, terms: list[str]) -> float:
    if not terms:
        return 0.0
    title = textsearch.normalize(std.title_zh + " " + std.title_en)
    return sum(1 for t in terms if t in title) / len(terms)


def is_exact(std: Standard | Candidate, number: numbers.StandardNumber | None) -> bool:
    """The number typed, or — typed without a year — any edition of it."""
    if number is None:
        return False
    return std.number == number.own if number.year else std.base_number == number.base


def _order_key(std: Standard | Candidate, terms: list[str], number: numbers.StandardNumber | None):
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
    return search_sql.facets_from_groups(search_sql.count_groups(sql, params))


def suggestions(query: str, limit: int = 5) -> list[str]:
    """Numbers whose sequence is within a small edit distance of what was typed, under the
    same prefix (or prefixes sharing its first letters when the prefix itself is mistyped);
    closest first, then those that begin like what was typed ("1900l" → 19001 before 11900).
    A number typed with a year that has no edition suggests the editions that exist.
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
    # order_by(): the model's default ordering would otherwise join DISTINCT and defeat it
    candidates = list(prefixes.annotate(n=Length("sequence")).filter(n__in=lengths)
                      .order_by().values_list("sequence", flat=True).distinct())
    allowed = 1 if len(sequence) < 5 else 2
    found = process.extract(sequence, candidates, scorer=Levenshtein.distance, score_cutoff=allowed, limit=None)
    found.sort(key=lambda hit: (hit[1], -_shared_start(hit[0], sequence), hit[0]))
    # the typed sequence itself only helps when the prefix was guessed or the year was wrong
    close = [seq for seq, _d, _i in found if seq != sequence or parsed is None or parsed.year][:limit]
    out: list[str] = []
    for seq in close:
        best = (prefixes.filter(sequence=seq).order_by(
            Case(When(status__in=(Status.CURRENT, Status.UPCOMING), then=0), default=1), "-year").first())
        if best is not None and best.number not in out:
            out.append(best.number)
    return out[:limit]


def _shared_start(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


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
    prefix = _bare_prefix(query) if number is None else ""
    if prefix:
        # "GB/T" or "DB42/T" alone asks for that series, not for the word "gb" in any text
        filters, terms = replace(filters, prefix=prefix), []
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
    for any_term in (False, True):  # every term first; any of them when that finds nothing
        statement = search_sql.Statement(_matched(terms, base_qs, any_term=any_term), terms, number)
        cache_key = facet_cache.key(*statement.key)
        cached = cache.get(cache_key) if with_facets else None
        found = statement.run(groups=with_facets and cached is None)
        if found.total or len(terms) < 2 or number is not None:
            break
    total = found.total
    if found.groups is not None and total:
        cached = search_sql.facets_from_groups(found.groups)
        cache.set(cache_key, cached, facet_cache.TTL)
    display_terms = terms if number is None else []
    ranked = sorted(found.candidates, key=lambda s: _order_key(s, display_terms, number))
    page_ids = [c.id for c in ranked[(page - 1) * limit: page * limit]]
    rows = _rows(page_ids)
    shown = [rows[i] for i in page_ids if i in rows]
    exact_found = number is not None and any(is_exact(s, number) for s in ranked)
    hint = [] if exact_found or (number is None and total) or not re.search(r"\d", query) else suggestions(query)
    return Result(
        query=query, total=total, hits=_hits(shown, display_terms, number),
        facets=(cached or {}) if with_facets and total else {},
        suggestions=hint, page=page, pages=max(1, -(-min(total, len(ranked)) // limit)),
        number=number.own if number else "",
    )


def _bare_prefix(query: str) -> str:
    """The query as a standard prefix that exists in the catalogue ("gb／t " → "GB/T"), or ""."""
    candidate = numbers.clean(query).replace(" ", "")
    if not candidate or len(candidate) > 16 or not re.fullmatch(r"[A-Z][A-Z0-9/]*", candidate):
        return ""
    return candidate if Standard.objects.filter(prefix=candidate).exists() else ""


def _rows(ids: list[int]) -> dict[int, Standard]:
    """Only the page shown is loaded as model rows. The index text and the scope are the
    bulk of a row and no result list shows them; the API shows the CCS code."""
    return Standard.objects.select_related("ccs").defer("search_text", "scope").in_bulk(ids)


def _hits(standards: list[Standard], terms: list[str], number) -> list[Hit]:
    newer = replaced_by([s.pk for s in standards])
    return [
        Hit(s, textsearch.highlight(s.title, terms), exact=is_exact(s, number),
            replaced_by=newer.get(s.pk, []))
        for s in standards
    ]
