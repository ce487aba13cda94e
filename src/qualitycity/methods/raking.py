"""Raking (iterative proportional fitting) of survey weights to population margins.

Deming & Stephan 1940, Ann Math Stat 11:427 (IPF); trimming as in the ANES raking
procedure (DeBell & Krosnick 2009): after each full raking pass, weights outside
``[lower, upper] × mean weight`` are capped and raking resumes, until both margins
and caps hold.  Design effect from unequal weights: Kish 1965,
deff = n Σw² / (Σw)²; weighting efficiency = 1 / deff.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["RakingError", "RakingResult", "rake", "kish_deff"]


class RakingError(ValueError):
    """The sample cannot be raked to these margins; the message says why."""


@dataclass
class RakingResult:
    weights: np.ndarray
    iterations: int
    converged: bool
    trimmed: int
    max_margin_error: float
    deff: float
    efficiency: float
    effective_n: float

    def summary(self) -> dict:
        return {"iterations": self.iterations, "converged": self.converged, "trimmed": self.trimmed,
                "max_margin_error": self.max_margin_error, "deff": self.deff, "efficiency": self.efficiency,
                "effective_n": self.effective_n, "min_weight": float(self.weights.min()),
                "max_weight": float(self.weights.max())}


def kish_deff(w) -> float:
    w = np.asarray(w, dtype=float)
    return float(w.size * np.sum(w ** 2) / np.sum(w) ** 2)


def _trim(w: np.ndarray, lo: float, hi: float) -> np.ndarray:
    # Clipping then rescaling to sum n can push a weight back over a cap; a few rounds settle it.
    n = w.size
    for _ in range(50):
        mean = w.mean()
        if w.min() >= lo * mean * (1 - 1e-9) and w.max() <= hi * mean * (1 + 1e-9):
            break
        w = np.clip(w, lo * mean, hi * mean)
        w *= n / w.sum()
    return w


def rake(variables: Mapping[str, Sequence], margins: Mapping[str, Mapping], *, base_weights=None,
         trim: tuple[float, float] | None = (0.3, 3.0), tol: float = 1e-6, max_iter: int = 200) -> RakingResult:
    """Rake to one-way ``margins`` (variable -> {category: population share or count}).

    Weights are scaled to sum to n (the sample size), so a weight reads as "how many
    respondents this one stands for".  A category in the sample that the margin lacks,
    or a margin category with population but no respondents, raises
    :class:`RakingError` naming it: raking cannot invent respondents.
    """
    names = list(margins)
    if not names:
        raise RakingError("no margins to rake to")
    n = None
    codes, targets = [], []
    for name in names:
        if name not in variables:
            raise RakingError(f"margin '{name}' has no sample variable")
        values = list(variables[name])
        n = len(values) if n is None else n
        if len(values) != n:
            raise RakingError(f"variable '{name}' has {len(values)} values, expected {n}")
        margin = {str(k): float(v) for k, v in margins[name].items()}
        total = sum(margin.values())
        if total <= 0 or any(v < 0 for v in margin.values()):
            raise RakingError(f"margin '{name}' must have non-negative shares with a positive total")
        cats = list(margin)
        pos = {c: i for i, c in enumerate(cats)}
        unknown = sorted({str(v) for v in values} - set(cats))
        if unknown:
            raise RakingError(f"variable '{name}' has categories not in its margin: {', '.join(unknown)}")
        code = np.array([pos[str(v)] for v in values])
        empty = [c for c in cats if margin[c] > 0 and not np.any(code == pos[c])]
        if empty:
            raise RakingError(f"margin '{name}': no respondents in {', '.join(empty)}")
        codes.append(code)
        targets.append(np.array([margin[c] / total for c in cats]))
    if not n:
        raise RakingError("no respondents")
    w = np.ones(n) if base_weights is None else np.asarray(base_weights, dtype=float).copy()
    w *= n / w.sum()
    lo, hi = trim if trim else (0.0, np.inf)
    trimmed = 0
    it = 0
    err = np.inf
    while it < max_iter:
        it += 1
        for code, target in zip(codes, targets, strict=True):
            current = np.bincount(code, weights=w, minlength=target.size) / w.sum()
            factor = np.divide(target, current, out=np.ones_like(target), where=current > 0)
            w *= factor[code]
        if trim:
            w = _trim(w, lo, hi)
        err = max(float(np.max(np.abs(np.bincount(c, weights=w, minlength=t.size) / w.sum() - t)))
                  for c, t in zip(codes, targets, strict=True))
        if err < tol:
            break
    if trim:  # weights sitting at a cap after the last pass
        mean = w.mean()
        trimmed = int(np.sum(w <= lo * mean * (1 + 1e-9)) + np.sum(w >= hi * mean * (1 - 1e-9)))
    deff = kish_deff(w)
    return RakingResult(weights=w, iterations=it, converged=err < tol, trimmed=trimmed,
                        max_margin_error=err, deff=deff, efficiency=1 / deff, effective_n=n / deff)
