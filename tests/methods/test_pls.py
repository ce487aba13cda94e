"""Tests for the PLS path-modelling engine (issue 7, "Engine" and "Bad input").

The reference check compares with SmartPLS 2 on the ECSI ``mobi`` data; see
``tests/methods/data/README.md`` for where every number comes from.
"""

from __future__ import annotations

import csv
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from qualitycity.commands import survey
from qualitycity.methods.pls import (
    PLSConvergenceError,
    PLSModel,
    PLSModelError,
    bootstrap,
    fit,
    ipma,
)

DATA = Path(__file__).parent / "data"
SMARTPLS = DATA / "smartpls_ecsi"
SCHEME_DIRS = {"centroid": "centroid", "factorial": "factorial", "path": "pathWeighting"}


@pytest.fixture(autouse=True)
def _test_settings():
    """Override the project conftest's Django-settings fixture for this module.

    The engine is pure numpy; overriding the autouse fixture by name lets these
    tests also run with ``-p no:django`` (no pytest-django ``settings`` fixture).
    """
    yield


# ---------------------------------------------------------------------------- helpers
def _read_csv(path: Path) -> dict[str, np.ndarray]:
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    arr = np.array(rows[1:], dtype=float)
    return {h: arr[:, j] for j, h in enumerate(rows[0])}


def _edges(path: Path) -> list[tuple[str, str]]:
    with open(path, newline="") as fh:
        return [(r["source"], r["target"]) for r in csv.DictReader(fh)]


def _smartpls_table(path: Path) -> dict[str, dict[str, float]]:
    """SmartPLS 2 text export: tab-separated, decimal comma, row label first."""
    lines = [ln.rstrip("\n").split("\t") for ln in path.read_text().splitlines() if ln.strip()]
    cols = [c.strip() for c in lines[0][1:] if c.strip()]
    table = {}
    for ln in lines[1:]:
        vals = [v.strip() for v in ln[1:] if v.strip()]
        table[ln[0].strip()] = {c: float(v.replace(",", ".")) for c, v in zip(cols, vals, strict=True)}
    return table


@pytest.fixture(scope="module")
def mobi() -> dict[str, np.ndarray]:
    return _read_csv(DATA / "mobi.csv")


@pytest.fixture(scope="module")
def ecsi() -> PLSModel:
    constructs: dict[str, list[str]] = {}
    for lv, item in _edges(DATA / "ecsi_measurement.csv"):
        constructs.setdefault(lv, []).append(item)
    return PLSModel(constructs, _edges(DATA / "ecsi_structural.csv"))


@pytest.fixture(scope="module")
def ecsi_fit(ecsi, mobi):
    return fit(ecsi, mobi, scheme="path", scale=(1, 10))


def _small_model(**kw) -> PLSModel:
    return PLSModel({"A": ["a1", "a2", "a3"], "B": ["b1", "b2"], "C": ["c1", "c2"]},
                    {"A": ["B", "C"], "B": ["C"]}, **kw)


