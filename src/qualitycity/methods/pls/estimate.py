"""Fitting a PLS path model to data, and everything reported from one fit.

References
----------
* Lohmöller, J.-B. (1989). *Latent Variable Path Modeling with Partial Least Squares*. Physica.
* Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M., Lauro, C. (2005). PLS path modeling.
  *Computational Statistics & Data Analysis* 48:159–205 (algorithm; GoF).
* Fornell, C., Johnson, M. D., Anderson, E. W., Cha, J., Bryant, B. E. (1996). The American
  Customer Satisfaction Index. *Journal of Marketing* 60(4):7–18 (0–100 index).
* Henseler, J., Ringle, C. M., Sarstedt, M. (2015). A new criterion for assessing discriminant
  validity in variance-based SEM. *J. of the Academy of Marketing Science* 43:115–135 (HTMT).
* Fornell, C., Larcker, D. F. (1981). *J. Marketing Research* 18:39–50 (AVE, composite reliability).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from . import core
from .model import SCHEMES, PLSConvergenceError, PLSModel, PLSModelError, PreparedData, prepare_data

__all__ = ["PLSResult", "fit"]


@dataclass
class PLSResult:
    """Everything estimated by :func:`fit`; ``to_dict()`` gives a JSON-ready view.

    Dictionaries are keyed by construct name, by item name, or (for paths) by
    ``(source, target)`` tuples.  ``scores`` are the standardized latent scores
    (n × K, columns in ``constructs`` order) for the cases actually used.
    """

    model: PLSModel
    scheme: str
    constructs: list[str]
    outer_weights: dict[str, dict[str, float]]
    loadings: dict[str, dict[str, float]]
    cross_loadings: dict[str, dict[str, float]]
    paths: dict[tuple[str, str], float]
    r2: dict[str, float]
    total_effects: dict[tuple[str, str], float]
    construct_correlations: np.ndarray
    scores: np.ndarray
    index: dict[str, float]
    index_weights: dict[str, dict[str, float]]
    quality: dict
    iterations: int
    converged: bool
    tol: float
    max_iter: int
    n_cases: int
    missing: dict
    scale: dict
    notes: list[str] = field(default_factory=list)
    # Kept for bootstrap/IPMA so they reuse exactly the data this fit saw.
    _data: PreparedData | None = field(default=None, repr=False)
    _layout: core.Layout | None = field(default=None, repr=False)
    _W: np.ndarray | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready dictionary; path keys are written ``"Source -> Target"``."""
        lab = self.model.path_label
        return {
            "scheme": self.scheme,
            "n_cases": self.n_cases,
            "iterations": self.iterations,
            "converged": self.converged,
            "tolerance": self.tol,
            "max_iterations": self.max_iter,
            "paths": {lab(s, t): v for (s, t), v in self.paths.items()},
            "r2": self.r2,
            "outer_weights": self.outer_weights,
            "loadings": self.loadings,
            "total_effects": {lab(s, t): v for (s, t), v in self.total_effects.items()},
            "index": self.index,
            "index_weights": self.index_weights,
            "scale": self.scale,
            "quality": self.quality,
            "missing": self.missing,
            "notes": list(self.notes),
        }


