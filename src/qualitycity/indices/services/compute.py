"""Computing, storing and publishing an annual index with the composite engine.

The whole Handbook pipeline runs in ``qualitycity.methods.composite``: imputation,
the JRC outlier rule, normalisation, weighting (AHP from the experts' combined
matrices), hierarchical aggregation, Monte Carlo rank intervals and Sobol' indices
(Saisana, Saltelli & Tarantola 2005, JRSS A 168:307). This module turns database
rows into the engine's inputs and keeps what it returns.
"""

from __future__ import annotations

import time

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from scipy.stats import kurtosis, skew

from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit
from qualitycity.methods import composite as ci
from qualitycity.methods.composite.outliers import KURT_LIMIT, SKEW_LIMIT

from ..models import AhpQuestionnaire, Framework, Result, Value
from . import data as data_service
from . import frameworks

DEFAULT_REPLICATIONS = 2000
DEFAULT_SOBOL_BASE = 128
# Wuhan's seven central districts (中心城区) by GB/T 2260 code; the other districts are 新城区.
# The default grouping for group-mean imputation, overridden per framework (Framework.district_groups).
CENTRAL_DISTRICTS = frozenset({"420102", "420103", "420104", "420105", "420106", "420107", "420111"})
CENTRAL_LABEL, OUTER_LABEL = "中心城区", "新城区"


def district_groups(framework: Framework, areas) -> dict[str, str]:
    """District name → group label used by group-mean imputation."""
    own = framework.district_groups or {}
    return {a.name: own.get(a.code) or (CENTRAL_LABEL if a.code in CENTRAL_DISTRICTS else OUTER_LABEL)
            for a in areas}


def earlier_years(framework: Framework, year: int) -> list[tuple[float, ci.Table]]:
    """Every earlier year with data, as engine tables (oldest first): what LOCF carries forward."""
    years = sorted({y for y in Value.objects.filter(indicator__framework=framework, year__lt=year)
                   .values_list("year", flat=True).distinct()})
    return [(float(y), engine_table(framework, y)[0]) for y in years]


def engine_context(framework: Framework, year: int, areas) -> ci.Context:
    history = earlier_years(framework, year) if framework.imputation == "locf" else []
    return ci.Context(groups=district_groups(framework, areas), history=history, time=float(year))


def engine_framework(framework: Framework) -> ci.Framework:
    """The engine's framework: codes as names, groups as the hierarchy, AHP matrices combined."""
    doc: dict = {
        "options": {"normalization": framework.normalization, "weighting": framework.weighting,
                    "aggregation": framework.aggregation, "imputation": framework.imputation,
                    "outliers": framework.outliers},
        "groups": {}, "indicators": {}, "ahp": {},
    }
    for g in framework.groups.select_related("parent"):
        spec = {"parent": g.parent.code if g.parent_id else "index"}
        if g.weight is not None:
            spec["weight"] = g.weight
        doc["groups"][g.code] = spec
    for ind in framework.indicators.select_related("group"):
        spec = {"direction": ind.direction, "group": ind.group.code}
        for key in ("weight", "target"):
            if getattr(ind, key) is not None:
                spec[key] = getattr(ind, key)
        if ind.goal_low is not None and ind.goal_high is not None:
            spec["goalposts"] = [ind.goal_low, ind.goal_high]
        doc["indicators"][ind.code] = spec
    if framework.weighting == "ahp":
        for q in AhpQuestionnaire.objects.filter(framework=framework).select_related("group"):
            agg = frameworks.aggregate(q)
            if agg is not None:
                doc["ahp"][q.group.code if q.group_id else "index"] = {"elements": agg["codes"],
                                                                       "matrix": agg["matrix"].tolist()}
    try:
        return ci.framework_from_dict(doc)
    except ci.CompositeInputError as err:
        raise DomainError(_("指标体系有误：%(e)s") % {"e": err}) from None


def engine_table(framework: Framework, year: int) -> tuple[ci.Table, list, list]:
    areas, inds, rows = data_service.matrix(framework, year)
    X = np.array([[np.nan if v is None else v for v in row] for row in rows], float).reshape(len(areas), len(inds))
    return ci.Table([a.name for a in areas], [i.code for i in inds], X), areas, inds


