"""Demo publications: supervision sampling results (with a corrected second version) and
the 武汉名品 registry summary. Other modules publish theirs through the same services."""

from __future__ import annotations

import datetime as dt
import random

from qualitycity.core.models import Organization, OrgKind
from qualitycity.core.services.audit import Actor

from . import services
from .models import PublicationKind

SAMPLING_DICTIONARY = [
    {"field": "enterprise", "type": "string", "description": "被抽查企业名称"},
    {"field": "district", "type": "string", "description": "企业所在区"},
    {"field": "product", "type": "string", "description": "抽查产品"},
    {"field": "batch_date", "type": "date", "description": "生产日期或批号日期"},
    {"field": "result", "type": "string", "description": "合格 / 不合格"},
    {"field": "failed_items", "type": "string", "description": "不合格项目（合格为空）"},
]
PRODUCTS = [("电线电缆", "导体电阻"), ("电动自行车", "制动性能"), ("儿童服装", "纤维含量"), ("食用植物油", "酸价"),
            ("家用电器", "输入功率"), ("塑料管材", "静液压强度")]


def _publish(by, **kwargs):
    pub = services.prepare_publication(by=by, **kwargs)
    services.approve(by=by, publication=pub)
    return services.publish(by=by, publication=pub)


def _sampling_rows(rng: random.Random) -> list[dict]:
    firms = list(Organization.objects.filter(kind=OrgKind.ENTERPRISE, industry__parent__code="C")
                 .select_related("area").order_by("id")[:400])
    rows = []
    for firm in rng.sample(firms, min(60, len(firms))):
        product, item = rng.choice(PRODUCTS)
        failed = rng.random() < 0.08
        rows.append({"enterprise": firm.name, "district": firm.area.name, "product": product,
                     "batch_date": f"2026-0{rng.randint(7, 9)}-{rng.randint(10, 28)}",
                     "result": "不合格" if failed else "合格", "failed_items": item if failed else ""})
    return rows


def load_demo(*, seed: int, scale: int, stdout) -> None:
    rng = random.Random(seed + 29)
    by = Actor.system("demo")
    rows = _sampling_rows(rng)
    common = {"series": "sampling-2026q3", "kind": PublicationKind.SAMPLING_RESULTS, "year": 2026, "period": "2026Q3",
              "source_module": "inspection", "dictionary": SAMPLING_DICTIONARY,
              "title": "2026年第三季度产品质量监督抽查结果"}
    by_product: dict[str, list[int]] = {}
    for row in rows:
        by_product.setdefault(row["product"], []).append(row["result"] == "合格")
    chart = {"title": "各类产品抽查合格率（%）", "type": "bar", "labels": list(by_product),
             "values": [round(100 * sum(v) / len(v), 1) for v in by_product.values()]}
    _publish(by, rows=rows, charts=[chart], summary=f"共抽查 {len(rows)} 批次产品。", **common)
    # A wrong entry was reported and corrected: version 2 supersedes version 1, which stays visible.
    failed = next((r for r in rows if r["result"] == "不合格"), rows[0])
    corrected = [dict(r) for r in rows]
    corrected[rows.index(failed)].update(result="合格", failed_items="")
    _publish(by, rows=corrected, charts=[chart], summary=f"共抽查 {len(rows)} 批次产品。",
             correction_note=f"经复核，{failed['enterprise']}的{failed['product']}检验结论更正为合格。", **common)
    _brand_summary(by)
    _complaint_bulletin(by)
    stdout.write("公众门户：已发布监督抽查结果（含更正版）与名品公示")


def _brand_summary(by) -> None:
    from qualitycity.brands.selectors import certificates_per_district

    counts = certificates_per_district()
    if not counts:
        return
    rows = [{"district": k, "valid_certificates": v} for k, v in sorted(counts.items())]
    _publish(by, series="brand-registry-2026", kind=PublicationKind.BRAND_REGISTRY, year=2026,
             title="2026年武汉名品获证情况公示", source_module="brands", rows=rows,
             dictionary=[{"field": "district", "type": "string", "description": "区"},
                         {"field": "valid_certificates", "type": "integer", "description": "有效名品证书数"}],
             charts=[{"title": "各区有效名品证书数", "type": "bar", "labels": list(counts), "values": list(counts.values())}])


def _complaint_bulletin(by) -> None:
    from qualitycity.complaints.selectors import period_of

    from .sources import complaint_bulletin_publication

    args = complaint_bulletin_publication(period_of(dt.date(2026, 7, 1), 3))
    if args:
        _publish(by, **args)
