"""Builders for complaint tests on top of the core role world."""

from __future__ import annotations

from qualitycity.complaints import reference
from qualitycity.complaints.models import Category, RoutingRule
from qualitycity.complaints.services import intake
from qualitycity.core.services.audit import Actor


def world():
    from qualitycity.core.tests import factories

    reference.ensure()
    w = factories.role_users()
    food = Category.objects.get(code="food")
    RoutingRule.objects.get_or_create(category=food, area=None, defaults={"lead": w["orgs"]["dept"]})
    rule, _ = RoutingRule.objects.get_or_create(category=food, area=w["areas"]["hongshan"],
                                                defaults={"lead": w["orgs"]["dept"]})
    rule.co_handlers.add(w["orgs"]["district_gov"])
    w["food"] = food
    return w


def demand(w, *, district="洪山区", category="food", demand_type="complaint", by=None, **fields):
    values = {
        "channel": "web",
        "demand_type": demand_type,
        "category": category,
        "description": fields.pop("description", "在某餐馆吃饭后腹泻，怀疑食材变质，要求退款并查处"),
        "district": district,
        "contact_name": "王先生",
        "contact_phone": "13812341234",
        "respondent_name": "自有企业有限公司",
    }
    values.update(fields)
    return intake.submit(by=by or Actor.system("test"), **values)
