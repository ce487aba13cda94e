"""Building the recommendation catalogue and an enterprise's profile from the database; the
scoring itself is ``methods.recommend`` (no Django).

Signals from other modules (failed inspections, complaints, past orders) plug in without an
import-time dependency: if ``qualitycity.<app>.selectors`` defines
``recommendation_signals(enterprise) -> {signal: sentence}``, it is called. Signals in use:
``failed_inspection``, ``complaint``, ``lab_order``.
"""

from __future__ import annotations

from collections import Counter
from importlib import import_module
from importlib.util import find_spec

from django.db.models import Count

from qualitycity.core.models import Expert, GrowthStage, Organization, SizeClass
from qualitycity.methods.recommend import Item, Profile, peer_counts, popularity_shares, recommend

from .matching import standard_numbers
from .models import Case, ExpertProfile

TOPIC = {"quality": "质量管理", "metrology": "计量", "standards": "标准化", "testing": "检验检测",
         "certification": "认证认可", "brand": "品牌建设", "product": "产品专题"}
SIGNAL_APPS = ("inspection", "complaints", "standards")
KIND_LABEL = {"service": "服务", "standard": "标准", "course": "课程", "expert": "专家", "programme": "扶持项目"}

F = frozenset
SMALL = F({SizeClass.SMALL, SizeClass.MICRO})
# The service catalogue and support programmes: a fixed list until the service-catalogue
# module exists; each entry says whom it suits.
SERVICES = [
    Item("service:testing", "service", "产品委托检验检测", sections=F({"C"}), topics=F({"检验检测"}),
         signals=F({"failed_inspection", "complaint"})),
    Item("service:calibration", "service", "计量器具校准与计量保证", sections=F({"C"}), topics=F({"计量"})),
    Item("service:qms", "service", "质量管理体系认证辅导（GB/T 19001）", stages=F({GrowthStage.GROWTH, GrowthStage.STARTUP}),
         sizes=SMALL | {SizeClass.MEDIUM}, topics=F({"认证认可", "质量管理"})),
    Item("service:standard-drafting", "service", "企业标准制定与“领跑者”自我声明", stages=F({GrowthStage.MATURE}),
         sizes=F({SizeClass.MEDIUM, SizeClass.LARGE}), topics=F({"标准化"})),
    Item("service:brand", "service", "品牌培育诊断", stages=F({GrowthStage.GROWTH, GrowthStage.MATURE}), topics=F({"品牌建设"})),
    Item("service:root-cause", "service", "质量问题根因分析（现场服务）", sections=F({"C"}),
         signals=F({"failed_inspection", "complaint"}), topics=F({"质量管理"})),
]
PROGRAMMES = [
    Item("programme:sme", "programme", "中小企业质量提升专项", sizes=SMALL, signals=F({"failed_inspection", "complaint"}),
         topics=F({"质量管理"})),
    Item("programme:cqo", "programme", "首席质量官培养计划", sizes=F({SizeClass.MEDIUM, SizeClass.LARGE}),
         stages=F({GrowthStage.MATURE, GrowthStage.GROWTH})),
    Item("programme:benchmark", "programme", "质量标杆企业培育", stages=F({GrowthStage.MATURE, GrowthStage.TRANSFORMING}),
         sizes=F({SizeClass.MEDIUM, SizeClass.LARGE}), topics=F({"品牌建设"})),
    Item("programme:startup", "programme", "初创企业质量入门帮扶", stages=F({GrowthStage.STARTUP}), sizes=SMALL),
    Item("programme:transform", "programme", "智能化改造质量提升", stages=F({GrowthStage.TRANSFORMING}), sections=F({"C"})),
]


def catalogue() -> list[Item]:
    from qualitycity.training.models import Course  # same project, imported lazily for app loading order

    items = list(SERVICES) + list(PROGRAMMES)
    for course in Course.objects.filter(published=True).prefetch_related("industries__parent"):
        inds = list(course.industries.all())
        items.append(Item(f"course:{course.pk}", "course", course.title, industries=F(i.code for i in inds),
                          sections=F(i.parent.code for i in inds if i.parent_id), topics=F({TOPIC[course.topic]})))
    profiles = {p.expert_id: p for p in ExpertProfile.objects.all()}
    for expert in Expert.objects.filter(user__isnull=False).prefetch_related("industries__parent"):
        p = profiles.get(expert.pk)
        inds = list(expert.industries.all())
        items.append(Item(f"expert:{expert.pk}", "expert", f"{expert.name}（{expert.specialties}）",
                          industries=F(i.code for i in inds), sections=F(i.parent.code for i in inds if i.parent_id),
                          topics=F(TOPIC[f] for f in (p.fields if p else []) if f in TOPIC)))
    standards: dict[str, set] = {}
    for code, text in Case.objects.exclude(standards="").values_list("industry__code", "standards"):
        for number in standard_numbers(text):
            standards.setdefault(number, set()).add(code)
    for number, codes in sorted(standards.items()):
        items.append(Item(f"standard:{number}", "standard", number, industries=F(c for c in codes if c),
                          topics=F({"标准化"})))
    return items


