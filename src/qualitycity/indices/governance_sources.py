"""Figures this app lends to the annual assessment (``governance.sources``)."""

from __future__ import annotations

from qualitycity.core.models import OrgKind
from qualitycity.governance.sources import register

from .models import Result


@register("indices.quality_index", label="质量发展指数", unit="分",
          description="该区当年已公开的质量发展指数得分（0–100）；同一年有多个指标体系公开时取最近公开的一个。"
                      "仅对区政府有意义；部门、未计算或未公开时无数据。")
def quality_index(subject, year):
    if subject.kind != OrgKind.DISTRICT_GOVERNMENT or subject.area_id is None:
        return None
    area = subject.area
    results = Result.objects.filter(year=int(year), published=True).order_by("-published_at", "-id")
    for result in results.only("payload"):
        payload = result.payload or {}
        # Match on the area code (a district may be renamed); payloads without codes carry names.
        keys, wanted = (payload["codes"], area.code) if payload.get("codes") else (payload.get("units") or [], area.name)
        if wanted and wanted in keys:
            return round(float(payload["score"][keys.index(wanted)]), 2)
    return None
