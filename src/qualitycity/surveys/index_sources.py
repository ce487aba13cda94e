"""Indicators this app lends to the quality development index (``qualitycity.indices.sources``)."""

from __future__ import annotations

from qualitycity.indices.sources import register

from .selectors import district_government_index


@register("surveys.district_satisfaction", label="区政府服务群众满意度指数", unit="分",
          description="该区当年区政府服务群众满意度测评的指数（0–100，ACSI 式结构方程估计），"
                      "只取经市质量强市办审批并在门户发布的结果；当年没有已发布的测评时无数据。")
def district_satisfaction(area, year: int) -> float | None:
    found = district_government_index(area, int(year))
    if found is None or found.get("index") is None:
        return None
    return round(float(found["index"]), 2)
