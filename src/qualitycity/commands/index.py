"""``qcity index compute``: compute a composite index from a framework and a data table.

    qcity index compute --framework framework.toml --data data.csv --output scores.csv \
        [--uncertainty N --seed S]

* ``data.csv`` is wide: first column ``unit``, then one column per indicator.
  Two optional columns, anywhere after ``unit``, feed the imputation rules that
  need more than one table:

  - ``year``: long data, one row per unit and year.  The latest year is scored
    (or ``--year Y``); earlier years are what ``imputation = "locf"`` carries
    forward (last observation of the same unit, never a later one);
  - ``imputation_group``: the unit's group (e.g. "central", "outer") for
    ``imputation = "group_mean"``.
* ``framework.toml``::

      [options]
      normalization = "minmax"     # minmax zscore rank percentile goalposts target best borda
      weighting = "equal"          # equal manual ahp entropy critic pca bod
      aggregation = "arithmetic"   # arithmetic geometric harmonic generalized copeland topsis
      imputation = "mean"          # none mean median group_mean locf

      [indicators.pass_rate]
      direction = "+"              # "+" benefit, "-" cost (required)
      weight = 0.5                 # optional; required by weighting = "manual"
      group = "product"            # optional; default: directly under the index
      target = 99.0                # optional; normalization = "target"
      goalposts = [80, 100]        # optional; normalization = "goalposts"

      [groups.product]
      parent = "quality"           # optional; default "index"
      weight = 0.3

      [ahp.product]                # one matrix per parent: "index" or a group name
      elements = ["pass_rate", "complaints"]
      matrix = [[1, 3], ["1/3", 1]]

* ``scores.csv``: ``unit,score,rank`` then one column per group (declaration
  order); rank 1 is the best and ties share the minimum rank.
* With ``--uncertainty N`` a second file ``<output stem>_uncertainty.csv`` is
  written next to the output: ``unit,rank,median_rank,p05_rank,p95_rank,mean_rank``
  from N Monte Carlo replications (normalisation, weighting scheme and weight
  noise, aggregation, exclusion of one indicator; see
  ``qualitycity.methods.composite.uncertainty``).  The framework's own
  normalisation and aggregation are among the options, and TOPSIS/Copeland are
  sampled level by level as the scores are computed.
* Every filled or treated cell is listed: ``<stem>_imputed.csv``
  (``unit,indicator,value,method``) and ``<stem>_treated.csv``
  (``unit,indicator,old,new,method``; JRC skewness/kurtosis rule), header only
  when there is none; stdout says how many.
* ``<stem>_coherence.csv``: ``group,indicators,cronbach_alpha,negatively_correlated``
  per group of indicators (Handbook §4.3; α blank when undefined, e.g. one indicator).

Bad input: one line on stderr, exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import sys
import tempfile
import tomllib
from pathlib import Path

from qualitycity.methods.composite import (
    CompositeInputError,
    Context,
    coherence,
    compute_index,
    framework_from_dict,
    monte_carlo,
    read_panel_csv,
)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qcity index", description="Composite quality index (OECD/JRC Handbook).")
    sub = p.add_subparsers(dest="action", required=True)
    c = sub.add_parser("compute", help="compute scores and ranks")
    c.add_argument("--framework", required=True, type=Path)
    c.add_argument("--data", required=True, type=Path)
    c.add_argument("--output", required=True, type=Path)
    c.add_argument("--uncertainty", type=int, default=0, metavar="N", help="Monte Carlo replications")
    c.add_argument("--seed", type=int, default=None, metavar="S")
    c.add_argument("--year", type=float, default=None, metavar="Y",
                   help="with a year column: the year to score (default: the latest)")
    return p


def _fmt(x: float) -> str:
    return f"{x:.6g}" if abs(x) < 1e15 else repr(x)


def _csv(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def compute(args: argparse.Namespace) -> tuple[dict[Path, str], str]:
    """Return ({path: csv text}, summary); nothing is written until everything succeeded."""
    try:
        doc = tomllib.loads(args.framework.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise CompositeInputError(f"{args.framework}: invalid TOML: {err}") from None
    fw = framework_from_dict(doc)
    panel = read_panel_csv(args.data.read_text(encoding="utf-8"))
    times = list(panel.tables)
    year = times[-1] if args.year is None else args.year
    if year not in panel.tables:
        raise CompositeInputError(f"--year {year:g}: no rows for that year in {args.data}")
    table = panel.tables[year]
    context = Context(groups=panel.groups, history=[(t, panel.tables[t]) for t in times if t < year], time=year)
    res = compute_index(fw, table, context)
    groups = list(res.group_scores)
    rows: list[list[object]] = [["unit", "score", "rank", *groups]]
    for i, u in enumerate(res.units):
        rows.append([u, _fmt(res.score[i]), int(res.rank[i]), *(_fmt(res.group_scores[g][i]) for g in groups)])
    out = {args.output: _csv(rows)}
    names = fw.names
    out[_beside(args.output, "imputed")] = _csv(
        [["unit", "indicator", "value", "method"]]
        + [[res.units[c.row], names[c.column], _fmt(c.value), c.method] for c in res.imputed])
    out[_beside(args.output, "treated")] = _csv(
        [["unit", "indicator", "old", "new", "method"]]
        + [[res.units[c.row], names[c.column], _fmt(c.old), _fmt(c.new), c.method] for c in res.treated])
    groups_of = [i.group for i in fw.indicators]
    coh = coherence(res.normalized, names, groups_of)
    out[_beside(args.output, "coherence")] = _csv(
        [["group", "indicators", "cronbach_alpha", "negatively_correlated"]]
        + [[g, groups_of.count(g), "" if math.isnan(a) else _fmt(a),
            ";".join(n for n, gg, _r in coh.negative if gg == g)] for g, a in coh.alpha.items()])
    if args.uncertainty:
        if args.uncertainty < 1:
            raise CompositeInputError("--uncertainty must be a positive number of replications")
        mc = monte_carlo(fw, table, args.uncertainty, seed=args.seed, context=context)
        urows: list[list[object]] = [["unit", "rank", "median_rank", "p05_rank", "p95_rank", "mean_rank"]]
        for i, u in enumerate(mc.units):
            urows.append([u, int(mc.reference_rank[i]), _fmt(mc.median_rank[i]), int(mc.p05[i]),
                          int(mc.p95[i]), _fmt(mc.mean_rank[i])])
        out[_beside(args.output, "uncertainty")] = _csv(urows)
    summary = f"{len(res.units)} units scored; {len(res.imputed)} cell(s) imputed, {len(res.treated)} treated"
    return out, summary


def _beside(path: Path, what: str) -> Path:
    return path.with_name(f"{path.stem}_{what}.csv")


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        files, summary = compute(args)
    except CompositeInputError as err:
        print(f"qcity index: {err}".replace("\n", " "), file=sys.stderr)
        return 2
    except OSError as err:
        print(f"qcity index: {err.filename or ''}: {err.strerror or err}".strip(), file=sys.stderr)
        return 2
    except UnicodeDecodeError as err:
        print(f"qcity index: input is not UTF-8 text: {err.reason}", file=sys.stderr)
        return 2
    for path, text in files.items():
        _write_atomic(path, text)
    print(summary)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
