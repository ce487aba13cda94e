"""From count rows to alarms: group rows into series on a weekly grid and run the method.

Kept free of models so that it can be read next to ``methods.surveillance``; the services
decide what is stored.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from qualitycity.methods.surveillance import (
    FarringtonControl,
    SurveillanceInputError,
    cusum,
    ears_c,
    ewma,
    farrington_flexible,
    glrnb,
)

from .sources import CountRow

WEEK = dt.timedelta(days=7)

# Parameters a signal may set, per method, with their types (names as in the CLI / R).
PARAMETERS: dict[str, dict[str, type]] = {
    "farrington-flexible": {"b": int, "w": int, "alpha": float, "no_periods": int,
                            "past_weeks_not_included": int, "p_threshold_trend": float,
                            "threshold_method": str, "weights_threshold": float,
                            "reweight": bool, "trend": bool, "powertrans": str},
    "ears-c1": {"baseline": int, "alpha": float},
    "ears-c2": {"baseline": int, "alpha": float},
    "ears-c3": {"baseline": int, "alpha": float},
    "cusum": {"arl0": float, "shift": float},
    "glrnb": {"c_arl": float, "alpha": float},
    "ewma": {"lam": float, "L": float},
}
# History a method needs before the first monitored week (for fetching rows).
HISTORY_WEEKS = {"farrington-flexible": 5 * 52 + 10, "cusum": 60, "glrnb": 110, "ewma": 60}


class DetectionError(ValueError):
    """The signal cannot be evaluated (bad parameters, too little history, …)."""


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def clean_parameters(method: str, params: dict) -> dict:
    allowed = PARAMETERS.get(method)
    if allowed is None:
        raise DetectionError(f"未知的检测方法：{method}")
    out = {}
    for key, value in (params or {}).items():
        if key not in allowed:
            raise DetectionError(f"方法 {method} 没有参数“{key}”；可用参数：{'、'.join(allowed)}")
        kind = allowed[key]
        try:
            if kind is bool:
                out[key] = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
            else:
                out[key] = kind(value)
        except (TypeError, ValueError):
            raise DetectionError(f"参数“{key}”的值“{value}”不是有效的{'整数' if kind is int else '数值'}") from None
    return out


def history_weeks(method: str, params: dict) -> int:
    if method == "farrington-flexible":
        return params.get("b", 5) * 52 + params.get("w", 3) + 10
    if method.startswith("ears-"):
        return params.get("baseline", 7) + 4
    return HISTORY_WEEKS[method]


@dataclass
class SeriesKey:
    key: str
    category: str
    area_id: int | None
    enterprise_id: int | None
    park_id: int | None


def series_key(row: CountRow, grouping: str) -> SeriesKey:
    if grouping == "category_enterprise":
        return SeriesKey(f"{row.category}|e{row.enterprise_id}", row.category, row.area_id, row.enterprise_id, None)
    if grouping == "category_park":
        return SeriesKey(f"{row.category}|p{row.park_id}", row.category, row.area_id, None, row.park_id)
    if grouping == "category":
        return SeriesKey(row.category, row.category, None, None, None)
    return SeriesKey(f"{row.category}|a{row.area_id}", row.category, row.area_id, None, None)


def pivot(rows: Iterable[CountRow], grouping: str, first_week: dt.date, last_week: dt.date):
    """Sum rows into a weeks × series matrix on the Monday grid first_week..last_week.

    A week without any row is a zero count (the sources report events; no event, no row).
    Rows of enterprise/park grouping without an enterprise/park are skipped.
    """
    n_weeks = (last_week - first_week).days // 7 + 1
    keys: dict[str, SeriesKey] = {}
    sums: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if grouping == "category_enterprise" and row.enterprise_id is None:
            continue
        if grouping == "category_park" and row.park_id is None:
            continue
        wk = monday(row.week)
        if wk < first_week or wk > last_week:
            continue
        sk = series_key(row, grouping)
        keys.setdefault(sk.key, sk)
        sums[sk.key][(wk - first_week).days // 7] += int(row.count)
    ordered = sorted(keys)
    y = np.zeros((n_weeks, len(ordered)))
    for j, k in enumerate(ordered):
        for i, v in sums[k].items():
            y[i, j] = v
    dates = np.array([first_week + i * WEEK for i in range(n_weeks)], dtype="datetime64[D]")
    return [keys[k] for k in ordered], y, dates


def detect(method: str, params: dict, y: np.ndarray, dates: np.ndarray, monitor_weeks: int, names):
    n = y.shape[0]
    monitor = np.arange(max(n - monitor_weeks, 0), n)
    p = dict(params)
    try:
        if method == "farrington-flexible":
            ctl = FarringtonControl.noufaily(**p)
            return farrington_flexible(y, dates, monitor, ctl, names)
        if method.startswith("ears-"):
            return ears_c(y, method[-2:].upper(), monitor=monitor, names=names, dates=dates, **p)
        if method == "cusum":
            p.setdefault("arl0", 500.0)
            return cusum(y, monitor=monitor, names=names, dates=dates, **p)
        if method == "glrnb":
            return glrnb(y, monitor=monitor, names=names, dates=dates, **p)
        return ewma(y, monitor=monitor, names=names, dates=dates, **p)
    except SurveillanceInputError as exc:
        raise DetectionError(str(exc)) from None
    except TypeError as exc:  # a parameter the method does not take
        raise DetectionError(f"参数错误：{exc}") from None
