"""``qcity index compute`` (the CLI contract) and the panel imputations it feeds: LOCF over
earlier years and group means, through compute_index, the Monte Carlo and the command."""

from __future__ import annotations

import csv

import numpy as np
import pytest

import qualitycity.methods.composite as C
from qualitycity.commands import index as cli
from qualitycity.methods.composite import CompositeInputError

# --- CLI ------------------------------------------------------------------------

FRAMEWORK = """
[options]
normalization = "minmax"
weighting = "manual"
aggregation = "arithmetic"
imputation = "mean"

[indicators.pass_rate]
direction = "+"
weight = 0.5
group = "product"

[indicators.complaints]
direction = "-"
weight = 0.5
group = "product"

[indicators.good_air_days]
direction = "+"
weight = 1.0
group = "environment"

[groups.product]
weight = 0.5

[groups.environment]
weight = 0.5
"""

DATA = "unit,pass_rate,complaints,good_air_days\nA,90,10,300\nB,94,5,\nC,90,10,300\nD,80,20,250\n"


def _run(tmp_path, framework=FRAMEWORK, data=DATA, extra=()):
    (tmp_path / "f.toml").write_text(framework, encoding="utf-8")
    (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    out = tmp_path / "scores.csv"
    rc = cli.main(["compute", "--framework", str(tmp_path / "f.toml"), "--data", str(tmp_path / "d.csv"),
                   "--output", str(out), *extra])
    return rc, out


def test_cli_round_trip(tmp_path):
    rc, out = _run(tmp_path, extra=["--uncertainty", "200", "--seed", "1"])
    assert rc == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["unit", "score", "rank", "product", "environment"]
    by = {r["unit"]: r for r in rows}
    # B imputed with the mean good_air_days (850/3 ≈ 283.3) -> environment 2/3
    assert float(by["B"]["product"]) == pytest.approx(100)  # best on both product indicators
    assert float(by["A"]["product"]) == pytest.approx(100 * (0.5 * 10 / 14 + 0.5 * 10 / 15), rel=1e-5)
    assert float(by["B"]["environment"]) == pytest.approx(100 * (850 / 3 - 250) / 50, rel=1e-5)
    assert [by[u]["rank"] for u in "ABCD"] == ["1", "3", "1", "4"]  # A and C tie and share rank 1
    unc = list(csv.DictReader((tmp_path / "scores_uncertainty.csv").open(encoding="utf-8")))
    assert [r["unit"] for r in unc] == list("ABCD")
    assert set(unc[0]) == {"unit", "rank", "median_rank", "p05_rank", "p95_rank", "mean_rank"}
    first = (tmp_path / "scores_uncertainty.csv").read_text(encoding="utf-8")
    assert _run(tmp_path, extra=["--uncertainty", "200", "--seed", "1"])[0] == 0
    assert (tmp_path / "scores_uncertainty.csv").read_text(encoding="utf-8") == first  # seeded


def test_cli_bad_input_exit_2_and_no_output(tmp_path, capsys):
    rc, out = _run(tmp_path, data="unit,pass_rate,complaints,good_air_days\nA,90,x,300\nB,95,5,1\n")
    err = capsys.readouterr().err
    assert rc == 2 and not out.exists()
    assert err.count("\n") == 1 and "row 2 (unit A), column 'complaints'" in err
    rc, out = _run(tmp_path, framework=FRAMEWORK.replace('direction = "-"\n', ""))
    assert rc == 2 and "'complaints': direction is not given" in capsys.readouterr().err
    rc, out = _run(tmp_path, framework=FRAMEWORK.replace("weight = 0.5\ngroup = \"product\"", "weight = 0.4\ngroup = \"product\"", 1))
    assert rc == 2 and "not 1" in capsys.readouterr().err


def test_cli_ahp_section(tmp_path):
    fw = FRAMEWORK.replace('weighting = "manual"', 'weighting = "ahp"') + (
        '\n[ahp.product]\nelements = ["pass_rate", "complaints"]\nmatrix = [[1, 3], ["1/3", 1]]\n'
        '\n[ahp.index]\nelements = ["product", "environment"]\nmatrix = [[1, 1], [1, 1]]\n'
    )
    rc, out = _run(tmp_path, framework=fw)
    assert rc == 0
    bad = fw.replace('[[1, 3], ["1/3", 1]]', '[[1, 3], [3, 1]]')
    rc, _ = _run(tmp_path, framework=bad)
    assert rc == 2


# --- imputation that needs a panel or groups, through the whole pipeline -------

def _imp_fw(method):
    return C.framework_from_dict({"options": {"imputation": method},
                                  "indicators": {"a": {"direction": "+"}, "b": {"direction": "-"}}})


def test_locf_carries_the_units_last_earlier_year_forward_in_compute_index():
    now = C.Table(["u1", "u2", "u3"], ["a", "b"], np.array([[1.0, np.nan], [2, 5], [3, 6]]))
    y1 = C.Table(["u1", "u2"], ["a", "b"], np.array([[9.0, 7], [9, 8]]))
    y2 = C.Table(["u1", "u2"], ["a", "b"], np.array([[9.0, 4], [9, np.nan]]))  # a later gap is not used for u1
    res = C.compute_index(_imp_fw("locf"), now, C.Context(history=[(2023, y1), (2024, y2)], time=2025))
    assert res.prepared[0, 1] == 4.0  # 2024, the latest earlier value of u1, not 2023's 7
    assert [(c.row, c.column, c.value, c.method) for c in res.imputed] == [(0, 1, 4.0, "locf")]
    with pytest.raises(CompositeInputError, match="unit 'u1', indicator 'b' is missing at time 2025 with no earlier"):
        other = C.Table(["u9"], ["a", "b"], np.array([[1.0, 1]]))
        C.compute_index(_imp_fw("locf"), now, C.Context(history=[(2023, other)], time=2025))


def test_group_mean_imputation_uses_the_units_group_in_compute_index():
    t = C.Table(["c1", "c2", "o1", "o2"], ["a", "b"], np.array([[1.0, 10], [2, 20], [3, np.nan], [4, 40]]))
    res = C.compute_index(_imp_fw("group_mean"), t, C.Context(groups={"c1": "c", "c2": "c", "o1": "o", "o2": "o"}))
    assert res.prepared[2, 1] == 40.0 and res.imputed[0].method == "group_mean"  # the outer mean, not 23.3
    with pytest.raises(CompositeInputError, match=r"no group given for unit\(s\) o2"):
        C.compute_index(_imp_fw("group_mean"), t, C.Context(groups={"c1": "c", "c2": "c", "o1": "o"}))


def test_monte_carlo_uses_the_same_imputation_context_as_the_reference():
    t = C.Table(["c1", "c2", "o1", "o2"], ["a", "b"], np.array([[1.0, 10], [2, 20], [3, np.nan], [4, 40]]))
    ctx = C.Context(groups={"c1": "c", "c2": "c", "o1": "o", "o2": "o"})
    mc = C.monte_carlo(_imp_fw("group_mean"), t, 20, seed=1, context=ctx)
    assert mc.reference_rank.tolist() == C.compute_index(_imp_fw("group_mean"), t, ctx).rank.tolist()


LONG = """unit,year,imputation_group,a,b
u1,2024,c,1,7
u2,2024,c,2,8
u3,2024,o,3,9
u1,2025,c,4,
u2,2025,c,5,6
u3,2025,o,6,5
"""


@pytest.mark.parametrize(("method", "filled"), [("locf", "7"), ("group_mean", "6")])
def test_cli_long_data_feeds_locf_and_group_mean_and_lists_imputed_cells(tmp_path, capsys, method, filled):
    (tmp_path / "f.toml").write_text(f'[options]\nimputation = "{method}"\n[indicators.a]\ndirection = "+"\n'
                                     '[indicators.b]\ndirection = "-"\n', encoding="utf-8")
    (tmp_path / "d.csv").write_text(LONG, encoding="utf-8")
    out = tmp_path / "s.csv"
    args = ["compute", "--framework", str(tmp_path / "f.toml"), "--data", str(tmp_path / "d.csv"), "--output", str(out)]
    assert cli.main([*args, "--uncertainty", "50", "--seed", "1"]) == 0
    assert "1 cell(s) imputed" in capsys.readouterr().out
    imputed = list(csv.DictReader((tmp_path / "s_imputed.csv").open(encoding="utf-8")))
    assert [(r["unit"], r["indicator"], r["value"], r["method"]) for r in imputed] == [("u1", "b", filled, method)]
    assert [r["unit"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["u1", "u2", "u3"]  # 2025 only
    assert (tmp_path / "s_treated.csv").read_text(encoding="utf-8") == "unit,indicator,old,new,method\n"
    coh = list(csv.DictReader((tmp_path / "s_coherence.csv").open(encoding="utf-8")))
    assert [(r["group"], r["indicators"]) for r in coh] == [("index", "2")] and coh[0]["cronbach_alpha"]
    assert cli.main([*args, "--year", "2024"]) == 0  # an earlier year can be scored too
    assert (tmp_path / "s_imputed.csv").read_text(encoding="utf-8") == "unit,indicator,value,method\n"


# --- the Monte Carlo samples the model it reports ------------------------------
