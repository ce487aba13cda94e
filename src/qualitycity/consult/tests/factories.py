"""A consultation world on top of ``core.tests.factories.role_users``."""

from qualitycity.core.models import Expert, Industry, Role
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories

from .. import services
from ..models import ExpertProfile


def world() -> dict:
    w = factories.role_users()
    cable = Industry.objects.get(code="38")
    lab = w["orgs"]["lab"]
    expert = Expert.objects.create(name="赵教授", title="教授级高工", affiliation=lab, specialties="电线电缆检测、计量校准",
                                   user=w["users"][Role.EXPERT])
    expert.industries.add(cable)
    ExpertProfile.objects.create(expert=expert, fields=["testing", "product"], standards="GB/T 5023.3-2008",
                                 open_case_limit=3)
    other_user = factories.user("expert2_u", role=Role.EXPERT, org=lab)
    other = Expert.objects.create(name="钱工", title="工程师", affiliation=lab, specialties="食品安全", user=other_user)
    other.industries.add(Industry.objects.get(code="14"))
    ExpertProfile.objects.create(expert=other, fields=["product"], standards="GB 2760-2014")
    w.update(expert=expert, other_expert=other, other_expert_user=other_user)
    return w


def actor(user) -> Actor:
    return Actor(user=user, ip="127.0.0.1")


def ask(w, **overrides):
    fields = dict(title="BV 电线绝缘电阻不合格", symptom="客户抽检 70℃ 绝缘电阻低于 GB/T 5023.3 要求，导体电阻合格。",
                  field="testing", product="BV 电线", standards="GB/T 5023.3-2008")
    fields.update(overrides)
    return services.ask(by=actor(w["users"][Role.ENTERPRISE_MEMBER]), enterprise=w["orgs"]["own"], **fields)