def _small_data(n=200, seed=0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = 0.6 * a + 0.8 * rng.normal(size=n)
    c = 0.3 * a + 0.5 * b + 0.7 * rng.normal(size=n)
    out = {}
    for name, lv, k in (("a", a, 3), ("b", b, 2), ("c", c, 2)):
        for i in range(1, k + 1):
            x = 5.5 + 1.5 * (0.8 * lv + 0.6 * rng.normal(size=n))
            out[f"{name}{i}"] = np.clip(np.round(x), 1, 10)
    return out


# ---------------------------------------------------------------- SmartPLS reference
def test_ecsi_model_matches_brief(ecsi):
    expected = {("Image", "Expectation"), ("Image", "Satisfaction"), ("Image", "Loyalty"),
                ("Expectation", "Quality"), ("Expectation", "Value"), ("Expectation", "Satisfaction"),
                ("Quality", "Value"), ("Quality", "Satisfaction"), ("Value", "Satisfaction"),
                ("Satisfaction", "Complaints"), ("Satisfaction", "Loyalty"), ("Complaints", "Loyalty")}
    assert set(ecsi.paths) == expected
    assert len(ecsi.indicators) == 24


@pytest.mark.parametrize("scheme", ["centroid", "factorial", "path"])
def test_reproduces_smartpls(ecsi, mobi, scheme):
    res = fit(ecsi, mobi, scheme=scheme)
    assert res.converged
    ref = SMARTPLS / SCHEME_DIRS[scheme]
    pc = _smartpls_table(ref / "pathCoefficients.txt")
    ow = _smartpls_table(ref / "outerWeights.txt")
    cl = _smartpls_table(ref / "crossLoadings.txt")

    path_diff = max(abs(res.paths[(s, t)] - pc[s][t]) for s, t in ecsi.paths)
    assert path_diff < 1e-3

    # R² from SmartPLS' own numbers: corr(a, b) = Σ_{i∈a} w_i · crossloading(i, b).
    names = ecsi.names
    corr = {(a, b): sum(ow[i][a] * cl[i][b] for i in ecsi.constructs[a]) for a in names for b in names}
    assert all(abs(corr[(a, a)] - 1) < 1e-6 for a in names)
    r2_ref = {t: sum(pc[s][t] * corr[(s, t)] for s, tt in ecsi.paths if tt == t)
              for t in {t for _, t in ecsi.paths}}
    assert set(res.r2) == set(r2_ref)
    r2_diff = max(abs(res.r2[t] - r2_ref[t]) for t in r2_ref)
    assert r2_diff < 1e-3

    w_diff = max(abs(res.outer_weights[c][i] - ow[i][c]) for c in names for i in ecsi.constructs[c])
    assert w_diff < 1e-3
    l_diff = max(abs(res.loadings[c][i] - cl[i][c]) for c in names for i in ecsi.constructs[c])
    assert l_diff < 1e-3


def test_total_effects_match_smartpls(ecsi_fit):
    te = _smartpls_table(SMARTPLS / "pathWeighting" / "totalEffects.txt")
    for (s, t), v in ecsi_fit.total_effects.items():
        assert v == pytest.approx(te[s][t], abs=1e-3)
    assert ecsi_fit.total_effects[("Image", "Loyalty")] == pytest.approx(te["Image"]["Loyalty"], abs=1e-3)


def test_scores_are_standardized_and_consistent(ecsi_fit, mobi):
    s = ecsi_fit.scores
    assert s.shape == (250, 7)
    np.testing.assert_allclose(s.mean(axis=0), 0, atol=1e-10)
    np.testing.assert_allclose(s.std(axis=0, ddof=1), 1, atol=1e-10)
    # The reported loading is the correlation between the item and the score.
    k = ecsi_fit.constructs.index("Quality")
    r = np.corrcoef(mobi["PERQ3"], s[:, k])[0, 1]
    assert ecsi_fit.loadings["Quality"]["PERQ3"] == pytest.approx(r, abs=1e-10)


def test_quality_measures(ecsi_fit, mobi):
    q = ecsi_fit.quality
    lam = np.array(list(ecsi_fit.loadings["Loyalty"].values()))
    assert q["ave"]["Loyalty"] == pytest.approx(np.mean(lam ** 2))
    assert q["composite_reliability"]["Loyalty"] == pytest.approx(
        lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam ** 2)))
    # Cronbach's alpha on standardized items via the classic variance formula.
    Z = np.column_stack([(mobi[c] - mobi[c].mean()) / mobi[c].std(ddof=1) for c in ("CUEX1", "CUEX2", "CUEX3")])
    k = 3
    alpha = k / (k - 1) * (1 - k / Z.sum(axis=1).var(ddof=1))
    assert q["cronbach_alpha"]["Expectation"] == pytest.approx(alpha)
    # HTMT by hand for Value (2 items) vs Satisfaction (3 items).
    R = np.corrcoef(np.column_stack([mobi[c] for c in ("PERV1", "PERV2", "CUSA1", "CUSA2", "CUSA3")]), rowvar=False)
    het = R[:2, 2:].mean()
    mono_v = R[0, 1]
    mono_s = (R[2:, 2:].sum() - 3) / 6
    assert q["htmt"]["Value / Satisfaction"] == pytest.approx(het / np.sqrt(mono_v * mono_s))
    comm = [v ** 2 for c, d in ecsi_fit.loadings.items() if len(d) > 1 for v in d.values()]
    assert q["gof"] == pytest.approx(np.sqrt(np.mean(comm) * np.mean(list(ecsi_fit.r2.values()))))
    assert q["ave"]["Complaints"] == pytest.approx(1.0)


