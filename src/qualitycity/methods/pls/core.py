"""The PLS path-modelling iteration, batched over many correlation matrices at once.

The algorithm is Wold's, in the formulation of Lohmöller (1989, *Latent Variable
Path Modeling with Partial Least Squares*, Physica, ch. 2) and Tenenhaus, Esposito
Vinzi, Chatelin & Lauro (2005, "PLS path modeling", *Computational Statistics & Data
Analysis* 48:159–205, sec. 2–3).

Why correlation matrices instead of data: with indicators standardized, every step
of the algorithm (latent scores ``Y = Z W``, inner proxies, mode A covariances,
mode B regressions) only ever needs inner products of columns of ``Z``, i.e. the
item correlation matrix ``R``.  Running on ``R`` makes one iteration independent of
the number of cases, and stacking ``B`` such matrices lets the bootstrap run all
resamples in the same few numpy calls instead of ``B`` Python-level fits.

Layout: outer weights are a ``(B, p, K)`` array that is zero outside each
construct's own indicators (``mask``), so ``R @ W`` gives item-to-construct
covariances for all constructs in one matmul.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import PLSModel


@dataclass(frozen=True)
class Layout:
    """Index structures derived once from a :class:`PLSModel`."""

    names: list[str]
    items: list[str]
    blocks: list[np.ndarray]     # item indices per construct
    mask: np.ndarray             # (p, K) 1 where item belongs to construct
    modes: list[str]
    adj: np.ndarray              # (K, K) adj[i, j] = 1 when i -> j
    preds: list[np.ndarray]      # predecessors of each construct
    endogenous: list[int]

    @classmethod
    def from_model(cls, model: PLSModel) -> Layout:
        names = model.names
        items = model.indicators
        pos = {n: k for k, n in enumerate(names)}
        blocks, start = [], 0
        mask = np.zeros((len(items), len(names)))
        for k, n in enumerate(names):
            m = len(model.constructs[n])
            blocks.append(np.arange(start, start + m))
            mask[start:start + m, k] = 1.0
            start += m
        adj = np.zeros((len(names), len(names)))
        for s, t in model.paths:
            adj[pos[s], pos[t]] = 1.0
        preds = [np.flatnonzero(adj[:, k]) for k in range(len(names))]
        endo = [k for k in range(len(names)) if len(preds[k])]
        return cls(names, items, blocks, mask, [model.mode(n) for n in names], adj, preds, endo)


@dataclass
class CoreResult:
    W: np.ndarray           # (B, p, K) standardized outer weights, var(Y_k) = 1
    iterations: np.ndarray  # (B,) iterations used
    converged: np.ndarray   # (B,) bool
    last_change: np.ndarray  # (B,) max |Δw| at the last iteration


def _normalize(W: np.ndarray, R: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale each construct's weights so its score has unit variance (w' R_kk w = 1)."""
    RW = R @ W
    var = np.einsum("bpk,bpk->bk", W, RW)
    s = 1.0 / np.sqrt(var)
    return W * s[:, None, :], RW * s[:, None, :]


def _inner_weights(CY: np.ndarray, lay: Layout, scheme: str) -> np.ndarray:
    """Inner weights ``E`` with the inner proxy of construct j being ``sum_i E[i, j] Y_i``.

    centroid  – sign of the correlation between adjacent constructs (Wold);
    factorial – the correlation itself (Lohmöller);
    path      – for predecessors of j the coefficients of the multiple regression
                of Y_j on them, for successors the correlation (Lohmöller 1989,
                Tenenhaus et al. 2005 sec. 2.2.1).  This lets the inner proxy
                respect the direction of the arrows.
    Only adjacent constructs get non-zero weight.
    """
    sym = np.maximum(lay.adj, lay.adj.T)
    if scheme == "centroid":
        return np.sign(CY) * sym
    if scheme == "factorial":
        return CY * sym
    E = CY * lay.adj[None, :, :].transpose(0, 2, 1)  # E[i, j] = r_ij where j -> i (i successor of j)
    for j in lay.endogenous:
        P = lay.preds[j]
        A = CY[:, P[:, None], P[None, :]]
        b = CY[:, P, j]
        E[:, P, j] = np.linalg.solve(A, b[..., None])[..., 0]
    return E


def _mode_b_projector(R: np.ndarray, lay: Layout) -> np.ndarray | None:
    """Block-diagonal matrix that turns mode A covariances into mode B regressions.

    Mode B weights are ``R_kk^{-1} cov(x_k, z_k)``; mode A weights are the
    covariances themselves.  Precomputing ``R_kk^{-1}`` (constant over the
    iterations) as a block-diagonal ``P`` lets one batched matmul do both.
    """
    b_blocks = [blk for blk, m in zip(lay.blocks, lay.modes, strict=True) if m == "B" and len(blk) > 1]
    if not b_blocks:
        return None
    p = R.shape[-1]
    P = np.broadcast_to(np.eye(p), R.shape).copy()
    for blk in b_blocks:
        sub = R[:, blk[:, None], blk[None, :]]
        try:
            inv = np.linalg.inv(sub)
        except np.linalg.LinAlgError:
            inv = np.linalg.pinv(sub)
        P[:, blk[:, None], blk[None, :]] = inv
    return P


