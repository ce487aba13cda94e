"""Figures this app lends to the annual assessment (``governance.sources``)."""

from __future__ import annotations

from qualitycity.core.models import OrgKind
from qualitycity.governance.sources import register

from .selectors import district_government_index


@register("surveys.satisfaction_index", label="群众满意度指数", unit="分",
          description="该区当年已发布的区政府服务群众满意度测评指数（0–100，ACSI 式结构方程估计）。"
                      "仅对区政府有意义；部门或尚未发布时无数据。")
def satisfaction_index(subject, year):
    if subject.kind != OrgKind.DISTRICT_GOVERNMENT or subject.area_id is None:
        return None
    found = district_government_index(subject.area_id, int(year))
    if found is None or found.get("index") is None:
        return None
    return round(float(found["index"]), 2)
