"""Indicators this app lends to the quality development index (``qualitycity.indices.sources``).

The catalogue records who drafted a standard (``StandardBody`` with role 起草单位, linked
to a directory organization when the names match) but not who *led* the drafting, so the
honest figure is "standards the district's enterprises took part in drafting"."""

from __future__ import annotations

from qualitycity.core.models import OrgKind
from qualitycity.indices.sources import register

from .models import Kind, Standard, StandardBody

# Enterprise standards are self-declared by one firm; they say nothing about setting standards for others.
COUNTED_KINDS = (Kind.NATIONAL, Kind.INDUSTRY, Kind.LOCAL, Kind.GROUP, Kind.INTERNATIONAL)


@register("standards.drafted", label="本区企业参与起草的标准数", unit="项",
          description="发布日期在当年的国家、行业、地方、团体和国际标准中，起草单位里有登记在该区的企业的标准数"
                      "（同一标准只计一次；企业标准不计）。标准库只记录起草单位、不区分主导与参与；"
                      "标准库尚未关联任何起草单位时无数据。")
def drafted(area, year: int) -> float | None:
    if not StandardBody.objects.filter(role=StandardBody.Role.DRAFTER).exists():
        return None  # no drafter is linked at all: the catalogue cannot say, which is not zero
    return float(Standard.objects.filter(
        kind__in=COUNTED_KINDS, published_on__year=year,
        bodies__role=StandardBody.Role.DRAFTER, bodies__organization__kind=OrgKind.ENTERPRISE,
        bodies__organization__area=area).distinct().count())