def run(R: np.ndarray, lay: Layout, scheme: str, tol: float = 1e-7, max_iter: int = 300) -> CoreResult:
    """Iterate outer/inner estimation on a stack of correlation matrices ``R`` (B, p, p).

    Start: every weight 1 (SmartPLS 2 default), normalized to unit score variance.
    Stop rule: the largest absolute change of any standardized outer weight is
    below ``tol`` (1e-7 in SmartPLS' and semPLS' default runs).  Each matrix stops
    counting iterations at its own convergence; iterating a converged one further
    is harmless (it is a fixed point) and keeps the arrays rectangular.
    """
    B = R.shape[0]
    M = lay.mask[None]
    W, RW = _normalize(np.broadcast_to(M, (B,) + lay.mask.shape).copy(), R)
    P = _mode_b_projector(R, lay)
    iterations = np.zeros(B, dtype=int)
    converged = np.zeros(B, dtype=bool)
    change = np.full(B, np.inf)
    for it in range(1, max_iter + 1):
        CY = np.einsum("bpk,bpl->bkl", W, RW)        # construct correlations
        E = _inner_weights(CY, lay, scheme)
        G = RW @ E                                    # cov(x_i, inner proxy z_k)
        if P is not None:
            G = P @ G
        W_new, RW = _normalize(G * M, R)
        change = np.abs(W_new - W).max(axis=(1, 2))
        W = W_new
        newly = ~converged & (change < tol)
        iterations[newly] = it
        converged |= newly
        if converged.all():
            break
    iterations[~converged] = max_iter
    W = _orient(W, RW, lay)
    return CoreResult(W=W, iterations=iterations, converged=converged, last_change=change)


def _orient(W: np.ndarray, RW: np.ndarray, lay: Layout) -> np.ndarray:
    """Flip constructs whose loadings sum to a negative number.

    A latent variable is only identified up to its sign.  Fixing the orientation
    (loadings mostly positive, so high scores mean high item values) keeps
    bootstrap resamples comparable with the full-sample estimate and with each
    other; without it a sign flip in one resample would smear the CI across zero.
    """
    load_sum = np.einsum("bpk,pk->bk", RW, lay.mask)
    flip = np.where(load_sum < 0, -1.0, 1.0)
    return W * flip[:, None, :]


def structural(W: np.ndarray, R: np.ndarray, lay: Layout) -> dict[str, np.ndarray]:
    """Loadings, construct correlations, path coefficients, R² and total effects.

    Paths are OLS on the standardized scores, computed from their correlation
    matrix; R² = b' r for standardized variables.  Total effects are
    ``(I - Bm)^{-1} - I`` for the path matrix Bm (the series of all indirect paths
    terminates because the model is acyclic).
    """
    RW = R @ W
    CY = np.einsum("bpk,bpl->bkl", W, RW)
    Bn, _, K = W.shape
    paths = np.zeros((Bn, K, K))
    r2 = np.zeros((Bn, K))
    for j in lay.endogenous:
        P = lay.preds[j]
        A = CY[:, P[:, None], P[None, :]]
        b = CY[:, P, j]
        beta = np.linalg.solve(A, b[..., None])[..., 0]
        paths[:, P, j] = beta
        r2[:, j] = np.einsum("bi,bi->b", beta, b)
    eye = np.eye(K)
    total = np.linalg.inv(eye - paths) - eye
    return {"cross_loadings": RW, "construct_corr": CY, "paths": paths, "r2": r2, "total": total}


def index_weights(W: np.ndarray, sd: np.ndarray, lay: Layout) -> np.ndarray:
    """ACSI index weights: outer weights on the items' original scale, summing to 1 per construct.

    A standardized weight multiplies ``(x - mean)/sd``, so on the raw scale it is
    ``w / sd`` (Fornell et al. 1996, J. Marketing 60(4):7–18, appendix).  Dividing
    by the block sum makes the construct a weighted *average* of its items, which
    keeps it on the items' own response scale.  ``sd`` is (B, p).
    """
    raw = W * (1.0 / sd)[:, :, None]
    tot = raw.sum(axis=1, keepdims=True)
    return raw / tot


def index_values(W: np.ndarray, mean: np.ndarray, sd: np.ndarray, lay: Layout, lo: float, hi: float) -> np.ndarray:
    """0–100 index per construct: rescaled weighted mean of item means (ACSI practice)."""
    iw = index_weights(W, sd, lay)
    avg = np.einsum("bpk,bp->bk", iw, mean)
    return 100.0 * (avg - lo) / (hi - lo)