def events(enterprise: Organization, *, before=None) -> list[tuple]:
    """The enterprise's past actions as (time, catalogue key), oldest first: each enrolment
    is a course, each consultation the expert who took it."""
    from qualitycity.training.models import Enrollment

    enrolments = Enrollment.objects.filter(organization=enterprise)
    cases = Case.objects.filter(enterprise=enterprise).exclude(expert=None)
    if before is not None:
        enrolments, cases = enrolments.filter(enrolled_at__lt=before), cases.filter(created_at__lt=before)
    out = [(t, f"course:{c}") for t, c in enrolments.values_list("enrolled_at", "course_id")]
    out += [(t, f"expert:{e}") for t, e in cases.values_list("created_at", "expert_id")]
    return sorted(out)


def external_signals(enterprise: Organization) -> dict:
    signals = {}
    for app in SIGNAL_APPS:
        if find_spec(f"qualitycity.{app}.selectors"):
            provider = getattr(import_module(f"qualitycity.{app}.selectors"), "recommendation_signals", None)
            if provider:
                signals.update(provider(enterprise))
    return signals


def profile_for(enterprise: Organization, *, before=None, signals: dict | None = None) -> Profile:
    """What we know about the enterprise, optionally only from actions before ``before``
    (the offline evaluation uses this so the held-out action never leaks in)."""
    from qualitycity.training.models import Course

    industry = enterprise.industry
    history = events(enterprise, before=before)
    topics = Counter()
    cases = Case.objects.filter(enterprise=enterprise)
    if before is not None:
        cases = cases.filter(created_at__lt=before)
    for field, n in cases.values_list("field").annotate(n=Count("id")):
        topics[TOPIC.get(field, field)] += n
    course_ids = [int(k.split(":")[1]) for _, k in history if k.startswith("course:")]
    for topic in Course.objects.filter(pk__in=course_ids).values_list("topic", flat=True):
        topics[TOPIC[topic]] += 1
    used = {k for _, k in history}
    used.update(f"standard:{n}" for text in cases.values_list("standards", flat=True) for n in standard_numbers(text))
    return Profile(
        industry=industry.code if industry else "", industry_name=industry.name if industry else "",
        section=industry.section_code if industry else "",
        size=enterprise.size_class, size_label=enterprise.get_size_class_display() if enterprise.size_class else "",
        stage=enterprise.growth_stage,
        stage_label=enterprise.get_growth_stage_display() if enterprise.growth_stage else "",
        area=enterprise.area.name if enterprise.area_id else "", topics=topics,
        signals=external_signals(enterprise) if signals is None else signals, used=used,
    )


def all_histories() -> dict[int, list[tuple]]:
    """Every enterprise's (time, key) actions, for popularity and the offline evaluation."""
    from qualitycity.training.models import Enrollment

    out: dict[int, list] = {}
    for org, t, c in Enrollment.objects.exclude(organization=None).values_list("organization_id", "enrolled_at", "course_id"):
        out.setdefault(org, []).append((t, f"course:{c}"))
    for org, t, e in Case.objects.exclude(expert=None).values_list("enterprise_id", "created_at", "expert_id"):
        out.setdefault(org, []).append((t, f"expert:{e}"))
    return {org: sorted(rows) for org, rows in out.items()}


def for_enterprise(enterprise: Organization, *, per_kind: int = 3) -> dict[str, list]:
    """Recommendations grouped by kind, each with its reasons."""
    histories = {org: [k for _, k in rows] for org, rows in all_histories().items()}
    popularity = popularity_shares(histories)
    profile = profile_for(enterprise)
    group_of = dict(Organization.objects.filter(pk__in=list(histories) + [enterprise.pk])
                    .values_list("pk", "industry_id"))
    profile.peers = peer_counts(histories, group_of, enterprise.pk)
    items = catalogue()
    return {kind: recommend(profile, items, k=per_kind, popularity=popularity, kinds=[kind]) for kind in KIND_LABEL}