# -------------------------------------------------------------------------- the index
def test_index_follows_acsi_recipe(ecsi_fit, mobi):
    w = {i: v / mobi[i].std(ddof=1) for i, v in ecsi_fit.outer_weights["Satisfaction"].items()}
    tot = sum(w.values())
    avg = sum(w[i] / tot * mobi[i].mean() for i in w)
    assert ecsi_fit.index["Satisfaction"] == pytest.approx((avg - 1) / 9 * 100)
    assert sum(ecsi_fit.index_weights["Satisfaction"].values()) == pytest.approx(1.0)
    # A single-item construct's index is just its item mean on 0-100.
    assert ecsi_fit.index["Complaints"] == pytest.approx((mobi["CUSCO"].mean() - 1) / 9 * 100)
    assert ecsi_fit.scale == {"min": 1.0, "max": 10.0, "source": "given"}


def test_index_known_value():
    """Every item has mean 5.5 on a 1-10 scale, so any weighted mean is 5.5 -> index 50."""
    rng = np.random.default_rng(3)
    n = 300
    data = {}
    for name, k in (("a", 3), ("b", 2), ("c", 2)):
        base = rng.integers(1, 11, size=n).astype(float)
        for i in range(1, k + 1):
            x = np.where(rng.random(n) < 0.7, base, rng.integers(1, 11, size=n))
            data[f"{name}{i}"] = np.concatenate([x, 11 - x])   # mirror -> mean exactly 5.5
    res = fit(_small_model(), data, scale=(1, 10))
    for v in res.index.values():
        assert v == pytest.approx(50.0, abs=1e-9)
    # Same answers everywhere, shifted to the top of the scale -> index 100 for that block.
    top = dict(data)
    for i in (1, 2):
        top[f"b{i}"] = np.where(data[f"b{i}"] > 5, 10.0, 9.0)
    res2 = fit(_small_model(), top, scale=(1, 10))
    assert res2.index["B"] == pytest.approx(100 * (9.5 - 1) / 9, abs=1e-9)


def test_index_scale_observed_when_not_given():
    data = _small_data()
    res = fit(_small_model(), data)
    lo = min(v.min() for v in data.values())
    hi = max(v.max() for v in data.values())
    assert res.scale == {"min": lo, "max": hi, "source": "observed"}


# ------------------------------------------------------------------- measurement modes
def test_mode_a_and_b_fixed_points():
    """At convergence, mode A weights ∝ cov(x, z) and mode B weights ∝ R_kk^{-1} cov(x, z)."""
    data = _small_data(n=400, seed=5)
    for mode in ("A", "B"):
        res = fit(_small_model(modes={"A": mode}), data, scheme="factorial")
        Z = np.column_stack([(data[c] - data[c].mean()) / data[c].std(ddof=1) for c in ("a1", "a2", "a3")])
        idx = {n: k for k, n in enumerate(res.constructs)}
        S = res.scores
        # factorial scheme: inner proxy of A = Σ corr(A, j) Y_j over its neighbours B and C
        z = sum(np.corrcoef(S[:, idx["A"]], S[:, idx[j]])[0, 1] * S[:, idx[j]] for j in ("B", "C"))
        cov = Z.T @ z / (len(z) - 1)
        target = cov if mode == "A" else np.linalg.solve(np.corrcoef(Z, rowvar=False), cov)
        w = np.array(list(res.outer_weights["A"].values()))
        np.testing.assert_allclose(w / np.linalg.norm(w), target / np.linalg.norm(target), atol=1e-6)


