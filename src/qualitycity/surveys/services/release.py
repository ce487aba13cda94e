"""Submitting a project's results for publication, through the portal's workflow.

The surveys module only *prepares*: it freezes the current results into a
:class:`~qualitycity.surveys.models.Release`, renders the PDF from that frozen copy and
hands the portal a draft version of the series ``satisfaction-<number>``.  The city office
approves and publishes it on the portal desk; only then does ``portal_hooks.on_published``
make the frozen copy public.  A project published before can be re-estimated, but the new
figures reach the public only as a correction: a new release with a correction note, which
goes through the same approval, while the old version stays on the portal as superseded.
"""

from __future__ import annotations

import copy

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit
from qualitycity.core.services.attachments import store_attachment
from qualitycity.core.services.audit import Actor
from qualitycity.portal import services as portal
from qualitycity.portal.models import Publication, PublicationKind, PublicationStatus

from ..itembank import CONSTRUCT_LABELS, CONSTRUCTS
from ..models import Project, Release

PENDING = (PublicationStatus.DRAFT, PublicationStatus.APPROVED)
PUBLIC = (PublicationStatus.PUBLISHED, PublicationStatus.SUPERSEDED)

DICTIONARY = [
    {"field": "construct", "type": "string", "description": "潜变量（ECSI 模型结构）"},
    {"field": "construct_code", "type": "string", "description": "潜变量代码（Image, Expectation, Quality, Value, "
                                                                  "Satisfaction, Complaints, Loyalty）"},
    {"field": "index", "type": "number", "description": "指数（0–100，ACSI 做法：按原始量表换算的外部权重加权）"},
    {"field": "ci_low", "type": "number", "description": "95% 自助法百分位置信区间下限（未做自助法时为空）"},
    {"field": "ci_high", "type": "number", "description": "95% 自助法百分位置信区间上限（未做自助法时为空）"},
    {"field": "r2", "type": "number", "description": "结构方程 R²（外生潜变量为空）"},
    {"field": "n", "type": "integer", "description": "参与估计的有效答卷数"},
]


def series_of(project: Project) -> str:
    return f"satisfaction-{project.number.lower()}"


def _round(value, digits=2):
    return None if value is None else round(float(value), digits)


def publication_rows(results: dict) -> list[dict]:
    """Aggregates only, one row per construct: nothing about a respondent ever leaves."""
    cis = results.get("index_ci") or {}
    if not cis and results.get("ci"):
        cis = {results["target"]: results["ci"]}
    rows = []
    for code in CONSTRUCTS:
        if code not in results.get("index", {}):
            continue
        ci = cis.get(code) or [None, None]
        rows.append({"construct": str(CONSTRUCT_LABELS[code]), "construct_code": code,
                     "index": _round(results["index"][code]), "ci_low": _round(ci[0]), "ci_high": _round(ci[1]),
                     "r2": _round(results.get("r2", {}).get(code), 3), "n": int(results["n"])})
    return rows


def publication_charts(results: dict) -> list[dict]:
    rows = publication_rows(results)
    charts = [{"title": "各潜变量指数（0–100）", "type": "bar", "labels": [r["construct"] for r in rows],
               "values": [r["index"] for r in rows]}]
    drivers = (results.get("ipma") or {}).get("drivers") or {}
    if drivers:
        charts.append({"title": "满意度驱动因素重要性（总效应）", "type": "bar",
                       "labels": [str(CONSTRUCT_LABELS.get(k, k)) for k in drivers],
                       "values": [_round(d["importance"], 3) for d in drivers.values()]})
    return charts


def _summary(project: Project, results: dict) -> str:
    from ..selectors import target_label

    ci = results.get("ci")
    text = _("%(target)s %(year)s 年满意度指数 %(index).1f") % {
        "target": target_label(project), "year": project.year, "index": results["satisfaction"]}
    if ci:
        text += _("（95%% 置信区间 %(lo).1f–%(hi).1f）") % {"lo": ci[0], "hi": ci[1]}
    text += _("，有效答卷 %(n)d 份。") % {"n": results["n"]}
    if project.margins_default:
        text += _("加权使用的是演示默认总体边际，不是统计部门的普查数据。")
    return text


