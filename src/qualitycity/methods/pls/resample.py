"""Bootstrap confidence intervals for paths, outer weights, loadings, R² and indices.

Vectorization: a bootstrap resample is fully described by how often each case is
drawn (its count).  Everything the PLS algorithm needs from a resample is its
weighted item means and covariance matrix, i.e. ``counts @ Z`` and
``counts @ (z_i z_iᵀ)`` — two matrix products for a whole chunk of resamples.  The
batched iteration in :mod:`.core` then estimates all resamples together, so 1,000
resamples cost a few BLAS calls rather than 1,000 Python-level fits.

Intervals: percentile (Efron & Tibshirani 1993, ch. 13) and BCa (ch. 14) with the
acceleration from a leave-one-out jackknife.  The jackknife needs n extra fits,
which the same batched machinery does cheaply for moderate n; above ``bca_max_n``
cases it is skipped (and the result says so) unless asked for explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

from . import core
from .estimate import PLSResult
from .model import PLSModelError

__all__ = ["BootstrapResult", "bootstrap"]

_CHUNK = 128          # resamples per batch; fixed so a seed always gives the same draws
BCA_MAX_N = 2000


@dataclass
class BootstrapResult:
    n_boot: int
    n_valid: int
    n_failed: int
    seed: int | None
    level: float
    bca: bool
    bca_note: str | None
    estimates: dict[str, dict[str, dict]]   # group -> label -> summary
    replicates: dict[str, np.ndarray] = field(repr=False, default_factory=dict)
    labels: dict[str, list[str]] = field(repr=False, default_factory=dict)

    def to_dict(self) -> dict:
        out = {"resamples": self.n_boot, "valid_resamples": self.n_valid, "failed_resamples": self.n_failed,
               "seed": self.seed, "level": self.level, "method": "percentile" + ("+bca" if self.bca else "")}
        if self.bca_note:
            out["bca_note"] = self.bca_note
        out.update(self.estimates)
        return out


def _labels(result: PLSResult, lay: core.Layout) -> dict[str, list[str]]:
    lab = result.model.path_label
    return {
        "paths": [lab(s, t) for s, t in result.model.paths],
        "outer_weights": [f"{lay.names[k]}: {lay.items[i]}" for k in range(len(lay.names)) for i in lay.blocks[k]],
        "loadings": [f"{lay.names[k]}: {lay.items[i]}" for k in range(len(lay.names)) for i in lay.blocks[k]],
        "r2": [lay.names[j] for j in lay.endogenous],
        "index": list(lay.names),
    }


def _statistics(W, R, mean, sd, result: PLSResult, lay: core.Layout) -> dict[str, np.ndarray]:
    """The bootstrapped statistics, each as a (B, m) array in ``_labels`` order."""
    st = core.structural(W, R, lay)
    pos = {n: k for k, n in enumerate(lay.names)}
    src = np.array([pos[s] for s, _ in result.model.paths])
    tgt = np.array([pos[t] for _, t in result.model.paths])
    item_k = np.concatenate([np.full(len(b), k) for k, b in enumerate(lay.blocks)])
    item_i = np.concatenate(lay.blocks)
    lo, hi = result.scale["min"], result.scale["max"]
    return {
        "paths": st["paths"][:, src, tgt],
        "outer_weights": W[:, item_i, item_k],
        "loadings": st["cross_loadings"][:, item_i, item_k],
        "r2": st["r2"][:, lay.endogenous],
        "index": core.index_values(W, mean, sd, lay, lo, hi),
    }


def _moments_to_fit(S0, S1, S2, iu, ju, prep, result, lay):
    """Weighted moments of standardized items -> (statistics, valid mask) for a batch."""
    B = S0.shape[0]
    p = S1.shape[1]
    m = S1 / S0[:, None]
    C = np.empty((B, p, p))
    C[:, iu, ju] = S2 / S0[:, None]
    C[:, ju, iu] = C[:, iu, ju]
    C -= m[:, :, None] * m[:, None, :]
    var = np.einsum("bii->bi", C).copy()
    # A resample in which some item is constant cannot be standardized; drop it.
    ok = (var > 1e-12).all(axis=1)
    var[~ok] = 1.0
    s = np.sqrt(var)
    R = C / (s[:, :, None] * s[:, None, :])
    R[~ok] = np.eye(p)
    idx = np.arange(p)
    R[:, idx, idx] = 1.0
    fit = core.run(R, lay, result.scheme, tol=result.tol, max_iter=result.max_iter)
    ok &= fit.converged
    # Back to the original units for the index: x = mean + sd * z.
    mean = prep.mean + m * prep.sd
    sd = s * prep.sd
    return _statistics(fit.W, R, mean, sd, result, lay), ok


def bootstrap(result: PLSResult, n_boot: int = 1000, seed: int | None = None, level: float = 0.95,
              bca: bool | None = None) -> BootstrapResult:
    """Nonparametric case bootstrap of a fitted model (same scheme, tolerance, weights).

    Cases are resampled with replacement; with case weights a drawn case keeps its
    weight.  Resamples that fail (non-convergence or a constant item) are dropped
    and counted in ``n_failed`` — never silently.  ``bca=None`` computes BCa when
    n ≤ 2000.  ``seed`` makes the draws reproducible.
    """
    if result._data is None:
        raise PLSModelError("this result carries no data to resample")
    if int(n_boot) < 2:
        raise PLSModelError("n_boot must be at least 2")
    if not 0 < level < 1:
        raise PLSModelError("level must be between 0 and 1")
    n_boot = int(n_boot)
    prep, lay = result._data, result._layout
    n, p = prep.X.shape
    Z = prep.standardized()            # centring first keeps the moment formula well conditioned
    iu, ju = np.triu_indices(p)
    ZZ = Z[:, iu] * Z[:, ju]
    w = prep.w
    rng = np.random.default_rng(seed)
    reps: dict[str, list[np.ndarray]] = {}
    valid: list[np.ndarray] = []
    for start in range(0, n_boot, _CHUNK):
        c = min(_CHUNK, n_boot - start)
        draws = rng.integers(0, n, size=(c, n))
        counts = np.bincount((draws + (np.arange(c) * n)[:, None]).ravel(), minlength=c * n)
        Cw = counts.reshape(c, n) * w
        stats, ok = _moments_to_fit(Cw.sum(axis=1), Cw @ Z, Cw @ ZZ, iu, ju, prep, result, lay)
        for k, v in stats.items():
            reps.setdefault(k, []).append(v)
        valid.append(ok)
    ok = np.concatenate(valid)
    T = {k: np.concatenate(v)[ok] for k, v in reps.items()}
    if ok.sum() < 2:
        raise PLSModelError(f"only {int(ok.sum())} of {n_boot} bootstrap resamples could be estimated")

    est = _statistics(result._W, prep.correlation()[None], prep.mean[None], prep.sd[None], result, lay)
    est = {k: v[0] for k, v in est.items()}

    do_bca = (n <= BCA_MAX_N) if bca is None else bool(bca)
    note = None
    if not do_bca:
        note = (f"BCa skipped: its jackknife needs {n} extra fits (n > {BCA_MAX_N}); percentile CIs only"
                if bca is None else "BCa not requested; percentile CIs only")
    accel = _jackknife_acceleration(Z, ZZ, iu, ju, prep, result, lay) if do_bca else None

    labels = _labels(result, lay)
    alpha = 1 - level
    out: dict[str, dict[str, dict]] = {}
    for key, names in labels.items():
        t, t0 = T[key], est[key]
        lo_p, hi_p = np.quantile(t, [alpha / 2, 1 - alpha / 2], axis=0)
        group = {}
        for j, lab in enumerate(names):
            d = {"estimate": float(t0[j]), "mean": float(t[:, j].mean()),
                 "se": float(t[:, j].std(ddof=1)), "percentile": [float(lo_p[j]), float(hi_p[j])]}
            if accel is not None:
                d["bca"] = _bca_interval(t[:, j], float(t0[j]), float(accel[key][j]), alpha)
            group[lab] = d
        out[key] = group
    return BootstrapResult(n_boot=n_boot, n_valid=int(ok.sum()), n_failed=int((~ok).sum()), seed=seed,
                           level=level, bca=accel is not None, bca_note=note, estimates=out,
                           replicates=T, labels=labels)


def _jackknife_acceleration(Z, ZZ, iu, ju, prep, result, lay) -> dict[str, np.ndarray]:
    """BCa acceleration a = Σd³ / (6 (Σd²)^{3/2}), d = jackknife mean − leave-one-out value.

    Leaving case i out only subtracts its own term from the weighted moments, so all
    n leave-one-out fits come from the full-sample sums without touching the data again.
    """
    w = prep.w
    S0, S1, S2 = w.sum(), w @ Z, w @ ZZ
    n = Z.shape[0]
    parts: dict[str, list[np.ndarray]] = {}
    for start in range(0, n, 512):
        sl = slice(start, min(start + 512, n))
        ws = w[sl]
        stats, _ = _moments_to_fit(S0 - ws, S1 - ws[:, None] * Z[sl], S2 - ws[:, None] * ZZ[sl],
                                   iu, ju, prep, result, lay)
        for k, v in stats.items():
            parts.setdefault(k, []).append(v)
    acc = {}
    for k, v in parts.items():
        J = np.concatenate(v)
        d = J.mean(axis=0) - J
        num = (d ** 3).sum(axis=0)
        den = 6.0 * (d ** 2).sum(axis=0) ** 1.5
        acc[k] = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return acc


_NORMAL = NormalDist()


def _bca_interval(t: np.ndarray, t0: float, a: float, alpha: float) -> list[float] | None:
    """Bias-corrected and accelerated interval (Efron 1987); ``None`` if undefined."""
    prop = (np.sum(t < t0) + 0.5 * np.sum(t == t0)) / t.size
    if prop <= 0 or prop >= 1:
        return None   # the estimate lies outside the bootstrap distribution: no bias correction exists
    # The standard library's normal quantile and cdf keep the engine numpy-only (the issue asks
    # for that); two scalars per interval, so a Python call costs nothing next to the resampling.
    z0 = _NORMAL.inv_cdf(float(prop))
    zs = np.array([_NORMAL.inv_cdf(alpha / 2), _NORMAL.inv_cdf(1 - alpha / 2)])
    q = np.array([_NORMAL.cdf(float(v)) for v in z0 + (z0 + zs) / (1 - a * (z0 + zs))])
    lo, hi = np.quantile(t, q)
    return [float(lo), float(hi)]
