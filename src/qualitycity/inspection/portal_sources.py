"""Supervision sampling results for the public portal, built from the inspection module's
own data: every order whose report was issued in the period is one sampled batch, listed
with its enterprise, district, product and verdict. Enterprises and products only: no
person, no contact, no address (checked again by ``portal.privacy`` before anything is
written)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _

SAMPLING_DICTIONARY = [
    {"field": "enterprise", "type": "string", "description": "被抽查企业名称"},
    {"field": "district", "type": "string", "description": "企业所在区"},
    {"field": "product", "type": "string", "description": "抽查产品类别"},
    {"field": "tested_on", "type": "date", "description": "检验完成日期"},
    {"field": "result", "type": "string", "description": "检验结论：合格 / 不合格"},
    {"field": "failed_items", "type": "string", "description": "不合格项目（合格为空）"},
]
PASSED, FAILED = "合格", "不合格"


def quarter(year: int, q: int) -> tuple[dt.date, dt.date, str]:
    """(first day, first day after, label) of a calendar quarter."""
    if not 1 <= q <= 4 or not 2000 <= year <= 2100:
        from qualitycity.core.errors import DomainError

        raise DomainError(_("季度应为 1–4，年份应为四位数"), field="quarter")
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return start, end, f"{year}年第{q}季度"


def sampling_rows(start: dt.date, end: dt.date) -> list[dict]:
    """One row per order tested in [start, end) whose report has been issued."""
    from .models import Order, OrderItem

    failed = Prefetch("items", queryset=OrderItem.objects.filter(passed=False).order_by("id"), to_attr="failed")
    orders = (Order.objects.filter(state__in=["issued", "rated"], tested_on__gte=start, tested_on__lt=end)
              .select_related("enterprise__area").prefetch_related(failed).order_by("tested_on", "number"))
    return [{
        "enterprise": o.enterprise.name, "district": o.enterprise.area.name if o.enterprise.area_id else "",
        "product": o.product_category or o.product_name, "tested_on": o.tested_on.isoformat(),
        "result": FAILED if o.failed else PASSED, "failed_items": "、".join(i.item for i in o.failed),
    } for o in orders]


def charts_for(rows: list[dict]) -> list[dict]:
    """Pass rate per product category; used again when a corrected version is prepared."""
    by_product: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        by_product[row["product"]].append(row["result"] == PASSED)
    labels = sorted(by_product)
    return [{"title": "各类产品抽查合格率（%）", "type": "bar", "labels": labels,
             "values": [round(100 * sum(by_product[p]) / len(by_product[p]), 1) for p in labels]}]


def summary_for(rows: list[dict]) -> str:
    failed = sum(r["result"] == FAILED for r in rows)
    return (f"本期共抽查 {len(rows)} 批次产品，合格 {len(rows) - failed} 批次，不合格 {failed} 批次，"
            f"批次合格率 {100 * (len(rows) - failed) / len(rows):.1f}%。") if rows else ""


def sampling_publication(year: int, q: int) -> dict | None:
    """Arguments for ``portal.services.prepare_publication``, or None when nothing was tested."""
    start, end, label = quarter(year, q)
    rows = sampling_rows(start, end)
    if not rows:
        return None
    return {
        "series": f"sampling-{year}q{q}", "kind": "sampling_results", "title": f"{label}产品质量监督抽查结果",
        "year": year, "period": f"{year}Q{q}", "source_module": "inspection", "rows": rows,
        "dictionary": SAMPLING_DICTIONARY, "charts": charts_for(rows),
        "summary": summary_for(rows),
    }


def prepare_sampling_results(*, by, year: int, q: int):
    """Prepare the quarter's results as a draft for the city office to approve."""
    from qualitycity.core.errors import DomainError
    from qualitycity.portal import services

    args = sampling_publication(year, q)
    if args is None:
        raise DomainError(_("{year}年第{q}季度没有已签发报告的检验，无可发布的抽查结果").format(year=year, q=q))
    return services.prepare_publication(by=by, **args)
