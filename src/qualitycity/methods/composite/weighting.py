"""Weighting methods (Handbook Step 6, §6.1–6.9).

All functions return weights that are non-negative and sum to one, except
:func:`benefit_of_the_doubt`, whose weights are unit-specific (one row per unit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from .errors import CompositeInputError

# Saaty's random consistency index RI(n): mean consistency index of random
# reciprocal matrices (Saaty 1980, *The Analytic Hierarchy Process*, Table 1.7;
# the values for n = 11..15 are those of Saaty 1980/1990 as usually tabulated).
SAATY_RI = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
            10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59}
CR_LIMIT = 0.1  # Saaty's rule of thumb, also the Handbook's (§6.7)


def equal(q: int) -> np.ndarray:
    if q < 1:
        raise CompositeInputError("no indicators to weight")
    return np.full(q, 1.0 / q)


def manual(weights: Sequence[float], names: Sequence[str] | None = None, tol: float = 1e-6) -> np.ndarray:
    """Analyst-supplied weights; refused unless non-negative and summing to 1 (± ``tol``)."""
    w = np.asarray(weights, float)
    label = f" for {', '.join(names)}" if names is not None else ""
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise CompositeInputError(f"manual weights{label} must be finite and non-negative: {w.tolist()}")
    if abs(w.sum() - 1.0) > tol:
        raise CompositeInputError(f"manual weights{label} sum to {w.sum():.6g}, not 1")
    return w


@dataclass(frozen=True)
class AHPResult:
    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    worst: tuple[int, int]  # (i, j) of the judgement furthest from w_i / w_j
    worst_ratio: float  # a_ij / (w_i / w_j)


def ahp(A: np.ndarray, names: Sequence[str] | None = None, *, cr_limit: float = CR_LIMIT,
        check: bool = True) -> AHPResult:
    """Analytic hierarchy process weights (Saaty 1980; Handbook §6.7, Tables 20–21).

    * weights: principal right eigenvector of the pairwise matrix A, scaled to sum 1;
    * CI = (λ_max − n)/(n − 1), CR = CI / RI(n) with Saaty's random index;
    * a matrix must be positive and reciprocal (a_ji = 1/a_ij, a_ii = 1), else refused;
    * CR ≥ ``cr_limit`` is refused.  The message names the judgement a_ij whose
      ratio to the implied w_i/w_j is the furthest from 1 (in log terms), i.e. the
      comparison an expert should revisit first.
    """
    A = np.asarray(A, float)
    n = A.shape[0]
    names = list(names) if names is not None else [f"#{i + 1}" for i in range(n)]
    if A.ndim != 2 or A.shape != (n, n) or len(names) != n:
        raise CompositeInputError(f"AHP matrix must be square with one row per element ({len(names)}), got {A.shape}")
    if np.any(~np.isfinite(A)) or np.any(A <= 0):
        raise CompositeInputError("AHP matrix entries must be positive numbers")
    if not np.allclose(np.diag(A), 1.0):
        i = int(np.flatnonzero(~np.isclose(np.diag(A), 1.0))[0])
        raise CompositeInputError(f"AHP matrix is not reciprocal: diagonal entry for {names[i]!r} is {A[i, i]:g}, not 1")
    # Judgements are usually typed as 1/3 etc.; allow the rounding of such entries.
    bad = np.argwhere(~np.isclose(A * A.T, 1.0, rtol=2e-3))
    if len(bad):
        i, j = (int(v) for v in bad[0])
        raise CompositeInputError(
            f"AHP matrix is not reciprocal: a[{names[i]}, {names[j]}] = {A[i, j]:g} but "
            f"a[{names[j]}, {names[i]}] = {A[j, i]:g} (should be {1 / A[i, j]:.4g})"
        )
    vals, vecs = np.linalg.eig(A)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = SAATY_RI.get(n)
    if ri is None:
        raise CompositeInputError(f"AHP with {n} elements: Saaty's random index is tabulated only up to 15")
    cr = ci / ri if ri > 0 else 0.0
    dev = np.abs(np.log(A / np.outer(w, 1.0 / w)))  # |log(a_ij / (w_i/w_j))|
    i, j = np.unravel_index(int(np.argmax(np.triu(dev, 1))), dev.shape)
    res = AHPResult(w, lam, ci, cr, (int(i), int(j)), float(A[i, j] / (w[i] / w[j])))
    if check and cr >= cr_limit:
        raise CompositeInputError(
            f"AHP matrix is inconsistent: CR = {cr:.3f} ≥ {cr_limit}; most inconsistent judgement: "
            f"{names[i]} vs {names[j]} = {A[i, j]:.4g}, while the other judgements imply about "
            f"{w[i] / w[j]:.3g}"
        )
    return res


def entropy(Xn: np.ndarray) -> np.ndarray:
    """Entropy weights, computed exactly as specified in issue 8 (Shannon entropy method).

    Input: the min-max normalised matrix x′ (m units × n indicators, cost already
    reversed).  With the convention 0·ln 0 = 0:

        p_ij = x′_ij / Σ_i x′_ij
        e_j  = −(1/ln m) Σ_i p_ij ln p_ij
        w_j  = (1 − e_j) / Σ_j (1 − e_j)

    Common variants (shifting x′ by 0.0001, using the raw matrix, or using
    ln(n)) are deliberately *not* used.
    """
    X = np.asarray(Xn, float)
    m = X.shape[0]
    if m < 2:
        raise CompositeInputError("entropy weights need at least two units")
    if np.any(X < 0):
        raise CompositeInputError("entropy weights need non-negative (min-max) values")
    col = X.sum(axis=0)
    if np.any(col == 0):
        raise CompositeInputError("entropy weights: an indicator is zero for every unit")
    P = X / col
    with np.errstate(divide="ignore", invalid="ignore"):
        PlnP = np.where(P > 0, P * np.log(P), 0.0)  # 0·ln 0 = 0
    e = -PlnP.sum(axis=0) / np.log(m)
    d = 1.0 - e
    if d.sum() <= 0:
        raise CompositeInputError("entropy weights undefined: every indicator has maximal entropy")
    return d / d.sum()


def critic(Xn: np.ndarray) -> np.ndarray:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995, Computers & OR 22:763).

    On the min-max normalised matrix: C_j = σ_j Σ_k (1 − r_jk), w_j = C_j / Σ C.
    σ_j is the (sample) standard deviation, r the Pearson correlation; an indicator
    gets more weight the more it varies and the less it duplicates the others.
    """
    X = np.asarray(Xn, float)
    s = X.std(axis=0, ddof=1)
    if np.any(s == 0):
        raise CompositeInputError("CRITIC weights: an indicator has no variance")
    R = np.corrcoef(X, rowvar=False) if X.shape[1] > 1 else np.ones((1, 1))
    C = s * (1.0 - R).sum(axis=0)
    if C.sum() <= 0:
        # Perfectly correlated indicators carry the same information: CRITIC is 0/0,
        # and no indicator can be preferred over another, so they share equally.
        return np.full(X.shape[1], 1.0 / X.shape[1])
    return C / C.sum()


