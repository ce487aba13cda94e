"""Publishing: prepare (by the owning module), approve (city office), publish, correct."""

from __future__ import annotations

import importlib

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit

from .models import CorrectionRequest, Dataset, Publication, PublicationStatus
from .privacy import personal_findings


def _tell_source_module(publication: Publication, event: str) -> None:
    """Let the owning module follow its report's state: ``qualitycity.<source_module>.portal_hooks``
    may define ``on_published(publication)`` and ``on_superseded(publication)``. They run inside
    the publishing transaction, so a module that refuses (raises DomainError) stops the publish."""
    try:
        hooks = importlib.import_module(f"qualitycity.{publication.source_module}.portal_hooks")
    except ModuleNotFoundError as exc:
        if exc.name != f"qualitycity.{publication.source_module}.portal_hooks":
            raise
        return
    handler = getattr(hooks, f"on_{event}", None)
    if handler is not None:
        handler(publication)


def _check_dataset(rows, dictionary) -> None:
    findings = personal_findings(rows, dictionary)
    if findings:
        raise DomainError(_("数据含个人信息，不能公开：{findings}").format(findings="；".join(findings[:5])))
    if rows and dictionary:
        described = {f["field"] for f in dictionary}
        undocumented = sorted({k for row in rows for k in row} - described)
        if undocumented:
            raise DomainError(_("数据字典缺少字段说明：{fields}").format(fields="、".join(undocumented)))


def prepare_publication(
    *, by: audit.Actor, series: str, kind: str, title: str, year: int, source_module: str, period: str = "",
    summary: str = "", charts: list | None = None, rows: list[dict] | None = None, dictionary: list[dict] | None = None,
    pdf=None, correction_note: str = "",
) -> Publication:
    """A new draft version of ``series`` (version 1, or the next one for a correction)."""
    if not title.strip():
        raise DomainError(_("标题不能为空"), field="title")
    rows, dictionary = rows or [], dictionary or []
    _check_dataset(rows, dictionary)
    with transaction.atomic():
        latest = Publication.objects.select_for_update().filter(series=series).order_by("-version").first()
        if latest is not None and latest.status in (PublicationStatus.DRAFT, PublicationStatus.APPROVED):
            raise DomainError(_("“{title}”已有待发布的版本 v{version}，请先发布或删除").format(
                title=latest.title, version=latest.version))
        publication = Publication.objects.create(
            series=series, version=(latest.version + 1) if latest else 1, kind=kind, title=title[:160], year=year,
            period=period, summary=summary, source_module=source_module, charts=charts or [], pdf=pdf,
            correction_note=correction_note[:300], prepared_by=by.user,
        )
        if rows or dictionary:
            Dataset.objects.create(publication=publication, slug=f"{slugify(series)}-v{publication.version}",
                                   dictionary=dictionary, rows=rows)
        audit.record(by=by, action="portal.publication.prepare", obj=publication,
                     changes={"version": [None, publication.version]})
    return publication


def approve(*, by: audit.Actor, publication: Publication) -> Publication:
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        if pub.status != PublicationStatus.DRAFT:
            raise DomainError(_("当前状态为“{status}”，不能审批").format(status=pub.get_status_display()))
        pub.status = PublicationStatus.APPROVED
        pub.approved_by = by.user
        pub.save(update_fields=["status", "approved_by"])
        audit.record(by=by, action="portal.publication.approve", obj=pub, changes={"status": ["draft", "approved"]})
    return pub


def publish(*, by: audit.Actor, publication: Publication) -> Publication:
    """Only an approved version goes public; the version it corrects becomes superseded
    but stays visible."""
    with transaction.atomic():
        pub = Publication.objects.select_for_update().get(pk=publication.pk)
        if pub.status != PublicationStatus.APPROVED:
            raise DomainError(_("报告尚未经市质量强市办审批，不能发布"))
        if hasattr(pub, "dataset"):
            _check_dataset(pub.dataset.rows, pub.dataset.dictionary)  # checked again at the door
        older = Publication.objects.filter(series=pub.series, status=PublicationStatus.PUBLISHED).exclude(pk=pub.pk)
        for old in older:
            old.status = PublicationStatus.SUPERSEDED
            old.save(update_fields=["status"])
            audit.record(by=by, action="portal.publication.supersede", obj=old, changes={"by_version": [None, pub.version]})
            _tell_source_module(old, "superseded")
        pub.status = PublicationStatus.PUBLISHED
        pub.published_on = timezone.localdate()
        pub.save(update_fields=["status", "published_on"])
        audit.record(by=by, action="portal.publication.publish", obj=pub, changes={"status": ["approved", "published"]})
        _tell_source_module(pub, "published")
    return pub


