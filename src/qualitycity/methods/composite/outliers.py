"""Outlier treatment with the JRC skewness–kurtosis rule.

The JRC COIN practice (used in its audits and in the COINr package) flags an
indicator whose distribution has |skewness| > 2 *and* kurtosis > 3.5.  Such an
indicator is winsorised one value at a time — the most extreme value on the side
of the skew is set to the next most extreme value — until the rule is no longer
met or ``max_winsor`` values have been changed.  If winsorising up to that limit
does not cure it, the winsorisation is undone and the indicator is
log-transformed instead (ln(x − min + 1) for positive skew, the mirror image
for negative skew), which keeps the order of units and pulls in a long tail.
Winsorisation never makes a column constant: when the next step would (one unit
apart from all the others, which are equal), the log transform is used instead.

Skewness is the adjusted Fisher–Pearson coefficient and kurtosis the *excess*
kurtosis with small-sample bias correction (``scipy.stats`` with ``bias=False``),
which is what spreadsheet SKEW/KURT report.  Every changed cell is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import kurtosis, skew

SKEW_LIMIT = 2.0
KURT_LIMIT = 3.5


@dataclass(frozen=True)
class TreatedCell:
    row: int
    column: int
    old: float
    new: float
    method: str  # "winsorize" or "log"


def _flagged(x: np.ndarray, skew_limit: float, kurt_limit: float) -> bool:
    if np.ptp(x) == 0 or len(x) < 4:
        return False
    return abs(skew(x, bias=False)) > skew_limit and kurtosis(x, bias=False) > kurt_limit


def treat_outliers(
    X: np.ndarray,
    *,
    max_winsor: int = 5,
    skew_limit: float = SKEW_LIMIT,
    kurt_limit: float = KURT_LIMIT,
    skip: Sequence[int] = (),
) -> tuple[np.ndarray, list[TreatedCell]]:
    """Apply the JRC rule column by column; return the treated matrix and the report."""
    X = np.array(X, float, copy=True)
    report: list[TreatedCell] = []
    for j in range(X.shape[1]):
        if j in skip:
            continue
        x = X[:, j].copy()
        if not _flagged(x, skew_limit, kurt_limit):
            continue
        orig = x.copy()
        changed: list[int] = []
        while _flagged(x, skew_limit, kurt_limit) and len(changed) < max_winsor:
            high = skew(x, bias=False) > 0
            order = np.argsort(x)
            # The extreme value is pulled to its neighbour; ties move together.
            ext = x[order[-1]] if high else x[order[0]]
            nxt_candidates = x[x < ext] if high else x[x > ext]
            if nxt_candidates.size == 0:
                break
            nxt = nxt_candidates.max() if high else nxt_candidates.min()
            idx = np.flatnonzero(x == ext)
            if nxt_candidates.size == len(x) - idx.size and np.ptp(nxt_candidates) == 0:
                # The move would make every unit equal (e.g. one district with a count, the rest 0),
                # erasing the indicator: stop, and let the log transform below keep the order.
                break
            x[idx] = nxt
            changed.extend(int(i) for i in idx)
        if _flagged(x, skew_limit, kurt_limit):
            # Winsorisation up to the limit was not enough: log-transform instead.
            high = skew(orig, bias=False) > 0
            x = np.log(orig - orig.min() + 1.0) if high else -np.log(orig.max() - orig + 1.0)
            report.extend(TreatedCell(i, j, float(orig[i]), float(x[i]), "log") for i in range(len(x)))
        else:
            report.extend(TreatedCell(i, j, float(orig[i]), float(x[i]), "winsorize")
                          for i in sorted(set(changed)))
        X[:, j] = x
    return X, report
