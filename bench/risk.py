"""`make bench-risk`: speed against R, scale, and the R agreement figures.

    .venv/bin/python bench/risk.py [--r-series 1000] [--scale-series 100000]
        [--scale-weeks 1] [--workers N] [--skip-r]

1. Speed against R, in the same run: the same simulated 1,000 series x 624 weeks, last 49
   weeks monitored, Noufaily settings, timed in our engine (one process) and in R
   ``farringtonFlexible`` (Rscript, one process).  Reports the ratio.
2. Scale: 100,000 series x 624 weeks.  ``--scale-weeks`` weeks are monitored (default 49,
   as in the speed comparison; the weekly production run scores only the newest week); the
   series are split over ``--workers`` processes (default os.cpu_count()).  Reports wall
   time, the engine's CPU time, and peak resident memory (getrusage of this process and of
   the largest worker).
3. Copies the agreement figures of bench/surveillance_vs_r (run that harness first).

Writes bench/results/risk.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench" / "surveillance_vs_r"))

from qualitycity.methods import outbreak_sim as osim  # noqa: E402
from qualitycity.methods.surveillance import FarringtonControl, farrington_flexible  # noqa: E402

N_WEEKS = osim.N_WEEKS
R_SCRIPT = ROOT / "bench" / "surveillance_vs_r" / "run_surveillance.R"


def simulate_fast(n_series: int, seed: int) -> np.ndarray:
    """Baselines of the 42 scenarios in turn (vectorised; no outbreaks), int32 weeks x series."""
    rng = np.random.default_rng(seed)
    out = np.empty((N_WEEKS, n_series), dtype=np.int32)
    which = np.arange(n_series) % len(osim.SCENARIOS)
    for i, sc in enumerate(osim.SCENARIOS):
        cols = np.nonzero(which == i)[0]
        if cols.size == 0:
            continue
        mu = osim.baseline_mean(sc)[:, None] * np.ones((1, cols.size))
        out[:, cols] = rng.negative_binomial(mu / (sc.phi - 1.0), 1.0 / sc.phi)
    # one outbreak of 5 SD in the monitored period of every fifth series
    for j in range(0, n_series, 5):
        t0 = int(rng.integers(N_WEEKS - 49, N_WEEKS - 3))
        out[t0:t0 + 3, j] += int(5 * np.sqrt(out[:N_WEEKS - 49, j].mean() * 2 + 1))
    return out


def _run_block(args):
    y, first = args
    dates = osim.week_dates(N_WEEKS)
    c0 = time.process_time()
    res = farrington_flexible(y, dates, np.arange(first, N_WEEKS), FarringtonControl.noufaily())
    cpu = time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(res.alarm.sum()), peak, cpu


def speed_vs_r(n_series: int, skip_r: bool, seed: int) -> dict:
    y = simulate_fast(n_series, seed)
    dates = osim.week_dates(N_WEEKS)
    first = N_WEEKS - 49
    t0, c0 = time.perf_counter(), time.process_time()
    ours = farrington_flexible(y, dates, np.arange(first, N_WEEKS), FarringtonControl.noufaily())
    t_ours = time.perf_counter() - t0
    cpu_ours = time.process_time() - c0
    out = {"series": n_series, "weeks": N_WEEKS, "monitored_weeks": 49,
           "settings": "noufaily (b=5, w=3, noPeriods=10, pastWeeksNotIncluded=26, "
                       "pThresholdTrend=1, thresholdMethod=nbPlugin)",
           "seconds_ours_one_process": round(t_ours, 3),
           "cpu_seconds_ours": round(cpu_ours, 3), "alarms_ours": int(ours.alarm.sum())}
    if skip_r:
        return out
    import run as harness  # bench/surveillance_vs_r/run.py

    rscript = harness.ensure_r()
    names = [f"s{j}" for j in range(n_series)]
    with tempfile.TemporaryDirectory() as tmpd:
        wide = Path(tmpd) / "counts.csv"
        harness.write_wide(wide, dates, names, y)
        t0 = time.perf_counter()
        p = subprocess.run([rscript, str(R_SCRIPT), "farrington", str(wide), str(Path(tmpd) / "r.csv"),
                            str(first + 1), "noPeriods=10", "pastWeeksNotIncluded=26",
                            "pThresholdTrend=1", "thresholdMethod=nbPlugin"],
                           capture_output=True, text=True)
        t_r_total = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError(p.stderr[-2000:])
        # farringtonFlexible() alone, as timed in R: "elapsed=<s> cpu=<s>"
        timed = dict(part.split("=") for part in p.stdout.strip().splitlines()[-1].split())
        t_r, cpu_r = float(timed["elapsed"]), float(timed["cpu"])
        r = harness.read_r(Path(tmpd) / "r.csv", names, 49)
    r_alarm = np.nan_to_num(r["alarm"], nan=0).astype(bool)
    out.update({
        "seconds_r_farringtonFlexible": round(t_r, 3),
        "seconds_r_including_startup_and_io": round(t_r_total, 3),
        "speedup_vs_r": round(t_r / t_ours, 1),
        # the ratio of CPU seconds holds even when other work shares the machine
        "cpu_seconds_r_farringtonFlexible": round(cpu_r, 3),
        "speedup_vs_r_cpu": round(cpu_r / cpu_ours, 1),
        "alarms_r": int(r_alarm.sum()),
        "alarm_agreement_on_this_data": float((r_alarm == ours.alarm).mean()),
        "target_speedup": 20,
    })
    return out


def scale(n_series: int, weeks: int, workers: int, seed: int) -> dict:
    load_at_start = round(os.getloadavg()[0], 2)
    t0 = time.perf_counter()
    y = simulate_fast(n_series, seed)
    t_sim = time.perf_counter() - t0
    first = N_WEEKS - weeks
    blocks = np.array_split(np.arange(n_series), workers * 4)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as ex:
        results = list(ex.map(_run_block, [(y[:, b], first) for b in blocks]))
    wall = time.perf_counter() - t0
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "series": n_series, "weeks": N_WEEKS, "monitored_weeks": weeks, "workers": workers,
        "settings": "noufaily", "seconds_simulation": round(t_sim, 2),
        "seconds_wall": round(wall, 2), "series_per_second": round(n_series / wall, 1),
        "alarms": int(sum(r[0] for r in results)),
        # CPU seconds are what the engine costs; wall time also depends on what else the
        # (shared) machine runs, so both are reported, with the load average at the start
        "cpu_seconds_engine_all_workers": round(sum(r[2] for r in results), 2),
        "cpu_ms_per_series": round(1000 * sum(r[2] for r in results) / n_series, 3),
        "load_average_at_start": load_at_start,
        "peak_rss_mb_main": round(self_peak, 1), "peak_rss_mb_largest_worker": round(child_peak, 1),
        "target_seconds": 120,
    }


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--r-series", type=int, default=1000)
    ap.add_argument("--scale-series", type=int, default=100_000)
    ap.add_argument("--scale-weeks", type=int, default=49)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-r", action="store_true")
    ap.add_argument("--skip-scale", action="store_true")
    ap.add_argument("--skip-speed", action="store_true", help="keep the speed-vs-R figures already in --output")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--output", default=str(ROOT / "bench/results/risk.json"))
    args = ap.parse_args(argv)

    out = Path(args.output)
    # a part that is skipped keeps its figures from the previous run (each part says when)
    result = json.loads(out.read_text()) if out.exists() else {}
    result.update({"cpu_count": os.cpu_count(), "numpy": np.__version__})
    if not args.skip_speed:
        print("speed vs R ...", flush=True)
        result["speed_vs_r"] = {**speed_vs_r(args.r_series, args.skip_r, args.seed), "measured_at": _now()}
        print(json.dumps(result["speed_vs_r"], indent=2), flush=True)
    if not args.skip_scale:
        print("scale ...", flush=True)
        result["scale"] = {**scale(args.scale_series, args.scale_weeks, args.workers, args.seed + 1),
                           "measured_at": _now()}
        print(json.dumps(result["scale"], indent=2), flush=True)
    agreement = ROOT / "bench/results/surveillance_vs_r.json"
    if agreement.exists():
        a = json.loads(agreement.read_text())
        result["agreement_with_r"] = {
            "source": "bench/results/surveillance_vs_r.json",
            "r": a.get("r"), "series": a.get("series"),
            "methods": {k: {"alarm_agreement": v["alarm_agreement"],
                            "upperbound_median_rel_diff": v["upperbound_median_rel_diff"]}
                        for k, v in a["methods"].items()},
            "targets_met": a.get("targets_met"),
        }
    else:
        result["agreement_with_r"] = "run bench/surveillance_vs_r/run.py first"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"-> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