def test_single_items_give_correlation():
    rng = np.random.default_rng(1)
    x = rng.normal(size=100)
    y = 0.5 * x + rng.normal(size=100)
    res = fit(PLSModel({"X": ["x"], "Y": ["y"]}, {"X": ["Y"]}), {"x": x, "y": y})
    assert res.paths[("X", "Y")] == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert res.r2["Y"] == pytest.approx(np.corrcoef(x, y)[0, 1] ** 2)


# ---------------------------------------------------------------------------- bad input
def test_constant_item_is_named():
    data = _small_data()
    data["b2"] = np.full_like(data["b2"], 7.0)
    with pytest.raises(PLSModelError, match="'b2'.*zero variance"):
        fit(_small_model(), data)


def test_construct_without_indicators():
    with pytest.raises(PLSModelError, match="construct 'B' has no indicators"):
        PLSModel({"A": ["a1"], "B": []}, {"A": ["B"]})


def test_cycle_is_named():
    with pytest.raises(PLSModelError, match=r"cycle: A -> B -> C -> A"):
        PLSModel({"A": ["a1"], "B": ["b1"], "C": ["c1"]}, {"A": ["B"], "B": ["C"], "C": ["A"]})
    with pytest.raises(PLSModelError, match=r"cycle: A -> A"):
        PLSModel({"A": ["a1"], "B": ["b1"]}, {"A": ["A", "B"]})


def test_other_model_errors():
    with pytest.raises(PLSModelError, match="'Z', which is not a construct"):
        PLSModel({"A": ["a1"], "B": ["b1"]}, {"A": ["Z"]})
    with pytest.raises(PLSModelError, match="indicator 'x' appears in both 'A' and 'B'"):
        PLSModel({"A": ["x"], "B": ["x"]}, {"A": ["B"]})
    with pytest.raises(PLSModelError, match="mode 'C'"):
        PLSModel({"A": ["a1"], "B": ["b1"]}, {"A": ["B"]}, modes={"A": "C"})
    with pytest.raises(PLSModelError, match="'C'.*no structural path"):
        PLSModel({"A": ["a1"], "B": ["b1"], "C": ["c1"]}, {"A": ["B"]})
    with pytest.raises(PLSModelError, match="unknown inner weighting scheme"):
        fit(_small_model(), _small_data(), scheme="magic")


def test_missing_column_is_named():
    data = _small_data()
    del data["c2"]
    with pytest.raises(PLSModelError, match="'c2' named in the model but missing from the data"):
        fit(_small_model(), data)


def test_missing_values_refused_unless_option_given():
    data = _small_data()
    data["a1"] = data["a1"].copy()
    data["a1"][[3, 10]] = np.nan
    data["b2"] = data["b2"].copy()
    data["b2"][[10, 20]] = np.nan
    with pytest.raises(PLSModelError, match="4 missing cell.*3 case.*casewise.*mean"):
        fit(_small_model(), data)

    res = fit(_small_model(), data, missing="casewise")
    assert res.n_cases == 197
    assert res.missing["cases_dropped"] == 3 and res.missing["cells_imputed"] == 0
    assert res.missing["missing_by_item"] == {"a1": 2, "b2": 2}
    ref = fit(_small_model(), {k: np.delete(v, [3, 10, 20]) for k, v in data.items()})
    assert res.paths == pytest.approx(ref.paths)

    imp = fit(_small_model(), data, missing="mean")
    assert imp.n_cases == 200
    assert imp.missing["cells_imputed"] == 4 and imp.missing["cases_dropped"] == 0
    filled = dict(data)
    filled["a1"] = np.where(np.isnan(data["a1"]), np.nanmean(data["a1"]), data["a1"])
    filled["b2"] = np.where(np.isnan(data["b2"]), np.nanmean(data["b2"]), data["b2"])
    assert imp.paths == pytest.approx(fit(_small_model(), filled).paths)