def varimax(L: np.ndarray, normalize: bool = True, tol: float = 1e-10, max_iter: int = 1000) -> np.ndarray:
    """Varimax rotation (Kaiser 1958) of a loading matrix, Kaiser-normalised by default.

    "Varimax normalised" is the rotation behind Handbook Tables 9 and 17.
    """
    L = np.asarray(L, float)
    p, k = L.shape
    if k < 2:
        return L.copy()
    h = np.sqrt((L**2).sum(axis=1)) if normalize else np.ones(p)
    h[h == 0] = 1.0
    A = L / h[:, None]
    R = np.eye(k)
    d = 0.0
    for _ in range(max_iter):
        B = A @ R
        u, s, vt = np.linalg.svd(A.T @ (B**3 - B @ np.diag((B**2).sum(axis=0)) / p))
        R = u @ vt
        d_new = s.sum()
        if d_new < d * (1 + tol):
            break
        d = d_new
    return (A @ R) * h[:, None]


@dataclass(frozen=True)
class PCAWeights:
    weights: np.ndarray
    eigenvalues: np.ndarray  # of the correlation matrix, descending
    loadings: np.ndarray  # rotated loadings, indicators × factors
    explained: np.ndarray  # variance explained by each rotated factor
    factor_weights: np.ndarray  # explained / Σ explained
    assignment: np.ndarray  # factor index of each indicator


