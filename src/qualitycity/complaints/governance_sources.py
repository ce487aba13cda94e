"""Figures this app lends to the annual assessment (``governance.sources``)."""

from __future__ import annotations

from qualitycity.core.models import OrgKind
from qualitycity.governance.sources import register

from .selectors import demands_accepted_in, on_time_completion_rate


@register("complaints.handling_rate", label="投诉按期办结率", unit="%",
          description="当年受理（受理时间在当年）、主办单位为该部门（区政府：发生在本区）的诉求中，"
                      "按期办结（办结日期不晚于办结期限）的比例。仍在办理且未到期的诉求尚无结论，不计入；"
                      "已合并到其他诉求的不计入。没有受理的诉求时无数据。")
def handling_rate(subject, year):
    demands = demands_accepted_in(int(year))
    if subject.kind == OrgKind.DISTRICT_GOVERNMENT:
        demands = demands.filter(area_id=subject.area_id)
    else:
        demands = demands.filter(lead_org=subject)
    return on_time_completion_rate(demands)
