"""Ranking candidate labs for an inspection order (no Django).

A weighted sum of min-max normalized criteria, lower is better for every criterion:
promised turnaround, current backlog, distance, and (inverted) rating. This is the simple
additive weighting (SAW) method of multi-criteria decision analysis (Hwang & Yoon 1981,
*Multiple Attribute Decision Making*, Springer, ch. 3), chosen because each lab's score
decomposes into per-criterion parts that can be shown to the user as the explanation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WEIGHTS = {"turnaround": 0.4, "backlog": 0.25, "distance": 0.2, "rating": 0.15}


@dataclass
class Candidate:
    key: object
    turnaround_days: float
    backlog: int
    distance_km: float
    rating: float | None  # mean rating 1..5, None when never rated
    parts: dict = field(default_factory=dict)
    score: float = 0.0


def haversine_km(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def _normalized(values: list[float]) -> list[float]:
    lo, hi = min(values), max(values)
    return [0.0 if hi == lo else (v - lo) / (hi - lo) for v in values]


def rank(candidates: list[Candidate], weights: dict | None = None) -> list[Candidate]:
    """Score (0 best, 1 worst) and sort; ties keep the input order. An unrated lab gets the
    neutral rating 3 so that being new is neither a reward nor a punishment."""
    if not candidates:
        return []
    w = weights or WEIGHTS
    columns = {
        "turnaround": _normalized([c.turnaround_days for c in candidates]),
        "backlog": _normalized([float(c.backlog) for c in candidates]),
        "distance": _normalized([c.distance_km for c in candidates]),
        "rating": _normalized([-(c.rating if c.rating is not None else 3.0) for c in candidates]),
    }
    for i, c in enumerate(candidates):
        c.parts = {name: round(w[name] * columns[name][i], 4) for name in w}
        c.score = round(sum(c.parts.values()), 4)
    return sorted(candidates, key=lambda c: c.score)
