"""Response-quality screens for survey data (numpy/scipy only).

Each screen *flags*; none drops a case.  What to do with a flagged response is a
human decision taken elsewhere (the review queue of the surveys app).

* Speeders: completion time below a threshold, by default 40 % of the median
  (Greszki, Meyer & Schoen 2015, Public Opinion Quarterly 79:471 discuss relative
  speed thresholds), with an absolute floor.
* Straight-lining: the longest run of identical consecutive answers ("longstring",
  Johnson 2005, J Research in Personality 39:103; Meade & Craig 2012, Psychological
  Methods 17:437).
* Reversed-item inconsistency: a negatively worded item whose reflected answer is far
  from the mean of the items it mirrors.
* Multivariate outliers: squared Mahalanobis distance above the chi-square
  quantile (Meade & Craig 2012 use p < .001).
* Duplicates: identical answer vectors; the first occurrence is kept unflagged.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import chi2

__all__ = ["speeders", "longstring", "straightliners", "reversed_inconsistent", "mahalanobis", "duplicates", "screen"]


def speeders(seconds, *, relative: float = 0.4, floor: float = 60.0) -> np.ndarray:
    """True where the completion time is below ``max(floor, relative × median)``.
    Unknown times (NaN) are never flagged."""
    t = np.asarray(seconds, dtype=float)
    known = t[np.isfinite(t)]
    if known.size == 0:
        return np.zeros(t.shape, dtype=bool)
    limit = max(floor, relative * float(np.median(known)))
    with np.errstate(invalid="ignore"):
        return np.isfinite(t) & (t < limit)


def longstring(X) -> np.ndarray:
    """Length of the longest run of identical consecutive values in each row."""
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    if p == 0:
        return np.zeros(n, dtype=int)
    best = np.ones(n, dtype=int)
    run = np.ones(n, dtype=int)
    for j in range(1, p):
        same = X[:, j] == X[:, j - 1]
        run = np.where(same, run + 1, 1)
        best = np.maximum(best, run)
    return best


def straightliners(X, *, share: float = 0.8) -> np.ndarray:
    """True where the longest identical run covers at least ``share`` of the items."""
    X = np.asarray(X, dtype=float)
    return longstring(X) >= max(2, int(np.ceil(share * X.shape[1])))


def reversed_inconsistent(reversed_item, mirrored, *, scale=(1, 10), gap: float = 5.0) -> np.ndarray:
    """True where the reflected reversed item differs from the mean of the items it
    mirrors by ``gap`` points or more (on the item scale)."""
    lo, hi = scale
    r = lo + hi - np.asarray(reversed_item, dtype=float)
    m = np.asarray(mirrored, dtype=float)
    m = m.mean(axis=1) if m.ndim == 2 else m
    with np.errstate(invalid="ignore"):
        return np.isfinite(r) & np.isfinite(m) & (np.abs(r - m) >= gap)


def mahalanobis(X) -> np.ndarray:
    """Squared Mahalanobis distance of each row from the column means. A singular
    covariance (e.g. a constant item) is handled with the pseudo-inverse."""
    X = np.asarray(X, dtype=float)
    D = X - X.mean(axis=0)
    S = np.cov(X, rowvar=False, ddof=1) if X.shape[0] > 1 else np.eye(X.shape[1])
    P = np.linalg.pinv(np.atleast_2d(S))
    return np.einsum("ij,jk,ik->i", D, P, D)


def mahalanobis_outliers(X, *, p: float = 0.001) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.shape[0] <= X.shape[1] + 1:
        return np.zeros(X.shape[0], dtype=bool)  # too few cases for a covariance
    return mahalanobis(X) > chi2.ppf(1 - p, df=X.shape[1])


def duplicates(X) -> np.ndarray:
    """True for every row equal to an earlier row."""
    X = np.asarray(X, dtype=float)
    seen: set[bytes] = set()
    out = np.zeros(X.shape[0], dtype=bool)
    for i, row in enumerate(np.nan_to_num(X, nan=-9999.0)):
        key = row.tobytes()
        out[i] = key in seen
        seen.add(key)
    return out


def screen(X, *, seconds=None, reversed_item=None, mirrored=None, scale=(1, 10), speed_relative=0.4,
           speed_floor=60.0, straight_share=0.8, gap=5.0, p_outlier=0.001) -> dict[str, np.ndarray]:
    """Every screen at once: a dict ``flag name -> boolean array`` (one entry per case)."""
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    flags = {
        "straightlining": straightliners(X, share=straight_share),
        "outlier": mahalanobis_outliers(X, p=p_outlier),
        "duplicate": duplicates(X),
        "speeder": speeders(seconds, relative=speed_relative, floor=speed_floor) if seconds is not None
        else np.zeros(n, dtype=bool),
        "inconsistent": reversed_inconsistent(reversed_item, mirrored, scale=scale, gap=gap)
        if reversed_item is not None else np.zeros(n, dtype=bool),
    }
    return flags
