"""Reads: the public registry, certificate checks, statistics, the brand-strength score and
the home-page card."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.models import Role
from qualitycity.core.workbench import Card, Line
from qualitycity.methods import textsearch

from .models import (
    Application,
    ApplicationStatus,
    Certificate,
    CertificateStatus,
    StrengthFactor,
    SurveillanceEvent,
    SurveillanceKind,
)

DEFAULT_FACTORS = {
    "certified_products": ("有效名品证书数", 0.3),
    "years_certified": ("持证年限", 0.2),
    "surveillance_pass_rate": ("证后监督合格率", 0.3),
    "clean_record": ("近两年无严重质量违法", 0.2),
}


def registry(q: str = "", district: str = "", status: str = "") -> list[Certificate]:
    """Certificates for the public registry. Search matches enterprise, product or number."""
    qs = Certificate.objects.select_related("enterprise__area", "application__standard").order_by("-issued_on", "-id")
    if district:
        qs = qs.filter(enterprise__area__name=district)
    terms = textsearch.query_terms(q)
    if q.strip():
        normalized = textsearch.normalize(q).strip().upper()
        condition = Q(number=normalized)
        for term in terms:
            condition |= Q(enterprise__name__icontains=term) | Q(scope__icontains=term)
        qs = qs.filter(condition)
    return list(_with_public_status(qs, status)[:500])


def _with_public_status(qs, status: str):
    """Filter on the status the public sees, in the database, before any row cap: "valid"
    and "expired" are both stored as valid and told apart by the date."""
    today = timezone.localdate()
    if status == "valid":
        return qs.filter(status=CertificateStatus.VALID, valid_until__gte=today)
    if status == "expired":
        return qs.filter(status=CertificateStatus.VALID, valid_until__lt=today)
    if status in (CertificateStatus.SUSPENDED, CertificateStatus.WITHDRAWN):
        return qs.filter(status=status)
    return qs


def check(number: str) -> Certificate | None:
    """The certificate with this number, tolerant of case, spaces and full-width input."""
    normalized = textsearch.normalize(number or "").replace(" ", "").upper()
    if not normalized or len(normalized) > 24:
        return None
    return Certificate.objects.select_related("enterprise", "application__standard").filter(number=normalized).first()


def statistics() -> dict:
    today = timezone.localdate()
    certs = Certificate.objects.select_related("enterprise__area", "enterprise__industry__parent")
    by_district: dict[str, int] = {}
    by_industry: dict[str, int] = {}
    status_counts = {"valid": 0, "suspended": 0, "withdrawn": 0, "expired": 0}
    for cert in certs:
        state = cert.public_status
        status_counts[state] += 1
        if state == "valid":
            by_district[cert.enterprise.area.name] = by_district.get(cert.enterprise.area.name, 0) + 1
            section = cert.enterprise.industry.parent.name if cert.enterprise.industry_id else "—"
            by_industry[section] = by_industry.get(section, 0) + 1
    suspended_by_district: dict[str, int] = {}
    for cert in certs:
        if cert.status == CertificateStatus.SUSPENDED:
            name = cert.enterprise.area.name
            suspended_by_district[name] = suspended_by_district.get(name, 0) + 1
    failures = (SurveillanceEvent.objects.filter(passed=False).values_list("held_on__year")
                .annotate(n=Count("id")).order_by("held_on__year"))
    renewals = (Certificate.objects.exclude(renewed_from=None).values_list("issued_on__year")
                .annotate(n=Count("id")).order_by("issued_on__year"))
    return {
        "status_counts": status_counts,
        "by_district": sorted(by_district.items(), key=lambda kv: -kv[1]),
        "by_industry": sorted(by_industry.items(), key=lambda kv: -kv[1]),
        "suspended_by_district": sorted(suspended_by_district.items(), key=lambda kv: -kv[1]),
        # a failed audit or sample is what suspends a certificate, so it counts suspensions over time
        "suspensions_by_year": list(failures),
        "renewals": sum(n for _year, n in renewals),
        "renewals_by_year": list(renewals),
        "issued_this_year": Certificate.objects.filter(issued_on__year=today.year).count(),
    }


def audit_schedule(certificates, *, today: dt.date | None = None) -> list[dict]:
    """The annual surveillance audit each certificate owes: audit n is due on the n-th
    anniversary of issue, so the next one is the anniversary after the audits held so far.
    None once the next anniversary falls after expiry (renewal re-assesses instead)."""
    from .services.applications import _years_later

    today = today or timezone.localdate()
    certs = list(certificates)
    held = dict(SurveillanceEvent.objects.filter(certificate__in=certs, kind=SurveillanceKind.ANNUAL_AUDIT)
                .values_list("certificate").annotate(n=Count("id")).values_list("certificate", "n"))
    rows = []
    for cert in certs:
        due = None
        if cert.public_status in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
            candidate = _years_later(cert.issued_on, held.get(cert.pk, 0) + 1)
            due = candidate if candidate <= cert.valid_until else None
        rows.append({"certificate": cert, "due": due, "overdue": due is not None and due < today})
    return rows


def overdue_audits(queryset, *, today: dt.date | None = None, limit: int = 100) -> list[dict]:
    """Certificates whose annual audit is past due, most overdue first."""
    today = today or timezone.localdate()
    live = queryset.filter(status__in=[CertificateStatus.VALID, CertificateStatus.SUSPENDED], valid_until__gte=today,
                           issued_on__lte=today - dt.timedelta(days=365))
    rows = [r for r in audit_schedule(live.select_related("enterprise__area"), today=today) if r["overdue"]]
    return sorted(rows, key=lambda r: r["due"])[:limit]


FACTOR_NOTES = {
    "certified_products": "有效名品证书张数，5 张及以上记满分",
    "years_certified": "自首张名品证书发证以来的年数，6 年及以上记满分",
    "surveillance_pass_rate": "证后监督审核与抽检的合格比例，尚无记录时记满分",
    "clean_record": "近两年无严重质量违法（检验不合格、行政处罚）记满分，否则记 0",
}


def factor_rows() -> list[dict]:
    """The factors with their current weights and how each is scaled, for the public page
    and the city office's settings."""
    weights = factor_weights()
    total = sum(weights.values()) or 1.0
    return [{"key": k, "label": label, "weight": weights[k], "share": weights[k] / total, "note": FACTOR_NOTES[k]}
            for k, (label, _default) in DEFAULT_FACTORS.items()]


