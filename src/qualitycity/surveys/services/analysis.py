"""Screening, review, weighting and estimation of a project's responses."""

from __future__ import annotations

from collections import Counter

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from threadpoolctl import threadpool_limits

from qualitycity.core.errors import DomainError
from qualitycity.core.services import audit
from qualitycity.core.services.audit import Actor
from qualitycity.methods import pls, survey_quality
from qualitycity.methods.raking import RakingError, rake

from ..itembank import PATHS, REVERSED, SCALE, SEXES, TARGET, model_spec
from ..models import Project, Question, Response

FLAG_NAMES = ("speeder", "straightlining", "inconsistent", "outlier", "duplicate")
MIN_RESPONSES = 30


def _matrix(responses: list[Response], codes: list[str]) -> np.ndarray:
    return np.array([[r.answers.get(c, np.nan) for c in codes] for r in responses], dtype=float)


def _likert_codes(project: Project) -> list[str]:
    return list(project.questions.filter(kind=Question.Kind.LIKERT).values_list("code", flat=True))


def screen_project(*, by: Actor, project: Project) -> dict:
    """Run every screen; flagged responses go to the review queue, none is dropped.
    Responses already decided keep their decision."""
    responses = list(project.responses.order_by("id"))
    if not responses:
        raise DomainError(_("没有答卷可筛查"), field="project")
    codes = _likert_codes(project)
    X = _matrix(responses, codes)
    X_filled = np.where(np.isnan(X), np.nanmean(X, axis=0), X)
    reversed_code, mirrored = REVERSED
    has_rev = project.questions.filter(code=reversed_code).exists() and all(c in codes for c in mirrored)
    flags = survey_quality.screen(
        X_filled, seconds=np.array([r.duration_seconds if r.duration_seconds is not None else np.nan
                                    for r in responses]),
        reversed_item=_matrix(responses, [reversed_code])[:, 0] if has_rev else None,
        mirrored=X_filled[:, [codes.index(c) for c in mirrored]] if has_rev else None, scale=SCALE)
    counts = Counter()
    with transaction.atomic():
        for i, r in enumerate(responses):
            r.flags = [name for name in FLAG_NAMES if flags[name][i]]
            counts.update(r.flags)
            if r.review in (Response.Review.NONE, Response.Review.PENDING):
                r.review = Response.Review.PENDING if r.flags else Response.Review.NONE
        # One UPDATE per distinct outcome: far fewer statements than a per-row CASE.
        groups: dict[tuple, list[int]] = {}
        for r in responses:
            groups.setdefault((tuple(r.flags), r.review), []).append(r.pk)
        for (names, review), ids in groups.items():
            Response.objects.filter(pk__in=ids).update(flags=list(names), review=review)
        summary = {"screened": len(responses), "flagged": sum(1 for r in responses if r.flags), **counts}
        audit.record(by=by, action="surveys.screen", obj=project, changes=summary)
    return summary