def test_nonconvergence_is_reported():
    model, data = _small_model(), _small_data()
    with pytest.raises(PLSConvergenceError, match="did not converge in 2 iterations"):
        fit(model, data, max_iter=2)
    with pytest.warns(RuntimeWarning, match="did not converge"):
        res = fit(model, data, max_iter=2, allow_nonconvergence=True)
    assert res.converged is False and res.iterations == 2
    assert any("did not converge" in n for n in res.notes)
    ok = fit(model, data)
    assert ok.converged and 2 < ok.iterations < 300


def test_fewer_cases_than_parameters():
    data = {k: v[:8] for k, v in _small_data().items()}
    # 7 outer weights + 3 paths = 10 parameters
    with pytest.raises(PLSModelError, match="8 usable case.*10 free parameters"):
        fit(_small_model(), data)


def test_bad_weights():
    data = _small_data()
    with pytest.raises(PLSModelError, match="positive and finite"):
        fit(_small_model(), data, weights=np.r_[-1.0, np.ones(199)])
    with pytest.raises(PLSModelError, match="weights column 'wt' is missing"):
        fit(_small_model(), data, weights="wt")


# -------------------------------------------------------------------------- case weights
def test_integer_weights_equal_duplicated_rows():
    data = _small_data(n=150, seed=7)
    wts = np.random.default_rng(2).integers(1, 4, size=150)
    dup = {k: np.repeat(v, wts) for k, v in data.items()}
    a = fit(_small_model(), data, weights=wts, scale=(1, 10))
    b = fit(_small_model(), dup, scale=(1, 10))
    assert a.paths == pytest.approx(b.paths, abs=1e-10)
    assert a.r2 == pytest.approx(b.r2, abs=1e-10)
    assert a.index == pytest.approx(b.index, abs=1e-10)
    for c in a.outer_weights:
        assert a.outer_weights[c] == pytest.approx(b.outer_weights[c], abs=1e-10)
    # ... and differ from the unweighted fit, so the weights really act.
    u = fit(_small_model(), data, scale=(1, 10))
    assert max(abs(u.paths[p] - a.paths[p]) for p in u.paths) > 1e-3


# ----------------------------------------------------------------------------- bootstrap
def test_bootstrap_reproducible_and_sensible(ecsi_fit):
    b1 = bootstrap(ecsi_fit, n_boot=1000, seed=42)
    b2 = bootstrap(ecsi_fit, n_boot=1000, seed=42)
    b3 = bootstrap(ecsi_fit, n_boot=1000, seed=43)
    assert b1.to_dict() == b2.to_dict()
    assert b1.to_dict()["paths"] != b3.to_dict()["paths"]
    assert b1.n_valid == 1000 and b1.n_failed == 0 and b1.bca
    for group in ("paths", "outer_weights", "index"):
        for lab, d in b1.estimates[group].items():
            if lab == "Complaints: CUSCO":   # a one-item block's weight is always exactly 1
                assert d["percentile"] == pytest.approx([1.0, 1.0]) and d["se"] < 1e-12
                continue
            lo, hi = d["percentile"]
            assert lo < d["estimate"] < hi, (group, lab)
            assert d["se"] > 0
            assert d["bca"] is not None
    p = b1.estimates["paths"]["Image -> Expectation"]
    assert p["estimate"] == pytest.approx(ecsi_fit.paths[("Image", "Expectation")])
    # The strong paths exclude zero, the weakest one does not.
    assert p["percentile"][0] > 0.3
    lo, hi = b1.estimates["paths"]["Expectation -> Value"]["percentile"]
    assert lo < 0 < hi
    assert b1.estimates["index"]["Satisfaction"]["estimate"] == pytest.approx(ecsi_fit.index["Satisfaction"])


