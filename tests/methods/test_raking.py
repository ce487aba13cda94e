"""Raking reaches the margins, trims, and reports Kish's design effect."""

import numpy as np
import pytest

from qualitycity.methods.raking import RakingError, kish_deff, rake


def _sample(n=2000, seed=3):
    rng = np.random.default_rng(seed)
    # over-represents women and the old relative to the margins below
    sex = rng.choice(np.array(["男", "女"], dtype=object), n, p=[0.35, 0.65])
    age = rng.choice(["18-34", "35-59", "60+"], n, p=[0.2, 0.4, 0.4])
    district = rng.choice(["A", "B", "C"], n, p=[0.5, 0.3, 0.2])
    return {"sex": sex, "age": age, "district": district}


MARGINS = {"sex": {"男": 51, "女": 49}, "age": {"18-34": 0.35, "35-59": 0.45, "60+": 0.20},
           "district": {"A": 1, "B": 1, "C": 1}}


def test_raked_weights_reproduce_every_margin():
    s = _sample()
    res = rake(s, MARGINS, trim=None)
    assert res.converged
    w = res.weights
    assert w.sum() == pytest.approx(2000)
    assert w[s["sex"] == "男"].sum() / w.sum() == pytest.approx(0.51, abs=1e-5)
    assert w[s["age"] == "60+"].sum() / w.sum() == pytest.approx(0.20, abs=1e-5)
    assert w[s["district"] == "C"].sum() / w.sum() == pytest.approx(1 / 3, abs=1e-5)


def test_trimming_caps_weights_and_costs_less_efficiency():
    s = _sample()
    loose = rake(s, MARGINS, trim=None)
    tight = rake(s, MARGINS, trim=(0.5, 2.0), max_iter=500)
    mean = tight.weights.mean()
    assert tight.weights.max() <= 2.0 * mean * (1 + 1e-6) and tight.weights.min() >= 0.5 * mean * (1 - 1e-6)
    assert tight.trimmed > 0 and tight.max_margin_error < 0.05  # caps bind: margins close, not exact
    assert tight.efficiency >= loose.efficiency


def test_kish_deff():
    assert kish_deff(np.ones(10)) == pytest.approx(1.0)
    assert kish_deff([1, 1, 2, 2]) == pytest.approx(4 * 10 / 36)


def test_it_names_a_category_missing_from_the_margin():
    s = _sample(50)
    s["sex"][0] = "未知"
    with pytest.raises(RakingError, match="未知"):
        rake(s, MARGINS)


def test_it_refuses_a_margin_category_without_respondents():
    s = _sample(50)
    with pytest.raises(RakingError, match="D"):
        rake(s, {**MARGINS, "district": {"A": 1, "B": 1, "C": 1, "D": 1}})
