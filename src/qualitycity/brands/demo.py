"""Demo data for 武汉名品: evaluation standards, applications in every state (two waiting for
the demo certification body, login ``certbody``), certificates (suspended after a failed
audit or sample, withdrawn, expired, renewed), a random sampling draw whose samples cite the
inspection module's orders, and violation records."""

from __future__ import annotations

import datetime as dt
import random

from qualitycity.core.models import Industry, Organization, OrgKind, Role
from qualitycity.core.services.attachments import store_attachment
from qualitycity.core.services.audit import Actor

from . import services
from .models import Dimension, EvaluationStandard, Requirement, StrengthFactor, SurveillanceKind
from .selectors import DEFAULT_FACTORS

STANDARDS = [
    ("WHMP/T 001-2024", "武汉名品评价规范 电线电缆", "电线电缆", "38"),
    ("WHMP/T 002-2024", "武汉名品评价规范 预包装食品", "预包装食品", "14"),
    ("WHMP/T 003-2025", "武汉名品评价规范 光电子器件", "光电子器件", "39"),
]
REQUIREMENTS = [
    (Dimension.QUALITY, "近三年产品监督抽查合格率 100%"),
    (Dimension.QUALITY, "关键质量特性优于国家标准要求"),
    (Dimension.TECHNOLOGY, "拥有与产品相关的有效发明专利或主导制定标准"),
    (Dimension.TECHNOLOGY, "研发投入占营业收入比例不低于 3%"),
    (Dimension.MANAGEMENT, "建立并有效运行质量管理体系（GB/T 19001）"),
    (Dimension.MANAGEMENT, "实施卓越绩效或精益管理"),
    (Dimension.REPUTATION, "近三年无重大质量投诉和质量安全事故"),
    (Dimension.REPUTATION, "用户满意度测评得分不低于 80 分"),
    (Dimension.SOCIAL, "依法履行环境保护和安全生产责任"),
    (Dimension.SOCIAL, "公开质量承诺并履行售后服务义务"),
]
PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _standards() -> list[EvaluationStandard]:
    standards = []
    for code, name, category, industry in STANDARDS:
        standard, created = EvaluationStandard.objects.get_or_create(
            code=code, defaults={"name": name, "product_category": category,
                                 "industry": Industry.objects.filter(code=industry).first()},
        )
        if created:
            Requirement.objects.bulk_create(
                Requirement(standard=standard, dimension=d, text=t, max_score=10, pass_score=6, order=i)
                for i, (d, t) in enumerate(REQUIREMENTS)
            )
        standards.append(standard)
    return standards


def _full_application(by, enterprise, standard, body, product, evidence):
    app = services.create_application(by=by, enterprise=enterprise, standard=standard, product=product,
                                      certification_body=body)
    for requirement in standard.requirements.all():
        services.declare(by=by, application=app, requirement_id=requirement.pk,
                         statement=f"我公司{requirement.text}，详见证明材料。", evidence=evidence)
    return app


def load_demo(*, seed: int, scale: int, stdout) -> None:
    rng = random.Random(seed + 11)
    by = Actor.system("demo")
    for key, (label, weight) in DEFAULT_FACTORS.items():
        StrengthFactor.objects.get_or_create(key=key, defaults={"label": label, "weight": weight})
    standards = _standards()
    bodies = list(Organization.objects.filter(kind=OrgKind.CERTIFICATION_BODY).order_by("id"))
    evidence = store_attachment(by=by, filename="质量管理体系证书.pdf", content=PDF)
    today = dt.date(2026, 11, 1)
    made = 0
    for standard in standards:
        firms = list(Organization.objects.filter(kind=OrgKind.ENTERPRISE, industry=standard.industry).order_by("id")[:40])
        # firms with a serious failed inspection in the last two years may not apply
        firms = [f for f in firms if not services.blocking_violations(f)]
        for firm in rng.sample(firms, min(len(firms), 8 * scale)):
            product = f"{firm.name[2:6]}牌{standard.product_category}"
            app = _full_application(by, firm, standard, rng.choice(bodies), product, evidence)
            services.submit(by=by, application=app)
            scores = {r.pk: rng.randint(6, 10) for r in standard.requirements.all()}
            services.score(by=by, application=app, scores=scores, audited_on=today - dt.timedelta(days=400))
            outcome = rng.choice(["certify", "certify", "certify", "conditional", "reject"])
            issued = today - dt.timedelta(days=rng.randint(30, 1300))
            if made == 0:
                outcome, issued = "certify", today - dt.timedelta(days=1000)  # near expiry: the renewal example
            services.decide(by=by, application=app, outcome=outcome, note="现场审核符合要求" if outcome != "reject" else "",
                            conditions="一年内完成关键工序自动化改造" if outcome == "conditional" else "", today=issued)
            made += 1
    _lifecycle_examples(by, today)
    _sampling(by, today)
    _renewal(by, evidence, today)
    _waiting_for_review(by, rng, standards, bodies[0], evidence)
    _violations_and_drafts(by, rng, standards, bodies, evidence)
    stdout.write(f"武汉名品：评价规范 {len(standards)} 项，申请 {made} 份")


