"""Normalisation of individual indicators (Handbook Step 5, Table 3 and Table 15).

Every function takes one column ``x`` (NaN-free) and a direction: ``+1`` for a
benefit indicator (more is better) and ``-1`` for a cost indicator (less is
better).  All outputs are oriented so that *higher is better*; that is the only
convention later steps rely on.

References: OECD/JRC (2008) *Handbook on Constructing Composite Indicators*,
§5.2 standardisation, §5.3 min-max, §5.4 distance to a reference, Table 15
(rank, percentile); Borda counts from §6.12 (Table 26).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import rankdata

from .errors import CompositeInputError

METHODS = ("minmax", "zscore", "rank", "percentile", "goalposts", "target", "best", "borda")


def _orient(x: np.ndarray, direction: int) -> np.ndarray:
    if direction not in (1, -1):
        raise CompositeInputError(f"direction must be +1 or -1, got {direction!r}")
    return x if direction == 1 else -x


def minmax(x: np.ndarray, direction: int = 1) -> np.ndarray:
    """x' = (x − min)/(max − min); cost indicators use (max − x)/(max − min) (Handbook §5.3)."""
    x = np.asarray(x, float)
    rng = x.max() - x.min()
    if rng == 0:
        raise CompositeInputError("min-max normalisation of a constant indicator")
    return (x - x.min()) / rng if direction == 1 else (x.max() - x) / rng


def zscore(x: np.ndarray, direction: int = 1) -> np.ndarray:
    """(x − mean)/s with the sample standard deviation (ddof = 1), sign flipped for cost.

    ddof = 1 is what reproduces the z-scores printed in Handbook Table 15.
    """
    x = np.asarray(x, float)
    s = x.std(ddof=1)
    if s == 0:
        raise CompositeInputError("z-score of a constant indicator")
    return _orient((x - x.mean()) / s, direction)


def rank(x: np.ndarray, direction: int = 1) -> np.ndarray:
    """Ordinal rank, 1 = worst, m = best; ties share the *minimum* rank (Handbook Table 15)."""
    return rankdata(_orient(np.asarray(x, float), direction), method="min").astype(float)


def percentile(x: np.ndarray, direction: int = 1) -> np.ndarray:
    """Percentile rank = 100 × rank / m, as printed in Handbook Table 15 (best unit = 100)."""
    return 100.0 * rank(x, direction) / len(x)


def goalposts(x: np.ndarray, direction: int, low: float, high: float) -> np.ndarray:
    """(x − L)/(U − L) clipped to [0, 1]; cost: (U − x)/(U − L).

    Goalposts are fixed external bounds (as in the HDI), so scores stay comparable
    across years; values beyond a goalpost are capped, which is why they are clipped.
    """
    if not high > low:
        raise CompositeInputError(f"goalposts must satisfy low < high, got [{low}, {high}]")
    x = np.asarray(x, float)
    z = (x - low) / (high - low) if direction == 1 else (high - x) / (high - low)
    return np.clip(z, 0.0, 1.0)


def distance_to_target(x: np.ndarray, direction: int, target: float, cap: bool = True) -> np.ndarray:
    """Ratio to an external target (Handbook §5.4 with an external benchmark).

    benefit: x / target; cost: target / x.  With ``cap`` a unit that has reached
    the target scores 1 and gets no extra credit for overshooting it.
    """
    x = np.asarray(x, float)
    if target <= 0 or (direction == -1 and np.any(x <= 0)) or (direction == 1 and np.any(x < 0)):
        raise CompositeInputError("distance to target needs a positive target and positive data")
    z = x / target if direction == 1 else target / x
    return np.minimum(z, 1.0) if cap else z


def distance_to_best(x: np.ndarray, direction: int = 1) -> np.ndarray:
    """Ratio to the best performer (Handbook §5.4, Table 15 column "c = best").

    benefit: x / max(x); cost: min(x) / x.  Needs strictly positive data: a ratio to
    a reference is only meaningful on a ratio scale (Handbook §5.1).
    """
    x = np.asarray(x, float)
    if np.any(x <= 0):
        raise CompositeInputError("distance to the best needs strictly positive data")
    return x / x.max() if direction == 1 else x.min() / x


def distance_to_reference(x: np.ndarray, reference: float, kind: str = "ratio") -> np.ndarray:
    """Handbook §5.4: x / x_ref ("ratio", centred on 1) or (x − x_ref)/x_ref ("difference", centred on 0).

    The reference may be the mean, best or worst unit or an external benchmark
    (Table 15 shows c = mean, best and worst).
    """
    if reference == 0:
        raise CompositeInputError("distance to a reference of 0 is undefined")
    x = np.asarray(x, float)
    if kind == "ratio":
        return x / reference
    if kind == "difference":
        return (x - reference) / reference
    raise CompositeInputError(f"unknown distance kind {kind!r}")


def above_below_mean(x: np.ndarray, p: float = 0.2, direction: int = 1) -> np.ndarray:
    """Handbook §5.5: +1 if x/mean > 1 + p, −1 if x/mean < 1 − p, else 0 (cost: sign flipped)."""
    w = np.asarray(x, float) / np.mean(x)
    return _orient(np.where(w > 1 + p, 1.0, np.where(w < 1 - p, -1.0, 0.0)), direction) + 0.0


def borda(x: np.ndarray, direction: int = 1) -> np.ndarray:
    """Borda points: number of units beaten, plus ½ per tie (Handbook §6.12, Table 26).

    Summing Borda points with weights gives the weighted Borda count.
    """
    z = _orient(np.asarray(x, float), direction)
    return (rankdata(z, method="average") - 1.0)


def normalize(
    X: np.ndarray,
    method: str,
    directions: Sequence[int],
    *,
    targets: Sequence[float | None] | None = None,
    goalposts_: Sequence[tuple[float, float] | None] | None = None,
    names: Sequence[str] | None = None,
) -> np.ndarray:
    """Normalise every column of ``X`` with ``method``; see the module docstring."""
    X = np.asarray(X, float)
    m, q = X.shape
    names = list(names) if names is not None else [f"#{j + 1}" for j in range(q)]
    if len(directions) != q:
        raise CompositeInputError(f"{len(directions)} directions for {q} indicators")
    if np.isnan(X).any():
        j = int(np.flatnonzero(np.isnan(X).any(axis=0))[0])
        raise CompositeInputError(f"indicator {names[j]!r} still has missing values; impute first")
    if method not in METHODS:
        raise CompositeInputError(f"unknown normalization {method!r}; choose one of {', '.join(METHODS)}")
    out = np.empty_like(X)
    for j in range(q):
        d = directions[j]
        try:
            if method == "goalposts":
                gp = goalposts_[j] if goalposts_ is not None else None
                if gp is None:
                    raise CompositeInputError("no goalposts given")
                out[:, j] = goalposts(X[:, j], d, float(gp[0]), float(gp[1]))
            elif method == "target":
                t = targets[j] if targets is not None else None
                if t is None:
                    raise CompositeInputError("no target given")
                out[:, j] = distance_to_target(X[:, j], d, float(t))
            else:
                fn = {"minmax": minmax, "zscore": zscore, "rank": rank, "percentile": percentile,
                      "best": distance_to_best, "borda": borda}[method]
                out[:, j] = fn(X[:, j], d)
        except CompositeInputError as err:
            raise CompositeInputError(f"indicator {names[j]!r}: {err}") from None
    return out