def test_bootstrap_replicates_equal_explicit_refits(ecsi, mobi):
    """The vectorized resampling must equal refitting each resample from scratch."""
    res = fit(ecsi, mobi, scheme="centroid", scale=(1, 10))
    b = bootstrap(res, n_boot=3, seed=9, bca=False)
    rng = np.random.default_rng(9)
    draws = rng.integers(0, 250, size=(3, 250))
    for r in range(3):
        again = fit(ecsi, {k: v[draws[r]] for k, v in mobi.items()}, scheme="centroid", scale=(1, 10))
        np.testing.assert_allclose(b.replicates["paths"][r], [again.paths[p] for p in ecsi.paths], atol=1e-9)
        np.testing.assert_allclose(b.replicates["index"][r], [again.index[c] for c in ecsi.names], atol=1e-9)


# ----------------------------------------------------------------------------------- IPMA
def test_ipma(ecsi_fit):
    out = ipma(ecsi_fit, "Loyalty")
    assert set(out["drivers"]) == {"Image", "Expectation", "Quality", "Value", "Satisfaction", "Complaints"}
    # Performance is the construct index; target performance is the target's index.
    for name, d in out["drivers"].items():
        assert d["performance"] == pytest.approx(ecsi_fit.index[name])
        assert d["importance_standardized"] == pytest.approx(ecsi_fit.total_effects[(name, "Loyalty")])
    assert out["target_performance"] == pytest.approx(ecsi_fit.index["Loyalty"])
    # The rescaled scores are linear in the standardized ones, so unstandardized total
    # effects are the standardized ones times sd(target)/sd(driver) of the 0-100 scores.
    prep = ecsi_fit._data
    iw = np.zeros((24, 7))
    for k, c in enumerate(ecsi_fit.constructs):
        for it, v in ecsi_fit.index_weights[c].items():
            iw[ecsi_fit.model.indicators.index(it), k] = v
    s100 = (prep.X - 1) / 9 * 100 @ iw
    sd = s100.std(axis=0)
    t = ecsi_fit.constructs.index("Loyalty")
    for name, d in out["drivers"].items():
        k = ecsi_fit.constructs.index(name)
        assert d["importance"] == pytest.approx(d["importance_standardized"] * sd[t] / sd[k], rel=1e-8)
    imps = [d["importance"] for d in out["drivers"].values()]
    assert imps == sorted(imps, reverse=True)
    with pytest.raises(PLSModelError, match="no drivers"):
        ipma(ecsi_fit, "Image")


# ------------------------------------------------------------------------------------ CLI
MODEL_TOML = """
[constructs]
Image = ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"]
Expectation = ["CUEX1", "CUEX2", "CUEX3"]
Quality = ["PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7"]
Value = ["PERV1", "PERV2"]
Satisfaction = ["CUSA1", "CUSA2", "CUSA3"]
Complaints = ["CUSCO"]
Loyalty = ["CUSL1", "CUSL2", "CUSL3"]

[paths]
Image = ["Expectation", "Satisfaction", "Loyalty"]
Expectation = ["Quality", "Value", "Satisfaction"]
Quality = ["Value", "Satisfaction"]
Value = ["Satisfaction"]
Satisfaction = ["Complaints", "Loyalty"]
Complaints = ["Loyalty"]

[scale]
min = 1
max = 10

[options]
scheme = "factorial"
"""


def test_cli_round_trip(tmp_path, ecsi, mobi, capsys):
    model = tmp_path / "model.toml"
    model.write_text(MODEL_TOML)
    out = tmp_path / "results.json"
    rc = survey.main(["pls", "--model", str(model), "--data", str(DATA / "mobi.csv"), "--output", str(out),
                      "--scheme", "centroid", "--bootstrap", "200", "--seed", "5"])
    assert rc == 0
    got = json.loads(out.read_text())
    for key in ("paths", "r2", "outer_weights", "loadings", "index", "quality", "iterations", "converged",
                "bootstrap"):
        assert key in got
    ref = fit(ecsi, mobi, scheme="centroid", scale=(1, 10))   # --scheme overrides [options]
    assert got["paths"]["Satisfaction -> Loyalty"] == pytest.approx(ref.paths[("Satisfaction", "Loyalty")])
    assert got["r2"] == pytest.approx(ref.r2)
    assert got["index"] == pytest.approx(ref.index)
    assert got["converged"] is True and got["scheme"] == "centroid"
    assert got["bootstrap"]["seed"] == 5 and got["bootstrap"]["resamples"] == 200
    assert len(got["bootstrap"]["paths"]["Image -> Expectation"]["percentile"]) == 2
    assert "1000 or more" in capsys.readouterr().err

    # [options] scheme applies without --scheme.
    rc = survey.main(["pls", "--model", str(model), "--data", str(DATA / "mobi.csv"), "--output", str(out)])
    assert rc == 0 and json.loads(out.read_text())["scheme"] == "factorial"


