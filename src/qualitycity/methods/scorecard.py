"""Weighted scorecards for annual performance assessment (no Django).

The scheme is the usual Chinese government 目标责任制 scorecard: a weighted sum of
criterion scores on a 0–100 scale, plus bonus/penalty points, with a veto item that
sets the result to "fail" regardless of points (一票否决). Ranks are competition
ranks ("1224"): equal totals share a rank and the next rank is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

WEIGHT_TOLERANCE = 1e-6


def check_weights(weights: dict[str, float]) -> None:
    total = sum(weights.values())
    if any(w < 0 for w in weights.values()):
        raise ValueError("权重不能为负数")
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise ValueError(f"加权指标的权重之和必须为 1，当前为 {total:.3f}")


def attainment(actual: float, target: float, lower_is_better: bool = False, cap: float = 100.0) -> float:
    """Attainment of a target in percent, capped at ``cap``. For "lower is better"
    indicators the ratio is inverted; a zero target met exactly counts as 100."""
    if lower_is_better:
        if actual <= target:
            return cap
        return max(0.0, min(cap, 100.0 * target / actual)) if actual else cap
    if target == 0:
        return cap
    return max(0.0, min(cap, 100.0 * actual / target))


@dataclass(frozen=True)
class Result:
    computed: float
    total: float
    vetoed: bool


def total_score(scores: dict[str, float | None], weights: dict[str, float], bonus: float = 0.0,
                adjustment: float = 0.0, vetoed: bool = False) -> Result:
    """Weighted sum of 0–100 scores (a missing score counts 0), plus bonus and adjustment,
    clipped to 0..120; a veto yields a total of 0."""
    check_weights(weights)
    computed = sum(weights[k] * float(scores.get(k) or 0.0) for k in weights) + bonus
    total = 0.0 if vetoed else max(0.0, min(120.0, computed + adjustment))
    return Result(round(computed, 2), round(total, 2), vetoed)


def competition_ranks(totals: list[float]) -> list[int]:
    order = sorted(range(len(totals)), key=lambda i: -totals[i])
    ranks = [0] * len(totals)
    for position, i in enumerate(order):
        if position and totals[i] == totals[order[position - 1]]:
            ranks[i] = ranks[order[position - 1]]
        else:
            ranks[i] = position + 1
    return ranks