def _lifecycle_examples(by, today) -> None:
    from .models import Certificate, CertificateStatus

    # annual audits fall on anniversaries, so only certificates issued over a year ago have had one
    valid = list(Certificate.objects.filter(status=CertificateStatus.VALID, valid_until__gte=today,
                                            issued_on__lte=today - dt.timedelta(days=365)).order_by("id"))
    for cert in valid[:6]:
        services.record_surveillance(by=by, certificate=cert, kind=SurveillanceKind.ANNUAL_AUDIT,
                                     held_on=today - dt.timedelta(days=60), passed=True, notes="年度监督审核通过")
    if len(valid) >= 3:  # valid[0] is kept valid: it is the renewal example
        services.record_surveillance(by=by, certificate=valid[-2], kind=SurveillanceKind.ANNUAL_AUDIT,
                                     held_on=today - dt.timedelta(days=20), passed=False,
                                     notes="关键工序过程检验记录缺失，质量管理体系运行不符合评价规范要求")
        services.withdraw(by=by, certificate=valid[-1], reason="企业申请注销并停止生产该产品")


def _sampling(by, today) -> None:
    """Draw certified products at random; a drawn product whose holder has an inspection
    order with a report on the platform gets a sampling record citing that order (its verdict
    decides pass or fail, and a fail suspends the certificate)."""
    from qualitycity.inspection.models import Order

    from .models import Certificate

    try:
        draw = services.draw_sample(by=by, size=min(6, Certificate.objects.count()), seed=20261101, today=today)
    except Exception:  # noqa: BLE001 - nothing to draw from in a tiny demo
        return
    for number in draw.selected:
        cert = Certificate.objects.select_related("enterprise").get(number=number)
        order = (Order.objects.filter(enterprise=cert.enterprise, state__in=["issued", "rated"],
                                      tested_on__gte=cert.issued_on, tested_on__lte=today)
                 .order_by("-tested_on").first())
        if order is None or cert.status != "valid":
            continue
        failed = list(order.items.filter(passed=False).values_list("item", flat=True))
        services.record_surveillance(by=by, certificate=cert, kind=SurveillanceKind.SAMPLING, held_on=order.tested_on,
                                     passed=not failed, inspection_report=order.number,
                                     notes=f"{'、'.join(failed)}不合格" if failed else "抽检合格")


def _renewal(by, evidence, now) -> None:
    """One certificate near its expiry is renewed: a new application, re-assessed, certified."""
    from .models import Certificate

    cert = (Certificate.objects.filter(status="valid", valid_until__gte=now,
                                       valid_until__lte=now + dt.timedelta(days=services.RENEWAL_WINDOW_DAYS))
            .order_by("valid_until", "id").first())
    if cert is None or services.blocking_violations(cert.enterprise):
        return
    app = services.start_renewal(by=by, certificate=cert, today=now)
    for requirement in app.standard.requirements.all():
        services.declare(by=by, application=app, requirement_id=requirement.pk, statement="换证复评：持续符合。",
                         evidence=evidence)
    services.submit(by=by, application=app)
    services.score(by=by, application=app, scores={r.pk: 8 for r in app.standard.requirements.all()},
                   audited_on=now, findings="换证现场审核：体系持续有效，未发现不符合项。")
    services.decide(by=by, application=app, outcome="certify", note="换证复评通过", today=now)


def _waiting_for_review(by, rng, standards, body, evidence) -> None:
    """Two applications addressed to the demo certification body, so ``certbody`` has work."""
    taken = set(Organization.objects.filter(brand_applications__isnull=False).values_list("id", flat=True))
    firms = [f for f in Organization.objects.filter(kind=OrgKind.ENTERPRISE, industry=standards[1].industry)
             .exclude(id__in=taken).order_by("id")[:20] if not services.blocking_violations(f)]
    for i, firm in enumerate(firms[:2]):
        app = _full_application(by, firm, standards[1], body, f"{firm.name[2:6]}牌{standards[1].product_category}",
                                evidence)
        services.submit(by=by, application=app)
        if i == 1:
            services.score(by=by, application=app, scores={r.pk: rng.randint(6, 9) for r in standards[1].requirements.all()})


def _violations_and_drafts(by, rng, standards, bodies, evidence) -> None:
    cable = standards[0]
    firms = list(Organization.objects.filter(kind=OrgKind.ENTERPRISE, industry=cable.industry).order_by("-id")[:3])
    for firm in firms[:2]:
        services.record_violation(by=by, enterprise=firm, kind="failed_inspection", occurred_on=dt.date(2026, 3, 12),
                                  description="电线电缆产品质量监督抽查不合格（导体电阻超标）")
    demo_firm = Organization.objects.filter(memberships__user__username="enterprise",
                                            memberships__role=Role.ENTERPRISE_MEMBER).first()
    # The demo enterprise failed a 甲醛 test in the inspection demo, so it is blocked and the
    # application page tells it why; it gets a draft only when it is not blocked.
    if demo_firm is not None and not services.blocking_violations(demo_firm):
        services.create_application(by=by, enterprise=demo_firm, standard=cable, product="示范企业主导产品",
                                    certification_body=bodies[0])
