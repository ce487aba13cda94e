"""The order state machine: the only allowed moves, who may make them, and their labels.

``TRANSITIONS[action] = (from-states, to-state, party)``; party is ``enterprise`` or
``lab``. A move not listed here is refused with a message naming the current state.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..models import OrderState as S

TRANSITIONS = {
    "accept": ((S.REQUESTED,), S.ACCEPTED, "lab"),
    "ask_info": ((S.REQUESTED,), S.NEEDS_INFO, "lab"),
    "decline": ((S.REQUESTED, S.NEEDS_INFO), S.DECLINED, "lab"),
    "provide_info": ((S.NEEDS_INFO,), S.REQUESTED, "enterprise"),
    "send_sample": ((S.ACCEPTED,), S.SAMPLING, "enterprise"),
    "schedule_sampling": ((S.ACCEPTED,), S.SAMPLING, "lab"),
    "receive": ((S.SAMPLING,), S.RECEIVED, "lab"),
    "start_testing": ((S.RECEIVED,), S.TESTING, "lab"),
    "submit_results": ((S.TESTING,), S.RESULTS_ENTERED, "lab"),
    "approve": ((S.RESULTS_ENTERED,), S.REVIEWED, "lab"),
    "reject_review": ((S.RESULTS_ENTERED,), S.TESTING, "lab"),
    "issue": ((S.REVIEWED,), S.ISSUED, "lab"),
    "rate": ((S.ISSUED,), S.RATED, "enterprise"),
}

ACTION_LABELS = {
    "accept": _("受理并报价"),
    "ask_info": _("要求补充信息"),
    "decline": _("拒绝"),
    "provide_info": _("补充信息"),
    "send_sample": _("已寄送样品"),
    "schedule_sampling": _("安排上门抽样"),
    "receive": _("登记收样"),
    "start_testing": _("开始检测"),
    "submit_results": _("提交结果待审核"),
    "approve": _("审核通过"),
    "reject_review": _("退回重检"),
    "issue": _("签发报告"),
    "rate": _("评价"),
    "create": _("提交报检"),
    "revoke_report": _("撤销报告"),
    "amend_report": _("发布更正报告"),
}


def allowed_actions(state: str, party: str) -> list[str]:
    return [a for a, (sources, _to, who) in TRANSITIONS.items() if state in sources and who == party]
