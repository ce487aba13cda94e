"""The quality-index API (/api/v1/indices/…): published results for everyone, drafts and
data entry for the city office."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.permissions import api_requires
from qualitycity.core.services.audit import Actor

from . import selectors
from .models import Framework, Result
from .services import compute, publishing
from .services import data as data_service

router = Router(tags=["indices"])


class ResultOut(Schema):
    number: str
    framework: str
    year: int
    published: bool


class RankingRow(Schema):
    unit: str
    score: float
    rank: int
    median_rank: float | None = None
    p05: int | None = None
    p95: int | None = None


class ResultDetail(ResultOut):
    synthetic: bool
    ranking: list[RankingRow]
    dimensions: list[dict]


class ValuesIn(Schema):
    year: int
    values: dict[str, dict[str, str]]  # indicator code -> district name -> value text ("" clears)


class ComputeIn(Schema):
    year: int
    replications: int = 1000


def _out(r: Result) -> dict:
    return {"number": r.number, "framework": r.framework.name, "year": r.year, "published": r.published}


def _visible(request):
    qs = Result.objects.select_related("framework")
    if not permissions.is_allowed(request.user, "indices.view"):
        qs = qs.filter(published=True)  # everyone else sees only what was published
    return qs


@router.get("/results", response=list[ResultOut])
@api_requires("indices.public")
def list_results(request):
    return [_out(r) for r in _visible(request).order_by("-year", "id")]


@router.get("/results/{number}", response=ResultDetail)
@api_requires("indices.public")
def get_result(request, number: str):
    r = get_object_or_404(_visible(request), number=number)
    p = r.payload
    if not permissions.is_allowed(request.user, "indices.view"):
        release = publishing.public_release(r)  # the public get the published version, not a recompute
        if release is None:
            raise Http404
        p = release.payload
    ranking = [{k: row[k] for k in ("unit", "score", "rank", "median_rank", "p05", "p95")}
               for row in selectors.ranking_rows(p)]
    return {**_out(r), "synthetic": bool(p.get("synthetic")), "ranking": ranking,
            "dimensions": [{"code": d["code"], "name": d["name"],
                            "scores": dict(zip(p["units"], p["groups"][d["code"]], strict=True))}
                           for d in p["dimensions"]]}


@router.post("/frameworks/{pk}/values", response={200: dict})
@api_requires("indices.manage")
def put_values(request, pk: int, payload: ValuesIn):
    fw = get_object_or_404(Framework, pk=pk)
    inds = {i.code: i.pk for i in fw.indicators.all()}
    areas = {a.name: a.pk for a in data_service.units()}
    entries, errors = {}, {}
    for code, by_area in payload.values.items():
        if code not in inds:
            errors[code] = [_("不是本体系的指标")]
            continue
        for name, text in by_area.items():
            if name not in areas:
                errors[f"{code}.{name}"] = [_("不是本市的区")]
                continue
            entries[(inds[code], areas[name])] = text
    if errors:
        raise DomainError(_("数据有误，未保存任何数据"), errors=errors)
    n = data_service.save_manual(by=Actor.from_request(request), framework=fw, year=payload.year, entries=entries)
    return {"written": n}


@router.post("/frameworks/{pk}/compute", response={201: ResultOut})
@api_requires("indices.manage")
def compute_year(request, pk: int, payload: ComputeIn):
    fw = get_object_or_404(Framework, pk=pk)
    if not 0 <= payload.replications <= 20000:
        raise DomainError(_("蒙特卡洛次数须在 0–20000 之间"), field="replications")
    r = compute.compute_result(by=Actor.from_request(request), framework=fw, year=payload.year,
                               replications=payload.replications, sobol_base=0)
    return Status(201, _out(r))
