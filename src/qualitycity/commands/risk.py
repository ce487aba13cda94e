"""`qcity risk`: statistical early warning on weekly counts, without Django.

    qcity risk detect --method farrington-flexible --input counts.csv --output alarms.csv
    qcity risk evaluate [--series-per-scenario 20] [--output bench/results/risk_evaluation.json]

Input CSV: ``series,week,count`` (week = ISO date of the week's first day, 52 weeks a year).
Output CSV: ``series,week,observed,expected,upperbound,alarm,pvalue``; empty cells where a
method gives no value.  Algorithm options are spelled like the R parameter names in kebab
case (``--no-periods`` for noPeriods).  Bad input ends with one line on stderr, exit
status 2 and no output file.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from qualitycity.methods import outbreak_sim as osim
from qualitycity.methods.surveillance import (
    FarringtonControl,
    SurveillanceInputError,
    SurveillanceResult,
    cusum,
    ears_c,
    ewma,
    farrington_flexible,
    from_long,
    glrnb,
)

METHODS = ("farrington-flexible", "ears-c1", "ears-c2", "ears-c3", "cusum", "glrnb", "ewma")
OUTPUT_COLUMNS = ("series", "week", "observed", "expected", "upperbound", "alarm", "pvalue")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2, like every other bad input
        self.exit(2, f"qcity risk: error: {message}\n")


def _powertrans(text: str) -> str:
    if text not in ("2/3", "1/2", "none"):
        raise argparse.ArgumentTypeError("must be 2/3, 1/2 or none")
    return text


def _limit54(text: str) -> tuple[int, int]:
    try:
        cases, period = (int(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("must be two whole numbers, e.g. 5,4") from None
    return cases, period


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="qcity risk", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    d = sub.add_parser("detect", help="run one detection method on every series")
    d.add_argument("--method", required=True, choices=METHODS)
    d.add_argument("--input", required=True, help="CSV with columns series,week,count")
    d.add_argument("--output", required=True, help="CSV to write")
    when = d.add_mutually_exclusive_group()
    when.add_argument("--monitor-last", type=int, metavar="N", help="monitor the last N weeks")
    when.add_argument("--from", dest="from_date", metavar="DATE",
                      help="monitor the weeks starting on or after DATE")
    fa = d.add_argument_group("farrington-flexible (R farringtonFlexible control)")
    fa.add_argument("--b", type=int, default=5)
    fa.add_argument("--w", type=int, default=3)
    fa.add_argument("--no-periods", type=int, default=1)
    fa.add_argument("--past-weeks-not-included", type=int, default=None)
    fa.add_argument("--p-threshold-trend", type=float, default=0.05)
    fa.add_argument("--threshold-method", choices=("delta", "nbPlugin", "muan"), default="delta")
    fa.add_argument("--alpha", type=float, default=None,
                    help="farrington: 0.05; ears: 0.001 (C3 0.025); glrnb: NB dispersion, 0")
    fa.add_argument("--weights-threshold", type=float, default=2.58)
    fa.add_argument("--limit54", type=_limit54, default=(5, 4))
    fa.add_argument("--powertrans", type=_powertrans, default="2/3")
    fa.add_argument("--reweight", action=argparse.BooleanOptionalAction, default=True)
    fa.add_argument("--trend", action=argparse.BooleanOptionalAction, default=True)
    ea = d.add_argument_group("ears-c1|c2|c3 (R earsC control)")
    ea.add_argument("--baseline", type=int, default=7)
    ea.add_argument("--min-sigma", type=float, default=0.0)
    cu = d.add_argument_group("cusum (R cusum / findH)")
    cu.add_argument("--k", type=float, default=None)
    cu.add_argument("--h", type=float, default=None)
    cu.add_argument("--m", type=float, default=None, help="in-control mean (default: history mean)")
    cu.add_argument("--arl0", type=float, default=None,
                    help="choose k and h per series for this in-control ARL (R findH)")
    cu.add_argument("--s", dest="shift", type=float, default=1.0,
                    help="shift to detect, in SDs of the in-control mean (R findH s)")
    gl = d.add_argument_group("glrnb (R glrnb control)")
    gl.add_argument("--c-arl", type=float, default=5.0)
    gl.add_argument("--dir", choices=("inc", "dec"), default="inc")
    gl.add_argument("--mu0", type=float, default=None)
    ew = d.add_argument_group("ewma")
    ew.add_argument("--lambda", dest="lam", type=float, default=0.2)
    ew.add_argument("--L", dest="L", type=float, default=3.0)

    e = sub.add_parser("evaluate", help="simulate the Noufaily scenarios and score each method")
    e.add_argument("--series-per-scenario", type=int, default=10)
    e.add_argument("--k", type=float, default=5.0, help="size of the monitored outbreak (x SD)")
    e.add_argument("--seed", type=int, default=20130401)
    e.add_argument("--methods", default=",".join(m for m in METHODS if m != "glrnb"))
    e.add_argument("--output", default="bench/results/risk_evaluation.json")
    return p


def _read_rows(path: str):
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise SurveillanceInputError(f"cannot read {path}: {exc.strerror}") from None
    with fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise SurveillanceInputError(f"{path} is empty")
        cols = [h.strip().lower() for h in header]
        try:
            i_s, i_w, i_c = cols.index("series"), cols.index("week"), cols.index("count")
        except ValueError:
            raise SurveillanceInputError(
                f"{path} must have the columns series,week,count (found: {','.join(header)})"
            ) from None
        rows = []
        for line_no, rec in enumerate(reader, start=2):
            if not rec or all(not x.strip() for x in rec):
                continue
            if len(rec) < len(cols):
                raise SurveillanceInputError(f"{path} line {line_no}: too few fields")
            rows.append((rec[i_s], rec[i_w], rec[i_c]))
        return rows


def _run_method(args, y, dates, monitor, names) -> SurveillanceResult:
    m = args.method
    if m == "farrington-flexible":
        ctl = FarringtonControl(
            b=args.b, w=args.w, reweight=args.reweight, weights_threshold=args.weights_threshold,
            alpha=0.05 if args.alpha is None else args.alpha, trend=args.trend,
            p_threshold_trend=args.p_threshold_trend, limit54=args.limit54,
            powertrans=args.powertrans, no_periods=args.no_periods,
            past_weeks_not_included=args.past_weeks_not_included,
            threshold_method=args.threshold_method)
        return farrington_flexible(y, dates, monitor, ctl, names)
    if m.startswith("ears-"):
        return ears_c(y, m[-2:].upper(), baseline=args.baseline, alpha=args.alpha,
                      min_sigma=args.min_sigma, monitor=monitor, names=names, dates=dates)
    if m == "cusum":
        return cusum(y, k=args.k, h=args.h, m=args.m, arl0=args.arl0, shift=args.shift,
                     monitor=monitor, names=names, dates=dates)
    if m == "glrnb":
        return glrnb(y, c_arl=args.c_arl, alpha=0.0 if args.alpha is None else args.alpha,
                     mu0=args.mu0, direction=args.dir, monitor=monitor, names=names, dates=dates)
    return ewma(y, lam=args.lam, L=args.L, monitor=monitor, names=names, dates=dates)


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.6g}"


def detect(args) -> int:
    table = from_long(_read_rows(args.input))
    out_rows = []
    notes: list[str] = []
    for first, last, cols in table.groups():
        dates = table.dates[first:last + 1]
        y = table.counts[first:last + 1][:, cols]
        names = [table.names[j] for j in cols]
        n = y.shape[0]
        if args.monitor_last is not None:
            if args.monitor_last < 1:
                raise SurveillanceInputError("--monitor-last must be >= 1")
            monitor = np.arange(max(n - args.monitor_last, 0), n)
        elif args.from_date is not None:
            try:
                start = np.datetime64(args.from_date, "D")
            except ValueError:
                raise SurveillanceInputError(f"--from is not an ISO date: {args.from_date!r}") from None
            monitor = np.nonzero(dates >= start)[0]
            if monitor.size == 0:
                raise SurveillanceInputError(
                    f"no week on or after {args.from_date} in series {names[0]!r}")
        else:
            monitor = None
        res = _run_method(args, y, dates, monitor, names)
        notes.extend(res.notes)
        for jj, name in enumerate(names):
            for ii, row in enumerate(res.weeks):
                out_rows.append((name, str(dates[row]), _fmt(res.observed[ii, jj]),
                                 _fmt(res.expected[ii, jj]), _fmt(res.upperbound[ii, jj]),
                                 "1" if res.alarm[ii, jj] else "0", _fmt(res.pvalue[ii, jj])))
    out_rows.sort(key=lambda r: (r[0], r[1]))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    # write to a temporary file and rename, so a failure never leaves a partial output
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".risk-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(OUTPUT_COLUMNS)
            w.writerows(out_rows)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for note in notes:
        print(f"qcity risk: warning: {note}", file=sys.stderr)
    n_alarm = sum(r[5] == "1" for r in out_rows)
    print(f"{args.method}: {len(table.names)} series, {len(out_rows)} series-weeks, "
          f"{n_alarm} alarms -> {out}")
    return 0


def evaluate(args) -> int:
    rng = np.random.default_rng(args.seed)
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    for m in methods:
        if m not in METHODS:
            raise SurveillanceInputError(f"unknown method {m!r}")
    n = args.series_per_scenario
    dates = osim.week_dates()
    monitor = np.arange(osim.N_WEEKS - osim.MONITORED, osim.N_WEEKS)
    per_method: dict[str, dict] = {}
    ys_out, st_out, ys_base = [], [], []
    for sc in osim.SCENARIOS:
        y1, s1 = osim.simulate(sc, n, rng, k_current=args.k)
        y0, _ = osim.simulate(sc, n, rng, k_current=None)
        ys_out.append(y1)
        st_out.append(s1)
        ys_base.append(y0)
    y_out, s_out, y_base = np.hstack(ys_out), np.hstack(st_out), np.hstack(ys_base)
    variants = {
        "farrington-flexible": [("farrington", FarringtonControl()),
                                ("noufaily", FarringtonControl.noufaily())],
    }
    for m in methods:
        for label, ctl in variants.get(m, [(m, None)]):
            t0 = time.perf_counter()

            def run(y, m=m, ctl=ctl):
                if m == "farrington-flexible":
                    return farrington_flexible(y, dates, monitor, ctl).alarm
                if m.startswith("ears-"):
                    return ears_c(y, m[-2:].upper(), monitor=monitor).alarm
                if m == "cusum":
                    return cusum(y, monitor=monitor, arl0=500).alarm
                if m == "glrnb":
                    return glrnb(y, monitor=monitor).alarm
                return ewma(y, monitor=monitor).alarm

            a_out = run(y_out)
            a_base = run(y_base)
            meas = osim.measures(a_out, s_out[monitor])
            # FPR as in Noufaily et al.: alarms on series without a current outbreak
            meas["FPR"] = float(a_base.mean())
            meas["seconds"] = round(time.perf_counter() - t0, 3)
            per_method[label] = meas
    cols = ("FPR", "POD", "sensitivity", "specificity", "PPV")
    print(f"{'method':<22}" + "".join(f"{c:>13}" for c in cols))
    for label, meas in per_method.items():
        print(f"{label:<22}" + "".join(f"{meas[c]:>13.4f}" for c in cols))
    result = {
        "design": {"scenarios": len(osim.SCENARIOS), "series_per_scenario": n,
                   "weeks": osim.N_WEEKS, "monitored_weeks": osim.MONITORED,
                   "outbreak_k": args.k, "seed": args.seed,
                   "note": "FPR from outbreak-free replicates; other measures from replicates "
                           "with one outbreak starting in the monitored period"},
        "methods": per_method,
    }
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"-> {out}")
    return 0


def main(argv: list[str]) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "detect":
            return detect(args)
        return evaluate(args)
    except SurveillanceInputError as exc:
        print(f"qcity risk: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