def fit(
    model: PLSModel,
    data,
    *,
    scheme: str = "path",
    weights=None,
    missing: str | None = None,
    scale: tuple[float, float] | None = None,
    tol: float = 1e-7,
    max_iter: int = 300,
    allow_nonconvergence: bool = False,
) -> PLSResult:
    """Estimate a PLS path model (Lohmöller 1989; Tenenhaus et al. 2005).

    Parameters
    ----------
    model : the :class:`PLSModel`.
    data : mapping column name -> values (dict of arrays, pandas DataFrame...).
    scheme : inner weighting scheme, ``"centroid"``, ``"factorial"`` or ``"path"``.
    weights : optional case (survey) weights, a column name or a sequence.  They are
        treated as relative and rescaled to sum to n; integer weights therefore give
        the same estimates as duplicating cases.
    missing : ``None`` (refuse missing cells), ``"casewise"`` or ``"mean"``; what was
        done is reported in ``result.missing``.
    scale : ``(min, max)`` of the item response scale for the 0–100 index; when
        ``None`` the observed minimum and maximum over all items are used (and the
        result says so in ``scale["source"]``).
    tol, max_iter : stop when no standardized outer weight changes by more than
        ``tol``; give up after ``max_iter`` iterations.  Hitting the cap raises
        :class:`PLSConvergenceError` unless ``allow_nonconvergence`` is set, in which
        case a ``RuntimeWarning`` is issued and ``result.converged`` is ``False``.

    Indicators are standardized item by item (weighted mean 0, variance 1 with
    divisor n − 1, as SmartPLS and semPLS do).
    """
    if scheme not in SCHEMES:
        raise PLSModelError(f"unknown inner weighting scheme '{scheme}'; use one of {', '.join(SCHEMES)}")
    if not (tol > 0) or int(max_iter) < 1:
        raise PLSModelError("tol must be positive and max_iter at least 1")
    prep = prepare_data(model, data, weights=weights, missing=missing)
    lay = core.Layout.from_model(model)
    lo, hi, source = _resolve_scale(scale, prep)

    R = prep.correlation()
    res = core.run(R[None], lay, scheme, tol=tol, max_iter=int(max_iter))
    converged = bool(res.converged[0])
    notes: list[str] = []
    if not converged:
        msg = (f"PLS outer-weight iteration did not converge in {max_iter} iterations "
               f"(last max change {res.last_change[0]:.3g} > tolerance {tol:g}); "
               "results are not reliable")
        if not allow_nonconvergence:
            raise PLSConvergenceError(msg)
        warnings.warn(msg, RuntimeWarning, stacklevel=2)
        notes.append(msg)

    W = res.W
    st = core.structural(W, R[None], lay)
    names, items = lay.names, lay.items
    K = len(names)
    Wd = W[0]
    CL = st["cross_loadings"][0]
    iw = core.index_weights(W, prep.sd[None], lay)[0]
    idx = core.index_values(W, prep.mean[None], prep.sd[None], lay, lo, hi)[0]

    outer = {n: {items[i]: float(Wd[i, k]) for i in lay.blocks[k]} for k, n in enumerate(names)}
    load = {n: {items[i]: float(CL[i, k]) for i in lay.blocks[k]} for k, n in enumerate(names)}
    cross = {items[i]: {n: float(CL[i, k]) for k, n in enumerate(names)} for i in range(len(items))}
    paths = {(s, t): float(st["paths"][0, names.index(s), names.index(t)]) for s, t in model.paths}
    r2 = {names[j]: float(st["r2"][0, j]) for j in lay.endogenous}
    total = {(names[i], names[j]): float(st["total"][0, i, j])
             for i in range(K) for j in range(K) if abs(st["total"][0, i, j]) > 0}
    iwd = {n: {items[i]: float(iw[i, k]) for i in lay.blocks[k]} for k, n in enumerate(names)}
    neg = [n for k, n in enumerate(names) if (iw[lay.blocks[k], k] < 0).any()]
    if neg:
        notes.append("negative index weight(s) in " + ", ".join(neg)
                     + ": the index is then not a plain weighted average of the item means")

    scores = prep.standardized() @ Wd
    quality = _quality(R, CL, st["r2"][0], lay)
    return PLSResult(
        model=model, scheme=scheme, constructs=names, outer_weights=outer, loadings=load,
        cross_loadings=cross, paths=paths, r2=r2, total_effects=total,
        construct_correlations=st["construct_corr"][0], scores=scores,
        index={n: float(idx[k]) for k, n in enumerate(names)}, index_weights=iwd,
        quality=quality, iterations=int(res.iterations[0]), converged=converged, tol=tol,
        max_iter=int(max_iter), n_cases=prep.n, missing=prep.missing,
        scale={"min": lo, "max": hi, "source": source}, notes=notes,
        _data=prep, _layout=lay, _W=W,
    )


def _resolve_scale(scale, prep: PreparedData) -> tuple[float, float, str]:
    if scale is None:
        lo, hi, source = float(prep.X.min()), float(prep.X.max()), "observed"
    else:
        try:
            lo, hi = (float(v) for v in scale)
        except (TypeError, ValueError):
            raise PLSModelError("scale must be a (min, max) pair of numbers") from None
        source = "given"
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
        raise PLSModelError(f"scale min ({lo:g}) must be below scale max ({hi:g})")
    if source == "given" and (prep.X.min() < lo or prep.X.max() > hi):
        raise PLSModelError(
            f"item values range over [{prep.X.min():g}, {prep.X.max():g}], outside the scale [{lo:g}, {hi:g}]")
    return lo, hi, source


def _quality(R: np.ndarray, CL: np.ndarray, r2: np.ndarray, lay: core.Layout) -> dict:
    """Reliability and validity measures.

    AVE = mean squared loading, composite reliability
    rho_c = (Σλ)² / ((Σλ)² + Σ(1−λ²)) (Fornell & Larcker 1981); Cronbach's α on
    standardized items, α = k/(k−1)·(1 − k/1'R_kk 1).  These describe reflective
    (mode A) blocks; for mode B they are reported but not meaningful.  One-item
    blocks get 1 for all three by convention.

    HTMT (Henseler et al. 2015) = mean heterotrait correlation / geometric mean of
    the two mean monotrait (within-block, off-diagonal) correlations; a one-item
    block's monotrait mean is taken as 1 (the item's correlation with itself).

    GoF (Tenenhaus et al. 2005) = sqrt(mean communality × mean R²), with the
    communality averaged over the indicators of multi-item blocks (one-item blocks
    have communality 1 by construction and would inflate it).
    """
    names = lay.names
    ave, cr, alpha, mono = {}, {}, {}, {}
    comm = []
    for k, n in enumerate(names):
        blk = lay.blocks[k]
        lam = CL[blk, k]
        m = len(blk)
        ave[n] = float(np.mean(lam ** 2))
        s = lam.sum() ** 2
        cr[n] = float(s / (s + np.sum(1 - lam ** 2)))
        sub = R[np.ix_(blk, blk)]
        if m > 1:
            alpha[n] = float(m / (m - 1) * (1 - m / sub.sum()))
            mono[n] = float((sub.sum() - m) / (m * (m - 1)))
            comm.extend(lam ** 2)
        else:
            alpha[n] = 1.0
            mono[n] = 1.0
    htmt = {}
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            het = R[np.ix_(lay.blocks[a], lay.blocks[b])].mean()
            denom = mono[names[a]] * mono[names[b]]
            htmt[f"{names[a]} / {names[b]}"] = float(het / np.sqrt(denom)) if denom > 0 else None
    mean_r2 = float(np.mean(r2[lay.endogenous]))
    gof = float(np.sqrt(np.mean(comm) * mean_r2)) if comm else None
    return {"ave": ave, "composite_reliability": cr, "cronbach_alpha": alpha, "htmt": htmt,
            "gof": gof, "mean_communality": float(np.mean(comm)) if comm else None, "mean_r2": mean_r2}
