"""Indicators this app lends to the quality development index (``qualitycity.indices.sources``)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from qualitycity.indices.sources import register

from .models import Order, OrderItem, OrderState

JUDGED = (OrderState.REVIEWED, OrderState.ISSUED, OrderState.RATED)


@register("inspection.pass_rate", label="检验批次合格率", unit="%",
          description="平台检验订单中，委托企业登记在该区、检测完成日期在当年、结果已经审核（已审核、已签发或已评价）"
                      "的批次里，没有任何不合格检测项目的批次所占比例 × 100。尚未审核的订单不计入；"
                      "该区当年没有已审核批次时无数据。这是平台受理的检验批次，不等同于市场监管部门的监督抽查计划。")
def pass_rate(area, year: int) -> float | None:
    judged = Order.objects.filter(enterprise__area=area, state__in=JUDGED, tested_on__year=year)
    total = judged.count()
    if not total:
        return None
    failed = judged.filter(Exists(OrderItem.objects.filter(order=OuterRef("pk"), passed=False))).count()
    return round(100.0 * (total - failed) / total, 2)
