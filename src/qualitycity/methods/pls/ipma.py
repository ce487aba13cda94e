"""Importance–performance map analysis (IPMA) for one target construct.

Ringle, C. M., Sarstedt, M. (2016). Gain more insight from your PLS-SEM results: the
importance-performance map analysis. *Industrial Management & Data Systems*
116(9):1865–1886.

* Performance of a construct = the mean of its latent scores rescaled to 0–100,
  built with the unstandardized, sum-to-one index weights (the same 0–100 index
  as :func:`~.estimate.fit`, following ACSI practice).
* Importance of a driver = its *unstandardized* total effect on the target,
  estimated by re-running the structural regressions on the rescaled scores.  The
  unstandardized metric answers the managerial question the map is for: "one
  point more on this driver's 0–100 scale moves the target by how many points?"
"""

from __future__ import annotations

import numpy as np

from . import core
from .estimate import PLSResult
from .model import PLSModelError

__all__ = ["ipma"]


def ipma(result: PLSResult, target: str) -> dict:
    """IPMA of ``target``: importance (total effects) vs performance (index) of its drivers.

    Returns a dict with ``target``, ``target_performance`` and ``drivers`` (every
    construct with a direct or indirect path to the target, sorted by importance,
    each with ``importance``, ``importance_standardized`` and ``performance``), the
    mean importance and performance (the usual quadrant lines), and ``priority``:
    drivers above mean importance and below mean performance — where improvement
    pays off most.
    """
    if result._data is None:
        raise PLSModelError("this result carries no data for IPMA")
    lay = result._layout
    if target not in lay.names:
        raise PLSModelError(f"IPMA target '{target}' is not a construct")
    t = lay.names.index(target)
    prep = result._data
    lo, hi = result.scale["min"], result.scale["max"]
    iw = core.index_weights(result._W, prep.sd[None], lay)[0]
    scores = 100.0 * (prep.X - lo) / (hi - lo) @ iw
    w = prep.w

    K = len(lay.names)
    Bm = np.zeros((K, K))
    for j in lay.endogenous:
        P = lay.preds[j]
        # Weighted least squares with an intercept: the rescaled scores are not centred.
        A = np.column_stack([np.ones(prep.n), scores[:, P]])
        sw = np.sqrt(w)
        coef, *_ = np.linalg.lstsq(A * sw[:, None], scores[:, j] * sw, rcond=None)
        Bm[P, j] = coef[1:]
    eye = np.eye(K)
    total = np.linalg.inv(eye - Bm) - eye
    drivers_idx = [i for i in range(K) if i != t and abs(total[i, t]) > 1e-12]
    if not drivers_idx:
        raise PLSModelError(f"IPMA target '{target}' has no drivers (no path leads to it)")
    std_total = result.total_effects
    perf = (w @ scores) / w.sum()
    drivers = {}
    for i in sorted(drivers_idx, key=lambda i: -total[i, t]):
        n = lay.names[i]
        drivers[n] = {"importance": float(total[i, t]),
                      "importance_standardized": float(std_total.get((n, target), 0.0)),
                      "performance": float(perf[i])}
    mi = float(np.mean([d["importance"] for d in drivers.values()]))
    mp = float(np.mean([d["performance"] for d in drivers.values()]))
    return {
        "target": target,
        "target_performance": float(perf[t]),
        "drivers": drivers,
        "mean_importance": mi,
        "mean_performance": mp,
        "priority": [n for n, d in drivers.items() if d["importance"] > mi and d["performance"] < mp],
    }
