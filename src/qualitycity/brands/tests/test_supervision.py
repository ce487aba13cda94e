import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent
from qualitycity.core.tests import factories as core

from .. import selectors, services
from ..models import (
    Application,
    Certificate,
    CertificateStatus,
    SamplingDraw,
    StrengthFactor,
    SurveillanceEvent,
)
from .factories import BY, certification_body, certified, declared_application, inspected, standard

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_failed_inspection_in_the_platform_blocks_the_application_at_once_and_names_it():
    firm = core.organization(name="江城电器有限公司")
    order = inspected(firm, passed=False, item="泄漏电流", tested_on=TODAY - dt.timedelta(days=40))
    with pytest.raises(DomainError) as refused:
        services.create_application(by=BY, enterprise=firm, standard=standard(), product="电热水壶",
                                    certification_body=certification_body())
    assert order.number in refused.value.message and "泄漏电流" in refused.value.message
    assert str(order.tested_on) in refused.value.message
    assert not Application.objects.exists()


def test_a_failure_found_after_the_application_was_created_blocks_the_submission():
    firm = core.organization()
    app = declared_application(firm)
    order = inspected(firm, passed=False)
    with pytest.raises(DomainError, match=order.number):
        services.submit(by=BY, application=app)
    assert Application.objects.get().status == "draft"


def test_old_failures_and_failures_without_a_hazard_do_not_block():
    firm = core.organization()
    inspected(firm, passed=False, tested_on=TODAY - dt.timedelta(days=800))
    inspected(firm, passed=False, hazard="", item="含水率")
    inspected(firm, passed=False, state="testing")  # not yet reviewed by the lab
    assert services.blocking_violations(firm) == []
    services.submit(by=BY, application=declared_application(firm))


def test_surveillance_refuses_an_unknown_kind_and_writes_nothing():
    cert = certified(core.organization(), today=TODAY - dt.timedelta(days=30))
    with pytest.raises(DomainError, match="监督类型"):
        services.record_surveillance(by=BY, certificate=cert, kind="bogus", held_on=TODAY, passed=True)
    assert not SurveillanceEvent.objects.exists()


def test_a_sample_must_cite_an_inspection_record_of_the_certificate_holder():
    firm, other = core.organization(), core.organization()
    cert = certified(firm, today=TODAY - dt.timedelta(days=30))
    foreign = inspected(other, passed=False)
    for reference, message in [("", "须填写检验报告编号"), ("JY209901010001", "没有编号为"),
                               (foreign.number, "不是获证企业的检验记录")]:
        with pytest.raises(DomainError, match=message):
            services.record_surveillance(by=BY, certificate=cert, kind="sampling", held_on=TODAY, passed=False,
                                         inspection_report=reference)
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.VALID and not SurveillanceEvent.objects.exists()
    own = inspected(firm, passed=False)
    event = services.record_surveillance(by=BY, certificate=cert, kind="sampling", held_on=TODAY, passed=False,
                                         inspection_report=own.number.lower(), notes="绝缘电阻不合格")
    assert event.inspection_report == own.number
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.SUSPENDED


def test_a_failed_audit_shows_at_once_in_the_public_registry():
    cert = certified(core.organization(name="汉江光电有限公司"), today=TODAY - dt.timedelta(days=400))
    assert cert.number in Client().get("/brands/?status=valid").content.decode()
    services.record_surveillance(by=BY, certificate=cert, kind="audit", held_on=TODAY, passed=False, notes="体系失效")
    assert cert.number not in Client().get("/brands/?status=valid").content.decode()
    assert cert.number in Client().get("/brands/?status=suspended").content.decode()
    assert "体系失效" in Client().get(f"/brands/c/{cert.number}/").content.decode()


def test_a_sampling_draw_is_reproducible_from_its_seed_and_recorded():
    certs = [certified(core.organization(), today=TODAY - dt.timedelta(days=10)) for _ in range(6)]
    services.suspend(by=BY, certificate=certs[0], reason="整改")
    first = services.draw_sample(by=BY, size=3, seed=42)
    second = services.draw_sample(by=BY, size=3, seed=42)
    assert first.selected == second.selected and len(set(first.selected)) == 3
    assert certs[0].number not in first.population and first.population == sorted(first.population)
    import random

    assert random.Random(42).sample(first.population, 3) == first.selected
    before = SamplingDraw.objects.count()
    with pytest.raises(DomainError, match="超过有效证书数"):
        services.draw_sample(by=BY, size=50)
    with pytest.raises(DomainError, match="正整数"):
        services.draw_sample(by=BY, size=0)
    assert SamplingDraw.objects.count() == before
    assert AuditEvent.objects.filter(action="brands.sampling.draw").count() == 2