def request_correction(*, by: audit.Actor, publication: Publication, entry: str, reason: str,
                       contact: str = "") -> CorrectionRequest:
    entry, reason = (entry or "").strip(), (reason or "").strip()
    if not publication.is_public:
        raise DomainError(_("只能对已发布的结果申请更正"))
    if not entry or not reason:
        raise DomainError(_("请写明有误的条目和理由"), errors={"entry": [_("必填")] if not entry else [],
                                                             "reason": [_("必填")] if not reason else []})
    with transaction.atomic():
        request = CorrectionRequest.objects.create(publication=publication, entry=entry[:200], reason=reason[:2000],
                                                   contact=contact[:64])
        audit.record(by=by, action="portal.correction.request", obj=request)
    return request


def resolve_correction(*, by: audit.Actor, correction: CorrectionRequest, accepted: bool, reply: str) -> CorrectionRequest:
    with transaction.atomic():
        item = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        if item.status != CorrectionRequest.Status.OPEN:
            raise DomainError(_("该更正申请已处理"))
        item.status = CorrectionRequest.Status.ACCEPTED if accepted else CorrectionRequest.Status.REJECTED
        item.reply = reply[:300]
        item.save(update_fields=["status", "reply"])
        audit.record(by=by, action="portal.correction.resolve", obj=item, changes={"status": ["open", item.status]})
    return item


def _redrawn(publication: Publication, rows: list[dict]) -> tuple[list, str]:
    """Charts and summary drawn from the rows are redrawn by the owning module
    (``<module>.portal_sources.charts_for / summary_for``), so a corrected version never shows
    the old figures; a module without them keeps its charts and summary."""
    try:
        sources = importlib.import_module(f"qualitycity.{publication.source_module}.portal_sources")
    except ModuleNotFoundError:
        return publication.charts, publication.summary
    charts, summary = getattr(sources, "charts_for", None), getattr(sources, "summary_for", None)
    return (charts(rows) if charts else publication.charts), (summary(rows) if summary else publication.summary)


def prepare_corrected_version(*, by: audit.Actor, correction: CorrectionRequest, row: int, changes: dict[str, str],
                              note: str) -> Publication:
    """After a correction request is accepted: the next version of the series with one entry
    changed (``row`` counts from 1 in the latest published version; ``changes`` maps fields to
    their corrected values) and the correction note. Publishing it supersedes the current
    version, which stays visible."""
    note = (note or "").strip()
    changes = {k: (v or "").strip() for k, v in changes.items() if k}
    if not note:
        raise DomainError(_("请填写更正说明"), field="note")
    if not changes:
        raise DomainError(_("请选择要更正的字段"), field="field")
    with transaction.atomic():
        item = CorrectionRequest.objects.select_for_update().select_related("publication").get(pk=correction.pk)
        if item.status != CorrectionRequest.Status.ACCEPTED:
            raise DomainError(_("只有已受理（同意更正）的申请才能准备更正版本"))
        if item.corrected_by_id:
            raise DomainError(_("已为该申请准备了更正版本 v{version}").format(version=item.corrected_by.version))
        current = (Publication.objects.filter(series=item.publication.series, status=PublicationStatus.PUBLISHED)
                   .select_related("dataset").first())
        if current is None or not hasattr(current, "dataset"):
            raise DomainError(_("该报告没有可更正的数据"))
        rows = [dict(r) for r in current.dataset.rows]
        fields = {f["field"] for f in current.dataset.dictionary}
        if not 1 <= row <= len(rows):
            raise DomainError(_("行号应在 1–{n} 之间").format(n=len(rows)), field="row")
        unknown = sorted(set(changes) - fields)
        if unknown:
            raise DomainError(_("数据字典中没有字段“{fields}”").format(fields="、".join(u[:40] for u in unknown)), field="field")
        before = {k: rows[row - 1].get(k) for k in changes}
        rows[row - 1].update(changes)
        charts, summary = _redrawn(current, rows)
        publication = prepare_publication(
            by=by, series=current.series, kind=current.kind, title=current.title, year=current.year,
            source_module=current.source_module, period=current.period, summary=summary,
            charts=charts, rows=rows, dictionary=current.dataset.dictionary,
            correction_note=note,
        )
        item.corrected_by = publication
        item.save(update_fields=["corrected_by"])
        audit.record(by=by, action="portal.correction.version", obj=item,
                     changes={**{f"row {row} {k}": [before[k], v] for k, v in changes.items()},
                              "version": [None, publication.version]})
    return publication
