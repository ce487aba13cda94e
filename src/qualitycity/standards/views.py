"""Pages of the standards library: search, detail, my standards, standardization work."""

from __future__ import annotations

import datetime as dt

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.permissions import requires
from qualitycity.core.services.audit import Actor

from . import search as searching
from . import selectors
from .models import CcsCode, Follow, IcsCode, Kind, Standard, Status
from .services import follows, imports

FILTER_KEYS = ("status", "kind", "ics", "ccs", "industry", "implemented_from", "implemented_to")


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _filters(request) -> tuple[searching.Filters, dict]:
    raw = {k: request.GET.get(k, "").strip()[:20] for k in FILTER_KEYS}
    if raw["status"] not in ("", *Status.values):
        raw["status"] = ""
    if raw["kind"] not in ("", *Kind.values):
        raw["kind"] = ""
    filters = searching.Filters(
        status=raw["status"], kind=raw["kind"], ics=raw["ics"], ccs=raw["ccs"], industry=raw["industry"],
        implemented_from=_date(raw["implemented_from"]), implemented_to=_date(raw["implemented_to"]),
    )
    return filters, raw


def _page(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


@requires("standards.search")
def index(request):
    query = request.GET.get("q", "")[:400]
    filters, raw = _filters(request)
    result = searching.search(query, filters, page=_page(request)) if (query.strip() or filters.active) else None
    labels = {
        "status": dict(Status.choices), "kind": dict(Kind.choices),
        "ccs": dict(CcsCode.objects.filter(level=1).values_list("code", "name")),
        "ics": dict(IcsCode.objects.filter(level=1).values_list("code", "description")),
    }
    facets = []
    if result:
        for key, title in (("status", _("状态")), ("kind", _("类别")), ("ics", "ICS"), ("ccs", "CCS")):
            entries = [(value, labels[key].get(value, value), n) for value, n in result.facets.get(key, [])]
            if entries:
                facets.append((key, title, entries))
    context = {"query": query, "result": result, "filters": raw, "facets": facets,
               "statuses": Status.choices, "kinds": Kind.choices}
    template = "standards/_results.html" if request.htmx else "standards/index.html"
    return render(request, template, context)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@requires("standards.search")
def detail(request, number: str):
    try:
        std = selectors.get_standard(number)
    except Standard.DoesNotExist:
        raise Http404 from None
    if std.number != number:
        return redirect("standards:detail", number=std.number)
    following = None
    if permissions.is_allowed(request.user, "standards.follow"):
        following = permissions.scoped(request.user, "standards.follow", Follow.objects.filter(standard=std)).first()
    context = {
        "std": std,
        "timeline": selectors.timeline(std),
        "chain": selectors.chain(std),
        "replaces": selectors.replaces(std),
        "replaced_by": selectors.replaced_by(std),
        "related": selectors.related(std),
        "changes": std.changes.all()[:10],
        "qr": mark_safe(_qr_svg(request.build_absolute_uri()).split("?>", 1)[-1]),  # our own SVG, no user markup
        "can_follow": permissions.is_allowed(request.user, "standards.follow"),
        "following": following,
    }
    return render(request, "standards/detail.html", context)


@require_POST
@requires("standards.follow")
def follow(request):
    target = request.POST.get("target", Follow.Target.STANDARD)
    standard = None
    try:
        if target == Follow.Target.STANDARD:
            try:
                standard = selectors.get_standard(request.POST.get("number", ""))
            except Standard.DoesNotExist:
                raise DomainError(_("该标准不在库中")) from None
        follows.follow(by=Actor.from_request(request), standard=standard, target=target,
                       code=request.POST.get("code", ""))
        messages.success(request, _("已关注"))
    except DomainError as exc:
        messages.error(request, exc.message)
    if standard is not None:
        return redirect("standards:detail", number=standard.number)
    return redirect("standards:mine")


@require_POST
@requires("standards.follow")
def unfollow(request, follow_id: int):
    try:
        follows.unfollow(by=Actor.from_request(request), follow_id=follow_id)
        messages.success(request, _("已取消关注"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/standards/") else "standards:mine")


@requires("standards.follow")
def mine(request):
    rows, fields = selectors.my_standards(request.user)
    return render(request, "standards/mine.html", {
        "rows": rows, "fields": fields, "soon_days": selectors.SOON_DAYS, "targets": Follow.Target.choices[1:],
    })


@requires("standards.work")
def work(request):
    try:
        target = min(max(float(request.GET.get("target", "0.9")), 0.0), 1.0)
    except ValueError:
        target = 0.9
    return render(request, "standards/work.html", {"figures": selectors.work_figures(request.user, target=target),
                                                   "target": target})


@requires("standards.import")
def import_catalogue(request):
    """Staff upload a CSV/Excel catalogue; every row is checked first and any problem
    rejects the whole file, listed by line and column."""
    outcome, problems, status = None, [], 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_("请选择要导入的文件"), field="file")
            outcome = imports.import_file(by=Actor.from_request(request), filename=upload.name, content=upload.read())
            messages.success(request, _("导入完成：新增 %(c)s 项，更新 %(u)s 项，未变 %(n)s 项，产生 %(e)s 条变更提醒") % {
                "c": outcome.created, "u": outcome.updated, "n": outcome.unchanged, "e": len(outcome.events)})
        except ImportRejected as exc:
            problems, status = exc.problems, 400
            messages.error(request, exc.message)
        except DomainError as exc:
            status = 400
            messages.error(request, exc.message)
    return render(request, "standards/import.html", {
        "outcome": outcome, "problems": problems, "columns": list(imports.COLUMNS), "required": imports.REQUIRED,
    }, status=status)
