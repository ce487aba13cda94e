"""The directory API (/api/v1/…): thin operations over services and selectors."""


from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from . import permissions, selectors
from .errors import DomainError
from .models import (
    ApiToken,
    Area,
    Attachment,
    AuditEvent,
    Expert,
    Industry,
    Membership,
    Notification,
    Organization,
)
from .models.organizations import OrgKind
from .notifications import mask_phone
from .permissions import api_requires
from .schemas import (
    AreaOut,
    AttachmentOut,
    AuditEventOut,
    ExpertOut,
    IndustryOut,
    MemberOut,
    MeOut,
    NotificationOut,
    OrganizationIn,
    OrganizationOut,
    Page,
    TokenCreated,
    TokenIn,
    TokenOut,
)
from .services import accounts, attachments, directory, notifications
from .services.audit import Actor

router = Router(tags=["directory"])


class OrgFilters(Schema):
    district: str = ""
    industry: str = ""
    size_class: str = ""
    kind: str = ""
    park: str = ""
    q: str = ""
    # bounded so that an offset always fits the database (a 20-digit page was a 500)
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=100)


@router.get("/areas", response=list[AreaOut])
@api_requires("directory.reference.view")
def list_areas(request):
    return list(Area.objects.all())


@router.get("/industries", response=list[IndustryOut])
@api_requires("directory.reference.view")
def list_industries(request, level: str = ""):
    qs = Industry.objects.all()
    return list(qs.filter(level=level) if level else qs)


def _org_page(request, category: str, filters: OrgFilters) -> dict:
    qs = selectors.organizations(
        request.user,
        category,
        district=filters.district,
        industry=filters.industry,
        size_class=filters.size_class,
        kind=filters.kind,
        q=filters.q,
        park=filters.park,
    )
    total, rows = selectors.paginate(qs, filters.page, filters.page_size)
    return {
        "count": total,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [OrganizationOut.from_org(o) for o in rows],
    }


def _org_detail(request, category: str, org_id: int) -> dict:
    qs = selectors.organizations(request.user, category)
    return OrganizationOut.from_org(get_object_or_404(qs, pk=org_id))


def _ensure_area_in_scope(request, rule_name: str, area_value, current_area_id: int | None = None) -> None:
    """District officers may only register in, or move organizations into, their own districts."""
    if permissions.scope_filter(request.user, rule_name) is None or area_value in (None, ""):
        return
    value = str(area_value)
    area = Area.objects.filter(code=value).first() or Area.objects.filter(name=value).first()
    if area is None or area.pk == current_area_id:
        return  # an unknown area is reported by the service
    if area.pk not in permissions.district_area_ids(request.user):
        raise PermissionDenied(_("不能在辖区以外（%(area)s）登记机构") % {"area": area.name})


def _create(request, category: str, payload: OrganizationIn):
    rule = f"{selectors.CATEGORY_RULES[category]}.create"
    data = payload.dict(exclude_unset=True)
    _ensure_area_in_scope(request, rule, data.get("area"))
    org = directory.create_organization(by=Actor.from_request(request), category=category, data=data)
    return Status(201, OrganizationOut.from_org(org))


def _update(request, category: str, org_id: int, payload: OrganizationIn):
    rule = f"{selectors.CATEGORY_RULES[category]}.change"
    org = get_object_or_404(
        permissions.scoped(request.user, rule, Organization.objects.filter(kind__in=directory.CATEGORY_KINDS[category])),
        pk=org_id,
    )
    data = payload.dict(exclude_unset=True)
    if "area" in data:
        _ensure_area_in_scope(request, rule, data.get("area"), current_area_id=org.area_id)
    if "kind" in data and category == "enterprise":
        raise DomainError(_("企业的类型不能修改"), field="kind")
    org = directory.update_organization(by=Actor.from_request(request), organization=org, data=data)
    return OrganizationOut.from_org(org)


def _register_category(category: str, path: str) -> None:
    base = selectors.CATEGORY_RULES[category]

    @router.get(f"/{path}", response=Page, operation_id=f"list_{path}")
    @api_requires(f"{base}.view")
    def list_view(request, filters: Query[OrgFilters]):
        return _org_page(request, category, filters)

    @router.get(f"/{path}/{{org_id}}", response=OrganizationOut, operation_id=f"get_{path}")
    @api_requires(f"{base}.view")
    def detail_view(request, org_id: int):
        return _org_detail(request, category, org_id)

    @router.post(f"/{path}", response={201: OrganizationOut}, operation_id=f"create_{path}")
    @api_requires(f"{base}.create")
    def create_view(request, payload: OrganizationIn):
        return _create(request, category, payload)

    @router.patch(f"/{path}/{{org_id}}", response=OrganizationOut, operation_id=f"update_{path}")
    @api_requires(f"{base}.change")
    def update_view(request, org_id: int, payload: OrganizationIn):
        return _update(request, category, org_id, payload)


