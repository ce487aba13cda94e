"""Input checks and the long-format (series, week, count) to matrix conversion.

Every check raises :class:`SurveillanceInputError` with a message that names the series
and the week, because the person who reads it has to fix a spreadsheet, not a stack trace.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import SurveillanceInputError

WEEK = np.timedelta64(7, "D")


def _label(names: Sequence[str] | None, j: int) -> str:
    return f"series '{names[j]}'" if names is not None else f"series #{j}"


def _week_label(dates: np.ndarray | None, i: int) -> str:
    return f"week {dates[i]}" if dates is not None else f"week #{i}"


def check_counts(
    counts: np.ndarray,
    dates: np.ndarray | None = None,
    names: Sequence[str] | None = None,
) -> np.ndarray:
    """Validate a weeks x series matrix of counts and return it as float64.

    Refuses missing (NaN), infinite, negative and fractional counts, and date vectors
    that are not strictly weekly (duplicates, gaps, wrong order).
    """
    arr = np.asarray(counts, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise SurveillanceInputError("counts must be a weeks x series matrix")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise SurveillanceInputError("no counts given (the matrix is empty)")
    bad = ~np.isfinite(arr)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise SurveillanceInputError(
            f"{_label(names, j)} has a missing count at {_week_label(dates, i)}; "
            "fill it in (0 if nothing was reported) before running detection"
        )
    neg = arr < 0
    if neg.any():
        i, j = np.argwhere(neg)[0]
        raise SurveillanceInputError(
            f"{_label(names, j)} has a negative count ({arr[i, j]:g}) at {_week_label(dates, i)}; "
            "counts must be whole numbers >= 0"
        )
    frac = arr != np.floor(arr)
    if frac.any():
        i, j = np.argwhere(frac)[0]
        raise SurveillanceInputError(
            f"{_label(names, j)} has a fractional count ({arr[i, j]:g}) at {_week_label(dates, i)}; "
            "counts must be whole numbers >= 0"
        )
    if dates is not None:
        check_weekly_dates(np.asarray(dates, dtype="datetime64[D]"), arr.shape[0])
    return arr


def check_weekly_dates(dates: np.ndarray, n_weeks: int, what: str = "the series") -> None:
    """Dates must be one per row, strictly 7 days apart."""
    if dates.shape[0] != n_weeks:
        raise SurveillanceInputError(
            f"{dates.shape[0]} week dates given for {n_weeks} weeks of counts"
        )
    if n_weeks < 2:
        return
    step = np.diff(dates)
    dup = step == np.timedelta64(0, "D")
    if dup.any():
        i = int(np.argmax(dup))
        raise SurveillanceInputError(f"{what} has week {dates[i]} twice (duplicate week)")
    if (step < np.timedelta64(0, "D")).any():
        i = int(np.argmax(step < np.timedelta64(0, "D")))
        raise SurveillanceInputError(
            f"{what}: weeks are not in increasing order ({dates[i]} then {dates[i + 1]})"
        )
    gap = step != WEEK
    if gap.any():
        i = int(np.argmax(gap))
        days = int(step[i] / np.timedelta64(1, "D"))
        if days % 7 == 0:
            raise SurveillanceInputError(
                f"{what} has a gap in the week sequence: {dates[i]} is followed by "
                f"{dates[i + 1]} ({days // 7 - 1} week(s) missing); add the missing weeks "
                "with count 0 if nothing was reported"
            )
        raise SurveillanceInputError(
            f"{what}: {dates[i]} and {dates[i + 1]} are {days} days apart; every week must "
            "be given by the date of its first day, 7 days apart"
        )


@dataclass
class CountTable:
    """Counts pivoted to one weeks x series matrix per common week grid.

    Series that cover the same weeks share a grid, so the algorithms can batch them.
    """

    names: list[str]
    dates: np.ndarray  # datetime64[D], the union grid (first week .. last week)
    counts: np.ndarray  # float64, weeks x series, NaN outside a series' own span
    first: np.ndarray  # first row of each series in the grid
    last: np.ndarray  # last row (inclusive)

    def groups(self) -> list[tuple[int, int, np.ndarray]]:
        """(first, last, column indices) of series sharing exactly the same span."""
        keys: dict[tuple[int, int], list[int]] = {}
        for j, (a, b) in enumerate(zip(self.first.tolist(), self.last.tolist(), strict=True)):
            keys.setdefault((a, b), []).append(j)
        return [(a, b, np.asarray(cols)) for (a, b), cols in sorted(keys.items())]


def _parse_count(raw: object, series: str, week: str) -> float:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        raise SurveillanceInputError(
            f"series '{series}' has a missing count at week {week}; fill it in "
            "(0 if nothing was reported)"
        )
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise SurveillanceInputError(
            f"series '{series}' has a count that is not a number at week {week}: {raw!r}"
        ) from None
    if math.isnan(value) or math.isinf(value):
        raise SurveillanceInputError(f"series '{series}' has a missing count at week {week}")
    if value < 0:
        raise SurveillanceInputError(
            f"series '{series}' has a negative count ({value:g}) at week {week}; "
            "counts must be whole numbers >= 0"
        )
    if value != math.floor(value):
        raise SurveillanceInputError(
            f"series '{series}' has a fractional count ({value:g}) at week {week}; "
            "counts must be whole numbers >= 0"
        )
    return value


def _parse_week(raw: object, series: str) -> np.datetime64:
    text = str(raw).strip() if raw is not None else ""
    if not text:
        raise SurveillanceInputError(f"series '{series}' has a row with no week date")
    try:
        return np.datetime64(text, "D")
    except ValueError:
        raise SurveillanceInputError(
            f"series '{series}' has a week that is not an ISO date (YYYY-MM-DD): {text!r}"
        ) from None


def from_long(rows: Iterable[tuple[object, object, object]]) -> CountTable:
    """Build a :class:`CountTable` from (series, week, count) rows.

    Checks each series on its own: every week once, strictly 7 days apart, counts whole
    and non-negative.  Different series may start and end on different weeks but must sit
    on the same weekly grid (same weekday).
    """
    per: dict[str, dict[np.datetime64, float]] = {}
    for series, week, count in rows:
        name = str(series).strip() if series is not None else ""
        if not name:
            raise SurveillanceInputError("a row has an empty series name")
        d = _parse_week(week, name)
        value = _parse_count(count, name, str(d))
        weeks = per.setdefault(name, {})
        if d in weeks:
            raise SurveillanceInputError(f"series '{name}' has week {d} twice (duplicate week)")
        weeks[d] = value
    if not per:
        raise SurveillanceInputError("the input has no data rows")
    names = sorted(per)
    spans = {}
    for name in names:
        ds = np.array(sorted(per[name]), dtype="datetime64[D]")
        check_weekly_dates(ds, ds.shape[0], what=f"series '{name}'")
        spans[name] = ds
    start = min(s[0] for s in spans.values())
    end = max(s[-1] for s in spans.values())
    for name in names:
        off = (spans[name][0] - start) / np.timedelta64(1, "D")
        if off % 7:
            raise SurveillanceInputError(
                f"series '{name}' starts on {spans[name][0]}, which is not on the same weekly "
                f"grid as {start}; all weeks must be given by the same weekday"
            )
    n = int((end - start) / WEEK) + 1
    dates = start + np.arange(n) * WEEK
    counts = np.full((n, len(names)), np.nan)
    first = np.empty(len(names), dtype=np.int64)
    last = np.empty(len(names), dtype=np.int64)
    for j, name in enumerate(names):
        ds = spans[name]
        rows_idx = ((ds - start) / WEEK).astype(np.int64)
        counts[rows_idx, j] = [per[name][d] for d in ds]
        first[j], last[j] = rows_idx[0], rows_idx[-1]
    return CountTable(names=names, dates=dates, counts=counts, first=first, last=last)
