"""Annual assessment: weights, automatic computation with evidence, manual values, adjustments."""

import datetime as dt

import pytest

from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent
from qualitycity.core.services.audit import Actor

from .. import sources
from ..models import Assessment, Criterion, Scheme
from ..services import assessment, plans
from .factories import SYSTEM, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world(year=dt.date.today().year - 1)  # last year: every deadline has passed


def test_weights_that_do_not_sum_to_one_are_refused_and_nothing_changes(w):
    rows = [("a", "A", "weighted", "0.5", ""), ("b", "B", "weighted", "0.4", "")]
    with pytest.raises(DomainError, match="之和必须为 1"):
        assessment.create_scheme(by=SYSTEM, name="坏方案", year=2026, subjects="district_gov", criteria=rows)
    assert Scheme.objects.count() == 0 and Criterion.objects.count() == 0
    scheme = assessment.create_scheme(by=SYSTEM, name="方案", year=2026, subjects="district_gov")
    with pytest.raises(DomainError):
        assessment.set_weights(by=SYSTEM, scheme=scheme, weights={"task_completion": "0.9"})
    assert scheme.criteria.get(key="task_completion").weight == pytest.approx(0.25)


def test_scores_come_from_providers_with_evidence_and_fall_back_to_manual(w):
    item = w["hongshan_task"]
    item.completed_on = item.deadline
    item.save()
    scheme = assessment.create_scheme(by=SYSTEM, name="区考核", year=w["plan"].year, subjects="district_gov")
    sat = scheme.criteria.get(key="satisfaction")
    assessment.set_manual_value(by=SYSTEM, criterion=sat, subject=w["orgs"]["district_gov"], value=80, note="问卷")
    assessment.compute(by=SYSTEM, scheme=scheme)
    hongshan = Assessment.objects.get(scheme=scheme, subject=w["orgs"]["district_gov"])
    scores = {s.criterion.key: s for s in hongshan.scores.select_related("criterion")}
    assert scores["task_completion"].value == 100 and scores["task_completion"].origin == "provider"
    assert "按期完成" in scores["task_completion"].evidence["description"]
    assert scores["satisfaction"].origin == "manual" and scores["satisfaction"].evidence["note"] == "问卷"
    assert scores["complaints"].origin == "missing"
    jiangan = Assessment.objects.get(scheme=scheme, subject=w["jiangan_gov"])
    # 洪山 completed its task on time, 江岸 did not: 洪山 ranks first
    assert hongshan.rank == 1 and jiangan.rank == 2
    # 0.25 * 100 (tasks) + 0.15 * 100 (no findings) + 0.15 * 80 (satisfaction)
    assert float(hongshan.total) == pytest.approx(25 + 15 + 12)


def test_a_veto_sets_the_total_to_zero(w):
    scheme = assessment.create_scheme(by=SYSTEM, name="区考核", year=w["plan"].year, subjects="district_gov")
    veto = scheme.criteria.get(key="major_incident")
    assessment.set_manual_value(by=SYSTEM, criterion=veto, subject=w["orgs"]["district_gov"], value=1)
    assessment.compute(by=SYSTEM, scheme=scheme)
    result = Assessment.objects.get(scheme=scheme, subject=w["orgs"]["district_gov"])
    assert result.vetoed and result.total == 0


def test_an_adjustment_needs_a_reason_and_is_audited(w):
    scheme = assessment.create_scheme(by=SYSTEM, name="区考核", year=w["plan"].year, subjects="district_gov")
    assessment.compute(by=SYSTEM, scheme=scheme)
    result = Assessment.objects.get(scheme=scheme, subject=w["jiangan_gov"])
    with pytest.raises(DomainError, match="理由"):
        assessment.adjust(by=SYSTEM, assessment=result, delta=3, reason="")
    before = result.total
    assessment.adjust(by=Actor(label="office"), assessment=result, delta=3, reason="获省长质量奖")
    result.refresh_from_db()
    assert result.total == before + 3 and result.adjustment == 3
    event = AuditEvent.objects.get(action="governance.assessment.adjust")
    assert event.changes["reason"] == "获省长质量奖"


def test_supervision_findings_lower_the_supervision_score(w):
    rnd = plans.start_round(by=SYSTEM, plan=w["plan"], quarter=3, name="督查", sample_size=4, seed=2)
    plans.record_finding(by=SYSTEM, round=rnd, item=w["jiangan_task"], finding="台账不全")
    value = sources.get("governance.supervision").func(w["jiangan_gov"], w["plan"].year)
    assert value == 95


def test_the_registry_exposes_descriptions_for_every_provider():
    providers = sources.all_providers()
    assert {"governance.task_completion", "governance.indicator_attainment", "governance.supervision"} <= {
        p.key for p in providers}
    assert all(p.description for p in providers)
