"""Imputation of missing data (Handbook Step 3, §3.1–3.2).

Only single-imputation rules that an analyst can explain in one sentence are
offered; every filled cell is returned in the report so it can be shown next to
the ranking (Handbook: "imputed values should be flagged").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import CompositeInputError

METHODS = ("none", "mean", "median", "group_mean", "locf")


@dataclass(frozen=True)
class ImputedCell:
    row: int
    column: int
    value: float
    method: str


def impute(
    X: np.ndarray,
    method: str = "mean",
    *,
    groups: Sequence[str] | None = None,
    panel_units: Sequence[str] | None = None,
    panel_times: Sequence[float] | None = None,
    panel_target: Sequence[bool] | None = None,
    names: Sequence[str] | None = None,
) -> tuple[np.ndarray, list[ImputedCell]]:
    """Fill NaNs column by column and report each filled cell.

    * ``mean`` / ``median``: unconditional mean/median of the observed values
      (Handbook §3.2);
    * ``group_mean``: mean of the unit's group (e.g. urban vs rural districts;
      "imputing means within adjustment cells", Handbook endnote 10), falling
      back to the overall mean when the whole group is missing;
    * ``locf``: last observation carried forward within each unit of a panel
      (rows are unit × time; ``panel_units`` and ``panel_times`` give them).  A
      cell with no earlier observation stays missing and is an error, because
      carrying a *later* value backwards would use the future.  With
      ``panel_target`` only the marked rows (the year being scored) must be
      filled; earlier rows that cannot be are left missing.
    * ``none``: refuse missing values.
    """
    X = np.array(X, float, copy=True)
    m, q = X.shape
    names = list(names) if names is not None else [f"#{j + 1}" for j in range(q)]
    if method not in METHODS:
        raise CompositeInputError(f"unknown imputation {method!r}; choose one of {', '.join(METHODS)}")
    report: list[ImputedCell] = []
    miss = np.isnan(X)
    for j in range(q):
        if miss[:, j].all():
            raise CompositeInputError(f"indicator {names[j]!r}: all values are missing")
    if not miss.any():
        return X, report
    if method == "none":
        i, j = (int(v) for v in np.argwhere(miss)[0])
        raise CompositeInputError(f"missing value in row {i + 1}, column {names[j]!r} and imputation is 'none'")
    if method in ("mean", "median"):
        fill = np.nanmean(X, axis=0) if method == "mean" else np.nanmedian(X, axis=0)
        for i, j in np.argwhere(miss):
            X[i, j] = fill[j]
            report.append(ImputedCell(int(i), int(j), float(fill[j]), method))
    elif method == "group_mean":
        if groups is None or len(groups) != m:
            raise CompositeInputError("group-mean imputation needs one group label per row")
        g = np.asarray(groups)
        overall = np.nanmean(X, axis=0)
        for i, j in np.argwhere(miss):
            same = (g == g[i]) & ~miss[:, j]
            v = float(X[same, j].mean()) if same.any() else float(overall[j])
            report.append(ImputedCell(int(i), int(j), v, "group_mean" if same.any() else "mean"))
        for c in report:
            X[c.row, c.column] = c.value
    else:  # locf
        if panel_units is None or panel_times is None or len(panel_units) != m or len(panel_times) != m:
            raise CompositeInputError("LOCF imputation needs a unit and a time for every row")
        u = np.asarray(panel_units)
        t = np.asarray(panel_times, float)
        for key in dict.fromkeys(u.tolist()):
            rows = np.flatnonzero(u == key)
            rows = rows[np.argsort(t[rows], kind="stable")]
            for j in range(q):
                last = np.nan
                for i in rows:
                    if np.isnan(X[i, j]):
                        if np.isnan(last) and panel_target is not None and not panel_target[i]:
                            continue
                        if np.isnan(last):
                            raise CompositeInputError(
                                f"LOCF: unit {key!r}, indicator {names[j]!r} is missing at time "
                                f"{t[i]:g} with no earlier observation"
                            )
                        X[i, j] = last
                        report.append(ImputedCell(int(i), j, float(last), "locf"))
                    else:
                        last = X[i, j]
    report.sort(key=lambda c: (c.row, c.column))
    return X, report
