"""Statistical coherence of the framework (Handbook Step 4, §4.1 and §4.3).

* correlation structure (Pearson, as in Handbook Table 6, and Spearman);
* Cronbach's α per dimension, the item–total correlation and "α if deleted"
  (Handbook eq. 18 and Table 11);
* indicators that correlate negatively with their own dimension — a sign of a
  wrong direction or of an indicator measuring something else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import spearmanr

from .errors import CompositeInputError


def correlation(X: np.ndarray, method: str = "pearson") -> np.ndarray:
    X = np.asarray(X, float)
    if method == "pearson":
        return np.corrcoef(X, rowvar=False)
    if method == "spearman":
        r = spearmanr(X).statistic
        return np.atleast_2d(r) if X.shape[1] > 2 else np.array([[1.0, r], [r, 1.0]])
    raise CompositeInputError(f"unknown correlation {method!r}")


def cronbach_alpha(X: np.ndarray, standardize: bool = True) -> float:
    """α = Q/(Q−1) · (1 − Σ_j var(x_j) / var(Σ_j x_j))  (Handbook eq. 18).

    With ``standardize`` the indicators are first scaled to unit variance, the
    practice the Handbook recommends when variances differ widely (Table 11).
    """
    X = np.asarray(X, float)
    q = X.shape[1]
    if q < 2:
        raise CompositeInputError("Cronbach's alpha needs at least two indicators")
    if standardize:
        X = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    total = X.sum(axis=1).var(ddof=1)
    # Relative to the items' variance: indicators that cancel out leave ~1e-32, not an exact 0.
    if total <= 1e-12 * X.var(axis=0, ddof=1).sum():
        raise CompositeInputError("Cronbach's alpha undefined: the total has no variance")
    return q / (q - 1) * (1.0 - X.var(axis=0, ddof=1).sum() / total)


@dataclass(frozen=True)
class ItemAnalysis:
    alpha: float
    item_total: np.ndarray  # correlation of each item with the sum of the *other* items
    alpha_if_deleted: np.ndarray


def item_analysis(X: np.ndarray, standardize: bool = True) -> ItemAnalysis:
    """Cronbach's α, corrected item–total correlations and α with each item deleted (Table 11)."""
    X = np.asarray(X, float)
    Z = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1) if standardize else X
    q = Z.shape[1]
    it = np.empty(q)
    aid = np.full(q, np.nan)
    for j in range(q):
        rest = np.delete(Z, j, axis=1)
        it[j] = np.corrcoef(Z[:, j], rest.sum(axis=1))[0, 1]
        if q > 2:
            aid[j] = cronbach_alpha(rest, standardize=False)
    return ItemAnalysis(cronbach_alpha(Z, standardize=False), it, aid)


@dataclass(frozen=True)
class CoherenceReport:
    correlation: np.ndarray
    alpha: dict[str, float]  # dimension → standardised α (NaN when it has < 2 indicators)
    negative: list[tuple[str, str, float]]  # (indicator, dimension, r with the dimension score)


def coherence(Xn: np.ndarray, names: list[str], groups: list[str],
              group_scores: dict[str, np.ndarray] | None = None) -> CoherenceReport:
    """Coherence of normalised (higher = better) indicators ``Xn`` grouped by ``groups``.

    An indicator is flagged when its correlation with its dimension is negative;
    the dimension is its group score when given, else the sum of the *other*
    indicators of the group (so the indicator does not correlate with itself).
    """
    Xn = np.asarray(Xn, float)
    alpha: dict[str, float] = {}
    negative: list[tuple[str, str, float]] = []
    for g in dict.fromkeys(groups):
        idx = [j for j, gg in enumerate(groups) if gg == g]
        try:
            alpha[g] = cronbach_alpha(Xn[:, idx]) if len(idx) > 1 else float("nan")
        except CompositeInputError:  # e.g. two indicators that cancel out exactly: α undefined here only
            alpha[g] = float("nan")
        for j in idx:
            if group_scores is not None and g in group_scores:
                ref = group_scores[g]
            elif len(idx) > 1:
                others = [k for k in idx if k != j]
                ref = Xn[:, others].sum(axis=1)
            else:
                continue
            if np.ptp(ref) == 0 or np.ptp(Xn[:, j]) == 0:
                continue
            r = float(np.corrcoef(Xn[:, j], ref)[0, 1])
            if r < 0:
                negative.append((names[j], g, r))
    return CoherenceReport(correlation(Xn), alpha, negative)
