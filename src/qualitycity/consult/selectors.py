"""Reads: the knowledge-base search, the statistics page and the home-page card."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.models import Expert, Role
from qualitycity.core.workbench import Card, Line
from qualitycity.methods import textsearch

from .models import Article, Case

SUGGESTION_MIN_SCORE = 0.08


def search_articles(query: str, *, limit: int = 20) -> list[tuple[Article, float]]:
    """Rank published cases by cosine similarity of their analysed text to the query.

    At demo scale (hundreds of articles) scoring every article in Python takes a few
    milliseconds and needs no search backend on either database; when the knowledge base
    grows past some thousands, move ``search_text`` into the FTS index the standards
    library uses (``textsearch.fts5_match`` / PostgreSQL tsvector).
    """
    terms = textsearch.query_terms(query)
    if not terms:
        return [(a, 0.0) for a in Article.objects.all()[:limit]]
    probe = " ".join(terms)
    scored = []
    for article in Article.objects.only("id", "title", "question", "answer", "search_text", "field", "published_at"):
        text = article.search_text
        overlap = sum(1 for t in terms if t in text)
        if not overlap:
            continue
        score = textsearch.similarity(probe, article.title + " " + article.question + " " + article.answer)
        scored.append((article, score + overlap / len(terms)))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return scored[:limit]


def suggestions(text: str, *, limit: int = 5) -> list[tuple[Article, float]]:
    return [(a, s) for a, s in search_articles(text, limit=limit) if s >= SUGGESTION_MIN_SCORE]


def _hours(delta) -> float | None:
    return None if delta is None else round(delta.total_seconds() / 3600, 1)


def statistics(*, year: int | None = None) -> dict:
    cases = Case.objects.all()
    if year:
        cases = cases.filter(created_at__year=year)
    by_industry = list(cases.values("industry__code", "industry__name").annotate(n=Count("id")).order_by("-n")[:15])
    by_district = list(cases.values("area__name").annotate(n=Count("id")).order_by("-n"))
    by_status = dict(cases.values_list("status").annotate(n=Count("id")))
    response, resolution = [], []
    for assigned, first, created, closed in cases.values_list("assigned_at", "first_response_at", "created_at", "closed_at"):
        if assigned and first:
            response.append(_hours(first - assigned))
        if closed:
            resolution.append(_hours(closed - created))
    rating = cases.aggregate(avg=Avg("rating"), n=Count("rating"))
    solved, unsolved = by_status.get(Case.Status.RATED, 0), by_status.get(Case.Status.CLOSED, 0)
    resolution_rate = round(100 * solved / (solved + unsolved), 1) if solved + unsolved else None
    workload = (
        Expert.objects.annotate(
            open=Count("consult_cases", filter=Q(consult_cases__status__in=Case.OPEN)),
            total=Count("consult_cases"),
            avg_rating=Avg("consult_cases__rating"),
        ).filter(total__gt=0).order_by("-open", "-total")[:20]
    )
    stars = defaultdict(int)
    for r in cases.exclude(rating=None).values_list("rating", flat=True):
        stars[r] += 1
    return {
        "total": cases.count(), "by_industry": by_industry, "by_district": by_district, "by_status": by_status,
        "response_hours": _median(response), "resolution_hours": _median(resolution),
        "rating_avg": rating["avg"], "rating_n": rating["n"], "stars": dict(sorted(stars.items())),
        "workload": workload, "resolved": solved, "unresolved": unsolved, "resolution_rate": resolution_rate,
    }


def _median(values: list) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else round((values[mid - 1] + values[mid]) / 2, 1)


def workbench(user, role):
    """Home-page card: an enterprise's open questions, or the cases waiting for an expert."""
    if role not in (Role.ENTERPRISE_MEMBER, Role.EXPERT) or not permissions.is_allowed(user, "consult.cases.view"):
        return None
    cases = permissions.scoped(user, "consult.cases.view", Case.objects.select_related("expert"))
    if role == Role.EXPERT:
        waiting = cases.filter(status=Case.Status.ASSIGNED)
        return Card(_("待我答复的问诊"), reverse("consult:index"), figure=waiting.count(), figure_label=_("件"),
                    lines=[_line(c) for c in waiting.order_by("created_at")[:4]],
                    action=(_("我的问诊资料"), reverse("consult:profile")), empty=_("目前没有待答复的问诊。"))
    open_cases = cases.filter(status__in=[Case.Status.ASKED, Case.Status.ASSIGNED, Case.Status.ANSWERED])
    return Card(_("我的专家问诊"), reverse("consult:index"), figure=open_cases.count(), figure_label=_("未结"),
                lines=[_line(c) for c in cases.order_by("-created_at")[:4]],
                action=(_("问专家"), reverse("consult:ask")), empty=_("还没有问诊。有质量问题，可以向专家提问。"))


def _line(case: Case) -> Line:
    return Line(f"{case.number} · {case.title}", reverse("consult:case", args=[case.number]), case.get_status_display())
