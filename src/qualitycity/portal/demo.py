"""Demo publications, each prepared by its owning module's builder and then approved and
published through the same services as in production: the supervision sampling results of
the last complete quarter (from the inspection module's issued reports, with a corrected
second version after an accepted correction request), the 名品 registry summary and the
quarter's complaint bulletin."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qualitycity.core.services.audit import Actor

from . import services
from .models import PublicationKind


def _publish(by, publication):
    services.approve(by=by, publication=publication)
    return services.publish(by=by, publication=publication)


def _last_quarters(today: dt.date, n: int = 4):
    year, q = today.year, (today.month - 1) // 3 + 1
    for _ in range(n):
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
        yield year, q


def load_demo(*, seed: int, scale: int, stdout) -> None:
    by = Actor.system("demo")
    sampling = _sampling(by)
    _brand_summary(by)
    _complaint_bulletin(by)
    stdout.write(f"公众门户：已发布{sampling or '（无检验数据，未发布）'}、名品公示与诉求督办通报")


def _sampling(by) -> str:
    from qualitycity.inspection.portal_sources import FAILED, PASSED, sampling_publication

    for year, q in _last_quarters(timezone.localdate()):
        args = sampling_publication(year, q)
        if args:
            break
    else:
        return ""
    first = _publish(by, services.prepare_publication(by=by, **args))
    # Someone reports a wrong entry; the city office accepts it and prepares a corrected
    # version: version 2 supersedes version 1, which stays visible.
    rows = first.dataset.rows
    n, row = next(((i, r) for i, r in enumerate(rows, 1) if r["result"] == FAILED), (1, rows[0]))
    request = services.request_correction(by=by, publication=first, entry=f"{row['enterprise']} {row['product']}",
                                          reason="该批次经复检合格，原检验报告已更正。")
    services.resolve_correction(by=by, correction=request, accepted=True, reply="经核实，予以更正。")
    second = services.prepare_corrected_version(
        by=by, correction=request, row=n, changes={"result": PASSED, "failed_items": ""},
        note=f"经复核，{row['enterprise']}的{row['product']}检验结论更正为合格。")
    _publish(by, second)
    return args["title"]


def _brand_summary(by) -> None:
    from qualitycity.brands.selectors import certificates_per_district

    counts = certificates_per_district()
    if not counts:
        return
    rows = [{"district": k, "valid_certificates": v} for k, v in sorted(counts.items())]
    year = timezone.localdate().year
    _publish(by, services.prepare_publication(
        by=by, series=f"brand-registry-{year}", kind=PublicationKind.BRAND_REGISTRY, year=year,
        title=f"{year}年武汉名品获证情况公示", source_module="brands", rows=rows,
        summary=f"全市有效武汉名品证书 {sum(counts.values())} 张。",
        dictionary=[{"field": "district", "type": "string", "description": "区"},
                    {"field": "valid_certificates", "type": "integer", "description": "有效名品证书数"}],
        charts=[{"title": "各区有效名品证书数", "type": "bar", "labels": [r["district"] for r in rows],
                 "values": [r["valid_certificates"] for r in rows]}]))


def _complaint_bulletin(by) -> None:
    from qualitycity.complaints.portal_actions import prepare_bulletin
    from qualitycity.complaints.selectors import period_of
    from qualitycity.core.errors import DomainError

    year, q = next(_last_quarters(timezone.localdate()))
    try:
        _publish(by, prepare_bulletin(by=by, period=period_of(dt.date(year, 3 * q - 2, 1), 3)))
    except DomainError:
        return  # no complaints loaded
