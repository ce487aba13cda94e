"""The standards API (/api/v1/standards/…): search, one standard, follows."""

import datetime as dt

from django.utils.html import escape
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import api_requires
from qualitycity.core.services.audit import Actor

from . import search as searching
from . import selectors
from .models import Follow, Standard
from .schemas import FollowIn, FollowOut, SearchOut, StandardDetailOut
from .services import follows

router = Router(tags=["standards"])


class SearchParams(Schema):
    q: str = ""
    status: str = ""
    kind: str = ""
    ics: str = ""
    ccs: str = ""
    industry: str = ""
    implemented_from: dt.date | None = None
    implemented_to: dt.date | None = None
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    page: int = 1
    limit: int = 20
    # counting every match by status/kind/ICS/CCS is most of a broad query's cost; a
    # client that shows no filter chips (an app's search-as-you-type) can skip it
    facets: bool = True


def _marked(pieces) -> str:
    return "".join(f"<mark>{escape(p)}</mark>" if hit else escape(p) for p, hit in pieces)


def standard_out(std: Standard, *, replaced_by=None, exact=False, pieces=None) -> dict:
    return {
        "number": std.number, "title_zh": std.title_zh, "title_en": std.title_en, "kind": std.kind,
        "status": std.status, "status_label": std.get_status_display(), "published_on": std.published_on,
        "implemented_on": std.implemented_on, "abolished_on": std.abolished_on,
        "replaced_by": replaced_by if replaced_by is not None else [s.number for s in selectors.replaced_by(std)],
        "ics": [c for c in std.ics_codes.split(";") if c], "ccs": std.ccs.code if std.ccs_id else "",
        "adoption": std.adoption, "adopted_number": std.adopted_number, "exact": exact,
        "title_highlighted": _marked(pieces) if pieces else escape(std.title),
    }


_STATUSES = {"upcoming", "current", "abolished", "replaced"}
_KINDS = {"national", "industry", "local", "group", "enterprise", "international"}


@router.get("/search", response=SearchOut)
@api_requires("standards.search")
def search(request, params: Query[SearchParams]):
    if params.status and not set(params.status.split(",")) <= _STATUSES:
        raise DomainError(_("未知的状态“{status}”").format(status=params.status), field="status")
    if params.kind and not set(params.kind.split(",")) <= _KINDS:
        raise DomainError(_("未知的类别“{kind}”").format(kind=params.kind), field="kind")
    if not 1 <= params.limit <= searching.MAX_LIMIT:
        raise DomainError(_("limit 应在 1–{max_limit} 之间").format(max_limit=searching.MAX_LIMIT), field="limit")
    if not 1 <= params.page <= 10_000:
        raise DomainError(_("page 超出范围"), field="page")
    filters = searching.Filters(
        status=params.status, kind=params.kind, ics=params.ics[:20], ccs=params.ccs[:10], industry=params.industry[:8],
        implemented_from=params.implemented_from, implemented_to=params.implemented_to,
        published_from=params.published_from, published_to=params.published_to,
    )
    result = searching.search(params.q, filters, page=params.page, limit=params.limit, with_facets=params.facets)
    return {
        "total": result.total, "page": result.page, "pages": result.pages, "number": result.number,
        "suggestions": result.suggestions, "facets": result.facets,
        "results": [standard_out(h.standard, replaced_by=h.replaced_by, exact=h.exact, pieces=h.title_pieces)
                    for h in result.hits],
    }


@router.get("/follows", response=list[FollowOut])
@api_requires("standards.follow")
def list_follows(request):
    qs = permissions.scoped(request.user, "standards.follow", Follow.objects.select_related("standard"))
    return [_follow_out(f) for f in qs.order_by("-created_at")]


def _follow_out(f: Follow) -> dict:
    return {"id": f.pk, "target": f.target, "number": f.standard.number if f.standard_id else "", "code": f.code,
            "status": f.standard.status if f.standard_id else ""}


@router.post("/follows", response={201: FollowOut})
@api_requires("standards.follow")
def create_follow(request, payload: FollowIn):
    standard = None
    if payload.target == Follow.Target.STANDARD:
        try:
            standard = selectors.get_standard(payload.number)
        except Standard.DoesNotExist:
            raise DomainError(_("标准“{number}”不在库中").format(number=payload.number), field="number") from None
    item = follows.follow(by=Actor.from_request(request), standard=standard, target=payload.target, code=payload.code)
    return Status(201, _follow_out(item))


@router.delete("/follows/{int:follow_id}", response={204: None})
@api_requires("standards.follow")
def delete_follow(request, follow_id: int):
    follows.unfollow(by=Actor.from_request(request), follow_id=follow_id)
    return Status(204, None)


@router.get("/{path:number}", response=StandardDetailOut)
@api_requires("standards.search")
def detail(request, number: str):
    std = selectors.get_standard(number)
    out = standard_out(std)
    out.update(
        competent_department=std.competent_department, technical_committee=std.technical_committee,
        drafters=std.drafters, scope=std.scope, replaces=[s.number for s in selectors.replaces(std)],
        chain=[s.number for s in selectors.chain(std)], related=[s.number for s in selectors.related(std)],
        changes=[{"kind": c.kind, "effective_on": c.effective_on.isoformat() if c.effective_on else None,
                  "summary": c.summary} for c in std.changes.all()[:20]],
    )
    return out
