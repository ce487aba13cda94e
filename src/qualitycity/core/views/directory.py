"""Directory pages: lists with htmx filters, detail pages, import and export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import permissions, selectors
from ..errors import DomainError, ImportRejected
from ..models import Area, Expert, Membership, Organization, SizeClass
from ..notifications import mask_phone
from ..permissions import requires
from ..services import imports
from ..services.audit import Actor
from ..services.directory import FIELDS, category_of
from ..tabular import write_csv, write_xlsx

CATEGORY_TITLES = {
    "enterprise": gettext_lazy("企业名录"),
    "provider": gettext_lazy("质量基础设施服务机构"),
    "government": gettext_lazy("市直成员单位与区政府"),
}


def _list(request, category: str):
    filters = {k: request.GET.get(k, "").strip() for k in ("district", "industry", "size_class", "q", "kind")}
    qs = selectors.organizations(request.user, category, **filters)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    context = {
        "category": category,
        "title": CATEGORY_TITLES[category],
        "page": page,
        "filters": filters,
        "areas": Area.objects.exclude(kind=Area.Kind.CITY),
        "sections": selectors.industry_choices(),
        "size_classes": SizeClass.choices,
        "can_export": permissions.is_allowed(request.user, "directory.export"),
    }
    template = "core/directory/_rows.html" if request.htmx else "core/directory/list.html"
    return render(request, template, context)


@requires("directory.enterprises.view")
def enterprises(request):
    return _list(request, "enterprise")


@requires("directory.providers.view")
def providers(request):
    return _list(request, "provider")


@requires("directory.government.view")
def government(request):
    return _list(request, "government")


@requires("authenticated")
def organization_detail(request, org_id: int):
    """Any logged-in user may ask; the object check below applies the category's rule."""
    org = get_object_or_404(Organization.objects.select_related("area", "industry", "park"), pk=org_id)
    category = category_of(org.kind)
    rule = f"{selectors.CATEGORY_RULES.get(category, 'directory.reference')}.view"
    if not permissions.can(request.user, rule, org):
        raise permissions.PermissionDenied
    members = []
    if permissions.is_allowed(request.user, "directory.members.view"):
        members = permissions.scoped(
            request.user, "directory.members.view", Membership.objects.filter(organization=org).select_related("user")
        )
    return render(
        request,
        "core/directory/detail.html",
        {"org": org, "members": members, "phone": mask_phone(org.contact_phone)},
    )


@requires("directory.experts.view")
def experts(request):
    qs = Expert.objects.select_related("affiliation").order_by("id")
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(specialties__icontains=q) | qs.filter(name__icontains=q)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "core/directory/experts.html", {"page": page, "q": q})


@requires("directory.import")
def import_page(request):
    report = problems = None
    if request.method == "POST":
        category = request.POST.get("category", "")
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError(_("请选择要导入的文件"))
            imports.check_size(upload.size)  # before reading it into memory
            report = imports.import_organizations(
                by=Actor.from_request(request), category=category, filename=upload.name, content=upload.read()
            )
            messages.success(request, _("导入成功：新增 %(c)s 条，更新 %(u)s 条") % {"c": report.created, "u": report.updated})
            return redirect("directory:import")
        except ImportRejected as exc:
            problems = exc.problems
            messages.error(request, exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
    columns = {cat: [(s.label, s.key, s.required) for s in specs] for cat, specs in FIELDS.items()}
    return render(request, "core/directory/import.html", {"problems": problems, "columns": columns})


@requires("directory.export")
def export(request, category: str, fmt: str):
    if category not in FIELDS or fmt not in ("csv", "xlsx"):
        return HttpResponse(_("不支持的导出类别或格式"), status=400)
    qs = selectors.organizations(request.user, category)
    specs = FIELDS[category]
    header = [s.label for s in specs]

    def cell(org, key):
        value = getattr(org, key, "")
        if key == "area":
            return org.area.name
        if key == "industry":
            return org.industry.code if org.industry_id else ""
        if key == "park":
            return org.park.name if org.park_id else ""
        if key == "kind":
            return str(org.get_kind_display())
        if key == "growth_stage":
            return str(org.get_growth_stage_display()) if value else ""
        if key == "contact_phone":
            return mask_phone(value)
        return "" if value is None else str(value)

    rows = ([cell(org, s.key) for s in specs] for org in qs.iterator(chunk_size=2000))
    if fmt == "csv":
        body, content_type = write_csv(header, rows), "text/csv; charset=utf-8"
    else:
        body = write_xlsx(header, rows, title=category)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{category}.{fmt}"'
    return response
