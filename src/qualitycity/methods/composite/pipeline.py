"""End-to-end computation of a composite index from a framework and a data table.

Order of operations (Handbook Part 1, steps 3–6): validate → impute → treat
outliers (optional) → normalise → weight and aggregate level by level → rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import normalization as norm
from .aggregation import rank_scores
from .errors import CompositeInputError
from .framework import Framework
from .hierarchy import Tree, evaluate
from .imputation import ImputedCell, impute
from .outliers import TreatedCell, treat_outliers
from .table import Table, check_matrix


@dataclass
class IndexResult:
    units: list[str]
    score: np.ndarray
    rank: np.ndarray
    group_scores: dict[str, np.ndarray]
    weights: dict[str, dict[str, float]]  # parent → child → weight used
    effective_weights: dict[str, float] | None  # None for BOD (unit-specific weights)
    imputed: list[ImputedCell] = field(default_factory=list)
    treated: list[TreatedCell] = field(default_factory=list)
    normalized: np.ndarray | None = None
    prepared: np.ndarray | None = None  # imputed (and treated) raw matrix


def align(fw: Framework, table: Table) -> np.ndarray:
    """Return the data columns in framework order; unknown or absent columns are errors."""
    missing = [n for n in fw.names if n not in table.indicators]
    if missing:
        raise CompositeInputError(f"indicator(s) declared in the framework but absent from the data: {', '.join(missing)}")
    extra = [n for n in table.indicators if n not in fw.names]
    if extra:
        raise CompositeInputError(f"data column(s) not declared in the framework: {', '.join(extra)}")
    cols = [table.indicators.index(n) for n in fw.names]
    return table.values[:, cols]


@dataclass(frozen=True)
class Context:
    """What some imputation rules need beyond the year's own table.

    * ``groups``: unit → group label (e.g. central vs outer districts) for ``group_mean``;
    * ``history``: earlier observations, ``(time, Table)`` pairs all *before* the table
      being scored, for ``locf`` (last observation carried forward within each unit).
    """

    groups: Mapping[str, str] | None = None
    history: Sequence[tuple[float, Table]] = ()
    time: float | None = None  # of the scored table; only used in messages


def _history_matrix(fw: Framework, table: Table, history: Sequence[tuple[float, Table]]
                    ) -> tuple[np.ndarray, list[str], list[float]]:
    """Earlier rows of the table's units, columns in framework order (NaN where absent)."""
    keep = set(table.units)
    rows, units, times = [], [], []
    for t, past in history:
        cols = {n: j for j, n in enumerate(past.indicators)}
        for i, u in enumerate(past.units):
            if u in keep:
                rows.append([past.values[i, cols[n]] if n in cols else np.nan for n in fw.names])
                units.append(u)
                times.append(float(t))
    return np.array(rows, float).reshape(len(rows), len(fw.names)), units, times


def prepare(fw: Framework, table: Table, context: Context | None = None
            ) -> tuple[np.ndarray, list[ImputedCell], list[TreatedCell]]:
    """Imputed (and, if asked, outlier-treated) matrix of ``table``; cells refer to its rows."""
    ctx = context or Context()
    X = check_matrix(align(fw, table), fw.names)
    method = fw.options.imputation
    m = X.shape[0]
    if method == "group_mean":
        labels = None
        if ctx.groups is not None:
            missing = [u for u in table.units if u not in ctx.groups]
            if missing:
                raise CompositeInputError(f"group-mean imputation: no group given for unit(s) {', '.join(missing)}")
            labels = [str(ctx.groups[u]) for u in table.units]
        elif np.isnan(X).any():
            raise CompositeInputError("group-mean imputation needs a group for every unit "
                                      "(command line: an imputation_group column)")
        X, imputed = impute(X, method, groups=labels, names=fw.names)
    elif method == "locf":
        H, hu, ht = _history_matrix(fw, table, ctx.history)
        now = ctx.time if ctx.time is not None else ((max(ht) + 1.0) if ht else 0.0)
        if ht and max(ht) >= now:
            raise CompositeInputError(f"LOCF: earlier observations must come before time {now:g}")
        stacked = np.vstack([H, X])
        full, cells = impute(stacked, method, panel_units=hu + list(table.units),
                             panel_times=ht + [now] * m,
                             panel_target=[False] * len(hu) + [True] * m, names=fw.names)
        off = len(hu)
        X = full[off:]
        imputed = [ImputedCell(c.row - off, c.column, c.value, c.method) for c in cells if c.row >= off]
    else:
        X, imputed = impute(X, method, names=fw.names)
    treated: list[TreatedCell] = []
    if fw.options.outliers:
        X, treated = treat_outliers(X)
    return X, imputed, treated


def normalize_framework(fw: Framework, X: np.ndarray, method: str | None = None) -> np.ndarray:
    return norm.normalize(
        X, method or fw.options.normalization, fw.directions,
        targets=[i.target for i in fw.indicators],
        goalposts_=[i.goalposts for i in fw.indicators],
        names=fw.names,
    )


def compute_index(fw: Framework, table: Table, context: Context | None = None) -> IndexResult:
    """Compute scores, ranks (1 = best, ties share the minimum) and group scores."""
    tree = Tree.from_framework(fw)
    X, imputed, treated = prepare(fw, table, context)
    # Re-check variance after treatment: winsorising can flatten a column.
    check_matrix(X, fw.names, allow_missing=False)
    Xn = normalize_framework(fw, X)
    values, used = evaluate(fw, tree, Xn, X)
    score = values[tree.root]
    weights = {tree.names[p]: {tree.names[c]: float(w) for c, w in zip(tree.children(p), ws, strict=True)}
               for p, ws in used.items()}
    eff = None
    if fw.options.weighting != "bod":
        nw = np.zeros(len(tree.names))
        for p, ws in used.items():
            nw[tree.children(p)] = ws
        eff = dict(zip(fw.names, tree.effective_weights(nw).tolist(), strict=True))
    return IndexResult(
        units=list(table.units), score=score, rank=rank_scores(score),
        group_scores={tree.names[g]: values[g] for g in tree.groups},
        weights=weights, effective_weights=eff, imputed=imputed, treated=treated,
        normalized=Xn, prepared=X,
    )
