"""Tests of the surveillance engine: agreement with R, bad input, and the `qcity risk` CLI.

The R reference outputs under data/surveillance_r were produced once with
``bench/surveillance_vs_r/run.py --write-fixtures`` (R 4.2.2, surveillance 1.20.3), so R is
not needed here.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from qualitycity.commands import risk
from qualitycity.methods import outbreak_sim as osim
from qualitycity.methods.surveillance import (
    FarringtonControl,
    SurveillanceInputError,
    arl_cusum,
    check_counts,
    cusum,
    ears_c,
    ewma,
    farrington_flexible,
    find_h,
    find_k,
    from_long,
    glrnb,
    history_needed,
)
from qualitycity.methods.surveillance.farrington import _reference_rows

DATA = Path(__file__).parent / "data" / "surveillance_r"


def _load_counts():
    with open(DATA / "counts.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    names = rows[0][1:]
    dates = np.array([r[0] for r in rows[1:]], dtype="datetime64[D]")
    y = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    return names, dates, y


def _load_r(label, names, n_mon):
    idx = {n: j for j, n in enumerate(names)}
    out = {k: np.full((n_mon, len(names)), np.nan) for k in ("upperbound", "alarm")}
    seen = np.zeros(len(names), dtype=int)
    with open(DATA / f"{label}.csv", newline="") as fh:
        for rec in csv.DictReader(fh):
            j = idx[rec["series"]]
            for k in out:
                out[k][seen[j], j] = float(rec[k])
            seen[j] += 1
    return out


RUNS = {
    "farrington_original": lambda y, d, m: farrington_flexible(y, d, m, FarringtonControl()),
    "farrington_noufaily": lambda y, d, m: farrington_flexible(y, d, m, FarringtonControl.noufaily()),
    "earsC_C1": lambda y, d, m: ears_c(y, "C1", monitor=m),
    "earsC_C2": lambda y, d, m: ears_c(y, "C2", monitor=m),
    "earsC_C3": lambda y, d, m: ears_c(y, "C3", monitor=m),
    "cusum": lambda y, d, m: cusum(y, monitor=m),
}


@pytest.mark.parametrize("label", sorted(RUNS))
def test_agrees_with_r_fixtures(label):
    names, dates, y = _load_counts()
    n_mon = osim.MONITORED
    monitor = np.arange(y.shape[0] - n_mon, y.shape[0])
    r = _load_r(label, names, n_mon)
    ours = RUNS[label](y, dates, monitor)
    r_alarm = np.nan_to_num(r["alarm"], nan=0).astype(bool)
    assert r_alarm.sum() > 0, "fixture should contain alarms"
    assert np.array_equal(ours.alarm, r_alarm)
    ub_r, ub_o = r["upperbound"], ours.upperbound
    assert np.array_equal(np.isfinite(ub_r), np.isfinite(ub_o))
    both = np.isfinite(ub_r)
    rel = np.abs(ub_o[both] - ub_r[both]) / np.maximum(np.abs(ub_r[both]), 1e-12)
    assert rel.max() <= 1e-3


def test_reference_weeks_follow_the_calendar_like_r():
    # 2017-01-02 minus 5 calendar years is 2012-01-02 (a Monday) = 261 weeks back,
    # not 5 x 52 = 260: R's date rule, which a plain index rule would miss.
    dates = np.datetime64("2010-01-04") + 7 * np.arange(400)
    k = int(np.nonzero(dates == np.datetime64("2017-01-02"))[0][0])
    rows = _reference_rows(k, dates, 5, 52)
    assert k - rows[-1] == 261
    assert [k - r for r in _reference_rows(k, None, 5, 52)] == [52, 104, 156, 208, 260]


def test_cusum_arl_and_h_match_r():
    # values from R surveillance 1.20.3: arlCusum(4, 2.5, 2)$ARL, arlCusum(10, 5.3, 4.7)$ARL,
    # findH(500, 4.7)
    assert arl_cusum(4, 2.5, 2.0) == pytest.approx(36.01066, rel=1e-6)
    assert arl_cusum(10, 5.3, 4.7) == pytest.approx(110.8035, rel=1e-6)
    k, h = find_h(500, 4.7)
    assert (k, h) == (5.7, 11.4)
    assert find_k(4.0, 6.0) == pytest.approx(4.9)


def test_cusum_from_arl0_controls_false_alarms():
    rng = np.random.default_rng(3)
    y = rng.poisson(4.0, size=(1052, 200)).astype(float)
    res = cusum(y, arl0=100, monitor=np.arange(52, 1052))
    # first alarm times of an in-control chart: their mean is near the target ARL
    first = np.array([np.argmax(res.alarm[:, j]) + 1 for j in range(200) if res.alarm[:, j].any()])
    assert 50 < first.mean() < 200


# ---------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------

def _sim(n_weeks=624, n=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.poisson(6.0, size=(n_weeks, n)).astype(float), osim.week_dates(n_weeks)


def test_series_too_short_says_how_many_weeks_are_needed():
    y, d = _sim(200)
    with pytest.raises(SurveillanceInputError) as exc:
        farrington_flexible(y, d, control=FarringtonControl(b=5, w=3))
    msg = str(exc.value)
    need = history_needed(263, osim.week_dates(400), FarringtonControl())
    assert "too short" in msg and str(need + 1) in msg and "no alarm" in msg
    with pytest.raises(SurveillanceInputError, match="needs 3 weeks"):
        ears_c(y[:3], "C1", baseline=3)


@pytest.mark.parametrize("value,word", [(-1, "negative"), (2.5, "fractional"), (np.nan, "missing")])
def test_bad_counts_are_refused(value, word):
    y, d = _sim()
    y[300, 1] = value
    with pytest.raises(SurveillanceInputError, match=word) as exc:
        farrington_flexible(y, d, names=["a", "b", "c"])
    assert "series 'b'" in str(exc.value) and str(d[300]) in str(exc.value)
    with pytest.raises(ValueError):  # also a plain ValueError for generic callers
        check_counts(y, d)


def test_duplicate_weeks_and_gaps_are_refused():
    rows = [("x", "2024-01-01", "1"), ("x", "2024-01-08", "2"), ("x", "2024-01-08", "3")]
    with pytest.raises(SurveillanceInputError, match="duplicate week"):
        from_long(rows)
    rows = [("x", "2024-01-01", "1"), ("x", "2024-01-08", "2"), ("x", "2024-01-22", "3")]
    with pytest.raises(SurveillanceInputError, match="gap.*1 week"):
        from_long(rows)
    with pytest.raises(SurveillanceInputError, match="fractional"):
        from_long([("x", "2024-01-01", "1.5")])
    with pytest.raises(SurveillanceInputError, match="missing"):
        from_long([("x", "2024-01-01", "")])
    d = osim.week_dates(10)
    d[5] = d[4]
    with pytest.raises(SurveillanceInputError, match="duplicate"):
        check_counts(np.ones((10, 1)), d)


def test_all_zero_series_gives_no_alarm_and_says_so():
    y, d = _sim()
    y[:, 1] = 0
    y[-3:, 0] += 40  # a real outbreak in series 0, to show the others still work
    for ctl in (FarringtonControl(), FarringtonControl.noufaily()):
        res = farrington_flexible(y, d, np.arange(575, 624), ctl, names=["a", "b", "c"])
        assert not res.alarm[:, 1].any()
        assert np.isnan(res.upperbound[:, 1]).all()
        assert any("'b'" in n and "zero" in n for n in res.notes)
        assert res.alarm[-3:, 0].all()
    for fn in (lambda: ears_c(y, "C1", monitor=np.arange(575, 624)),
               lambda: cusum(y, monitor=np.arange(575, 624)),
               lambda: ewma(y, monitor=np.arange(575, 624))):
        res = fn()
        assert not res.alarm[:, 1].any()
        assert res.notes


def test_limit54_suppresses_alarms_on_few_cases():
    y = np.zeros((624, 1))
    y[::7] = 1  # very sparse history
    y[-1] = 3  # 3 cases in the last 4 weeks: far above baseline but below limit54
    d = osim.week_dates()
    res = farrington_flexible(y, d, np.array([623]), FarringtonControl())
    assert not res.alarm.any() and np.isnan(res.upperbound).all()
    res = farrington_flexible(y, d, np.array([623]), FarringtonControl(limit54=(0, 4)))
    assert res.alarm.all()


def test_farrington_detects_injected_outbreak_and_not_baseline():
    rng = np.random.default_rng(11)
    sc = osim.SCENARIOS[8]
    y0, _ = osim.simulate(sc, 30, rng, k_current=None)
    res0 = farrington_flexible(y0, osim.week_dates(), np.arange(575, 624), FarringtonControl.noufaily())
    assert res0.alarm.mean() < 0.08  # one-sided 95% bound: about 5% false alarms at most
    y1 = y0.copy().astype(float)
    y1[600:603] += np.round(8 * np.sqrt(y1[560:600].mean(axis=0) * sc.phi))
    res1 = farrington_flexible(y1, osim.week_dates(), np.arange(575, 624), FarringtonControl.noufaily())
    assert res1.alarm[25:28].any(axis=0).mean() > 0.9


def test_glrnb_and_ewma_react_to_a_shift():
    rng = np.random.default_rng(5)
    y = rng.poisson(5.0, size=(160, 4)).astype(float)
    y[150:] += 12
    for res in (glrnb(y[:, :2], monitor=np.arange(104, 160)),
                ewma(y, monitor=np.arange(104, 160))):
        assert res.alarm[:40].sum() <= 2  # in control: at most the odd false alarm
        assert res.alarm[46:].any(axis=0).all()
        ok = np.isfinite(res.upperbound)
        assert (res.alarm[ok] == (res.observed[ok] >= res.upperbound[ok])).mean() > 0.9


# ---------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------

def _write_long(path, names, dates, y):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["series", "week", "count"])
        for j, n in enumerate(names):
            for i in range(y.shape[0]):
                w.writerow([n, str(dates[i]), int(y[i, j])])


def _read_out(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_cli_round_trip_matches_engine(tmp_path, capsys):
    names, dates, y = _load_counts()
    inp, out = tmp_path / "counts.csv", tmp_path / "alarms.csv"
    _write_long(inp, names, dates, y)
    code = risk.main(["detect", "--method", "farrington-flexible", "--input", str(inp),
                      "--output", str(out), "--monitor-last", "49", "--no-periods", "10",
                      "--past-weeks-not-included", "26", "--p-threshold-trend", "1",
                      "--threshold-method", "nbPlugin", "--limit54", "5,4", "--powertrans", "2/3",
                      "--reweight", "--trend", "--b", "5", "--w", "3"])
    assert code == 0
    rows = _read_out(out)
    assert list(rows[0]) == ["series", "week", "observed", "expected", "upperbound", "alarm", "pvalue"]
    assert len(rows) == len(names) * 49
    ref = farrington_flexible(y, dates, np.arange(575, 624), FarringtonControl.noufaily())
    order = sorted(range(len(names)), key=lambda j: names[j])
    alarms = np.array([r["alarm"] == "1" for r in rows]).reshape(len(names), 49)
    assert np.array_equal(alarms, ref.alarm[:, order].T)
    r0 = rows[0]
    j0 = names.index(r0["series"])
    assert r0["week"] == str(dates[575])
    assert float(r0["observed"]) == y[575, j0]
    ub = np.array([float(r["upperbound"]) if r["upperbound"] else np.nan for r in rows])
    np.testing.assert_allclose(ub.reshape(len(names), 49), ref.upperbound[:, order].T,
                               rtol=1e-5, equal_nan=True)
    assert np.isfinite(ub).sum() > 100

    for method in ("ears-c1", "ears-c2", "ears-c3", "cusum", "ewma"):
        out2 = tmp_path / f"{method}.csv"
        assert risk.main(["detect", "--method", method, "--input", str(inp), "--output", str(out2),
                          "--from", str(dates[600])]) == 0
        assert len(_read_out(out2)) == len(names) * 24


@pytest.mark.parametrize("bad", ["negative", "fraction", "dup", "gap", "short", "missing"])
def test_cli_bad_input_exits_2_without_output(tmp_path, capsys, bad):
    dates = osim.week_dates(300)
    y = np.random.default_rng(1).poisson(4, size=(300, 1)).astype(float)
    inp, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _write_long(inp, ["s"], dates, y)
    lines = inp.read_text().splitlines()
    if bad == "negative":
        lines[5] = lines[5].rsplit(",", 1)[0] + ",-2"
    elif bad == "fraction":
        lines[5] = lines[5].rsplit(",", 1)[0] + ",0.5"
    elif bad == "missing":
        lines[5] = lines[5].rsplit(",", 1)[0] + ","
    elif bad == "dup":
        lines.append(lines[5])
    elif bad == "gap":
        del lines[10]
    inp.write_text("\n".join(lines) + "\n")
    args = ["detect", "--method", "farrington-flexible", "--input", str(inp), "--output", str(out)]
    if bad == "short":
        args += ["--monitor-last", "100"]
    code = risk.main(args)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert not out.exists()
    assert len(err.splitlines()) == 1 and err.startswith("qcity risk: error:")
    if bad == "short":
        assert "needs" in err and "weeks" in err


def test_cli_all_zero_series_warns_and_writes_no_alarm(tmp_path, capsys):
    dates = osim.week_dates(400)
    y = np.zeros((400, 1))
    inp, out = tmp_path / "in.csv", tmp_path / "out.csv"
    _write_long(inp, ["quiet"], dates, y)
    assert risk.main(["detect", "--method", "farrington-flexible", "--input", str(inp),
                      "--output", str(out), "--monitor-last", "10"]) == 0
    assert "every count is zero" in capsys.readouterr().err
    assert all(r["alarm"] == "0" for r in _read_out(out))


def test_cli_evaluate_writes_json(tmp_path, capsys):
    out = tmp_path / "eval.json"
    code = risk.main(["evaluate", "--series-per-scenario", "1", "--methods", "ears-c1,cusum",
                      "--output", str(out)])
    assert code == 0
    data = json.loads(out.read_text())
    for m in ("ears-c1", "cusum"):
        meas = data["methods"][m]
        assert 0 <= meas["FPR"] <= 1 and 0 <= meas["POD"] <= 1
        assert 0 <= meas["specificity"] <= 1 and 0 <= meas["sensitivity"] <= 1
    assert "FPR" in capsys.readouterr().out


def test_scenarios_and_measures():
    assert len(osim.SCENARIOS) == 42
    sc4 = osim.SCENARIOS[3]
    assert (sc4.theta, sc4.beta, sc4.gamma1, sc4.gamma2, sc4.m, sc4.phi) == (1.6, 0, 0.4, 0.5, 1, 2.0)
    rng = np.random.default_rng(0)
    sc = osim.Scenario(0, 3.0, 0.0, 0.0, 0.0, 0, 3.0)
    y, _ = osim.simulate(sc, 400, rng, past_outbreaks=0)
    assert y.mean() == pytest.approx(np.exp(3.0), rel=0.02)
    assert y.var() / y.mean() == pytest.approx(3.0, rel=0.1)  # phi is the variance/mean ratio
    alarm = np.array([[1, 0], [1, 0], [0, 1]], bool)
    state = np.array([[1, 0], [0, 0], [0, 0]], bool)
    m = osim.measures(alarm, state)
    assert m["sensitivity"] == 1.0 and m["PPV"] == 1 / 3 and m["FPR"] == 2 / 5
    assert m["POD"] == 1.0 and m["specificity"] == 3 / 5
