"""Aggregation rules (Handbook Step 6, §6.10–6.13) and ranking.

Compensatory means (arithmetic, geometric, harmonic, generalised/power mean) take
the normalised matrix (higher = better) and weights summing to one and return a
score on a 0–100 scale when the inputs are on 0–1.  Copeland is the
non-compensatory pairwise rule built on the Handbook's outranking matrix (eq. 32);
TOPSIS (Hwang & Yoon 1981) works on the *raw* matrix as fixed in issue 8.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from .errors import CompositeInputError

METHODS = ("arithmetic", "geometric", "harmonic", "generalized", "copeland", "topsis")


def _check(X: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, float)
    w = np.asarray(w, float)
    if X.ndim != 2 or w.shape != (X.shape[1],):
        raise CompositeInputError(f"{w.shape} weights for a matrix of shape {X.shape}")
    if np.isnan(X).any():
        raise CompositeInputError("cannot aggregate missing values; impute first")
    return X, w


def arithmetic(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Score = 100 × Σ_j w_j x′_ij (Handbook §6.10, linear aggregation)."""
    X, w = _check(X, w)
    return 100.0 * X @ w


def _positive(X: np.ndarray, rule: str) -> None:
    if np.any(X <= 0):
        raise CompositeInputError(
            f"{rule} aggregation needs strictly positive normalised values; "
            "use distance to best/target, goalposts above zero, or the pipeline's floor option"
        )


def geometric(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Score = 100 × Π_j x′_ij^w_j (Handbook §6.11): partially non-compensatory."""
    X, w = _check(X, w)
    _positive(X, "geometric")
    return 100.0 * np.exp(np.log(X) @ w)


def harmonic(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Score = 100 / Σ_j (w_j / x′_ij): the power mean with p = −1."""
    X, w = _check(X, w)
    _positive(X, "harmonic")
    return 100.0 / ((1.0 / X) @ w)


def generalized(X: np.ndarray, w: np.ndarray, p: float) -> np.ndarray:
    """Weighted power mean 100 × (Σ_j w_j x′_ij^p)^(1/p); p → 0 is the geometric mean.

    p = 1 arithmetic, p = −1 harmonic; lower p penalises unbalanced profiles more.
    """
    if p == 0:
        return geometric(X, w)
    X, w = _check(X, w)
    if p < 0 or not float(p).is_integer():
        _positive(X, f"power-mean (p = {p:g})")
    return 100.0 * ((X**p) @ w) ** (1.0 / p)


def outranking_matrix(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """e_jk = Σ_q w_q [x_jq > x_kq] + ½ Σ_q w_q [x_jq = x_kq], diagonal 0 (Handbook eq. 32, Table 36).

    Works on any matrix oriented higher = better (raw data with cost columns
    negated, or normalised data); only the order within each column matters.
    """
    X, w = _check(X, w)
    better = (X[:, None, :] > X[None, :, :]).astype(float)
    tie = (X[:, None, :] == X[None, :, :]).astype(float)
    E = better @ w + 0.5 * (tie @ w)
    np.fill_diagonal(E, 0.0)
    return E


def copeland(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Copeland score: pairwise wins minus losses under the weighted majority e_jk > ½.

    A unit j beats k when the indicators on which it is better carry more than half
    the weight (e_jk > 0.5).  Non-compensatory: the size of a lead never matters.
    """
    E = outranking_matrix(X, w)
    eps = 1e-12
    wins = (E > 0.5 + eps).sum(axis=1)
    losses = (E < 0.5 - eps).sum(axis=1) - 1  # minus the diagonal
    return (wins - losses).astype(float)


def kemeny(X: np.ndarray, w: np.ndarray, max_units: int = 8) -> tuple[list[tuple[int, ...]], float]:
    """Condorcet–Kemeny–Young–Levenglick orders (Handbook eq. 33, Table 37) by enumeration.

    Returns every order (best first) with the maximal support Σ e_jk over the pairs
    it asserts, and that support.  Enumeration is M!, so it is limited to small M.
    """
    E = outranking_matrix(X, w)
    m = E.shape[0]
    if m > max_units:
        raise CompositeInputError(f"Kemeny ranking enumerates {m}! orders; limited to {max_units} units")
    best, orders = -np.inf, []
    for perm in itertools.permutations(range(m)):
        s = sum(E[perm[a], perm[b]] for a in range(m) for b in range(a + 1, m))
        if s > best + 1e-12:
            best, orders = s, [perm]
        elif abs(s - best) <= 1e-12:
            orders.append(perm)
    return orders, float(best)


def topsis(X_raw: np.ndarray, w: np.ndarray, directions: Sequence[int]) -> np.ndarray:
    """TOPSIS (Hwang & Yoon 1981), exactly as fixed in issue 8, on the *raw* matrix:

        r_ij = x_ij / √(Σ_i x_ij²)          (vector normalisation)
        v_ij = w_j r_ij
        A⁺_j = max_i v_ij, A⁻_j = min_i v_ij for benefit j (swapped for cost j)
        D⁺_i = ‖v_i − A⁺‖₂, D⁻_i = ‖v_i − A⁻‖₂  (Euclidean)
        C_i  = D⁻_i / (D⁺_i + D⁻_i),  score = 100 × C_i
    """
    X, w = _check(X_raw, w)
    d = np.asarray(directions)
    norm = np.sqrt((X**2).sum(axis=0))
    if np.any(norm == 0):
        raise CompositeInputError("TOPSIS: an indicator is zero for every unit")
    V = X / norm * w
    hi, lo = V.max(axis=0), V.min(axis=0)
    ideal = np.where(d == 1, hi, lo)
    anti = np.where(d == 1, lo, hi)
    dp = np.sqrt(((V - ideal) ** 2).sum(axis=1))
    dm = np.sqrt(((V - anti) ** 2).sum(axis=1))
    den = dp + dm
    # All units identical on weighted indicators: every unit is equally close.
    return 100.0 * np.divide(dm, den, out=np.full_like(dm, 0.5), where=den > 0)


def aggregate(X: np.ndarray, w: np.ndarray, method: str, *, p: float = 0.5,
              raw: np.ndarray | None = None, directions: Sequence[int] | None = None) -> np.ndarray:
    """Dispatch on ``method``; TOPSIS needs ``raw`` and ``directions``."""
    if method == "arithmetic":
        return arithmetic(X, w)
    if method == "geometric":
        return geometric(X, w)
    if method == "harmonic":
        return harmonic(X, w)
    if method == "generalized":
        return generalized(X, w, p)
    if method == "copeland":
        return copeland(X, w)
    if method == "topsis":
        if raw is None or directions is None:
            raise CompositeInputError("TOPSIS needs the raw matrix and the directions")
        return topsis(raw, w, directions)
    raise CompositeInputError(f"unknown aggregation {method!r}; choose one of {', '.join(METHODS)}")


def rank_scores(scores: np.ndarray, decimals: int = 9) -> np.ndarray:
    """Rank 1 = best; ties share the *minimum* rank ("competition" ranking 1, 2, 2, 4).

    Scores are rounded to ``decimals`` first so that floating-point noise (e.g.
    0.1 + 0.2 vs 0.3) does not break a genuine tie.
    """
    s = np.round(np.asarray(scores, float), decimals)
    return 1 + (s[None, :] > s[:, None]).sum(axis=1)
