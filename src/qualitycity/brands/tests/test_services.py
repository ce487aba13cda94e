import datetime as dt

import pytest

from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent
from qualitycity.core.tests import factories as core

from .. import selectors, services
from ..models import Application, ApplicationStatus, Certificate, CertificateStatus
from .factories import BY, certification_body, certified, declared_application, inspected, standard

pytestmark = pytest.mark.django_db


def test_the_whole_lifecycle_from_application_to_suspension():
    firm = core.organization(name="楚天电缆有限公司")
    cert = certified(firm, today=dt.date(2026, 1, 10))
    assert cert.number.startswith("WHMP20") and cert.valid_until == dt.date(2029, 1, 9)
    assert selectors.check(cert.number).public_status == "valid"
    sample = inspected(firm, passed=False, tested_on=dt.date(2026, 6, 1))
    services.record_surveillance(by=BY, certificate=cert, kind="sampling", held_on=dt.date(2026, 6, 1), passed=False,
                                 inspection_report=sample.number, notes="导体电阻超标")
    # The public check reflects the suspension at once.
    checked = selectors.check(cert.number.lower())
    assert checked.public_status == "suspended" and "导体电阻超标" in checked.status_reason
    services.reinstate(by=BY, certificate=cert, reason="整改复检合格")
    services.withdraw(by=BY, certificate=cert, reason="企业停产")
    assert selectors.check(cert.number).public_status == "withdrawn"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"brands.application.submit", "brands.application.decide", "brands.certificate.suspend",
            "brands.certificate.withdraw"} <= actions


def test_an_application_missing_evidence_is_refused_and_stays_a_draft():
    firm = core.organization()
    std = standard(3)
    app = services.create_application(by=BY, enterprise=firm, standard=std, product="电缆", certification_body=certification_body())
    first = std.requirements.first()
    services.declare(by=BY, application=app, requirement_id=first.pk, statement="符合")
    with pytest.raises(DomainError, match="3 项要求缺少自我声明或证明材料"):
        services.submit(by=BY, application=app)
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.DRAFT


def test_a_recent_serious_violation_blocks_the_application_and_says_why():
    firm = core.organization()
    app = declared_application(firm)
    services.record_violation(by=BY, enterprise=firm, kind="failed_inspection", occurred_on=dt.date.today(),
                              description="监督抽查不合格")
    with pytest.raises(DomainError, match="严重质量违法记录.*监督抽查不合格"):
        services.submit(by=BY, application=app)


def test_certifying_needs_every_requirement_at_its_pass_mark():
    app = declared_application(core.organization())
    services.submit(by=BY, application=app)
    reqs = list(app.standard.requirements.all())
    services.score(by=BY, application=app, scores={reqs[0].pk: 9, reqs[1].pk: 5, reqs[2].pk: 8})
    with pytest.raises(DomainError, match="1 项要求未评分或未达合格分"):
        services.decide(by=BY, application=app, outcome="certify")
    assert not Certificate.objects.exists()
    with pytest.raises(DomainError, match="0–10"):
        services.score(by=BY, application=app, scores={reqs[1].pk: 11})
    services.decide(by=BY, application=app, outcome="reject", note="技术指标不达标")
    assert Application.objects.get(pk=app.pk).status == ApplicationStatus.REJECTED


def test_conditional_certification_requires_the_conditions():
    app = declared_application(core.organization())
    services.submit(by=BY, application=app)
    services.score(by=BY, application=app, scores={r.pk: 7 for r in app.standard.requirements.all()})
    with pytest.raises(DomainError, match="须写明条件"):
        services.decide(by=BY, application=app, outcome="conditional")
    services.decide(by=BY, application=app, outcome="conditional", conditions="半年内完成整改")
    assert Certificate.objects.get().conditions == "半年内完成整改"


def test_an_expired_certificate_shows_as_expired():
    cert = certified(core.organization(), today=dt.date(2020, 1, 1))
    assert cert.status == CertificateStatus.VALID and selectors.check(cert.number).public_status == "expired"


def test_a_forged_or_mistyped_number_finds_nothing():
    certified(core.organization())
    for number in ("WHMP202601100002", "WHMP-FAKE", "", "x" * 500, "'; DROP TABLE"):
        assert selectors.check(number) is None


def test_brand_strength_is_a_documented_weighted_score():
    firm = core.organization()
    certified(firm, today=dt.date(2026, 1, 10))
    strength = selectors.brand_strength(firm, today=dt.date(2026, 7, 10))
    f = strength["factors"]
    assert f["certified_products"] == pytest.approx(0.2) and f["clean_record"] == 1.0
    assert f["years_certified"] == pytest.approx((181 / 365.25) / 6, rel=1e-6)
    expected = 100 * (0.3 * 0.2 + 0.2 * f["years_certified"] + 0.3 * 1.0 + 0.2 * 1.0)
    assert strength["score"] == pytest.approx(round(expected, 1))


def test_the_district_indicator_counts_certificates_valid_at_year_end():
    area = core.area()
    firm = core.organization(in_area=area)
    cert = certified(firm, today=dt.date(2025, 3, 1))
    assert selectors.district_certified_products(area, 2025) == 1
    assert selectors.district_certified_products(area, 2024) == 0
    services.suspend(by=BY, certificate=cert, reason="抽检不合格")
    assert selectors.district_certified_products(area, 2025) == 0
