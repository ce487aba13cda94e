"""Open data API at /api/v1/open/…: read-only, paginated, rate-limited."""

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.throttling import SimpleRateThrottle

from qualitycity.core.permissions import api_requires

from . import selectors

API_PREFIX = "/open"
MAX_PAGE_SIZE = 500


class VisitorThrottle(SimpleRateThrottle):
    """Anonymous callers, one bucket per client address. The platform's API auth hands an
    anonymous caller the auth value "anonymous" (not None), so ninja's AnonRateThrottle
    skips them and AuthRateThrottle would put every visitor in one shared bucket."""

    scope = "open-visitor"

    def get_cache_key(self, request):
        if request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class MemberThrottle(SimpleRateThrottle):
    """Signed-in callers (session or token), one bucket per user."""

    scope = "open-member"

    def get_cache_key(self, request):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


router = Router(tags=["open data"], throttle=[VisitorThrottle("120/m"), MemberThrottle("600/m")])


class DatasetSummary(Schema):
    slug: str
    title: str
    year: int
    version: int
    status: str
    license: str
    rows: int
    dictionary: list[dict]


class DatasetPage(Schema):
    slug: str
    license: str
    count: int
    page: int
    page_size: int
    dictionary: list[dict]
    results: list[dict]


def _summary(ds) -> dict:
    pub = ds.publication
    return {"slug": ds.slug, "title": pub.title, "year": pub.year, "version": pub.version, "status": pub.status,
            "license": ds.license, "rows": len(ds.rows), "dictionary": ds.dictionary}


@router.get("/datasets", response=list[DatasetSummary])
@api_requires("portal.public")
def catalogue(request):
    return [_summary(ds) for ds in selectors.public_datasets()]


@router.get("/datasets/{slug}", response=DatasetPage)
@api_requires("portal.public")
def dataset(request, slug: str, page: str = "1", page_size: str = "100"):
    """Bad paging is a 400 that says what is allowed, never a silent clamp."""
    if not page.isdigit() or int(page) < 1:
        raise HttpError(400, _("page 应为不小于 1 的整数，收到“{value}”").format(value=page[:20]))
    if not page_size.isdigit() or not 1 <= int(page_size) <= MAX_PAGE_SIZE:
        raise HttpError(400, _("page_size 应为 1–{max} 的整数，收到“{value}”").format(max=MAX_PAGE_SIZE, value=page_size[:20]))
    ds = selectors.public_datasets().filter(slug=slug).first()
    if ds is None:
        raise HttpError(404, _("没有名为“{slug}”的开放数据集").format(slug=slug[:60]))
    p, size = int(page), int(page_size)
    rows = ds.rows
    pages = max(1, -(-len(rows) // size))
    if p > pages:
        raise HttpError(400, _("page 超出范围：共 {pages} 页").format(pages=pages))
    return {"slug": ds.slug, "license": ds.license, "count": len(rows), "page": p, "page_size": size,
            "dictionary": ds.dictionary, "results": rows[(p - 1) * size : p * size]}