def test_annual_audits_fall_due_on_each_anniversary_and_overdue_ones_are_listed():
    issued = TODAY - dt.timedelta(days=400)
    cert = certified(core.organization(), today=issued)
    [row] = selectors.audit_schedule([cert])
    assert row["due"] == issued.replace(year=issued.year + 1) and row["overdue"]
    assert [r["certificate"] for r in selectors.overdue_audits(Certificate.objects.all())] == [cert]
    services.record_surveillance(by=BY, certificate=cert, kind="audit", held_on=TODAY, passed=True)
    [row] = selectors.audit_schedule([cert])
    assert row["due"] == issued.replace(year=issued.year + 2) and not row["overdue"]
    assert selectors.overdue_audits(Certificate.objects.all()) == []


def test_a_renewal_issues_a_new_certificate_and_closes_the_old_one():
    firm = core.organization()
    old = certified(firm, today=TODAY - dt.timedelta(days=1000))
    app = services.start_renewal(by=BY, certificate=old)
    for req in app.standard.requirements.all():
        services.declare(by=BY, application=app, requirement_id=req.pk, statement="持续符合",
                         evidence=old.application.declarations.first().evidence)
    services.submit(by=BY, application=app)
    services.review(by=BY, application=app, scores={r.pk: 9 for r in app.standard.requirements.all()},
                    outcome="certify", findings="无不符合项")
    new = Certificate.objects.get(application=app)
    old.refresh_from_db()
    assert new.renewed_from == old and old.public_status == "expired" and new.number in old.status_reason
    assert selectors.statistics()["renewals"] == 1
    with pytest.raises(DomainError, match="不能换证"):
        services.start_renewal(by=BY, certificate=old)


def test_a_renewal_is_refused_too_early_or_for_a_suspended_certificate():
    fresh = certified(core.organization(), today=TODAY - dt.timedelta(days=10))
    with pytest.raises(DomainError, match="到期前 6 个月内"):
        services.start_renewal(by=BY, certificate=fresh)
    due = certified(core.organization(), today=TODAY - dt.timedelta(days=1000))
    services.suspend(by=BY, certificate=due, reason="抽检不合格")
    with pytest.raises(DomainError, match="须先恢复"):
        services.start_renewal(by=BY, certificate=due)
    assert Application.objects.filter(renews__isnull=False).count() == 0


def test_strength_weights_are_set_by_the_city_office_and_bad_ones_change_nothing():
    services.set_strength_weights(by=BY, weights={"clean_record": 0.5})
    assert selectors.factor_weights()["clean_record"] == 0.5 and StrengthFactor.objects.count() == 4
    for weights, message in [({"clean_record": 2}, "0–1"), ({"price": 0.5}, "未知"),
                             ({k: 0 for k in selectors.DEFAULT_FACTORS}, "全部为 0")]:
        with pytest.raises(DomainError, match=message):
            services.set_strength_weights(by=BY, weights=weights)
    assert selectors.factor_weights()["clean_record"] == 0.5
    assert AuditEvent.objects.filter(action="brands.strength.weights").count() == 1


def test_the_registry_filters_by_status_before_it_caps_the_rows():
    from ..models import ApplicationStatus

    firm = core.organization()
    suspended = certified(firm, today=TODAY - dt.timedelta(days=900))
    services.suspend(by=BY, certificate=suspended, reason="抽检不合格")
    template = suspended.application
    apps = Application.objects.bulk_create(
        Application(number=f"MPSQ{i:010d}", enterprise=firm, standard=template.standard, product="电缆",
                    certification_body=template.certification_body, status=ApplicationStatus.CERTIFIED)
        for i in range(501))
    Certificate.objects.bulk_create(
        Certificate(number=f"WHMP{i:010d}", application=a, enterprise=firm, scope="电缆", issued_on=TODAY,
                    valid_until=TODAY + dt.timedelta(days=900)) for i, a in enumerate(apps))
    assert [c.number for c in selectors.registry(status="suspended")] == [suspended.number]
    assert len(selectors.registry(status="valid")) == 500


def test_statistics_count_suspensions_by_district_and_year():
    area = core.area("江岸区", "420102")
    firm = core.organization(in_area=area)
    cert = certified(firm, today=TODAY - dt.timedelta(days=400))
    certified(core.organization(in_area=area), today=TODAY - dt.timedelta(days=400))
    services.record_surveillance(by=BY, certificate=cert, kind="audit", held_on=TODAY, passed=False, notes="不合格")
    stats = selectors.statistics()
    assert stats["suspended_by_district"] == [("江岸区", 1)] and stats["status_counts"]["suspended"] == 1
    assert stats["suspensions_by_year"] == [(TODAY.year, 1)] and ("江岸区", 1) in stats["by_district"]
