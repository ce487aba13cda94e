"""The Safety Gate risk matrix (Decision (EU) 2019/417, Table 4) and scenario arithmetic."""

import pytest

from qualitycity.methods import risk_matrix as rm


@pytest.mark.parametrize(("severity", "p", "level"), [
    (1, 0.9, rm.HIGH), (2, 0.9, rm.SERIOUS),                 # > 50 %
    (1, 0.2, rm.MEDIUM), (2, 0.2, rm.SERIOUS),               # > 1/10
    (1, 0.002, rm.LOW), (2, 0.002, rm.HIGH), (3, 0.002, rm.SERIOUS),   # > 1/1 000
    (2, 2e-4, rm.MEDIUM), (3, 2e-4, rm.HIGH), (4, 2e-4, rm.SERIOUS),   # > 1/10 000
    (3, 2e-5, rm.MEDIUM), (4, 2e-5, rm.HIGH),                # > 1/100 000
    (3, 2e-6, rm.LOW), (4, 2e-6, rm.MEDIUM),                 # > 1/1 000 000
    (4, 5e-7, rm.LOW),                                       # < 1/1 000 000
])
def test_matrix_cells(severity, p, level):
    assert rm.risk_level(severity, p) == level


def test_band_limits_are_exclusive():
    # exactly 1/100 is not "> 1/100": it falls in the next band down
    assert rm.BANDS[rm.band_index(0.01)][1] == "> 1/1 000"
    assert rm.BANDS[rm.band_index(0.0100001)][1] == "> 1/100"


def test_scenario_probability_is_the_product_and_overall_is_the_worst():
    level, results = rm.assess([
        {"description": "a", "severity": 1, "steps": [0.5, 0.5]},
        {"description": "b", "severity": 4, "steps": [0.1, 0.01, 0.5]},  # 5e-4 -> > 1/10 000 -> serious
    ])
    assert results[0].probability == pytest.approx(0.25) and results[0].level == rm.MEDIUM
    assert results[1].band == "> 1/10 000" and results[1].level == rm.SERIOUS
    assert level == rm.SERIOUS


@pytest.mark.parametrize(("scenario", "message"), [
    ({"severity": 5, "steps": [0.1]}, "1–4"),
    ({"severity": 2, "steps": []}, "至少需要一个步骤"),
    ({"severity": 2, "steps": [0.1, 0]}, "第 2 步"),
    ({"severity": "x", "steps": [0.1]}, "1–4"),
])
def test_bad_scenarios_name_the_problem(scenario, message):
    with pytest.raises(rm.RiskInputError, match=message):
        rm.assess([scenario])


def test_the_decisions_own_worked_example_the_folding_chair():
    """Decision (EU) 2019/417, Annex Part III §6.1 (folding chair), first scenario as
    published: unfolding (1) x gripping the seat's back corner (1/50) x finger caught
    (1/10) x minor pinching (1); severity 1; overall 1/500, band "> 1/1 000", low risk."""
    level, (pinching,) = rm.assess([{"description": "finger pinched", "severity": 1, "steps": [1, 1 / 50, 1 / 10, 1]}])
    assert pinching.probability == pytest.approx(1 / 500)
    assert pinching.band == "> 1/1 000" and level == rm.LOW
