import io

import pytest

from qualitycity.core.models import AuditEvent, Membership, OrgKind, Role
from qualitycity.core.tests import factories as core

from ..demo import load_demo
from ..models import Order, Report, Service

pytestmark = pytest.mark.django_db


def test_demo_walks_orders_through_every_state_and_signs_a_few_reports():
    w = core.role_users()
    lab_user = w["users"][Role.PROVIDER_STAFF]
    lab_user.username = "lab"
    lab_user.save()
    ent_user = w["users"][Role.ENTERPRISE_MEMBER]
    ent_user.username = "enterprise"
    ent_user.save()
    lab = w["orgs"]["lab"]
    lab.cma_number = "241712345678"  # the demo city's labs all hold a CMA certificate
    lab.save()
    core.organization(OrgKind.METROLOGY_INSTITUTE, name="计量院", industry=None, cma_number="241700000001")
    out = io.StringIO()
    load_demo(seed=1, scale=1, stdout=out)
    states = set(Order.objects.values_list("state", flat=True))
    assert {"requested", "needs_info", "accepted", "declined", "sampling", "received", "testing", "results_entered",
            "reviewed", "issued", "rated"} <= states
    assert set(Report.objects.values_list("status", flat=True)) == {"valid", "superseded", "revoked"}
    assert Service.objects.filter(category="metrology").exists()
    # the demo lab manages its own entries: published ones, a draft still missing its price, a withdrawn one
    own = Service.objects.filter(provider=lab)
    assert {"published", "draft", "withdrawn"} <= set(own.values_list("status", flat=True))
    assert AuditEvent.objects.filter(action="inspection.service.publish", actor=lab_user).exists()
    assert "草稿 1" in out.getvalue() and "已撤回 1" in out.getvalue()
    assert Membership.objects.filter(user__username="lab2", organization=w["orgs"]["lab"]).exists()
    assert "lab2" in out.getvalue()