@pytest.mark.parametrize(
    ("toml_edit", "csv_edit", "args", "message"),
    [
        (lambda t: t.replace('Complaints = ["Loyalty"]', 'Complaints = ["Loyalty"]\nLoyalty = ["Image"]'),
         None, [], "cycle: Image -> "),
        (lambda t: t.replace('"CUSCO"', '"NOPE"'), None, [], "'NOPE' named in the model but missing"),
        (None, lambda rows: [rows[0]] + [r[:6] + ["5"] + r[7:] for r in rows[1:]], [], "'CUSCO'.*zero variance"),
        (None, lambda rows: [rows[0], rows[1][:3] + [""] + rows[1][4:]] + rows[2:], [], "1 missing cell"),
        (lambda t: t.replace("[scale]", "[scales]"), None, [], "unknown section"),
        (None, None, ["--scheme", "bogus"], "invalid choice"),
        (None, None, ["--weights", "W"], "weights column 'W' is missing"),
        (None, None, ["--max-iter", "1"], "did not converge"),
    ],
)
def test_cli_bad_input(tmp_path, capsys, toml_edit, csv_edit, args, message):
    text = MODEL_TOML if toml_edit is None else toml_edit(MODEL_TOML)
    (tmp_path / "m.toml").write_text(text)
    data = DATA / "mobi.csv"
    if csv_edit is not None:
        with open(data, newline="") as fh:
            rows = csv_edit(list(csv.reader(fh)))
        data = tmp_path / "d.csv"
        with open(data, "w", newline="") as fh:
            csv.writer(fh).writerows(rows)
    out = tmp_path / "out.json"
    rc = survey.main(["pls", "--model", str(tmp_path / "m.toml"), "--data", str(data), "--output", str(out), *args])
    err = capsys.readouterr().err
    assert rc == 2
    assert not out.exists()
    assert len(err.strip().splitlines()) == 1
    assert re.search(message, err), err


