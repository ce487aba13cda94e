"""Ranking experts for a case, with the reasons shown to the city office and the enterprise.

The score adds up evidence the office would weigh by hand: the requested field, the
industry, the standards named in the question, how close the expert's specialties are to
the text of the question (``methods.textsearch.similarity``), past ratings (a Bayesian mean
pulled towards 4 with the weight of three ratings, so one 5-star case does not top the
list), and spare capacity. Experts who are unavailable or at their open-case limit are
listed as excluded with the reason, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from qualitycity.core.models import Expert
from qualitycity.methods.textsearch import similarity

from .models import Case, ExpertProfile, Field

PRIOR_MEAN, PRIOR_WEIGHT = 4.0, 3
_STANDARD = re.compile(r"(?:GB|GB/T|GB/Z|JJF|JJG|QB|JB|YY|HG|SN|DB\d*)\s*/?\s*T?\s*\d+(?:\.\d+)*", re.I)


def standard_numbers(text: str) -> set[str]:
    """"GB/T 5023.3-2008, JJF 1059" → {"GB/T5023.3", "JJF1059"}: years dropped, spaces removed."""
    return {re.sub(r"\s+", "", m.group(0)).upper() for m in _STANDARD.finditer(text or "")}


@dataclass
class Match:
    expert: Expert
    score: float
    reasons: list[str] = field(default_factory=list)
    excluded: str = ""
    open_cases: int = 0


def rank_experts(case: Case, *, exclude_ids=(), limit: int = 10) -> list[Match]:
    experts = (
        Expert.objects.select_related("consult_profile", "affiliation").prefetch_related("industries")
        .exclude(pk__in=list(exclude_ids))
        .annotate(
            open_count=Count("consult_cases", filter=Q(consult_cases__status__in=Case.OPEN), distinct=True),
            rating_avg=Avg("consult_cases__rating"),
            rating_n=Count("consult_cases__rating"),
        )
    )
    case_standards = standard_numbers(case.standards + " " + case.symptom)
    text = " ".join([case.title, case.product, case.process, case.symptom])
    matches = []
    for expert in experts:
        profile = getattr(expert, "consult_profile", None) or ExpertProfile(expert=expert)
        m = Match(expert, 0.0, open_cases=expert.open_count)
        if case.field in (profile.fields or []):
            m.score += 3
            m.reasons.append(f"专业方向：{Field(case.field).label}")
        codes = {i.code for i in expert.industries.all()}
        if case.industry_id and case.industry.code in codes:
            m.score += 3
            m.reasons.append(f"行业：{case.industry}")
        overlap = case_standards & standard_numbers(profile.standards)
        if overlap:
            m.score += 2 * len(overlap)
            m.reasons.append("熟悉标准：" + "、".join(sorted(overlap)))
        sim = similarity(text, f"{expert.specialties} {profile.product_areas}")
        if sim >= 0.05:
            m.score += 4 * sim
            m.reasons.append(f"专长与问题相近：{expert.specialties}")
        if expert.rating_n:
            mean = (expert.rating_avg * expert.rating_n + PRIOR_MEAN * PRIOR_WEIGHT) / (expert.rating_n + PRIOR_WEIGHT)
            m.score += mean - PRIOR_MEAN
            m.reasons.append(f"历史评分 {expert.rating_avg:.1f}（{expert.rating_n} 次）")
        limit_n = profile.open_case_limit or 1
        m.score += 1 - expert.open_count / limit_n
        m.reasons.append(f"当前在办 {expert.open_count}/{limit_n}")
        if not profile.available:
            m.excluded = "暂停接受新问诊"
        elif expert.open_count >= limit_n:
            m.excluded = "已达同时处理上限"
        m.score = round(m.score, 3)
        matches.append(m)
    matches.sort(key=lambda x: (bool(x.excluded), -x.score, x.expert.pk))
    return matches[:limit]


def best_expert(case: Case, *, exclude_ids=()) -> Match | None:
    """The top match that is not excluded and has at least one reason besides load."""
    for m in rank_experts(case, exclude_ids=exclude_ids, limit=50):
        if not m.excluded and m.expert.user_id:
            return m
    return None
