import pytest

from qualitycity.methods import scorecard


def test_weights_must_sum_to_one():
    with pytest.raises(ValueError, match="之和必须为 1"):
        scorecard.check_weights({"a": 0.5, "b": 0.6})
    scorecard.check_weights({"a": 0.3, "b": 0.7})


def test_attainment_caps_and_inverts_for_lower_is_better():
    assert scorecard.attainment(45, 90) == 50
    assert scorecard.attainment(120, 90) == 100
    assert scorecard.attainment(4, 2, lower_is_better=True) == 50
    assert scorecard.attainment(1, 2, lower_is_better=True) == 100


def test_total_adds_bonus_and_adjustment_and_a_veto_zeroes_it():
    weights = {"a": 0.6, "b": 0.4}
    result = scorecard.total_score({"a": 80, "b": None}, weights, bonus=2, adjustment=-1)
    assert result.computed == 50 and result.total == 49
    assert scorecard.total_score({"a": 80, "b": 90}, weights, vetoed=True).total == 0


def test_competition_ranks_share_ties():
    assert scorecard.competition_ranks([90, 95, 90, 80]) == [2, 1, 2, 4]
