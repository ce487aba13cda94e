import datetime as dt

from qualitycity.core.models import OrgKind
from qualitycity.core.services.attachments import store_attachment
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core

from .. import services
from ..models import Dimension, EvaluationStandard, Requirement

BY = Actor.system("test")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def standard(n_requirements: int = 3) -> EvaluationStandard:
    std = EvaluationStandard.objects.create(code=f"WHMP/T {EvaluationStandard.objects.count() + 1:03d}-2024",
                                           name="电线电缆评价规范", product_category="电线电缆")
    for i in range(n_requirements):
        Requirement.objects.create(standard=std, dimension=Dimension.QUALITY, text=f"要求{i + 1}", max_score=10,
                                   pass_score=6, order=i)
    return std


def certification_body(name="华认认证有限公司", in_area=None):
    return core.organization(OrgKind.CERTIFICATION_BODY, name=name, in_area=in_area, industry=None)


def declared_application(enterprise, std=None, body=None, product="示范电缆"):
    std = std or standard()
    body = body or certification_body()
    app = services.create_application(by=BY, enterprise=enterprise, standard=std, product=product,
                                      certification_body=body)
    evidence = store_attachment(by=BY, filename="e.pdf", content=PDF)
    for req in std.requirements.all():
        services.declare(by=BY, application=app, requirement_id=req.pk, statement="符合", evidence=evidence)
    return app


def certified(enterprise, *, today=dt.date(2026, 1, 10), **kwargs):
    app = declared_application(enterprise, **kwargs)
    services.submit(by=BY, application=app)
    services.score(by=BY, application=app, scores={r.pk: 8 for r in app.standard.requirements.all()})
    services.decide(by=BY, application=app, outcome="certify", today=today)
    return app.certificate


def inspected(enterprise, *, passed=True, hazard="触电", item="绝缘电阻", tested_on=None, state="issued",
              product="示范电缆"):
    """An inspection order of ``enterprise`` with one result, as the inspection module stores
    it after review. Inserted directly: these tests are about what brands reads, not the lab flow."""
    from django.db import transaction

    from qualitycity.core.numbering import next_number
    from qualitycity.inspection.models import Order, OrderItem

    lab = core.organization(OrgKind.TESTING_LAB, name=f"检测{Order.objects.count()}有限公司", industry=None)
    with transaction.atomic():
        order = Order.objects.create(number=next_number("JY"), enterprise=enterprise, lab=lab, product_name=product,
                                     product_category="电线电缆", state=state, tested_on=tested_on or dt.date.today())
        OrderItem.objects.create(order=order, item=item, value="合格" if passed else "不合格", passed=passed,
                                 hazard="" if passed else hazard)
    return order
