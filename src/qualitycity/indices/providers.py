"""Providers computed from the shared directory (``core``), the only module with data today.

Directory records carry a founding date but not a closing date, so "by the end of
year Y" means founded on or before 31 December Y (records without a date count in
every year). That is the best the directory can say; an annual statistical return
would replace it when the statistics module arrives.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from qualitycity.core.models import Organization, OrgKind

from .sources import register


def _existing(area, year: int):
    end = dt.date(year, 12, 31)
    return Organization.objects.filter(area=area).filter(Q(founded_on__lte=end) | Q(founded_on__isnull=True))


@register("core.enterprises", label="企业数量", unit="家",
          description="名录中登记在该区、成立日期不晚于当年 12 月 31 日的企业数（未填成立日期的企业计入每一年）。")
def enterprises(area, year: int) -> float | None:
    return float(_existing(area, year).filter(kind=OrgKind.ENTERPRISE).count())


@register("core.accredited_labs", label="CNAS 认可检验检测机构数", unit="家",
          description="名录中登记在该区、填有 CNAS 认可编号、成立日期不晚于当年年底的检验检测机构数。")
def accredited_labs(area, year: int) -> float | None:
    return float(_existing(area, year).filter(kind=OrgKind.TESTING_LAB).exclude(cnas_number="").count())


@register("core.qi_providers", label="质量基础设施机构数", unit="家",
          description="名录中登记在该区的检验检测、计量、认证与标准化机构总数（成立日期不晚于当年年底）。")
def qi_providers(area, year: int) -> float | None:
    kinds = [OrgKind.TESTING_LAB, OrgKind.METROLOGY_INSTITUTE, OrgKind.CERTIFICATION_BODY, OrgKind.STANDARDS_INSTITUTE]
    return float(_existing(area, year).filter(kind__in=kinds).count())


@register("core.large_medium_share", label="大中型企业占比", unit="%",
          description="该区企业中规模为大型或中型（按《统计上大中小微型企业划分办法》）的比例 × 100；无企业时为空。")
def large_medium_share(area, year: int) -> float | None:
    firms = _existing(area, year).filter(kind=OrgKind.ENTERPRISE)
    total = firms.count()
    if not total:
        return None
    return 100.0 * firms.filter(size_class__in=["large", "medium"]).count() / total
