"""Farrington flexible: the Farrington (1996) outbreak detector with the Noufaily (2013) options.

References
----------
* Farrington CP, Andrews NJ, Beale AD, Catchpole MA (1996). A statistical algorithm for the
  early detection of outbreaks of infectious disease. J R Stat Soc A 159(3):547-563.
* Noufaily A, Enki DG, Farrington P, Garthwaite P, Andrews N, Charlett A (2013). An improved
  algorithm for outbreak detection in multiple surveillance systems. Stat Med 32(7):1206-1222.
* Salmon M, Schumacher D, Höhle M (2016). Monitoring count time series in R: aberration
  detection in public health surveillance. J Stat Softw 70(10).

The parameters have the names, meanings and defaults of ``farringtonFlexible`` in the R
package *surveillance* 1.20.3, and the conventions follow that implementation wherever the
papers leave a choice open (which weeks are reference weeks, when the trend is kept, how the
dispersion is clipped, the ``limit54`` rule, the score and the p-value).  The code is our
own: the quasi-Poisson GLMs of all series and all monitored weeks are fitted together.

How the batching works
----------------------
For one monitored week the design (which past weeks enter the model, and the zero-one
"period" factor of each) is the same for every series on the same weekly grid.  The model
is ``log mu = a[level] + beta * t``: one intercept per factor level plus an optional linear
trend.  Without a trend the quasi-Poisson fit is closed form (each level's weighted mean).
With a trend the intercepts are profiled out (closed form for a given ``beta``) and
``beta`` is found by Newton's method on the one-dimensional profile likelihood; each step
is one ``exp`` and three per-level sums over a ``weeks x observations x series`` array, for
all series and all monitored weeks at once, and no per-series linear algebra.  Per-level
sums are one ``add.reduceat`` because the observations of a level are stored contiguously.
The fitted model and its information matrix are the same as R's IRLS converges to; the
R-fixture tests and ``bench/surveillance_vs_r`` check the agreement.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, replace

import numpy as np
from scipy import stats

from .data import check_counts
from .errors import SurveillanceInputError, SurveillanceResult
from .farrington_glm import _Batch, _fit_chunk

POWERTRANS = ("2/3", "1/2", "none")
THRESHOLD_METHODS = ("delta", "nbPlugin", "muan")


@dataclass(frozen=True)
class FarringtonControl:
    """Control parameters, spelled as in R (snake case here, kebab case in the CLI).

    Defaults are those of R ``farringtonFlexible``, i.e. the original Farrington (1996)
    algorithm.  :meth:`noufaily` gives the settings recommended by Noufaily et al. (2013).
    """

    b: int = 5  # years back
    w: int = 3  # half window around each reference week
    reweight: bool = True  # down-weight past outbreaks with Anscombe residuals
    weights_threshold: float = 2.58
    alpha: float = 0.05  # one-sided (1 - alpha) prediction interval
    trend: bool = True
    p_threshold_trend: float = 0.05
    limit54: tuple[int, int] = (5, 4)  # no alarm with < 5 cases in the last 4 weeks
    powertrans: str = "2/3"
    no_periods: int = 1  # levels of the zero-one seasonal factor; 1 = no factor
    past_weeks_not_included: int | None = None  # None -> w, as in R
    threshold_method: str = "delta"
    freq: int = 52

    @classmethod
    def noufaily(cls, **overrides) -> FarringtonControl:
        """Noufaily et al. (2013) settings: 10 periods, 26 recent weeks left out, trend
        always kept when it does not extrapolate, negative binomial plug-in quantile."""
        base = cls(no_periods=10, past_weeks_not_included=26, p_threshold_trend=1.0,
                   threshold_method="nbPlugin")
        return replace(base, **overrides)

    @property
    def pwni(self) -> int:
        return self.w if self.past_weeks_not_included is None else self.past_weeks_not_included

    def validate(self) -> None:
        if int(self.b) != self.b or self.b < 1:
            raise SurveillanceInputError(f"b must be a whole number >= 1, got {self.b}")
        if int(self.w) != self.w or self.w < 0:
            raise SurveillanceInputError(f"w must be a whole number >= 0, got {self.w}")
        if int(self.no_periods) != self.no_periods or self.no_periods < 1:
            raise SurveillanceInputError(f"noPeriods must be >= 1, got {self.no_periods}")
        if self.pwni < 0:
            raise SurveillanceInputError("pastWeeksNotIncluded must be >= 0")
        if not 0 < self.alpha < 1:
            raise SurveillanceInputError(f"alpha must be in (0, 1), got {self.alpha}")
        if self.powertrans not in POWERTRANS:
            raise SurveillanceInputError(
                f"powertrans must be one of {', '.join(POWERTRANS)}, got {self.powertrans!r}")
        if self.threshold_method not in THRESHOLD_METHODS:
            raise SurveillanceInputError(
                f"thresholdMethod must be one of {', '.join(THRESHOLD_METHODS)}, "
                f"got {self.threshold_method!r}")
        cases, period = self.limit54
        if not (cases >= 0 and period > 0):
            raise SurveillanceInputError(
                "limit54 must be (cases >= 0, period > 0), e.g. 5,4")
        if self.weights_threshold <= 0:
            raise SurveillanceInputError("weightsThreshold must be > 0")
        if self.freq < 2 * self.w + 2:
            raise SurveillanceInputError("the window 2w+1 must be shorter than a year")


# --------------------------------------------------------------------------------------
# Design: which past weeks enter the model for monitored week k, and their factor level
# --------------------------------------------------------------------------------------

def _reference_rows(k: int, dates: np.ndarray | None, b: int, freq: int) -> list[int]:
    """Rows of the same week 1..b years before row k.

    Without dates a year is ``freq`` rows.  With dates we follow R's calendar rule: go
    back whole calendar years (29 February becomes 1 March), then take the nearest date
    with the weekday of week k, preferring the earlier candidate only when it is strictly
    nearer.  Over 5 years this is sometimes 261 weeks back rather than 260, which
    is why R's results for date-indexed series differ from index arithmetic.
    """
    if dates is None:
        return [k - freq * i for i in range(1, b + 1)]
    d0 = dates[k].astype(_dt.date)
    start = dates[0].astype(_dt.date)
    wd0 = d0.isoweekday() % 7
    rows = []
    for i in range(1, b + 1):
        try:
            d = d0.replace(year=d0.year - i)
        except ValueError:  # 29 February in a non-leap year rolls over to 1 March
            d = _dt.date(d0.year - i, 3, 1)
        a = d - _dt.timedelta(days=(d.isoweekday() % 7) - wd0)
        other = a + _dt.timedelta(days=-7 if a > d else 7)
        pick = a if abs((a - d).days) <= abs((other - d).days) else other
        rows.append((pick - start).days // 7)
    return rows


def history_needed(k: int, dates: np.ndarray | None, ctl: FarringtonControl) -> int:
    """Weeks of history before row k that the design for row k reaches back to."""
    refs = _reference_rows(k, dates, ctl.b, ctl.freq)
    return k - (refs[-1] - ctl.w)


def _design(k: int, dates: np.ndarray | None, ctl: FarringtonControl):
    """(rows, level) of the observations used to predict row k.

    Level ``no_periods - 1`` marks the windows of +-w weeks around the reference weeks
    (the level whose mean is predicted); with ``no_periods > 1`` the weeks between two
    windows are cut into ``no_periods - 1`` consecutive blocks, the earlier blocks one
    week longer when the gap does not divide evenly.  Finally the
    ``past_weeks_not_included`` weeks before k (and k itself) are dropped so that an
    outbreak in progress does not feed its own baseline.
    """
    b, w, p = ctl.b, ctl.w, ctl.no_periods
    refs = [k] + _reference_rows(k, dates, b, ctl.freq)
    if refs[-1] - w < 0:
        raise SurveillanceInputError("not enough history")  # caught and reworded by caller
    fac = np.full(k + 1, -1, dtype=np.int64)
    fac[max(k - w, 0):k + 1] = p - 1
    for i in range(1, b + 1):
        ref = refs[i]
        fac[ref - w:ref + w + 1] = p - 1
        if p != 1:
            gap = refs[i - 1] - 2 * w - 1 - ref
            if gap < p - 1:
                raise SurveillanceInputError(
                    f"noPeriods={p} is too large: only {gap} weeks lie between two "
                    f"reference windows (w={w})")
            size, rest = divmod(gap, p - 1)
            pos = ref + w + 1
            for j in range(p - 1):
                ln = size + (1 if j < rest else 0)
                fac[pos:pos + ln] = j
                pos += ln
    fac[max(k - ctl.pwni, 0):k + 1] = -1
    rows = np.nonzero(fac >= 0)[0]
    return rows, fac[rows]


def _thresholds(eta, se, disp, y, ctl: FarringtonControl):
    """Upper bound, p-value, score and expected count, following R's two threshold rules."""
    phi = np.maximum(np.nan_to_num(disp, nan=1.0), 1.0)
    z = stats.norm.ppf(1.0 - ctl.alpha)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if ctl.threshold_method == "delta":
            # Farrington (1996): prediction error of a power transform of the count, with
            # var(Y0 - mu0) ~ phi mu0 + var(mu0) carried through the delta method.
            mu0 = np.exp(eta)
            se_mu = mu0 * se
            tau = phi + se_mu ** 2 / mu0
            if ctl.powertrans == "none":
                e, sd = 1.0, np.sqrt(mu0 * tau)
            elif ctl.powertrans == "1/2":
                e, sd = 0.5, np.sqrt(0.25 * tau)
            else:
                e, sd = 2.0 / 3.0, np.sqrt(4.0 / 9.0 * mu0 ** (1.0 / 3.0) * tau)
            upper = (mu0 ** e + z * sd) ** (1.0 / e)
            pvalue = stats.norm.sf(y ** e, loc=mu0 ** e, scale=sd)
            pred_fit = mu0
            expected = mu0
        else:
            # Noufaily (2013): quantile of a negative binomial with mean mu0 and variance
            # phi * mu0; "muan" plugs in the upper (1 - alpha) quantile of mu0 instead.
            if ctl.threshold_method == "nbPlugin":
                mq = np.exp(eta)
            else:
                mq = np.exp(eta + z * se)
            finite = np.isfinite(mq)
            mq_s = np.where(finite, mq, 1.0)
            over = phi > 1
            size = np.where(over, mq_s / np.where(over, phi - 1.0, 1.0), 1.0)
            prob = 1.0 / phi
            up_nb = stats.nbinom.ppf(1.0 - ctl.alpha, size, prob)
            up_po = stats.poisson.ppf(1.0 - ctl.alpha, mq_s)
            upper = np.where(over, up_nb, up_po)
            p_nb = stats.nbinom.sf(y - 1, size, prob)
            p_po = stats.poisson.sf(y - 1, mq_s)
            pvalue = np.where(phi != 1, p_nb, p_po)
            upper = np.where(finite, upper, np.nan)
            pvalue = np.where(finite, pvalue, np.nan)
            pred_fit = eta  # R divides by distances on the link scale here; kept as is
            expected = np.exp(eta)
        score = (y - pred_fit) / (upper - pred_fit)
    return upper, pvalue, score, expected


