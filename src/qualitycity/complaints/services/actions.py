"""One entry point for the buttons of the detail page and the API's action endpoint:
it turns plain input into the right service call, so both doors behave the same."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Organization
from qualitycity.core.services.audit import Actor

from ..models import Demand, RejectionGround
from . import classify, supervision, workflow

DISPATCH_ACTIONS = {"route", "reassign", "arbitrate", "chase", "escalate", "merge", "confirm"}
HANDLE_ACTIONS = {"accept", "reject", "return", "note", "close"}


def _org(value):
    text = str(value or "")
    return Organization.objects.filter(pk=int(text)).first() if text.isdigit() else None


def perform(*, by: Actor, demand: Demand, action: str, data, duplicates=()) -> Demand:
    get = lambda k: (data.get(k) or "")  # noqa: E731
    if action == "accept":
        return workflow.accept(by=by, demand=demand, note=get("note"))
    if action == "reject":
        ground = RejectionGround.objects.filter(pk=int(get("ground"))).first() if str(get("ground")).isdigit() else None
        return workflow.reject(by=by, demand=demand, ground=ground, note=get("note"))
    if action == "return":
        return workflow.return_demand(by=by, demand=demand, reason=get("reason"))
    if action == "note":
        return workflow.add_note(by=by, demand=demand, text=get("text"), public=str(get("public")) in ("1", "true", "True"))
    if action == "close":
        return workflow.close(by=by, demand=demand, reply=get("reply"))
    if action == "route":
        return workflow.route(by=by, demand=demand, lead=_org(get("lead")))
    if action == "reassign":
        lead = _org(get("lead"))
        if lead is None:
            raise DomainError(_("请选择新的主办单位"), field="lead")
        return workflow.reassign(by=by, demand=demand, lead=lead, reason=get("reason"))
    if action == "arbitrate":
        return workflow.arbitrate(by=by, demand=demand, uphold=str(get("uphold")) in ("1", "true", "True"),
                                  new_lead=_org(get("lead")), note=get("note"))
    if action in ("chase", "escalate"):
        supervision.chase(by=by, demand=demand, red=action == "escalate", note=get("note"))
        return demand
    if action == "merge":
        if not duplicates:
            raise DomainError(_("请选择要合并的诉求"), field="duplicates")
        return workflow.merge(by=by, target=demand, duplicates=list(duplicates))
    if action == "confirm":
        classify.record_correction(by=by, demand=demand, demand_type=get("demand_type"), category_code=get("category"),
                                   area_name=get("district"), unit_name=get("unit"))
        return demand
    raise DomainError(_("未知的操作：“{action}”").format(action=action), field="action")
