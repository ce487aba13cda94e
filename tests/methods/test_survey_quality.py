"""Response-quality screens flag what they should and nothing else."""

import numpy as np

from qualitycity.methods import survey_quality as sq


def _honest(n=300, p=12, seed=1):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 1))
    return np.clip(np.round(6 + 1.5 * f + rng.normal(size=(n, p))), 1, 10)


def test_longstring_counts_the_longest_identical_run():
    X = np.array([[1, 1, 2, 2, 2, 3], [5, 5, 5, 5, 5, 5], [1, 2, 3, 4, 5, 6]])
    assert sq.longstring(X).tolist() == [3, 6, 1]
    assert sq.straightliners(X).tolist() == [False, True, False]


def test_speeders_use_a_share_of_the_median_and_ignore_unknown_times():
    t = np.array([600, 620, 580, 100, np.nan, 200])
    assert sq.speeders(t, relative=0.4, floor=60).tolist() == [False, False, False, True, False, True]


def test_reversed_item_inconsistency():
    mirrored = np.array([[9, 9, 8], [9, 9, 9], [3, 3, 2]])
    reversed_item = np.array([2, 9, 9])  # reflected: 9 (consistent), 2 (not), 2 (consistent)
    assert sq.reversed_inconsistent(reversed_item, mirrored).tolist() == [False, True, False]


def test_mahalanobis_flags_a_planted_outlier_only():
    X = _honest()
    X[17] = [10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1]
    flags = sq.mahalanobis_outliers(X)
    assert flags[17]
    assert flags.sum() <= 3  # p = .001 on 300 honest cases: very few false alarms


def test_mahalanobis_survives_a_constant_item():
    X = _honest()
    X[:, 0] = 7
    assert np.isfinite(sq.mahalanobis(X)).all()


def test_duplicates_keep_the_first_occurrence_unflagged():
    X = _honest(20)
    X[11] = X[4]
    flags = sq.duplicates(X)
    assert flags.tolist().count(True) == 1 and flags[11] and not flags[4]


def test_screen_flags_but_returns_every_case():
    X = _honest()
    X[5] = 8
    out = sq.screen(X, seconds=np.full(300, 500.0))
    assert all(v.shape == (300,) for v in out.values())
    assert out["straightlining"][5] and not out["speeder"].any()