def default_monitor(n_rows: int, dates: np.ndarray | None, ctl: FarringtonControl) -> np.ndarray:
    """All rows from the first one with enough history to the end."""
    k = ctl.freq * ctl.b + ctl.w
    while k < n_rows and history_needed(k, dates, ctl) > k:
        k += 1
    return np.arange(k, n_rows)


def farrington_flexible(
    counts,
    dates=None,
    monitor=None,
    control: FarringtonControl | None = None,
    names=None,
    chunk_size: int | None = None,
    validate: bool = True,
) -> SurveillanceResult:
    """Run Farrington flexible on a weeks x series matrix of counts.

    Parameters
    ----------
    counts : array (weeks, series) of whole, non-negative counts.
    dates : optional datetime64[D] array, the first day of each week.  With dates the
        reference weeks follow the calendar (as R does for date-indexed ``sts`` objects);
        without, a year is ``freq`` rows.
    monitor : rows (0-based) to monitor; default every row with enough history.
    control : :class:`FarringtonControl` (defaults: original Farrington settings).

    Raises :class:`SurveillanceInputError` for bad counts, a too-short series or a
    monitored week without its reference windows.  No partial result is returned then.
    """
    ctl = control or FarringtonControl()
    ctl.validate()
    if dates is not None:
        dates = np.asarray(dates, dtype="datetime64[D]")
    y_all = check_counts(counts, dates, names) if validate else np.asarray(counts, float)
    n_rows, n_series = y_all.shape
    if monitor is None:
        monitor = default_monitor(n_rows, dates, ctl)
    monitor = np.asarray(monitor, dtype=np.int64)
    if monitor.size == 0 or monitor.min() < 0 or monitor.max() >= n_rows:
        need = history_needed(min(n_rows - 1, ctl.freq * ctl.b + ctl.w), dates, ctl)
        raise SurveillanceInputError(
            f"series too short: {n_rows} weeks given, but farrington-flexible with "
            f"b={ctl.b}, w={ctl.w} needs at least {need + 1} weeks ({need} weeks of history "
            "before the first monitored week); no alarm computed")
    first = int(monitor.min())
    need = history_needed(first, dates, ctl)
    if need > first:
        raise SurveillanceInputError(
            f"series too short: the first monitored week (row {first}"
            + (f", {dates[first]}" if dates is not None else "")
            + f") has {first} weeks of history, but farrington-flexible with b={ctl.b}, "
            f"w={ctl.w} needs {need} weeks of history ({need + 1} weeks in all); "
            "no alarm computed")
    designs = [_design(int(k), dates, ctl) for k in monitor]
    batch = _Batch(designs, monitor, ctl.no_periods)

    T = monitor.size
    out = {key: np.full((T, n_series), np.nan) for key in ("expected", "upper", "pvalue", "score")}
    alarm = np.zeros((T, n_series), dtype=bool)
    observed = y_all[monitor]
    cases, period = ctl.limit54
    # limit54: the current week is part of the window (R changed this in 0.9-7)
    csum = np.vstack([np.zeros((1, n_series)), np.cumsum(y_all, axis=0)])
    lo = np.maximum(monitor - period + 1, 0)
    enough = (csum[monitor + 1] - csum[lo]) >= cases

    notes = []
    all_zero = ~(y_all > 0).any(axis=0)
    for j in np.nonzero(all_zero)[0]:
        label = f"series '{names[j]}'" if names is not None else f"series #{j}"
        notes.append(f"{label}: every count is zero; no model can be fitted, so no upper "
                     "bound and no alarm are given for it")
    work = np.nonzero(~all_zero)[0]
    if chunk_size is None:
        # keep each (weeks x observations x series) working array small enough to stay in
        # cache: measured fastest at about 8 series x 49 weeks x 237 observations
        chunk_size = max(1, int(1e5 // (T * batch.rows.shape[1])))
    for c0 in range(0, work.size, chunk_size):
        cols = work[c0:c0 + chunk_size]
        y = y_all[:, cols][batch.rows] * batch.mask[:, :, None]
        eta, se, disp, _ = _fit_chunk(batch, y, ctl)
        y0 = observed[:, cols]
        upper, pvalue, score, expected = _thresholds(eta, se, disp, y0, ctl)
        ok = enough[:, cols]
        has_upper = ~np.isnan(upper)
        out["upper"][:, cols] = np.where(ok, upper, np.nan)
        out["expected"][:, cols] = np.where(ok & has_upper, expected, np.nan)
        out["pvalue"][:, cols] = pvalue
        out["score"][:, cols] = score
        with np.errstate(invalid="ignore"):
            alarm[:, cols] = ok & (np.nan_to_num(score, nan=-np.inf) > 1) & (y0 != 0)
    if all_zero.any():
        out["expected"][:, all_zero] = 0.0
    return SurveillanceResult(
        method="farrington-flexible", weeks=monitor, observed=observed,
        expected=out["expected"], upperbound=out["upper"], alarm=alarm,
        pvalue=out["pvalue"], score=out["score"], notes=notes,
        extra={"control": ctl, "limit54_ok": enough})
