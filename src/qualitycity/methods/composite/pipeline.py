"""End-to-end computation of a composite index from a framework and a data table.

Order of operations (Handbook Part 1, steps 3–6): validate → impute → treat
outliers (optional) → normalise → weight and aggregate level by level → rank.
"""

from __future__ import annotations

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


def prepare(fw: Framework, table: Table, groups_for_imputation: list[str] | None = None
            ) -> tuple[np.ndarray, list[ImputedCell], list[TreatedCell]]:
    X = check_matrix(align(fw, table), fw.names)
    X, imputed = impute(X, fw.options.imputation, groups=groups_for_imputation, names=fw.names)
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


def compute_index(fw: Framework, table: Table, *, groups_for_imputation: list[str] | None = None) -> IndexResult:
    """Compute scores, ranks (1 = best, ties share the minimum) and group scores."""
    tree = Tree.from_framework(fw)
    X, imputed, treated = prepare(fw, table, groups_for_imputation)
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
