"""Consumer-product risk level from injury scenarios: the EU Safety Gate (RAPEX) method.

Source: Commission Implementing Decision (EU) 2019/417 of 8 November 2018 (OJ L 73,
15.3.2019, p. 121), Annex, Part III "Risk assessment guidelines for consumer products",
Appendix 6: the risk assessor writes one or more *injury scenarios* (伤害场景), each a
sequence of steps with a probability; the probability of the scenario is the product of
its steps' probabilities; the scenario's injury has a severity level 1-4; the risk level
is read from the decision's table "risk level from the combination of severity of injury
and probability" (Table 4), and the product's risk is the highest level over its scenarios.

Terms follow GB/T 22760-2020《消费品安全 风险评估导则》: 危险源 (hazard), 伤害场景 (injury
scenario), 伤害严重程度 (severity of injury), 伤害发生的可能性 (probability of injury),
风险等级 (risk level): 严重风险 / 高风险 / 中风险 / 低风险.

The decision was repealed for new notifications on 26 March 2025 by Delegated Regulation
(EU) 2024/3173; the city chose the 2019/417 method because its published table is what
the assessors here were trained on.  Pure Python, no Django.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SERIOUS, HIGH, MEDIUM, LOW = "serious", "high", "medium", "low"
LEVEL_ORDER = {LOW: 0, MEDIUM: 1, HIGH: 2, SERIOUS: 3}

# Probability bands of Table 4, from the most to the least likely: the lower limit of each
# band (a probability strictly greater than the limit falls in the band) and its label.
BANDS: tuple[tuple[float, str], ...] = (
    (0.5, "> 50 %"),
    (1e-1, "> 1/10"),
    (1e-2, "> 1/100"),
    (1e-3, "> 1/1 000"),
    (1e-4, "> 1/10 000"),
    (1e-5, "> 1/100 000"),
    (1e-6, "> 1/1 000 000"),
    (0.0, "< 1/1 000 000"),
)

# Table 4 of the decision, row = probability band (same order as BANDS), column = severity
# of injury 1..4.  S = serious, H = high, M = medium, L = low.
_TABLE = (
    "HSSS",  # > 50 %
    "MSSS",  # > 1/10
    "MSSS",  # > 1/100
    "LHSS",  # > 1/1 000
    "LMHS",  # > 1/10 000
    "LLMH",  # > 1/100 000
    "LLLM",  # > 1/1 000 000
    "LLLL",  # < 1/1 000 000
)
_CODE = {"S": SERIOUS, "H": HIGH, "M": MEDIUM, "L": LOW}

SEVERITY = {
    1: "轻微伤害：通常可完全恢复，一般无需就医或仅需急救处理",
    2: "中度伤害：需要门诊治疗，可能留下轻度、可恢复的功能影响",
    3: "严重伤害：需住院治疗，可能造成部分永久性功能丧失",
    4: "致命或危及生命的伤害：死亡，或严重的永久性残疾",
}


class RiskInputError(ValueError):
    """A scenario that cannot be assessed; the message says what to correct."""


def band_index(probability: float) -> int:
    """Row of Table 4 for a probability in [0, 1]."""
    if not (0.0 <= probability <= 1.0) or math.isnan(probability):
        raise RiskInputError(f"概率必须在 0 与 1 之间，收到 {probability!r}")
    for i, (limit, _label) in enumerate(BANDS):
        if probability > limit:
            return i
    return len(BANDS) - 1


def risk_level(severity: int, probability: float) -> str:
    """Risk level of one injury scenario (Table 4 of Decision (EU) 2019/417)."""
    if severity not in SEVERITY:
        raise RiskInputError(f"伤害严重程度必须是 1–4 级，收到 {severity!r}")
    return _CODE[_TABLE[band_index(probability)][severity - 1]]


@dataclass(frozen=True)
class ScenarioResult:
    description: str
    severity: int
    probability: float
    band: str
    level: str


def scenario_probability(steps: Sequence[float]) -> float:
    """The scenario happens only if every step happens: the product of the steps."""
    if not steps:
        raise RiskInputError("伤害场景至少需要一个步骤及其概率")
    p = 1.0
    for i, step in enumerate(steps, start=1):
        if not (0.0 < step <= 1.0):
            raise RiskInputError(f"第 {i} 步的概率必须大于 0 且不超过 1，收到 {step!r}")
        p *= step
    return p


def assess(scenarios: Iterable[dict]) -> tuple[str, list[ScenarioResult]]:
    """Assess scenarios ``{"description", "severity", "steps": [p1, p2, ...]}``.

    Returns the overall risk level (the highest over the scenarios, as the decision
    prescribes) and the result of each scenario.
    """
    results = []
    for n, sc in enumerate(scenarios, start=1):
        try:
            severity = int(sc.get("severity"))
        except (TypeError, ValueError):
            raise RiskInputError(f"场景 {n}：伤害严重程度必须是 1–4 级") from None
        steps = [float(s) for s in sc.get("steps") or []]
        try:
            p = scenario_probability(steps)
            level = risk_level(severity, p)
        except RiskInputError as exc:
            raise RiskInputError(f"场景 {n}：{exc}") from None
        results.append(ScenarioResult(str(sc.get("description", "")), severity, p,
                                      BANDS[band_index(p)][1], level))
    if not results:
        raise RiskInputError("至少需要一个伤害场景")
    overall = max((r.level for r in results), key=LEVEL_ORDER.__getitem__)
    return overall, results
