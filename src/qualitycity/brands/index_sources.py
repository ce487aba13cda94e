"""Indicators this app lends to the quality development index (``qualitycity.indices.sources``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qualitycity.core.models import Organization
from qualitycity.indices.sources import register

from .models import Certificate
from .selectors import brand_strength, district_certified_products


@register("brands.certified_products", label="武汉名品数", unit="个",
          description="登记在该区的企业持有、在当年 12 月 31 日有效的武汉名品证书数（已暂停或撤销的证书不计）。"
                      "全市已有名品证书时，一个区没有证书是真实的 0；当年年底前全市还没有颁发过任何证书时无数据。")
def certified_products(area, year: int) -> float | None:
    if not Certificate.objects.filter(issued_on__lte=dt.date(int(year), 12, 31)).exists():
        return None  # the 名品 scheme had issued nothing yet: no data, not a ranking of zeros
    return float(district_certified_products(area, int(year)))


@register("brands.strength", label="名品企业品牌强度（平均）", unit="分",
          description="该区在当年年底前获得过名品证书的企业，其品牌强度得分（0–100，名品模块公开的四因子加权："
                      "有效证书数、获证年限、证后监督合格率、无严重违法记录）的算术平均，按当年 12 月 31 日"
                      "（当年未结束时按今天）计算。该区没有获证企业时无数据。")
def strength(area, year: int) -> float | None:
    day = min(dt.date(int(year), 12, 31), timezone.localdate())
    firms = Organization.objects.filter(
        area=area, pk__in=Certificate.objects.filter(issued_on__lte=day).values("enterprise_id")
    ).prefetch_related("brand_certificates__surveillance")
    scores = [brand_strength(firm, today=day)["score"] for firm in firms]
    if not scores:
        return None
    return round(sum(scores) / len(scores), 2)