def submit_for_publication(*, by: Actor, project: Project, correction_note: str = "",
                           with_pdf: bool = True) -> Release:
    """Freeze the current results and prepare a draft portal publication of them.

    The first release needs no note; any later one corrects what is public and must say
    why (``correction_note``).  Refused, with nothing written, when there are no results
    or a release is still waiting for approval."""
    from ..reports import render_pdf

    if not project.results:
        raise DomainError(_("尚未计算结果，不能提交发布"), field="project")
    note = (correction_note or "").strip()
    releases = list(project.releases.select_related("publication"))
    waiting = next((r for r in releases if r.publication.status in PENDING), None)
    if waiting is not None:
        raise DomainError(_("第 %d 版正在等待市质量强市办审批发布，不能再次提交") % waiting.version, field="project")
    corrects = any(r.publication.status in PUBLIC for r in releases)
    if corrects and not note:
        raise DomainError(_("该项目已有公开的版本；再次提交即为更正版本，请填写更正说明"), field="correction_note")
    series = series_of(project)
    frozen = copy.deepcopy(project.results)
    frozen["frozen_at"] = timezone.now().isoformat()
    frozen["margins_default"] = project.margins_default
    with translation.override("zh-hans"):  # the portal is Chinese-first, whoever submits
        summary = _summary(project, frozen)
    with transaction.atomic():
        last = Publication.objects.filter(series=series).order_by("-version").values_list("version", flat=True).first()
        version = (last or 0) + 1
        pdf = None
        if with_pdf:
            content = render_pdf(project, frozen, published_only=False,
                                 note=_("发布版本 v%d，结果冻结于提交时") % version)
            pdf = store_attachment(by=by, filename=f"{project.number}-v{version}.pdf", content=content)
        publication = portal.prepare_publication(
            by=by, series=series, kind=PublicationKind.SATISFACTION, title=project.title, year=project.year,
            source_module="surveys", period=f"{project.starts_on:%Y-%m-%d}–{project.ends_on:%Y-%m-%d}",
            summary=summary, charts=publication_charts(frozen), rows=publication_rows(frozen),
            dictionary=DICTIONARY, pdf=pdf, correction_note=note if corrects else "")
        release = Release.objects.create(project=project, publication=publication, results=frozen, pdf=pdf,
                                         submitted_by=by.user)
        audit.record(by=by, action="surveys.release.submit", obj=project,
                     changes={"version": [None, publication.version], "index": round(frozen["satisfaction"], 2),
                              **({"correction_note": note} if corrects else {})})
    return release


def release_published(publication: Publication) -> None:
    """The portal published ``publication``: if it carries a release, that frozen copy
    becomes what the public pages, the district index and the assessment read."""
    release = Release.objects.filter(publication=publication).first()
    if release is None:
        number = publication.series.removeprefix("satisfaction-").upper()
        if publication.series.startswith("satisfaction-") and Project.objects.filter(number=number).exists():
            # A version edited on the portal (e.g. a row corrected there) would make the portal and
            # the survey's own pages disagree; survey figures change only by re-estimating here.
            raise DomainError(_("满意度测评结果不能在门户直接更正：请由测评项目重新估计后提交更正版本"))
        return
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=release.project_id)
        before = project.public_release.version if project.public_release_id else None
        project.public_results = release.results
        project.public_release = release
        project.published = True
        project.published_at = timezone.now()
        project.save(update_fields=["public_results", "public_release", "published", "published_at"])
        audit.record(by=Actor.system("portal"), action="surveys.project.publish", obj=project,
                     changes={"version": [before, release.version],
                              "index": round(release.results["satisfaction"], 2)})


def release_superseded(publication: Publication) -> None:
    """A newer version replaced ``publication`` on the portal; its own on_published call,
    in the same transaction, switches the public snapshot, so this only records the fact."""
    release = Release.objects.select_related("project").filter(publication=publication).first()
    if release is None:
        return
    audit.record(by=Actor.system("portal"), action="surveys.release.superseded", obj=release.project,
                 changes={"version": [release.version, None]})
