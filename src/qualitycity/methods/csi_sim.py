"""Simulated customer-satisfaction survey data from a known ECSI-type structural model.

Used by the demo city and by the test that checks the PLS engine recovers the model.
The latent variables follow a recursive linear model with unit variances (the
standardized metric PLS reports); each item is ``λ·η + √(1−λ²)·ε`` (λ = 0.93 by default) mapped to a
1–10 Likert answer by ``clip(round(μ + σ·x), 1, 10)``.  Discretization and the
measurement error attenuate PLS path estimates a little (Dijkstra & Henseler 2015,
MIS Quarterly 39:297, on PLS consistency), so recovery is checked with a tolerance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.stats import norm

__all__ = ["TRUE_PATHS", "simulate", "expected_likert_mean", "latent_covariance"]

# Path coefficients of the generating model (standardized latent metric).
TRUE_PATHS: dict[tuple[str, str], float] = {
    ("Image", "Expectation"): 0.50,
    ("Image", "Satisfaction"): 0.20,
    ("Image", "Loyalty"): 0.25,
    ("Expectation", "Quality"): 0.60,
    ("Expectation", "Value"): 0.15,
    ("Expectation", "Satisfaction"): 0.05,
    ("Quality", "Value"): 0.55,
    ("Quality", "Satisfaction"): 0.35,
    ("Value", "Satisfaction"): 0.30,
    ("Satisfaction", "Complaints"): 0.50,
    ("Satisfaction", "Loyalty"): 0.45,
    ("Complaints", "Loyalty"): 0.15,
}
ORDER = ["Image", "Expectation", "Quality", "Value", "Satisfaction", "Complaints", "Loyalty"]


def _b_matrix(paths: Mapping[tuple[str, str], float]) -> np.ndarray:
    pos = {n: i for i, n in enumerate(ORDER)}
    B = np.zeros((len(ORDER), len(ORDER)))
    for (s, t), b in paths.items():
        B[pos[s], pos[t]] = b
    return B


def latent_covariance(paths: Mapping[tuple[str, str], float] = TRUE_PATHS) -> tuple[np.ndarray, np.ndarray]:
    """Implied latent correlation matrix and the residual variances that give every
    latent variable unit variance."""
    B = _b_matrix(paths)
    K = len(ORDER)
    Sigma = np.zeros((K, K))
    resid = np.zeros(K)
    for j in range(K):  # ORDER is topological
        b = B[:j, j]
        explained = b @ Sigma[:j, :j] @ b
        if explained >= 1:
            raise ValueError(f"paths into {ORDER[j]} explain more than all its variance")
        resid[j] = 1 - explained
        Sigma[j, :j] = Sigma[:j, :j] @ b
        Sigma[:j, j] = Sigma[j, :j]
        Sigma[j, j] = 1.0
    return Sigma, resid


def expected_likert_mean(mu: float, sigma: float, lo: int = 1, hi: int = 10) -> float:
    """E[clip(round(mu + sigma·Z), lo, hi)] for standard normal Z (exact, via the CDF)."""
    ks = np.arange(lo, hi + 1)
    upper = np.where(ks == hi, np.inf, (ks + 0.5 - mu) / sigma)
    lower = np.where(ks == lo, -np.inf, (ks - 0.5 - mu) / sigma)
    return float(np.sum(ks * (norm.cdf(upper) - norm.cdf(lower))))


def simulate(n: int, items: Mapping[str, Sequence[str]], *, rng: np.random.Generator,
             means: Mapping[str, float], sigma: float = 1.6, loading: float = 0.93,
             paths: Mapping[tuple[str, str], float] = TRUE_PATHS) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """``n`` respondents: ``({item: 1..10 answers}, latent scores (n, 7) in ORDER)``.

    ``items`` maps construct -> item codes; ``means`` maps construct -> μ of its items.
    A one-item construct is measured by its item without error (the item *is* the
    construct), otherwise its path could not be recovered by any composite method."""
    B = _b_matrix(paths)
    _, resid = latent_covariance(paths)
    K = len(ORDER)
    eta = np.zeros((n, K))
    zeta = rng.standard_normal((n, K)) * np.sqrt(resid)
    for j in range(K):
        eta[:, j] = eta[:, :j] @ B[:j, j] + zeta[:, j]
    out = {}
    for k, construct in enumerate(ORDER):
        codes = list(items.get(construct, []))
        lam = loading if len(codes) > 1 else 1.0
        for code in codes:
            x = lam * eta[:, k] + np.sqrt(1 - lam ** 2) * rng.standard_normal(n)
            out[code] = np.clip(np.round(means[construct] + sigma * x), 1, 10)
    return out, eta