def test_cli_missing_option_reports(tmp_path, capsys):
    (tmp_path / "m.toml").write_text(MODEL_TOML)
    with open(DATA / "mobi.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[5][2] = "NA"
    rows[9][2] = ""
    with open(tmp_path / "d.csv", "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "o.json"
    rc = survey.main(["pls", "--model", str(tmp_path / "m.toml"), "--data", str(tmp_path / "d.csv"),
                      "--output", str(out), "--missing", "casewise"])
    assert rc == 0
    got = json.loads(out.read_text())
    assert got["missing"]["cases_dropped"] == 2 and got["n_cases"] == 248
    assert "2 case(s) dropped" in capsys.readouterr().err


def test_no_warnings_on_clean_fit(ecsi, mobi):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit(ecsi, mobi)


def test_bootstrap_mode_b_and_weights_equal_explicit_refits():
    data = _small_data(n=120, seed=11)
    wts = np.random.default_rng(4).uniform(0.5, 2.0, size=120)
    model = _small_model(modes={"A": "B", "C": "B"})
    res = fit(model, data, scheme="path", weights=wts, scale=(1, 10))
    b = bootstrap(res, n_boot=4, seed=3, bca=False)
    assert b.bca is False and "not requested" in b.bca_note
    draws = np.random.default_rng(3).integers(0, 120, size=(4, 120))
    for r in range(4):
        again = fit(model, {k: v[draws[r]] for k, v in data.items()}, scheme="path",
                    weights=wts[draws[r]], scale=(1, 10))
        np.testing.assert_allclose(b.replicates["paths"][r], [again.paths[p] for p in model.paths], atol=1e-9)
        w_again = [again.outer_weights[c][i] for c in model.names for i in model.constructs[c]]
        np.testing.assert_allclose(b.replicates["outer_weights"][r], w_again, atol=1e-8)
        np.testing.assert_allclose(b.replicates["index"][r], [again.index[c] for c in model.names], atol=1e-8)


def test_bca_reduces_to_percentile_without_bias_or_acceleration():
    from qualitycity.methods.pls.resample import _bca_interval
    t = np.linspace(-1, 1, 2001)
    assert _bca_interval(t, 0.0, 0.0, 0.1) == pytest.approx(list(np.quantile(t, [0.05, 0.95])))
    # A positive bias correction (estimate above most replicates) shifts the interval up.
    lo, hi = _bca_interval(t, 0.3, 0.0, 0.1)
    assert lo > np.quantile(t, 0.05) and hi > np.quantile(t, 0.95)
    assert _bca_interval(t, 5.0, 0.0, 0.1) is None


def test_cli_weights_and_modes(tmp_path, mobi, ecsi):
    wts = np.random.default_rng(8).integers(1, 4, size=250)
    with open(DATA / "mobi.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[0].append("wt")
    for r, w in zip(rows[1:], wts, strict=True):
        r.append(str(w))
    with open(tmp_path / "d.csv", "w", newline="") as fh:
        csv.writer(fh).writerows(rows)
    (tmp_path / "m.toml").write_text(MODEL_TOML + '\n[modes]\nImage = "B"\n')
    out = tmp_path / "o.json"
    rc = survey.main(["pls", "--model", str(tmp_path / "m.toml"), "--data", str(tmp_path / "d.csv"),
                      "--output", str(out), "--weights", "wt", "--scheme", "path", "--ipma", "Loyalty"])
    assert rc == 0
    got = json.loads(out.read_text())
    m_b = PLSModel(ecsi.constructs, ecsi.paths, modes={"Image": "B"})
    ref = fit(m_b, mobi, scheme="path", weights=wts, scale=(1, 10))
    assert got["paths"] == pytest.approx({f"{s} -> {t}": v for (s, t), v in ref.paths.items()})
    assert got["outer_weights"]["Image"] == pytest.approx(ref.outer_weights["Image"])
    assert got["ipma"]["target"] == "Loyalty"
    assert got["outer_weights"]["Image"] != pytest.approx(fit(ecsi, mobi, weights=wts).outer_weights["Image"])


def test_cli_prints_the_nonconvergence_warning_once(tmp_path, capsys):
    (tmp_path / "m.toml").write_text(MODEL_TOML)
    out = tmp_path / "o.json"
    with warnings.catch_warnings():
        warnings.simplefilter("always")  # a leaked RuntimeWarning would reach stderr too
        rc = survey.main(["pls", "--model", str(tmp_path / "m.toml"), "--data", str(DATA / "mobi.csv"),
                          "--output", str(out), "--max-iter", "2", "--allow-nonconvergence"])
    err = capsys.readouterr().err
    assert rc == 0 and json.loads(out.read_text())["converged"] is False
    assert err.count("did not converge") == 1, err


def test_engine_imports_no_scipy():
    import subprocess
    import sys

    code = ("import sys; import qualitycity.methods.pls as p; "
            "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("t0", "a"), [(0.3, 0.0), (-0.2, 0.05), (0.1, -0.08)])
def test_bca_interval_equals_the_scipy_normal_quantiles(t0, a):
    from scipy.special import ndtr, ndtri

    from qualitycity.methods.pls.resample import _bca_interval
    t = np.random.default_rng(3).normal(size=1999)
    prop = (np.sum(t < t0) + 0.5 * np.sum(t == t0)) / t.size
    z0, zs = ndtri(prop), ndtri(np.array([0.025, 0.975]))
    expected = np.quantile(t, ndtr(z0 + (z0 + zs) / (1 - a * (z0 + zs))))
    assert _bca_interval(t, t0, a, 0.05) == pytest.approx(list(expected), abs=1e-12)
