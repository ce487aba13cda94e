"""Publishing a result through the portal's workflow, as frozen, versioned releases.

The index module only *prepares* a publication (``portal.services.prepare_publication``):
the city office approves and publishes it on the portal desk, and the portal then calls
``indices.portal_hooks`` inside its publishing transaction. A release freezes the result's
payload when it is prepared, so recomputing a year after publication changes nothing the
public sees; the recomputed figures reach the public only as a new version (a correction)
through the same workflow, and the version it replaces stays readable, marked superseded.
"""

from __future__ import annotations

import copy

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit
from qualitycity.core.services.attachments import store_attachment

from ..models import Release, Result

DICTIONARY_HEAD = [
    {"field": "district", "type": "string", "description": "区"},
    {"field": "score", "type": "number", "description": "综合得分（0–100）"},
    {"field": "rank", "type": "integer", "description": "排名（1 为最好，同分同名次）"},
    {"field": "rank_p05", "type": "integer", "description": "蒙特卡洛排名区间下端（5% 分位）"},
    {"field": "rank_p95", "type": "integer", "description": "蒙特卡洛排名区间上端（95% 分位）"},
]
# Fields of the payload that say how long the computation took, not what it found.
VOLATILE = ("timings",)


def series_of(result: Result) -> str:
    return f"quality-index-{result.year}-{result.framework.code}"[:80]


def _comparable(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k not in VOLATILE}


def rows_and_dictionary(payload: dict) -> tuple[list[dict], list[dict]]:
    """The open-data table: one row per district with its rank interval and dimension scores."""
    unc = payload.get("uncertainty") or {}
    dims = payload["dimensions"]
    rows = []
    for i, unit in enumerate(payload["units"]):
        row = {"district": unit, "score": payload["score"][i], "rank": payload["rank"][i],
               "rank_p05": unc["p05"][i] if unc else None, "rank_p95": unc["p95"][i] if unc else None}
        for d in dims:
            row[f"dim_{d['code']}"] = payload["groups"][d["code"]][i]
        rows.append(row)
    rows.sort(key=lambda r: (r["rank"], r["district"]))
    dictionary = DICTIONARY_HEAD + [{"field": f"dim_{d['code']}", "type": "number",
                                     "description": f"维度得分：{d['name']}（0–100）"} for d in dims]
    return rows, dictionary


