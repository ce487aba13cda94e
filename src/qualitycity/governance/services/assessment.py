"""Configuring and computing the annual assessment; manual values and adjustments are audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.services import audit
from qualitycity.methods import scorecard

from .. import sources
from ..models import Adjustment, Assessment, Criterion, ManualValue, Scheme, Score
from ..models.plans import district_of

# The default scheme: the criteria. Sources not yet provided by their modules fall back
# to manual entry (see governance.sources).
DEFAULT_CRITERIA = [
    ("task_completion", "任务完成率", "weighted", "0.25", "governance.task_completion"),
    ("indicator_attainment", "指标达成度", "weighted", "0.20", "governance.indicator_attainment"),
    ("supervision", "督查整改", "weighted", "0.15", "governance.supervision"),
    ("satisfaction", "群众满意度指数", "weighted", "0.15", "surveys.satisfaction_index"),
    ("complaints", "投诉办结率", "weighted", "0.10", "complaints.handling_rate"),
    ("quality_index", "质量发展指数", "weighted", "0.15", "indices.quality_index"),
    ("bonus", "加减分", "bonus", "0", ""),
    ("major_incident", "重大质量安全事故（一票否决）", "veto", "0", ""),
]


def create_scheme(*, by: audit.Actor, name: str, year: int, subjects: str, plan=None,
                  criteria: list[tuple] | None = None) -> Scheme:
    rows = criteria or DEFAULT_CRITERIA
    weights = {key: float(Decimal(w)) for key, _l, kind, w, _s in rows if kind == Criterion.Kind.WEIGHTED}
    try:
        scorecard.check_weights(weights)
    except ValueError as exc:
        raise DomainError(str(exc), field="weight") from None
    if subjects not in Scheme.Subjects.values:
        raise DomainError(_("考核对象无效"), field="subjects")
    with transaction.atomic():
        scheme = Scheme.objects.create(name=name, year=year, subjects=subjects, plan=plan)
        Criterion.objects.bulk_create([
            Criterion(scheme=scheme, key=key, label=label, kind=kind, weight=Decimal(w), source=src, sort_order=i)
            for i, (key, label, kind, w, src) in enumerate(rows)
        ])
        audit.record(by=by, action="governance.scheme.create", obj=scheme, changes={"weights": weights})
    return scheme


def set_weights(*, by: audit.Actor, scheme: Scheme, weights: dict[str, str]) -> Scheme:
    """Change the weights of the weighted criteria; they must still sum to 1."""
    criteria = {c.key: c for c in scheme.criteria.filter(kind=Criterion.Kind.WEIGHTED)}
    parsed, errors = {}, {}
    for key, criterion in criteria.items():
        raw = weights.get(key, criterion.weight)
        try:
            parsed[key] = Decimal(str(raw))
        except InvalidOperation:
            errors[f"weight_{key}"] = [_("“{value}”不是数字").format(value=raw)]
    if errors:
        raise DomainError(_("权重有误，未保存"), errors=errors)
    try:
        scorecard.check_weights({k: float(v) for k, v in parsed.items()})
    except ValueError as exc:
        raise DomainError(str(exc), field="weight") from None
    with transaction.atomic():
        before = {k: str(c.weight) for k, c in criteria.items()}
        for key, value in parsed.items():
            Criterion.objects.filter(pk=criteria[key].pk).update(weight=value)
        audit.record(by=by, action="governance.scheme.weights", obj=scheme,
                     changes=audit.diff(before, {k: str(v) for k, v in parsed.items()}))
    return scheme


def set_manual_value(*, by: audit.Actor, criterion: Criterion, subject: Organization, value, note: str = ""):
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(_("“{value}”不是数字").format(value=value), field="value") from None
    if criterion.kind == Criterion.Kind.WEIGHTED and not 0 <= number <= 100:
        raise DomainError(_("加权指标的得分须在 0 到 100 之间"), field="value")
    with transaction.atomic():
        obj, _created = ManualValue.objects.update_or_create(criterion=criterion, subject=subject,
                                                      defaults={"value": number, "note": note[:200]})
        audit.record(by=by, action="governance.assessment.manual_value", obj=obj,
                     changes={"criterion": criterion.key, "subject": subject.name, "value": str(number)})
    return obj


def subjects_of(scheme: Scheme):
    return Organization.objects.filter(kind=scheme.subjects).order_by("id")


def compute(*, by: audit.Actor, scheme: Scheme) -> list[Assessment]:
    """Compute every subject's scores from providers (falling back to manual values), keep
    each score's evidence, then rank. Existing manual adjustments are kept and re-applied."""
    criteria = list(scheme.criteria.all())
    weights = {c.key: float(c.weight) for c in criteria if c.kind == Criterion.Kind.WEIGHTED}
    manual = {(m.criterion_id, m.subject_id): m for m in ManualValue.objects.filter(criterion__scheme=scheme)}
    with transaction.atomic():
        results = []
        for subject in subjects_of(scheme):
            assessment, _created = Assessment.objects.get_or_create(
                scheme=scheme, subject=subject, defaults={"district": district_of(subject)})
            assessment.scores.all().delete()
            scores, bonus, vetoed, rows = {}, 0.0, False, []
            for c in criteria:
                value, provider = sources.value(c.source, subject, scheme.year) if c.source else (None, None)
                evidence = {}
                if value is not None:
                    origin = "provider"
                    evidence = {"source": provider.key, "description": provider.description}
                elif (c.pk, subject.pk) in manual:
                    m = manual[(c.pk, subject.pk)]
                    value, origin = float(m.value), "manual"
                    evidence = {"note": m.note}
                else:
                    origin = "missing"
                if c.kind == Criterion.Kind.WEIGHTED:
                    scores[c.key] = value
                    points = float(c.weight) * float(value or 0)
                elif c.kind == Criterion.Kind.BONUS:
                    bonus += float(value or 0)
                    points = float(value or 0)
                else:
                    vetoed = vetoed or bool(value)
                    points = 0.0
                rows.append(Score(assessment=assessment, criterion=c, origin=origin, evidence=evidence,
                                  value=None if value is None else Decimal(str(round(value, 3))),
                                  points=Decimal(str(round(points, 2)))))
            Score.objects.bulk_create(rows)
            adjustment = sum(float(a.delta) for a in assessment.adjustments.all())
            result = scorecard.total_score(scores, weights, bonus=bonus, adjustment=adjustment, vetoed=vetoed)
            assessment.computed = Decimal(str(result.computed))
            assessment.adjustment = Decimal(str(round(adjustment, 2)))
            assessment.total = Decimal(str(result.total))
            assessment.vetoed = vetoed
            results.append(assessment)
        ranks = scorecard.competition_ranks([float(a.total) for a in results])
        for assessment, rank in zip(results, ranks, strict=True):
            assessment.rank = rank
        Assessment.objects.bulk_update(results, ["computed", "adjustment", "total", "vetoed", "rank"])
        scheme.computed_at = timezone.now()
        scheme.save(update_fields=["computed_at"])
        audit.record(by=by, action="governance.assessment.compute", obj=scheme, changes={"subjects": len(results)})
    return results


def adjust(*, by: audit.Actor, assessment: Assessment, delta, reason: str) -> Adjustment:
    if not (reason or "").strip():
        raise DomainError(_("调整分数必须说明理由"), field="reason")
    try:
        number = Decimal(str(delta))
    except InvalidOperation:
        raise DomainError(_("“{value}”不是数字").format(value=delta), field="delta") from None
    if number == 0 or abs(number) > 20:
        raise DomainError(_("调整分值须为非零且绝对值不超过 20 分"), field="delta")
    with transaction.atomic():
        adj = Adjustment.objects.create(assessment=assessment, delta=number, reason=reason.strip(), made_by=by.user)
        audit.record(by=by, action="governance.assessment.adjust", obj=assessment,
                     changes={"delta": str(number), "reason": adj.reason})
    compute(by=by, scheme=assessment.scheme)
    return adj