def quality_report(table: ci.Table, inds) -> dict:
    """Missing values, coverage and the JRC skewness/kurtosis flag per indicator (before treatment)."""
    X = table.values
    m, q = X.shape
    rows = []
    for j, ind in enumerate(inds):
        col = X[:, j]
        ok = col[~np.isnan(col)]
        sk = ku = None
        if len(ok) >= 4 and np.ptp(ok) > 0:
            sk, ku = float(skew(ok, bias=False)), float(kurtosis(ok, bias=False))
        rows.append({
            "code": ind.code, "name": ind.name, "missing": int(m - len(ok)),
            "missing_units": [table.units[i] for i in np.flatnonzero(np.isnan(col))],
            "coverage": round(100.0 * len(ok) / m, 1) if m else 0.0,
            "skew": sk, "kurtosis": ku,
            "outlier": bool(sk is not None and abs(sk) > SKEW_LIMIT and ku > KURT_LIMIT),
            "constant": bool(len(ok) > 0 and np.ptp(ok) == 0),
        })
    cells = m * q
    filled = int((~np.isnan(X)).sum())
    return {"indicators": rows, "units": m, "cells": cells, "filled": filled,
            "coverage": round(100.0 * filled / cells, 1) if cells else 0.0,
            "unit_coverage": {u: round(100.0 * float((~np.isnan(X[i])).sum()) / q, 1) if q else 0.0
                              for i, u in enumerate(table.units)}}


def _dimension_of(ind) -> str:
    group = ind.group
    return group.parent.code if group.parent_id else group.code


def coherence_report(res: ci.IndexResult, inds, dims) -> dict:
    """Cronbach's α per dimension and indicators correlating negatively with the rest of their
    dimension (Handbook §4.3), on the normalised values the index was built from.

    Done dimension by dimension so that one degenerate dimension (e.g. two indicators that
    cancel out exactly, whose standardised total has no variance) shows "—" instead of
    hiding the report for all the others."""
    groups = [_dimension_of(i) for i in inds]
    Xn = res.normalized
    out_dims, negative = [], []
    for d in dims:
        idx = [j for j, g in enumerate(groups) if g == d.code]
        alpha = None
        if len(idx) > 1:
            try:
                alpha = round(float(ci.cronbach_alpha(Xn[:, idx])), 3)
            except ci.CompositeInputError:
                alpha = None
            for j in idx:
                rest = Xn[:, [k for k in idx if k != j]].sum(axis=1)
                if np.ptp(rest) > 0 and np.ptp(Xn[:, j]) > 0:
                    r = float(np.corrcoef(Xn[:, j], rest)[0, 1])
                    if r < 0:
                        negative.append({"code": inds[j].code, "name": inds[j].name, "dimension": d.code,
                                         "r": round(r, 3)})
        out_dims.append({"code": d.code, "name": d.name, "n": len(idx), "alpha": alpha})
    return {"dimensions": out_dims, "negative": negative}


def strengths(prepared: np.ndarray, directions: list[int], units: list[str], inds, k: int = 3) -> dict:
    """Each unit's best and worst indicators against the city median, on oriented min-max values."""
    X = prepared * np.asarray(directions)
    Xn = (X - X.min(axis=0)) / np.where(np.ptp(X, axis=0) > 0, np.ptp(X, axis=0), 1.0)
    med_n = np.median(Xn, axis=0)
    med_raw = np.median(prepared, axis=0)
    out = {}
    for i, u in enumerate(units):
        gap = Xn[i] - med_n
        order = np.argsort(-gap, kind="stable")

        def row(j, i=i, gap=gap):
            return {"code": inds[j].code, "name": inds[j].name, "value": float(prepared[i, j]),
                    "median": float(med_raw[j]), "gap": round(float(gap[j]) * 100, 1), "unit": inds[j].unit}

        out[u] = {"best": [row(j) for j in order[:k]], "worst": [row(j) for j in order[::-1][:k]]}
    return out