def factor_weights() -> dict[str, float]:
    configured = {f.key: f.weight for f in StrengthFactor.objects.all()}
    return {key: configured.get(key, default) for key, (_label, default) in DEFAULT_FACTORS.items()}


def brand_strength(enterprise, *, today: dt.date | None = None) -> dict:
    """A documented 0–100 brand-strength score, NOT a monetary valuation:
    100 × Σ w·f / Σ w over four factors, each scaled to [0, 1]:
    valid certificates (capped at 5), years since the first certificate (capped at 6),
    the post-certification surveillance pass rate (1 when there is none yet), and a clean
    record (no serious violation in two years)."""
    from .services import blocking_violations

    today = today or timezone.localdate()
    certs = list(enterprise.brand_certificates.all())
    valid = [c for c in certs if c.public_status == CertificateStatus.VALID]
    first = min((c.issued_on for c in certs), default=None)
    events = [e for c in certs for e in c.surveillance.all()]
    factors = {
        "certified_products": min(len(valid), 5) / 5,
        "years_certified": min(((today - first).days / 365.25) if first else 0, 6) / 6,
        "surveillance_pass_rate": (sum(e.passed for e in events) / len(events)) if events else 1.0,
        "clean_record": 0.0 if blocking_violations(enterprise, today=today) else 1.0,
    }
    weights = factor_weights()
    total = sum(weights.values()) or 1.0
    score = 100 * sum(weights[k] * factors[k] for k in factors) / total
    rows = [{"key": k, "label": DEFAULT_FACTORS[k][0], "value": factors[k], "weight": weights[k]} for k in factors]
    return {"score": round(score, 1), "factors": factors, "weights": weights, "rows": rows}


def district_certified_products(area, year: int) -> int:
    """Indicator for the quality index: certificates valid on 31 December of ``year`` held
    by enterprises in ``area`` (suspended and withdrawn ones excluded)."""
    end = dt.date(year, 12, 31)
    return (
        Certificate.objects.filter(enterprise__area=area, issued_on__lte=end, valid_until__gte=end)
        .exclude(status__in=[CertificateStatus.SUSPENDED, CertificateStatus.WITHDRAWN])
        .count()
    )


def certificates_per_district() -> dict[str, int]:
    rows = Certificate.objects.filter(status=CertificateStatus.VALID, valid_until__gte=timezone.localdate())
    return dict(rows.values_list("enterprise__area__name").annotate(n=Count("id")).values_list("enterprise__area__name", "n"))


def workbench(user, role):
    """Home-page card: an enterprise's 名品 applications, or a certification body's reviews."""
    if role == Role.ENTERPRISE_MEMBER and permissions.is_allowed(user, "brands.apply"):
        apps = permissions.scoped(user, "brands.apply", Application.objects.all())
        valid = Certificate.objects.filter(enterprise_id__in=permissions.organization_ids(user, role),
                                           status=CertificateStatus.VALID, valid_until__gte=timezone.localdate())
        return Card(_("武汉名品"), reverse("brands:applications"), figure=valid.count(), figure_label=_("张有效证书"),
                    lines=[_line(a) for a in apps[:3]], action=(_("申请名品认证"), reverse("brands:applications")),
                    empty=_("还没有名品申请。"))
    if role == Role.PROVIDER_STAFF and permissions.is_allowed(user, "brands.review"):
        pending = permissions.scoped(user, "brands.review", Application.objects.filter(
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]))
        if not pending.exists():
            return None  # a lab that certifies nothing has no reason to see this card
        return Card(_("待审核的名品申请"), reverse("brands:review"), figure=pending.count(), figure_label=_("份"),
                    lines=[_line(a) for a in pending[:3]], action=(_("去审核"), reverse("brands:review")))
    return None


def _line(application: Application) -> Line:
    return Line(f"{application.number} · {application.product}",
                reverse("brands:application", args=[application.number]), application.get_status_display())