_register_category("enterprise", "enterprises")
_register_category("provider", "providers")
_register_category("government", "departments")


@router.get("/parks", response=list[OrganizationOut])
@api_requires("directory.reference.view")
def list_parks(request):
    return [OrganizationOut.from_org(p) for p in Organization.objects.filter(kind=OrgKind.PARK).select_related(
        "area", "industry", "park")]


@router.get("/experts", response=list[ExpertOut])
@api_requires("directory.experts.view")
def list_experts(request, q: str = "", limit: int = 50):
    qs = Expert.objects.select_related("affiliation").order_by("id")
    if q:
        qs = qs.filter(specialties__icontains=q[:50]) | qs.filter(name__icontains=q[:50])
    return [
        {
            "id": e.pk,
            "name": e.name,
            "title": e.title,
            "affiliation": e.affiliation.name if e.affiliation_id else None,
            "specialties": e.specialties,
            "phone": mask_phone(e.phone),
        }
        for e in qs[: max(1, min(limit, 200))]
    ]


@router.get("/organizations/{org_id}/members", response=list[MemberOut])
@api_requires("directory.members.view")
def list_members(request, org_id: int):
    qs = permissions.scoped(request.user, "directory.members.view", Membership.objects.select_related("user"))
    rows = qs.filter(organization_id=org_id)
    return [
        {"user": m.user.username, "display_name": m.user.display_name, "role": m.role, "title": m.title} for m in rows
    ]


@router.get("/me", response=MeOut)
@api_requires("authenticated")
def me(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    return {
        "username": request.user.username,
        "display_name": request.user.display_name,
        "roles": sorted(permissions.roles_of(request.user)),
        "primary_role": permissions.primary_role(request.user),
        "organizations": [
            {"id": m.organization_id, "name": m.organization.name, "role": m.role} for m in memberships
        ],
    }


@router.get("/tokens", response=list[TokenOut])
@api_requires("tokens.own")
def list_tokens(request):
    return list(permissions.scoped(request.user, "tokens.own", ApiToken.objects.order_by("-id")))


@router.post("/tokens", response={201: TokenCreated})
@api_requires("tokens.own")
def create_token(request, payload: TokenIn):
    token, key = accounts.create_api_token(by=Actor.from_request(request), user=request.user, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "key": key})


@router.delete("/tokens/{token_id}", response={204: None})
@api_requires("tokens.own")
def revoke_token(request, token_id: int):
    token = get_object_or_404(permissions.scoped(request.user, "tokens.own", ApiToken.objects.all()), pk=token_id)
    accounts.revoke_api_token(by=Actor.from_request(request), token=token)
    return Status(204, None)


@router.get("/notifications", response=list[NotificationOut])
@api_requires("notifications.own")
def list_notifications(request, unread: bool = False):
    qs = permissions.scoped(request.user, "notifications.own", Notification.objects.all())
    return list((qs.filter(read_at=None) if unread else qs)[:100])


@router.post("/notifications/read", response=dict)
@api_requires("notifications.own")
def read_notifications(request):
    return {"marked": notifications.mark_read(user=request.user)}


@router.post("/attachments", response={201: AttachmentOut})
@api_requires("attachments.upload")
def upload_attachment(request, file: File[UploadedFile]):
    limit = attachments.settings.ATTACHMENT_MAX_BYTES
    content = file.read(limit + 1)
    item = attachments.store_attachment(by=Actor.from_request(request), filename=file.name, content=content)
    return Status(201, item)


@router.get("/attachments/{attachment_id}")
@api_requires("attachments.download")
def download_attachment(request, attachment_id: int):
    qs = permissions.scoped(request.user, "attachments.download", Attachment.objects.all())
    item = get_object_or_404(qs, pk=attachment_id)
    response = HttpResponse(attachments.read_attachment(item), content_type=item.content_type)
    response["Content-Disposition"] = f'attachment; filename="{item.sha256[:12]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/audit/events", response=list[AuditEventOut])
@api_requires("audit.view")
def list_audit_events(request, object_type: str = "", object_id: str = "", limit: int = 100):
    qs = AuditEvent.objects.order_by("-seq")
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return [
        {**{f: getattr(e, f) for f in AuditEventOut.model_fields if f != "actor"}, "actor": e.actor_label}
        for e in qs[: max(1, min(limit, 500))]
    ]