def run(framework: Framework, year: int, *, replications: int = DEFAULT_REPLICATIONS,
        sobol_base: int = DEFAULT_SOBOL_BASE, seed: int = 2026) -> dict:
    """Compute everything shown for one year; raises DomainError with the engine's message."""
    fw = engine_framework(framework)
    table, areas, inds = engine_table(framework, year)
    if not inds:
        raise DomainError(_("指标体系还没有指标"))
    quality = quality_report(table, inds)
    timings = {}
    context = engine_context(framework, year, areas)
    try:
        t0 = time.perf_counter()
        res = ci.compute_index(fw, table, context)
        timings["index"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        mc = ci.monte_carlo(fw, table, replications, seed=seed, context=context) if replications else None
        timings["monte_carlo"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        sob = (ci.sobol_indices(fw, table, n_base=sobol_base, seed=seed, per_unit=False, context=context)
               if sobol_base else None)
        timings["sobol"] = time.perf_counter() - t0
    except ci.CompositeInputError as err:
        raise DomainError(_("无法计算 %(y)s 年指数：%(e)s") % {"y": year, "e": err}) from None
    dims = [g for g in framework.groups.filter(parent=None)]
    origins: dict[int, list[str]] = {}  # how each indicator's values of the year got here (imported, computed…)
    for ind_id, origin in (Value.objects.filter(indicator__framework=framework, year=year)
                           .values_list("indicator_id", "origin").distinct().order_by("origin")):
        origins.setdefault(ind_id, []).append(origin)
    payload = {
        "year": year,
        "units": res.units,
        "codes": [a.code for a in areas],
        "score": [round(float(s), 3) for s in res.score],
        "rank": [int(r) for r in res.rank],
        "dimensions": [{"code": g.code, "name": g.name} for g in dims],
        "groups": {k: [round(float(x), 3) for x in v] for k, v in res.group_scores.items()},
        "indicators": [{"code": i.code, "name": i.name, "unit": i.unit, "direction": i.direction,
                        "group": i.group.code, "provider": i.provider, "source": i.source,
                        "origins": origins.get(i.pk, [])} for i in inds],
        "weights": {p: {c: round(w, 4) for c, w in ch.items()} for p, ch in res.weights.items()},
        "effective_weights": {k: round(v, 4) for k, v in (res.effective_weights or {}).items()},
        "options": {"normalization": framework.normalization, "weighting": framework.weighting,
                    "aggregation": framework.aggregation, "imputation": framework.imputation,
                    "outliers": framework.outliers},
        "raw": [[None if np.isnan(v) else float(v) for v in row] for row in table.values],
        "imputed": [{"unit": res.units[c.row], "indicator": inds[c.column].code, "value": c.value, "method": c.method}
                    for c in res.imputed],
        "treated": [{"unit": res.units[c.row], "indicator": inds[c.column].code, "old": c.old, "new": c.new,
                     "method": c.method} for c in res.treated],
        "quality": quality,
        "coherence": coherence_report(res, inds, dims),
        "district_groups": context.groups,
        "strengths": strengths(res.prepared, [1 if i.direction == "+" else -1 for i in inds], res.units, inds),
        "synthetic": framework.indicators.filter(values__year=year, values__synthetic=True).exists(),
        "timings": {k: round(v, 3) for k, v in timings.items()},
    }
    if mc is not None:
        payload["uncertainty"] = {"replications": replications, "seed": seed,
                                  "median": [float(x) for x in mc.median_rank], "p05": [int(x) for x in mc.p05],
                                  "p95": [int(x) for x in mc.p95],
                                  "mean_shift": round(float(mc.shift.mean()), 3)}
    if sob is not None:
        payload["sensitivity"] = {"factors": sob.factors, "runs": sob.n_runs,
                                  "S1": [round(float(x), 4) for x in sob.S1["average shift"]],
                                  "ST": [round(float(x), 4) for x in sob.ST["average shift"]]}
    return payload


def _number() -> str:
    today = timezone.localdate()
    prefix = f"ZS{today:%Y%m%d}"
    last = Result.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    seq = int(last[-4:]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def compute_result(*, by: audit.Actor, framework: Framework, year: int, replications: int = DEFAULT_REPLICATIONS,
                   sobol_base: int = DEFAULT_SOBOL_BASE, seed: int = 2026) -> Result:
    """Compute (or recompute) the index of ``year``.

    Recomputing changes only the internal result: what the public sees is a frozen
    release (``services.publishing``), replaced only when a new version is published."""
    data_service._check_year(year)
    payload = run(framework, year, replications=replications, sobol_base=sobol_base, seed=seed)
    with transaction.atomic():
        result = Result.objects.select_for_update().filter(framework=framework, year=year).first()
        if result is None:
            result = Result.objects.create(number=_number(), framework=framework, year=year, payload=payload)
        else:
            result.payload = payload
            result.save(update_fields=["payload", "computed_at"])
        audit.record(by=by, action="indices.result.compute", obj=result,
                     changes={"year": year, "replications": replications, "number": result.number})
    return result
