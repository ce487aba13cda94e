"""Unit tests of the composite-indicator engine (the CLI and panel imputation: test_composite_cli.py)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import qualitycity.methods.composite as C
from qualitycity.methods.composite import CompositeInputError

X3 = np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]])


# --- normalisation ---------------------------------------------------------

def test_minmax_benefit_and_cost():
    assert np.allclose(C.minmax(X3[:, 0], 1), [0, 1 / 3, 1])
    assert np.allclose(C.minmax(X3[:, 0], -1), [1, 2 / 3, 0])


def test_zscore_uses_sample_sd_and_flips_cost():
    z = C.zscore(np.array([1.0, 2.0, 3.0]), 1)
    assert np.allclose(z, [-1, 0, 1])
    assert np.allclose(C.zscore(np.array([1.0, 2.0, 3.0]), -1), [1, 0, -1])


def test_rank_percentile_ties_share_minimum():
    x = np.array([5.0, 7.0, 7.0, 1.0])
    assert C.rank(x).tolist() == [2, 3, 3, 1]
    assert C.rank(x, -1).tolist() == [3, 1, 1, 4]
    assert np.allclose(C.percentile(x), [50, 75, 75, 25])


def test_goalposts_clip_and_cost():
    x = np.array([50.0, 75.0, 120.0])
    assert np.allclose(C.goalposts(x, 1, 50, 100), [0, 0.5, 1])
    assert np.allclose(C.goalposts(x, -1, 50, 100), [1, 0.5, 0])


def test_distance_to_target_and_best():
    x = np.array([2.0, 4.0, 8.0])
    assert np.allclose(C.distance_to_target(x, 1, 4.0), [0.5, 1, 1])
    assert np.allclose(C.distance_to_target(x, -1, 4.0), [1, 1, 0.5])
    assert np.allclose(C.distance_to_best(x, 1), [0.25, 0.5, 1])
    assert np.allclose(C.distance_to_best(x, -1), [1, 0.5, 0.25])


def test_borda_points():
    assert np.allclose(C.borda(np.array([3.0, 1.0, 3.0, 2.0])), [2.5, 0, 2.5, 1])
    assert np.allclose(C.borda(np.array([3.0, 1.0, 2.0]), -1), [0, 2, 1])


def test_normalize_dispatch_uses_targets_and_goalposts():
    out = C.normalize(X3, "goalposts", [1, -1], goalposts_=[(0, 4), (10, 30)])
    assert np.allclose(out, [[0.25, 1], [0.5, 0], [1, 0.5]])
    with pytest.raises(CompositeInputError, match="'#1'.*no target"):
        C.normalize(X3, "target", [1, 1])


# --- exact formulas of issue 8 --------------------------------------------

def test_entropy_formula_hand_computed():
    # x' (min-max): column A = [0, 0.5, 1]; column B = [0, 1, 1]
    Xn = np.array([[0.0, 0.0], [0.5, 1.0], [1.0, 1.0]])
    pA = np.array([0, 1 / 3, 2 / 3])
    eA = -(pA[1] * math.log(pA[1]) + pA[2] * math.log(pA[2])) / math.log(3)  # 0·ln0 = 0
    eB = -(2 * 0.5 * math.log(0.5)) / math.log(3)
    wA = (1 - eA) / ((1 - eA) + (1 - eB))
    assert C.entropy(Xn) == pytest.approx([wA, 1 - wA])
    assert C.entropy(Xn)[0] == pytest.approx(0.5326, abs=1e-4)  # e = (0.5794, 0.6309)


def test_arithmetic_score_is_100_times_weighted_sum():
    Xn = C.normalize(X3, "minmax", [1, 1])
    assert np.allclose(C.arithmetic(Xn, np.array([0.25, 0.75])), 100 * (0.25 * Xn[:, 0] + 0.75 * Xn[:, 1]))


def test_topsis_formula_hand_computed():
    X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0]])
    w = np.array([0.5, 0.5])
    # r = x / sqrt(14); v = 0.5 r  -> columns identical up to permutation
    s = 0.5 / math.sqrt(14)
    V = X * s
    ideal, anti = np.array([3 * s, 3 * s]), np.array([s, s])
    dp = np.linalg.norm(V - ideal, axis=1)
    dm = np.linalg.norm(V - anti, axis=1)
    assert np.allclose(C.topsis(X, w, [1, 1]), 100 * dm / (dp + dm))
    assert C.topsis(X, w, [1, 1])[2] == pytest.approx(100.0)
    # cost on the second indicator: ideal is its column minimum
    cost = C.topsis(X, w, [1, -1])
    ideal2, anti2 = np.array([3 * s, s]), np.array([s, 3 * s])
    exp = np.linalg.norm(V - anti2, axis=1) / (np.linalg.norm(V - ideal2, axis=1) + np.linalg.norm(V - anti2, axis=1))
    assert np.allclose(cost, 100 * exp)
    assert cost[1] == pytest.approx(100 * math.sqrt(5) / (1 + math.sqrt(5)))  # D+ = s, D- = √5·s


# --- weighting ------------------------------------------------------------

def test_saaty_random_index_values():
    assert [C.SAATY_RI[n] for n in range(3, 11)] == [0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]


def test_ahp_consistent_matrix_recovers_weights():
    w = np.array([0.5, 0.3, 0.2])
    res = C.ahp(np.outer(w, 1 / w))
    assert np.allclose(res.weights, w) and res.cr == pytest.approx(0, abs=1e-9)


def test_ahp_textbook_cr():
    # Saaty's 3×3 example with judgements 3, 5 and 3 (λmax ≈ 3.039, CR ≈ 0.033).
    A = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    res = C.ahp(A)
    assert res.lambda_max == pytest.approx(3.0385, abs=1e-3)
    assert res.cr == pytest.approx((res.lambda_max - 3) / 2 / 0.58)
    assert np.allclose(res.weights, [0.637, 0.258, 0.105], atol=1e-3)


CONSISTENT_4 = np.array([[1, 2, 4, 8], [1 / 2, 1, 2, 4], [1 / 4, 1 / 2, 1, 2], [1 / 8, 1 / 4, 1 / 2, 1]])


@pytest.mark.parametrize(("i", "j", "value", "pair"), [(1, 2, 1 / 7, "q vs r"), (0, 3, 1 / 8, "p vs s")])
def test_ahp_inconsistent_refused_naming_the_planted_bad_judgement(i, j, value, pair):
    # A perfectly consistent 4×4 matrix with one judgement reversed: only that pair may be named.
    A = CONSISTENT_4.copy()
    A[i, j], A[j, i] = value, 1 / value
    with pytest.raises(CompositeInputError, match=rf"CR = .* most inconsistent judgement: {pair} = "):
        C.ahp(A, ["p", "q", "r", "s"])


def test_ahp_not_reciprocal_refused():
    with pytest.raises(CompositeInputError, match=r"not reciprocal: a\[x, y\] = 3 but a\[y, x\] = 0.5"):
        C.ahp(np.array([[1, 3], [0.5, 1]]), ["x", "y"])


def test_manual_weights_must_sum_to_one():
    with pytest.raises(CompositeInputError, match="sum to 0.9, not 1"):
        C.manual([0.5, 0.4])
    assert np.allclose(C.manual([0.25, 0.75]), [0.25, 0.75])


def test_critic_hand_computed():
    Xn = np.array([[0.0, 0.0, 1.0], [0.5, 1.0, 0.0], [1.0, 0.5, 0.5]])
    s = Xn.std(axis=0, ddof=1)
    R = np.corrcoef(Xn, rowvar=False)
    c = s * (1 - R).sum(axis=0)
    assert np.allclose(C.critic(Xn), c / c.sum())


def test_bod_frontier_units_score_one():
    Xn = np.array([[1.0, 0.0], [0.0, 1.0], [0.4, 0.4]])
    res = C.benefit_of_the_doubt(Xn)
    assert np.allclose(res.scores, [1, 1, 0.8])  # w = (1, 1) keeps both others at 1


# --- aggregation and ranks ------------------------------------------------

def test_means_and_copeland():
    Xn = np.array([[0.25, 1.0], [0.5, 0.5]])
    w = np.array([0.5, 0.5])
    assert np.allclose(C.geometric(Xn, w), [50, 50])
    assert np.allclose(C.harmonic(Xn, w), [100 / (2 + 0.5), 50])
    assert np.allclose(C.generalized(Xn, w, 2), 100 * np.sqrt([(0.0625 + 1) / 2, 0.25]))
    assert C.copeland(np.array([[3.0, 3, 1], [2, 2, 2], [1, 1, 3]]), np.full(3, 1 / 3)).tolist() == [2, 0, -2]


def test_ties_share_the_minimum_rank():
    assert C.rank_scores(np.array([80, 90, 80, 70, 0.1 + 0.2, 0.3])).tolist() == [2, 1, 2, 4, 5, 5]


# --- imputation and outliers ------------------------------------------------

def test_imputation_methods_report_cells():
    X = np.array([[1.0, np.nan], [3.0, 4.0], [np.nan, 8.0], [5.0, 6.0]])
    out, rep = C.impute(X, "mean")
    assert out[2, 0] == 3.0 and out[0, 1] == 6.0
    assert [(c.row, c.column) for c in rep] == [(0, 1), (2, 0)]
    out, _ = C.impute(X, "median")
    assert out[0, 1] == 6.0
    out, rep = C.impute(X, "group_mean", groups=["a", "a", "b", "b"])
    assert out[0, 1] == 4.0 and out[2, 0] == 5.0 and {c.method for c in rep} == {"group_mean"}
    P = np.array([[1.0], [np.nan], [3.0], [np.nan]])
    out, rep = C.impute(P, "locf", panel_units=["d", "d", "e", "e"], panel_times=[2020, 2021, 2020, 2021])
    assert out[:, 0].tolist() == [1, 1, 3, 3] and len(rep) == 2
    with pytest.raises(CompositeInputError, match="no earlier observation"):
        C.impute(P, "locf", panel_units=["d", "d", "e", "e"], panel_times=[2021, 2020, 2020, 2021])


def test_jrc_outlier_rule_winsorises_and_reports():
    x = np.array([1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 100.0])
    out, rep = C.treat_outliers(x[:, None])
    assert [c.row for c in rep] == [11] and rep[0].method == "winsorize" and out[11, 0] == 6.0
    out, _ = C.treat_outliers(np.arange(12.0)[:, None])
    assert np.array_equal(out[:, 0], np.arange(12.0))  # not skewed: untouched


def test_jrc_outlier_rule_falls_back_to_log():
    x = np.concatenate([np.ones(20), [50, 200, 1000, 5000, 20000, 80000, 300000.0]])
    out, rep = C.treat_outliers(x[:, None], max_winsor=2)
    assert {c.method for c in rep} == {"log"} and len(rep) == len(x)
    assert np.all(np.diff(out[np.argsort(x), 0]) >= 0)  # order preserved


# --- bad input ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("district,a\nx,1\n", "unit column 'unit' is missing"),
        ("a,unit\n1,x\n", "must be the first column"),
        ("unit,a,unit\nx,1,y\n", "appears 2 times"),
        ("unit,a\nx,1\nx,2\n", "unit 'x' is duplicated"),
        ("unit,a,b\nx,1,2\ny,abc,3\n", r"row 3 \(unit y\), column 'a': 'abc'"),
    ],
)
def test_bad_tables(text, message):
    with pytest.raises(CompositeInputError, match=message):
        C.read_wide_csv(text)


def test_no_variance_and_all_missing():
    with pytest.raises(CompositeInputError, match="'b' has no variance"):
        C.check_matrix(np.array([[1.0, 5], [2, 5]]), ["a", "b"])
    with pytest.raises(CompositeInputError, match="'a': all values are missing"):
        C.check_matrix(np.array([[np.nan, 5], [np.nan, 6]]), ["a", "b"])


def test_direction_not_given():
    with pytest.raises(CompositeInputError, match="'a': direction is not given"):
        C.framework_from_dict({"indicators": {"a": {"weight": 1}}})


def test_is_value_error():
    assert issubclass(CompositeInputError, ValueError)


# --- hierarchy ---------------------------------------------------------------

def _fw(weighting="manual", aggregation="arithmetic", **extra):
    doc = {
        "options": {"normalization": "minmax", "weighting": weighting, "aggregation": aggregation},
        "indicators": {
            "a": {"direction": "+", "group": "sub1", "weight": 0.5},
            "b": {"direction": "-", "group": "sub1", "weight": 0.5},
            "c": {"direction": "+", "group": "dim2", "weight": 1.0},
        },
        "groups": {"sub1": {"parent": "dim1", "weight": 1.0}, "dim1": {"weight": 0.6}, "dim2": {"weight": 0.4}},
    }
    doc.update(extra)
    return C.framework_from_dict(doc)


TABLE = C.Table(["u1", "u2", "u3"], ["a", "b", "c"], np.array([[0.0, 10, 5], [5, 0, 0], [10, 5, 10]]))


def test_hierarchy_roll_up():
    res = C.compute_index(_fw(), TABLE)
    a, b, c = np.array([0, 0.5, 1]), np.array([0, 1, 0.5]), np.array([0.5, 0, 1])
    sub1 = 100 * (0.5 * a + 0.5 * b)
    assert np.allclose(res.group_scores["sub1"], sub1)
    assert np.allclose(res.group_scores["dim1"], sub1)
    assert np.allclose(res.group_scores["dim2"], 100 * c)
    assert np.allclose(res.score, 0.6 * sub1 + 0.4 * 100 * c)
    assert res.effective_weights == pytest.approx({"a": 0.3, "b": 0.3, "c": 0.4})
    assert res.rank.tolist() == [3, 2, 1]


def test_hierarchy_geometric_equals_flattened_effective_weights():
    res = C.compute_index(_fw(aggregation="geometric"), TABLE)
    Xf = 0.01 + 0.99 * res.normalized
    assert np.allclose(res.score, 100 * np.exp(np.log(Xf) @ [0.3, 0.3, 0.4]))


def test_manual_weights_not_summing_in_a_group():
    doc_fw = _fw()
    bad = C.Framework(tuple(i if i.name != "a" else C.Indicator("a", 1, 0.7, "sub1") for i in doc_fw.indicators),
                      doc_fw.groups, doc_fw.options)
    with pytest.raises(CompositeInputError, match="sum to 1.2, not 1 \\(children of group 'sub1'\\)"):
        C.compute_index(bad, TABLE)


# --- Monte Carlo / Sobol ------------------------------------------------------

def _tai():
    return C.read_wide_csv((Path(__file__).parent / "data" / "tai_table_a2.csv").read_text(encoding="utf-8"))


def _tai_fw():
    groups = ["creation", "creation", "recent", "recent", "old", "old", "skills", "skills"]
    return C.framework_from_dict({"indicators": {n: {"direction": "+", "group": g}
                                                 for n, g in zip(_tai().indicators, groups, strict=True)}})


def test_monte_carlo_reproducible_with_seed():
    a = C.monte_carlo(_tai_fw(), _tai(), 500, seed=7)
    b = C.monte_carlo(_tai_fw(), _tai(), 500, seed=7)
    c = C.monte_carlo(_tai_fw(), _tai(), 500, seed=8)
    assert np.array_equal(a.ranks, b.ranks) and not np.array_equal(a.ranks, c.ranks)
    assert np.all(a.p05 <= a.median_rank) and np.all(a.median_rank <= a.p95)
    assert a.p95[0] <= 5 and a.p05[-1] >= 15  # Finland stays near the top, Slovenia near the bottom


def test_monte_carlo_without_uncertainty_reproduces_reference():
    s = C.Settings(normalizations=("minmax",), weightings=("framework",), aggregations=("arithmetic",),
                   weight_noise=0.0, exclude=False)
    mc = C.monte_carlo(_tai_fw(), _tai(), 50, seed=1, settings=s)
    assert np.all(mc.ranks == mc.reference_rank) and np.all(mc.shift == 0)


def test_sobol_indices_identify_the_only_uncertain_factor():
    s = C.Settings(normalizations=("minmax",), weightings=("framework",), aggregations=("arithmetic",),
                   weight_noise=0.0, exclude=True)
    so = C.sobol_indices(_tai_fw(), _tai(), 256, seed=3, settings=s, per_unit=False)
    S1, ST = so.S1["average shift"], so.ST["average shift"]
    assert so.factors[3] == "exclusion"
    assert ST[3] > 0.9 and S1[3] > 0.8
    assert np.all(np.abs(np.delete(ST, 3)) < 0.05)


def _tai_3_levels(aggregation, normalization="minmax", weighting="entropy"):
    groups = ["creation", "creation", "recent", "recent", "old", "old", "skills", "skills"]
    return C.framework_from_dict({
        "options": {"aggregation": aggregation, "normalization": normalization, "weighting": weighting},
        "groups": {"creation": {"parent": "tech"}, "recent": {"parent": "tech"}, "old": {"parent": "diffusion"},
                   "skills": {"parent": "diffusion"}, "tech": {}, "diffusion": {}},
        "indicators": {n: {"direction": "+", "group": g} for n, g in zip(_tai().indicators, groups, strict=True)}})


@pytest.mark.parametrize("aggregation", C.uncertainty.AGGREGATIONS)
def test_zero_uncertainty_monte_carlo_ranks_equal_the_reference_for_every_aggregation(aggregation):
    fw = _tai_3_levels(aggregation)
    s = C.Settings(normalizations=("minmax",), weightings=("framework",), aggregations=(aggregation,),
                   weight_noise=0.0, exclude=False)
    mc = C.monte_carlo(fw, _tai(), 5, seed=1, settings=s)
    assert mc.reference_rank.tolist() == C.compute_index(fw, _tai()).rank.tolist()
    assert all(r.tolist() == mc.reference_rank.tolist() for r in mc.ranks)


def test_default_monte_carlo_settings_include_the_frameworks_own_choices():
    fw = _tai_3_levels("topsis", normalization="goalposts")
    s = C.Settings.for_framework(fw)
    assert s.normalizations[0] == "goalposts" and s.aggregations[0] == "topsis"
    assert set(s.aggregations) >= {"arithmetic", "geometric"}


def test_weight_noise_changes_the_rank_distribution():
    fixed = dict(normalizations=("minmax",), weightings=("framework",), aggregations=("arithmetic",), exclude=False)
    quiet = C.monte_carlo(_tai_fw(), _tai(), 400, seed=3, settings=C.Settings(weight_noise=0.0, **fixed))
    noisy = C.monte_carlo(_tai_fw(), _tai(), 400, seed=3, settings=C.Settings(weight_noise=0.5, **fixed))
    assert np.all(quiet.p95 == quiet.p05)  # nothing else is uncertain
    assert np.sum(noisy.p95 > noisy.p05) >= 5 and noisy.shift.mean() > 0.2


def test_entropy_and_critic_weights_use_minmax_of_the_oriented_data_whatever_the_normalization():
    t = _tai()
    dirs = [1] * 7 + [-1]  # one cost indicator, so orientation matters
    oriented_minmax = C.normalize(t.values, "minmax", dirs)
    for method, expected in (("entropy", C.entropy(oriented_minmax)), ("critic", C.critic(oriented_minmax))):
        fw = C.framework_from_dict({"options": {"normalization": "rank", "weighting": method},
                                    "indicators": {n: {"direction": "+" if d == 1 else "-"}
                                                   for n, d in zip(t.indicators, dirs, strict=True)}})
        res = C.compute_index(fw, t)
        got = np.array([res.effective_weights[n] for n in t.indicators])
        assert np.allclose(got, expected, atol=1e-12)
        ranks_minmax = C.entropy(C.normalize(C.normalize(t.values, "rank", dirs), "minmax", [1] * 8))
        assert method != "entropy" or not np.allclose(got, ranks_minmax, atol=1e-3)  # the old, wrong basis


def test_coherence_reports_alpha_per_dimension_and_flags_the_negative_indicator():
    Xn = C.normalize(_tai().values, "minmax", [1] * 8)
    groups = ["creation", "creation", "diffusion", "diffusion", "diffusion", "diffusion", "skills", "skills"]
    flipped = Xn.copy()
    flipped[:, 6] = 1 - flipped[:, 6]  # schooling entered with the wrong direction
    rep = C.coherence(flipped, _tai().indicators, groups)
    assert rep.alpha["creation"] == pytest.approx(C.cronbach_alpha(flipped[:, :2]))
    assert rep.alpha["diffusion"] == pytest.approx(C.cronbach_alpha(flipped[:, 2:6]))
    assert rep.alpha["creation"] != pytest.approx(rep.alpha["diffusion"])
    negative = [(n, g) for n, g, _r in rep.negative]
    assert ("schooling", "skills") in negative and ("university", "skills") in negative  # a pair: both sides
    assert ("exports", "diffusion") in negative  # as in the Handbook, exports sits apart (Table 11)
    assert not any(n in ("patents", "royalties") for n, _g in negative)
    cancel = np.column_stack([Xn[:, 0], 1 - Xn[:, 0], Xn[:, 1], Xn[:, 2]])  # a group whose total is constant
    rep = C.coherence(cancel, ["a", "b", "c", "d"], ["g1", "g1", "g2", "g2"])
    assert math.isnan(rep.alpha["g1"]) and not math.isnan(rep.alpha["g2"])


def test_entropy_weights_and_score_through_the_pipeline_match_the_issue_formulas():
    # a: benefit, b: cost.  Min-max (b reversed): a' = [0, .5, 1], b' = [1, 0, .5].
    t = C.Table(["x", "y", "z"], ["a", "b"], np.array([[1.0, 10], [2, 30], [3, 20]]))
    fw = C.framework_from_dict({"options": {"weighting": "entropy", "normalization": "rank"},
                                "indicators": {"a": {"direction": "+"}, "b": {"direction": "-"}}})
    res = C.compute_index(fw, t)
    # Both columns are {0, .5, 1}: p = (0, 1/3, 2/3), e = −(1/ln 3)(⅓ln⅓ + ⅔ln⅔) for each, so w = (½, ½).
    e = -(1 / math.log(3)) * (1 / 3 * math.log(1 / 3) + 2 / 3 * math.log(2 / 3))
    assert e == pytest.approx(0.5794, abs=1e-4)
    assert res.effective_weights == pytest.approx({"a": 0.5, "b": 0.5})
    minmax_fw = C.framework_from_dict({"options": {"weighting": "entropy"},
                                       "indicators": {"a": {"direction": "+"}, "b": {"direction": "-"}}})
    assert np.allclose(C.compute_index(minmax_fw, t).score, 100 * (0.5 * np.array([0, .5, 1]) + 0.5 * np.array([1, 0, .5])))


def test_jrc_rule_never_flattens_an_indicator_into_a_constant():
    # One district with 5 standards, twelve with none: winsorising would make all thirteen 0.
    X = np.zeros((13, 1))
    X[4, 0] = 5.0
    out, cells = C.treat_outliers(X)
    assert np.ptp(out[:, 0]) > 0 and {c.method for c in cells} == {"log"}
    assert np.argmax(out[:, 0]) == 4
