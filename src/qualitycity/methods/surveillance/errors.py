"""Errors and result container shared by the surveillance algorithms."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


class SurveillanceInputError(ValueError):
    """Input the engine refuses to run on; the message says what is wrong and where.

    It is a ``ValueError`` so generic callers keep working, but callers that want to
    show a clean one-line message (the CLI, the web task) catch this class.
    """


@dataclass
class SurveillanceResult:
    """Per monitored week (rows) and series (columns) output of one algorithm.

    ``expected`` and ``upperbound`` are NaN where the algorithm gives no bound (for
    Farrington: fewer cases than ``limit54`` asks for, as in R; for an all-zero series).
    ``pvalue`` holds a p-value for the Farrington family and NaN where the method has
    none; ``score`` holds the method's own statistic (exceedance score, C statistic,
    CUSUM, GLR or EWMA value).
    """

    method: str
    weeks: np.ndarray  # row indices into the input matrix of the monitored weeks
    observed: np.ndarray
    expected: np.ndarray
    upperbound: np.ndarray
    alarm: np.ndarray
    pvalue: np.ndarray
    score: np.ndarray
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
