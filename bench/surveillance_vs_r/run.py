"""Agreement harness: our surveillance engine against R package surveillance (1.20.3).

    .venv/bin/python bench/surveillance_vs_r/run.py [--series-per-scenario 5] [--seed 42]
        [--write-fixtures tests/methods/data/surveillance_r --fixture-series 8]

1. Installs r-base-core and r-cran-surveillance from Debian with apt-get when Rscript or the
   package is missing (needs root).
2. Simulates series from the 42 scenarios of ``qualitycity.methods.outbreak_sim`` (624
   weeks, an outbreak starting in the last 49 weeks).
3. Runs R (run_surveillance.R) and our engine on identical data, week-dated so that R uses
   its calendar rule for reference weeks, for: farringtonFlexible with the original
   Farrington settings and with the Noufaily settings (noPeriods=10,
   pastWeeksNotIncluded=26, pThresholdTrend=1, thresholdMethod="nbPlugin", b=5, w=3),
   earsC C1/C2/C3 and cusum.
4. Compares week by week: share of series-weeks with identical alarms, and the median and
   maximum relative difference of the upper bounds where both give one.
5. Writes bench/results/surveillance_vs_r.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from qualitycity.methods import outbreak_sim as osim  # noqa: E402
from qualitycity.methods.surveillance import (  # noqa: E402
    FarringtonControl,
    cusum,
    ears_c,
    farrington_flexible,
)

R_SCRIPT = Path(__file__).with_name("run_surveillance.R")
MONITORED = osim.MONITORED

CONFIGS = {
    "farrington_original": ("farrington", [], lambda y, d, mon: farrington_flexible(
        y, d, mon, FarringtonControl())),
    "farrington_noufaily": ("farrington", ["noPeriods=10", "pastWeeksNotIncluded=26",
                                           "pThresholdTrend=1", "thresholdMethod=nbPlugin"],
                            lambda y, d, mon: farrington_flexible(
                                y, d, mon, FarringtonControl.noufaily())),
    "earsC_C1": ("earsC", ["method=C1"], lambda y, d, mon: ears_c(y, "C1", monitor=mon)),
    "earsC_C2": ("earsC", ["method=C2"], lambda y, d, mon: ears_c(y, "C2", monitor=mon)),
    "earsC_C3": ("earsC", ["method=C3"], lambda y, d, mon: ears_c(y, "C3", monitor=mon)),
    "cusum": ("cusum", [], lambda y, d, mon: cusum(y, monitor=mon)),
}


def ensure_r() -> str:
    """Path of Rscript, installing R and surveillance from Debian if needed."""
    def ok() -> bool:
        exe = shutil.which("Rscript")
        if not exe:
            return False
        p = subprocess.run([exe, "-e", "suppressMessages(library(surveillance))"],
                           capture_output=True)
        return p.returncode == 0

    if not ok():
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "r-base-core", "r-cran-surveillance"],
                       check=True, env=env)
    if not ok():
        raise SystemExit("R package surveillance is not available")
    return shutil.which("Rscript")


def r_version(rscript: str) -> str:
    p = subprocess.run([rscript, "-e", 'cat(R.version.string, "/ surveillance",'
                        ' as.character(packageVersion("surveillance")))'],
                       capture_output=True, text=True)
    return p.stdout.strip()


def write_wide(path: Path, dates, names, y) -> None:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["week", *names])
        for i in range(y.shape[0]):
            w.writerow([str(dates[i]), *(int(v) for v in y[i])])


def read_r(path: Path, names, n_mon):
    """R output (long) -> dict of (weeks x series) arrays in our column order."""
    idx = {n: j for j, n in enumerate(names)}
    out = {k: np.full((n_mon, len(names)), np.nan) for k in ("upperbound", "alarm", "expected", "pvalue")}
    counters = np.zeros(len(names), dtype=int)
    with open(path, newline="") as fh:
        for rec in csv.DictReader(fh):
            j = idx[rec["series"]]
            i = counters[j]
            counters[j] += 1
            for k in out:
                v = rec[k]
                out[k][i, j] = float(v) if v not in ("NA", "") else np.nan
    return out


def run_r(rscript, algo, wide, first_row, extra, tmp: Path):
    out = tmp / f"r_{algo}_{abs(hash(tuple(extra)))}.csv"
    t0 = time.perf_counter()
    p = subprocess.run([rscript, str(R_SCRIPT), algo, str(wide), str(out), str(first_row + 1), *extra],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-3000:])
    return out, time.perf_counter() - t0


def compare(ours, r) -> dict:
    r_alarm = np.nan_to_num(r["alarm"], nan=0).astype(bool)
    alarm_same = float((r_alarm == ours.alarm).mean())
    ub_r, ub_o = r["upperbound"], ours.upperbound
    both = np.isfinite(ub_r) & np.isfinite(ub_o)
    rel = np.abs(ub_o[both] - ub_r[both]) / np.maximum(np.abs(ub_r[both]), 1e-12)
    res = {
        "series_weeks": int(ours.alarm.size),
        "alarms_r": int(r_alarm.sum()),
        "alarms_ours": int(ours.alarm.sum()),
        "alarm_agreement": alarm_same,
        "upperbound_compared": int(both.sum()),
        "upperbound_missing_pattern_same": float((np.isfinite(ub_r) == np.isfinite(ub_o)).mean()),
        "upperbound_median_rel_diff": float(np.median(rel)) if rel.size else None,
        "upperbound_p99_rel_diff": float(np.quantile(rel, 0.99)) if rel.size else None,
        "upperbound_max_rel_diff": float(rel.max()) if rel.size else None,
    }
    for key, mine in (("expected", ours.expected), ("pvalue", ours.pvalue)):
        rv = r[key]
        ok = np.isfinite(rv) & np.isfinite(mine)
        if ok.any():
            d = np.abs(mine[ok] - rv[ok]) / np.maximum(np.abs(rv[ok]), 1e-12)
            res[f"{key}_median_rel_diff"] = float(np.median(d))
    return res


def simulate(n_per, seed):
    rng = np.random.default_rng(seed)
    ys, names = [], []
    for sc in osim.SCENARIOS:
        y, _ = osim.simulate(sc, n_per, rng, k_current=float(rng.integers(1, 11)))
        ys.append(y)
        names += [f"sc{sc.number:02d}_{i}" for i in range(n_per)]
    return np.hstack(ys).astype(float), names


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--series-per-scenario", type=int, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--output", default=str(ROOT / "bench/results/surveillance_vs_r.json"))
    ap.add_argument("--write-fixtures", default=None,
                    help="also write counts and R outputs of a few series for the tests here")
    ap.add_argument("--fixture-series", type=int, default=8)
    args = ap.parse_args(argv)

    rscript = ensure_r()
    y, names = simulate(args.series_per_scenario, args.seed)
    dates = osim.week_dates(y.shape[0])
    first = y.shape[0] - MONITORED
    monitor = np.arange(first, y.shape[0])
    results = {"r": r_version(rscript), "series": len(names), "weeks": int(y.shape[0]),
               "monitored_weeks": MONITORED, "seed": args.seed,
               "series_per_scenario": args.series_per_scenario, "methods": {}}
    fixtures = Path(args.write_fixtures) if args.write_fixtures else None
    if fixtures:
        fixtures.mkdir(parents=True, exist_ok=True)
        step = max(1, len(names) // args.fixture_series)
        fix_cols = list(range(0, len(names), step))[: args.fixture_series]
        write_wide(fixtures / "counts.csv", dates, [names[j] for j in fix_cols], y[:, fix_cols])
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        wide = tmp / "counts.csv"
        write_wide(wide, dates, names, y)
        for label, (algo, extra, ours_fn) in CONFIGS.items():
            r_out, r_secs = run_r(rscript, algo, wide, first, extra, tmp)
            r = read_r(r_out, names, MONITORED)
            t0 = time.perf_counter()
            ours = ours_fn(y, dates, monitor)
            secs = time.perf_counter() - t0
            res = compare(ours, r)
            res["seconds_r"] = round(r_secs, 3)
            res["seconds_ours"] = round(secs, 3)
            results["methods"][label] = res
            print(f"{label:<22} alarms identical {100 * res['alarm_agreement']:.3f}%  "
                  f"median rel diff of upper bound {res['upperbound_median_rel_diff']:.2e}  "
                  f"(R {r_secs:.1f}s, ours {secs:.2f}s)", flush=True)
            if fixtures:
                with open(fixtures / f"{label}.csv", "w", newline="") as fh:
                    w = csv.writer(fh)
                    w.writerow(["series", "week", "upperbound", "alarm", "expected", "pvalue"])
                    for j in fix_cols:
                        for i in range(MONITORED):
                            w.writerow([names[j], str(dates[first + i]),
                                        *(repr(float(r[k][i, j])) for k in
                                          ("upperbound", "alarm", "expected", "pvalue"))])
    agg_alarm = [m["alarm_agreement"] for m in results["methods"].values()]
    results["min_alarm_agreement"] = min(agg_alarm)
    results["max_median_rel_diff"] = max(m["upperbound_median_rel_diff"] for m in results["methods"].values())
    results["targets"] = {"alarm_agreement": 0.995, "median_rel_diff": 1e-3}
    results["targets_met"] = bool(results["min_alarm_agreement"] >= 0.995
                                  and results["max_median_rel_diff"] <= 1e-3)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"-> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