def charts_of(payload: dict, rows: list[dict]) -> list[dict]:
    return [
        {"title": "各区综合得分", "type": "bar", "labels": [r["district"] for r in rows],
         "values": [r["score"] for r in rows]},
        {"title": "全市各维度得分中位数", "type": "bar", "labels": [d["name"] for d in payload["dimensions"]],
         "values": [sorted(payload["groups"][d["code"]])[len(payload["units"]) // 2] for d in payload["dimensions"]]},
    ]


def summary_of(result: Result, payload: dict, rows: list[dict]) -> str:
    top = "、".join(r["district"] for r in rows[:3])
    text = (f"{result.framework.name}{result.year}年：{len(rows)} 个区、{len(payload['dimensions'])} 个维度、"
            f"{len(payload['indicators'])} 项指标；综合得分前三为{top}。")
    if payload.get("uncertainty"):
        text += f"排名区间来自 {payload['uncertainty']['replications']} 次蒙特卡洛模拟。"
    if payload.get("synthetic"):
        text += "本指数基于演示用合成数据，非真实统计。"
    return text


def render_pdf(result: Result, payload: dict, *, public: bool) -> bytes:
    """The annual report (WeasyPrint, CJK font) of one payload: a result's or a release's."""
    from weasyprint import HTML

    from ..selectors import ranking_rows
    from ..views.results import FACTOR_LABELS

    rows = ranking_rows(payload)
    top = max((r["score"] for r in rows), default=1) or 1
    sens = payload.get("sensitivity", {})
    html = render_to_string("indices/report.html", {
        "result": result, "p": payload, "rows": rows, "public": public, "svg_h": 22 * len(rows) + 8,
        "bars": [{"unit": r["unit"], "score": r["score"], "w": 360 * r["score"] / top, "y": 22 * i}
                 for i, r in enumerate(rows)],
        "factors": list(zip([_(FACTOR_LABELS.get(f, f)) for f in sens.get("factors", [])],
                            sens.get("S1", []), sens.get("ST", []), strict=False)),
    })
    return HTML(string=html).write_pdf()


def request_publication(*, by: audit.Actor, result: Result, note: str = "") -> Release:
    """Freeze the result as the next release and hand it to the portal as a draft.

    Refused while a version is waiting for approval, when nothing changed since the public
    version, and for a correction without a note saying what changed."""
    from qualitycity.portal import services as portal
    from qualitycity.portal.models import PublicationKind

    note = (note or "").strip()
    with transaction.atomic():
        result = Result.objects.select_for_update().select_related("framework").get(pk=result.pk)
        latest = result.releases.order_by("-version").first()
        if latest is not None and latest.status == Release.Status.PENDING:
            raise DomainError(_("第 %(v)s 版正在等待市质量强市办审批发布，请先在门户审批台处理")
                              % {"v": latest.version})
        if latest is not None and _comparable(latest.payload) == _comparable(result.payload):
            raise DomainError(_("结果与第 %(v)s 版相同，无需再次发布") % {"v": latest.version})
        if latest is not None and not note:
            raise DomainError(_("这是对已发布版本的更正，请写明更正说明"), field="note")
        payload = copy.deepcopy(result.payload)
        rows, dictionary = rows_and_dictionary(payload)
        pdf = store_attachment(by=by, filename=f"{result.number}-v{(latest.version + 1) if latest else 1}.pdf",
                               content=render_pdf(result, payload, public=True))
        publication = portal.prepare_publication(
            by=by, series=series_of(result), kind=PublicationKind.QUALITY_INDEX,
            title=f"{result.framework.name} {result.year}年", year=result.year, source_module="indices",
            summary=summary_of(result, payload, rows), charts=charts_of(payload, rows), rows=rows,
            dictionary=dictionary, pdf=pdf, correction_note=note)
        release = Release.objects.create(result=result, version=publication.version, publication=publication,
                                         payload=payload)
        audit.record(by=by, action="indices.release.prepare", obj=release,
                     changes={"version": publication.version, "series": publication.series})
    return release


def mark_public(publication) -> Release | None:
    """Called by the portal when it publishes ``publication`` (inside its transaction)."""
    release = Release.objects.select_for_update().filter(publication=publication).first()
    if release is None:
        return None
    release.status, release.published_at = Release.Status.PUBLIC, timezone.now()
    release.save(update_fields=["status", "published_at"])
    Result.objects.filter(pk=release.result_id).update(published=True, published_at=release.published_at)
    audit.record(by=audit.Actor(user=publication.approved_by, label="portal"), action="indices.release.public",
                 obj=release, changes={"version": release.version})
    return release


def mark_superseded(publication) -> Release | None:
    """Called by the portal when a newer version of ``publication``'s series is published."""
    release = Release.objects.select_for_update().filter(publication=publication).first()
    if release is None:
        return None
    release.status = Release.Status.SUPERSEDED
    release.save(update_fields=["status"])
    audit.record(by=audit.Actor(user=publication.approved_by, label="portal"), action="indices.release.superseded",
                 obj=release, changes={"version": release.version})
    return release


def public_release(result: Result, version: int | None = None) -> Release | None:
    """The release the public sees for ``result``: the current one, or a given (possibly superseded) version."""
    qs = result.releases.filter(status__in=[Release.Status.PUBLIC, Release.Status.SUPERSEDED])
    if version is not None:
        return qs.filter(version=version).first()
    return qs.filter(status=Release.Status.PUBLIC).order_by("-version").first()
