"""Builders for inspection tests: a lab with an accredited scope and a published service."""

from __future__ import annotations

import datetime as dt

from qualitycity.core.models import OrgKind, Role
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core

from ..services import catalogue, orders

ITEMS = [{"item": "甲醛释放量", "method_no": "GB/T 17657-2022"}, {"item": "含水率", "method_no": "GB/T 17657-2022"}]


def lab(name="测试检测有限公司", *, in_area=None, turnaround=5, items=ITEMS, cma_valid_days=365, org=None):
    lab = org or core.organization(OrgKind.TESTING_LAB, name=name, in_area=in_area, industry=None)
    lab.cma_number = lab.cma_number or "241712345678"
    lab.cma_valid_until = dt.date.today() + dt.timedelta(days=cma_valid_days)
    lab.address = lab.address or "武汉市洪山区珞喻路1号"
    lab.save()
    system = Actor.system("test")
    for i in items:
        catalogue.add_scope(by=system, lab=lab, item=i["item"], method_no=i["method_no"])
    catalogue.create_service(by=system, provider=lab, category="testing", title="人造板甲醛检测", turnaround_days=turnaround,
                             items=items, price=800, materials="样品 2 块")
    return lab


def world():
    """core.role_users() plus a scoped lab, a second lab person (the reviewer) and a district-2 enterprise."""
    w = core.role_users()
    lab(org=w["orgs"]["lab"])
    w["reviewer"] = core.user("reviewer_u", role=Role.PROVIDER_STAFF, org=w["orgs"]["lab"])
    return w


def actor(user):
    return Actor(user=user, ip="127.0.0.1")


def order_in(state: str, w, *, fail=False):
    """An order walked to ``state`` through the real services."""
    ent = actor(w["users"][Role.ENTERPRISE_MEMBER])
    labu = actor(w["users"][Role.PROVIDER_STAFF])
    rev = actor(w["reviewer"])
    o = orders.create_order(by=ent, enterprise=w["orgs"]["own"], product_name="刨花板", items=ITEMS)
    steps = [
        ("accepted", lambda: orders.transition(by=labu, order=o, action="accept", quote="800")),
        ("sampling", lambda: orders.transition(by=ent, order=o, action="send_sample", sampling_plan="送样 2 块")),
        ("received", lambda: orders.transition(by=labu, order=o, action="receive", sample_condition="完好，密封")),
        ("testing", lambda: orders.transition(by=labu, order=o, action="start_testing")),
        ("results_entered", lambda: (
            orders.enter_results(by=labu, order=o, results=[
                {"item": "甲醛释放量", "value": "0.30" if not fail else "0.95", "unit": "mg/m³", "limit": "≤0.124"
                 if fail else "≤0.5", "hazard": "甲醛超标" if fail else ""},
                {"item": "含水率", "value": "8.1", "unit": "%", "limit": "3.0~13.0"}]),
            orders.transition(by=labu, order=o, action="submit_results"))),
        ("reviewed", lambda: orders.transition(by=rev, order=o, action="approve")),
        ("issued", lambda: orders.transition(by=labu, order=o, action="issue")),
    ]
    for reached, step in steps:
        if o.state == state:
            break
        step()
        o.refresh_from_db()
        assert o.state == reached
    return o
