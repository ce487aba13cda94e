"""Reference checks: the engine against the OECD/JRC Handbook (2008) TAI tables.

Data and published figures: tests/methods/data (see its README).  The raw data of
Table A.2 round the log indicators to two decimals, so statistics are compared
within the rounding of the printed tables (stated per test).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

import qualitycity.methods.composite as C
from qualitycity.methods.composite.normalization import above_below_mean, distance_to_reference

DATA = Path(__file__).parent / "data"


def _csv(name: str) -> tuple[list[str], list[str], np.ndarray]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0][1:], [r[0] for r in rows[1:]], np.array([[float(v) for v in r[1:]] for r in rows[1:]])


@pytest.fixture(scope="module")
def tai():
    return C.read_wide_csv((DATA / "tai_table_a2.csv").read_text(encoding="utf-8"))


def test_table_6_correlation_matrix(tai):
    cols, _, expected = _csv("table06_correlation.csv")
    assert cols == tai.indicators
    R = C.correlation(tai.values)
    # Two-decimal published values; royalties–telephones differs by 0.02 because
    # Table A.2 prints log(telephones) with two decimals only.
    assert np.abs(R - expected).max() <= 0.025
    assert np.abs(R - expected).mean() < 0.004
    i, j = np.unravel_index(np.argmax(np.triu(R, 1)), R.shape)
    assert {tai.indicators[i], tai.indicators[j]} == {"internet", "electricity"}  # "highest correlation ... 0.84"


def test_table_7_and_16_eigenvalues(tai):
    _, _, expected = _csv("table07_eigenvalues.csv")
    pw = C.pca_weights(tai.values, n_factors=4)
    # Eigenvalues are printed with one decimal (truncated: 3.354 is shown as 3.3).
    assert np.all((pw.eigenvalues - expected[:, 0] > -0.03) & (pw.eigenvalues - expected[:, 0] < 0.1))
    pct = 100 * pw.eigenvalues / 8
    assert np.allclose(pct, expected[:, 1], atol=0.15)
    assert np.allclose(np.cumsum(pct), expected[:, 2], atol=0.15)


def test_table_9_and_17_varimax_loadings(tai):
    _, rows, expected = _csv("table09_rotated_loadings.csv")
    pw = C.pca_weights(tai.values, n_factors=4)
    assert np.abs(pw.loadings - expected[:8]).max() <= 0.021
    assert np.allclose(pw.explained, expected[8], atol=0.025)
    # Factor shares of explained variance quoted on p. 90: 0.38, 0.20, 0.17, 0.25.
    assert np.allclose(pw.factor_weights, [0.38, 0.20, 0.17, 0.25], atol=0.011)


def test_table_18_pc_weights(tai):
    _, _, expected = _csv("table18_weights.csv")
    pw = C.pca_weights(tai.values, n_factors=4)
    assert np.allclose(pw.weights, expected[:, 1], atol=0.0051 + 0.005)  # printed to 2 decimals
    assert np.argmax(pw.weights) == 0  # patents carries the largest weight
    assert pw.weights.sum() == pytest.approx(1.0)


def test_table_11_cronbach_alpha(tai):
    _, _, expected = _csv("table11_cronbach.csv")
    res = C.item_analysis(tai.values, standardize=True)
    assert res.alpha == pytest.approx(0.70, abs=0.005)  # "The c-alpha is .70"
    assert np.allclose(res.item_total, expected[:, 0], atol=0.007)
    assert np.allclose(res.alpha_if_deleted, expected[:, 1], atol=0.0015)
    rep = C.coherence(C.normalize(tai.values, "minmax", [1] * 8), tai.indicators, ["tai"] * 8)
    assert [n for n, _, _ in rep.negative] == ["exports"]  # the one indicator off the construct


def test_table_15_normalisations_of_schooling(tai):
    _, units, t = _csv("table15_schooling.csv")
    x = tai.values[:, tai.indicators.index("schooling")]
    assert np.array_equal(x, t[:, 0])
    assert np.array_equal(C.rank(x), t[:, 1])  # ties share the minimum rank (NL/UK/Ireland = 9)
    assert np.allclose(C.zscore(x), t[:, 2], atol=0.005)
    assert np.allclose(C.minmax(x), t[:, 3], atol=0.005)
    assert np.allclose(distance_to_reference(x, x.mean()), t[:, 4], atol=0.005)
    assert np.allclose(C.distance_to_best(x), t[:, 5], atol=0.005)
    assert np.allclose(distance_to_reference(x, x.min()), t[:, 6], atol=0.005)
    assert np.allclose(distance_to_reference(x, x.mean(), "difference"), t[:, 7], atol=0.005)
    assert np.allclose(distance_to_reference(x, x.min(), "difference"), t[:, 8], atol=0.005)
    assert np.array_equal(above_below_mean(x, 0.2), t[:, 9])
    assert np.allclose(C.percentile(x), t[:, 10], atol=0.05)


def test_table_19_benefit_of_the_doubt(tai):
    _, units, expected = _csv("table19_bod.csv")
    res = C.benefit_of_the_doubt(C.normalize(tai.values, "minmax", [1] * 8), share_bounds=(0.10, 0.15))
    assert np.abs(res.scores - expected[:, 0]).max() <= 0.015  # 2-decimal print + 2-decimal logs
    assert np.flatnonzero(np.isclose(res.scores, 1.0)).tolist() == [0, 1, 2]  # Finland, USA, Sweden
    shares = res.weights / res.weights.sum(axis=1, keepdims=True)
    assert shares.min() >= 0.10 - 1e-9 and shares.max() <= 0.15 + 1e-9


def _ranking_column(name: str) -> tuple[list[str], np.ndarray]:
    cols, units, r = _csv("table23_38_rankings.csv")
    return units, r[:, cols.index(name)]


def test_table_23_bod_ranking(tai):
    units, expected = _ranking_column("BOD")
    order = [tai.units.index(u) for u in units]
    res = C.benefit_of_the_doubt(C.normalize(tai.values, "minmax", [1] * 8), share_bounds=(0.10, 0.15))
    got = C.rank_scores(np.round(res.scores, 4))[order]
    # Japan (0.87) and Norway (0.86) are 0.01 apart in print; the two-decimal logs can swap them.
    assert np.abs(got - expected).max() <= 1
    assert (got == expected).sum() >= 19


def test_table_38_geometric_on_raw_values(tai):
    units, expected = _ranking_column("GME")
    order = [tai.units.index(u) for u in units]
    # Handbook eq. (37): GME is applied to the raw indicator values.
    assert np.array_equal(C.rank_scores(C.geometric(tai.values, C.equal(8)))[order], expected)


def test_table_36_outranking_matrix_and_table_37_kemeny():
    _, units, X = _csv("table35_impact.csv")
    _, _, expected = _csv("table36_outranking.csv")
    E = C.outranking_matrix(X, C.equal(8))
    assert np.allclose(E, expected)
    orders, support = C.kemeny(X, C.equal(8))
    assert support == pytest.approx(6.375)
    named = {tuple(units[i] for i in o[:3]) for o in orders}
    assert named == {("USA", "Sweden", "Finland"), ("Sweden", "Finland", "USA"), ("Sweden", "USA", "Finland")}


def test_ahp_on_an_eight_indicator_tai_matrix_is_consistent_and_equal_rows_tie():
    # An 8×8 judgement matrix over the TAI indicators, laid out like the Handbook's Table 20 but
    # NOT verified against it: its eigenvector weights (0.23, 0.14, 0.06, 0.18, 0.04, 0.04, 0.25,
    # 0.07) do not match the AHP column of Table 22, so no published AHP figure is reproduced
    # here (see data/README_composite_tai.md). What is checked: CR < 0.1 and identical rows tie.
    names = ["patents", "royalties", "internet", "exports", "telephones", "electricity", "schooling", "university"]
    A = np.array([
        [1, 2, 3, 2, 5, 5, 1, 3], [1 / 2, 1, 2, 1 / 2, 4, 4, 1 / 2, 3], [1 / 3, 1 / 2, 1, 1 / 4, 2, 2, 1 / 5, 1 / 2],
        [1 / 2, 2, 4, 1, 4, 4, 1 / 2, 3], [1 / 5, 1 / 4, 1 / 2, 1 / 4, 1, 1, 1 / 5, 1 / 2],
        [1 / 5, 1 / 4, 1 / 2, 1 / 4, 1, 1, 1 / 5, 1 / 2], [1, 2, 5, 2, 5, 5, 1, 4],
        [1 / 3, 1 / 3, 2, 1 / 3, 2, 2, 1 / 4, 1],
    ])
    res = C.ahp(A, names)  # would raise if CR >= 0.1
    assert res.cr < 0.1
    assert res.weights.sum() == pytest.approx(1.0)
    assert res.weights[4] == pytest.approx(res.weights[5])  # telephones and electricity have identical rows