def pca_weights(X: np.ndarray, n_factors: int | None = None) -> PCAWeights:
    """Weights from principal-components factor analysis (Handbook §6.1, Tables 16–18).

    1. PCA of the correlation matrix; keep ``n_factors`` components (default: the
       Kaiser rule, eigenvalue > 1, at least one);
    2. varimax-normalised rotation of the loadings; each factor's sign is chosen so
       that its largest loading is positive;
    3. squared loadings scaled to unit sum within each factor (Table 17, right);
    4. each indicator is weighted by its largest *scaled squared loading × factor
       weight*, where the factor weight is the factor's share of the explained
       variance (e.g. 0.38 = 2.64 / 6.98 in the TAI example); the result is rescaled
       to unit sum (Handbook endnote 25).  This is the rule that reproduces the PC
       column of Table 18.
    """
    X = np.asarray(X, float)
    m, q = X.shape
    if m < 3 or q < 2:
        raise CompositeInputError("PCA weights need at least 3 units and 2 indicators")
    if np.any(X.std(axis=0) == 0):
        raise CompositeInputError("PCA weights: an indicator has no variance")
    R = np.corrcoef(X, rowvar=False)
    vals, vecs = np.linalg.eigh(R)
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    k = n_factors if n_factors is not None else max(1, int((vals > 1.0).sum()))
    if not 1 <= k <= q:
        raise CompositeInputError(f"n_factors must be between 1 and {q}")
    L = vecs[:, :k] * np.sqrt(np.clip(vals[:k], 0, None))
    L = varimax(L)
    L = L * np.where(L[np.argmax(np.abs(L), axis=0), range(k)] < 0, -1.0, 1.0)
    expl = (L**2).sum(axis=0)
    fw = expl / expl.sum()
    S = L**2 / expl
    contrib = S * fw
    assign = np.argmax(contrib, axis=1)
    w = contrib[np.arange(q), assign]
    return PCAWeights(w / w.sum(), vals, L, expl, fw, assign)


@dataclass(frozen=True)
class BODResult:
    scores: np.ndarray  # composite in [0, 1]; 1 = on the frontier
    weights: np.ndarray  # unit-specific weights, units × indicators


def benefit_of_the_doubt(Xn: np.ndarray, share_bounds: tuple[float, float] | None = None) -> BODResult:
    """Benefit-of-the-doubt DEA (Melyn & Moesen 1991; Cherchye et al. 2004; Handbook §6.3, eq. 22).

    For each unit c:  max_w Σ_q I_qc w_q  s.t.  Σ_q I_qk w_q ≤ 1 for every unit k, w ≥ 0,
    solved with ``scipy.optimize.linprog`` (HiGHS).  ``share_bounds = (lo, hi)``
    bounds each *relative* weight w_q / Σ w in [lo, hi]; the Handbook's TAI example
    (Table 19, endnote 29) uses (0.10, 0.15).  Without bounds many units reach 1.
    Weights are not unique for frontier units (Handbook p. 93).
    """
    X = np.asarray(Xn, float)
    m, q = X.shape
    if np.any(X < 0):
        raise CompositeInputError("benefit of the doubt needs non-negative (e.g. min-max) values")
    A_ub = [X]
    b_ub = [np.ones(m)]
    if share_bounds is not None:
        lo, hi = share_bounds
        if not (0 <= lo <= 1.0 / q <= hi <= 1):
            raise CompositeInputError(f"share bounds {share_bounds} are infeasible for {q} indicators")
        eye = np.eye(q)
        A_ub += [lo - eye, eye - hi]  # lo·Σw − w_j ≤ 0 ;  w_j − hi·Σw ≤ 0
        b_ub += [np.zeros(q), np.zeros(q)]
    A_ub = np.vstack(A_ub)
    b_ub = np.concatenate(b_ub)
    scores = np.empty(m)
    W = np.empty((m, q))
    for c in range(m):
        res = linprog(-X[c], A_ub=A_ub, b_ub=b_ub, bounds=[(0, None)] * q, method="highs")
        if res.status != 0:  # pragma: no cover - the problem is always feasible (w = 0)
            raise CompositeInputError(f"benefit-of-the-doubt LP failed for unit #{c + 1}: {res.message}")
        scores[c] = -res.fun
        W[c] = res.x
    return BODResult(np.clip(scores, 0.0, 1.0), W)
