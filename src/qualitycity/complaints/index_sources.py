"""Indicators this app lends to the quality development index (``qualitycity.indices.sources``)."""

from __future__ import annotations

from qualitycity.indices.sources import register

from .selectors import demands_accepted_in, on_time_completion_rate


@register("complaints.on_time_rate", label="诉求按期办结率", unit="%",
          description="受理时间在当年（本地时间）、发生在该区的诉求中，办结日期不晚于办结期限的比例 × 100。"
                      "仍在办理且期限未到的诉求尚无结论，不计入；已合并到其他诉求的不计入；"
                      "该区当年没有可判定的诉求时无数据。口径与年度考核的“投诉按期办结率”相同，只是按发生地区统计。")
def on_time_rate(area, year: int) -> float | None:
    return on_time_completion_rate(demands_accepted_in(year).filter(area=area))