def review_response(*, by: Actor, response: Response, decision: str, reason: str) -> Response:
    """Include or exclude a response; the reason is required and audited."""
    if decision not in (Response.Review.INCLUDED, Response.Review.EXCLUDED):
        raise DomainError(_("审核结论只能是保留或剔除"), field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写审核理由"), field="reason")
    with transaction.atomic():
        before = audit.snapshot(response, ["review", "review_reason"])
        response.review, response.review_reason = decision, reason[:200]
        response.save(update_fields=["review", "review_reason"])
        audit.record(by=by, action="surveys.review", obj=response,
                     changes=audit.diff(before, audit.snapshot(response, ["review", "review_reason"])))
    return response


def _weights(project: Project, responses: list[Response]) -> tuple[np.ndarray, dict]:
    variables = {"sex": [r.sex for r in responses], "age": [r.age_band for r in responses],
                 "district": [r.district.name for r in responses]}
    margins = {k: v for k, v in (project.margins or {}).items() if k in variables}
    if project.target_kind == Project.Target.DISTRICT:
        margins.pop("district", None)  # one district: nothing to rake on
    # A district without respondents cannot be weighted up; leave it out and say so.
    dropped = []
    if "district" in margins:
        present = set(variables["district"])
        dropped = sorted(d for d in margins["district"] if d not in present)
        margins["district"] = {d: v for d, v in margins["district"].items() if d in present}
    # Raking cannot invent respondents: say in words which group the sample lacks.
    for dim in ("sex", "age"):
        present = set(variables[dim])
        for category, share in (margins.get(dim) or {}).items():
            if share > 0 and category not in present:
                label = dict(SEXES).get(category, category) if dim == "sex" else category
                raise DomainError(_("总体边际中%(dim)s“%(cat)s”占 %(pct).1f%%，但样本中没有这一类受访者，无法加权；"
                                    "请补充样本或修改边际") % {"dim": _("性别") if dim == "sex" else _("年龄段"),
                                                        "cat": label, "pct": 100 * share / sum(margins[dim].values())},
                                  field="margins")
    try:
        result = rake(variables, margins, trim=(0.3, 3.0), tol=1e-5, max_iter=100)
    except RakingError as exc:
        raise DomainError(_("加权失败：%s") % exc, field="margins") from None
    return result.weights, {**result.summary(), "margins": sorted(margins), "margins_used": margins,
                            "margins_default": project.margins_default,
                            "districts_without_respondents": dropped}


def _themes(texts: list[str], top: int = 12) -> list[dict]:
    import jieba.analyse

    text = "\n".join(t for t in texts if t.strip())
    if not text:
        return []
    return [{"word": w, "weight": round(float(s), 4)} for w, s in jieba.analyse.extract_tags(text, topK=top,
                                                                                              withWeight=True)]


def estimate_project(*, by: Actor, project: Project, n_boot: int = 1000, seed: int = 2026) -> dict:
    """Rake, estimate the PLS model, bootstrap the index CI, map IPMA, extract themes.

    Excluded responses are left out; flagged ones not yet reviewed stay in (nothing is
    dropped without a human decision) and are counted in the results."""
    all_responses = list(project.responses.select_related("district").order_by("id"))
    responses = [r for r in all_responses if r.counts]
    if len(responses) < MIN_RESPONSES:
        raise DomainError(_("有效答卷不足 %(min)d 份（现有 %(n)d 份），无法估计") % {"min": MIN_RESPONSES,
                                                                           "n": len(responses)}, field="project")
    codes = _likert_codes(project)
    constructs, paths = model_spec(codes)
    weights, weighting = _weights(project, responses)
    data = {c: _matrix(responses, [c])[:, 0] for c in codes}
    try:
        # A questionnaire has ~17 items, so every matrix product is small: BLAS threads only add
        # hand-off cost (and fight the web workers for cores).  Measured on the 2-core machine:
        # 1,000 resamples at n = 60 took 1.08 s with OpenBLAS's 2 threads, 0.47 s with one;
        # results identical.  threadpoolctl comes with scikit-learn.
        with threadpool_limits(limits=1, user_api="blas"):
            model = pls.PLSModel(constructs=constructs, paths=paths)
            result = pls.fit(model, data, scheme="path", weights=weights, missing="mean", scale=SCALE)
            boot = pls.bootstrap(result, n_boot=n_boot, seed=seed, bca=False) if n_boot else None
            imap = pls.ipma(result, TARGET)
    except pls.PLSModelError as exc:
        raise DomainError(_("模型无法估计：%s") % exc, field="project") from None
    ci = boot.estimates["index"][TARGET]["percentile"] if boot else None
    index_ci = {c: boot.estimates["index"][c]["percentile"] for c in result.index} if boot else {}
    flags = Counter(f for r in all_responses for f in r.flags)
    reviews = Counter(r.review for r in all_responses)
    results = {
        "n": len(responses), "index": result.index, "target": TARGET,
        "satisfaction": result.index[TARGET], "ci": ci, "index_ci": index_ci,
        "bootstrap": boot.n_valid if boot else 0,
        "paths": {f"{s} -> {t}": v for (s, t), v in result.paths.items()},
        "r2": result.r2,
        "quality": {k: result.quality[k] for k in ("ave", "composite_reliability", "cronbach_alpha", "gof")},
        "ipma": imap, "missing": result.missing, "notes": result.notes,
        "themes": _themes([r.open_answer for r in responses]),
        "counts": {"total": len(all_responses), "used": len(responses),
                   "channels": dict(Counter(r.channel for r in all_responses)),
                   "flags": dict(flags), "pending": reviews.get(Response.Review.PENDING, 0),
                   "excluded": reviews.get(Response.Review.EXCLUDED, 0)},
        "weighting": weighting,
        "model_paths": [f"{s} -> {t}" for s, t in PATHS if (s, t) in set(paths)],
    }
    with transaction.atomic():
        for r, w in zip(responses, weights, strict=True):
            r.weight = float(w)
        Response.objects.bulk_update(responses, ["weight"], batch_size=1000)
        project.results = results
        project.computed_at = timezone.now()
        project.save(update_fields=["results", "computed_at"])
        audit.record(by=by, action="surveys.estimate", obj=project,
                     changes={"n": len(responses), "index": round(results["satisfaction"], 2)})
    return results
