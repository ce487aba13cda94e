"""The batched quasi-Poisson GLM behind Farrington flexible (see ``farrington`` for the
method and its references): per-level intercepts and an optional trend, fitted for all
series and all monitored weeks at once, with the Anscombe reweighting and R's trend rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

if TYPE_CHECKING:
    from .farrington import FarringtonControl

_GLM_MAXIT = 25
# Level means of exactly zero have no finite log.  R's IRLS drives such a level towards
# zero and stops after about 20 iterations at a mean of order 1e-9 to 1e-11; any tiny
# value gives the same upper bound (0 cases) and the same alarm decision.
_TINY_MEAN = 1e-10


# --------------------------------------------------------------------------------------
# Batched quasi-Poisson GLM (log link) with per-level intercepts and an optional trend
# --------------------------------------------------------------------------------------

@dataclass
class _Fit:
    a: np.ndarray  # (T, P, S) level intercepts on the log scale
    beta: np.ndarray  # (T, S) trend per week (0 without trend)
    mu: np.ndarray  # (T, n, S) fitted means
    w_old: np.ndarray  # (T, n, S) working weights of the last IRLS step (as R reports)
    s0: np.ndarray  # (T, P, S) per-level sums of w_old
    s1: np.ndarray  # (T, P, S) per-level sums of w_old * t
    schur: np.ndarray  # (T, S) sum w_old (t - level mean of t)^2; inf without trend
    disp: np.ndarray  # (T, S) Pearson dispersion estimate (summary.glm)
    df: np.ndarray  # (T, S) residual degrees of freedom
    converged: np.ndarray  # (T, S)
    trend: bool
    # Dispersion that R uses for the prediction's standard error and the trend test.
    # After reweighting, R stores the prior weights in the model's working-weight slot,
    # so summary.glm() then computes sum(omega * ((y - mu) / mu)^2) / df instead of the
    # Pearson statistic; the clipped phi itself is computed before that and is unaffected.
    # We reproduce this so that bounds agree with R to within rounding.
    disp_se: np.ndarray | None = None

    def __post_init__(self):
        if self.disp_se is None:
            self.disp_se = self.disp


class _Batch:
    """Arrays describing the designs of T monitored weeks, padded to a common length.

    Within each design the observations are sorted by factor level, so that a level is a
    contiguous block and per-level sums are differences of one cumulative sum (much
    cheaper than a one-hot matrix product for thousands of series).
    """

    def __init__(self, designs: list[tuple[np.ndarray, np.ndarray]], ks: np.ndarray, p: int):
        T = len(designs)
        n = max(len(r) for r, _ in designs)
        self.rows = np.zeros((T, n), dtype=np.int64)
        self.mask = np.zeros((T, n))
        self.t = np.zeros((T, n))
        self.lev = np.zeros((T, n), dtype=np.int64)
        self.bounds = np.zeros((T, p + 1), dtype=np.int64)
        for i, (r, lev) in enumerate(designs):
            order = np.argsort(lev, kind="stable")
            r, lev = r[order], lev[order]
            m = len(r)
            self.rows[i, :m] = r
            self.mask[i, :m] = 1.0
            # time is measured from the monitored week, so the prediction sits at t = 0
            self.t[i, :m] = r - ks[i]
            self.lev[i, :m] = lev
            self.bounds[i] = np.searchsorted(lev, np.arange(p + 1))
        self.present = np.diff(self.bounds, axis=1) > 0  # (T, P)
        self.n_levels = self.present.sum(axis=1)  # (T,)
        self.P = p
        self._ti = np.arange(T)[:, None]
        self._gather = np.maximum(self.bounds - 1, 0)
        starts = np.minimum(self.bounds[:, :p], n - 1) + (np.arange(T) * n)[:, None]
        self._flat_starts = starts.ravel()
        self._present_f = self.present[:, :, None].astype(np.float64)
        runs = np.diff(self.bounds, axis=1)
        runs[:, -1] += n - self.bounds[:, -1]  # padding joins the last level
        self._run_lengths = runs.ravel()


def _level_sums(batch: _Batch, x: np.ndarray) -> np.ndarray:
    """Sum x (T, n, S) within each factor level -> (T, P, S).

    One ``add.reduceat`` over the flattened (T * n, S) array: every level is a contiguous
    run of rows, and the reduction runs along rows of S contiguous values (vectorised),
    which is several times faster than a cumulative sum along the middle axis.  Padding
    rows are zero in every array passed here (they carry prior weight 0), so the last
    level of a week may run into them harmlessly.  ``reduceat`` returns the first
    element for an empty run; those levels are zeroed.
    """
    T, n, S = x.shape
    out = np.add.reduceat(x.reshape(T * n, S), batch._flat_starts, axis=0)
    out = out.reshape(T, batch.P, S)
    out *= batch._present_f
    return out


def _spread(batch: _Batch, v: np.ndarray) -> np.ndarray:
    """Per-level values (T, P, S) back onto the observations -> (T, n, S).

    Levels are contiguous runs, so this is one ``repeat`` of whole rows (padding rows get
    the last level's value; they carry weight 0 everywhere).
    """
    T, P, S = v.shape
    out = np.repeat(v.reshape(T * P, S), batch._run_lengths, axis=0)
    return out.reshape(T, -1, S)


def _safe_div(num, den):
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _dispersion(batch, y, mu, pw, rank, reweighted: bool):
    """summary.glm's quasi-likelihood dispersion: weighted Pearson X^2 / residual df, with
    the working weights ``pw * mu`` of the fitted model.

    After reweighting, also returns the variant R ends up using (see ``_Fit.disp_se``).
    """
    n_ok = batch.mask.sum(axis=1)[:, None] if not reweighted else (pw > 0).sum(axis=1)
    df = n_ok - rank
    d2 = y - mu
    d2 *= d2
    d2 /= mu  # (y - mu)^2 / mu; times pw is w * ((y - mu) / mu)^2
    x2 = np.einsum("tns,tns->ts", pw, d2)
    with np.errstate(invalid="ignore", divide="ignore"):
        disp = np.where(df > 0, x2 / np.maximum(df, 1), np.nan)
        if not reweighted:
            return disp, df, None
        d2 /= mu
        x2_prior = np.einsum("tns,tns->ts", pw, d2)
        disp_prior = np.where(df > 0, x2_prior / np.maximum(df, 1), np.nan)
    return disp, df, disp_prior


def _trend_fit(batch: _Batch, y, pw, reweighted: bool = False, beta0=None) -> _Fit:
    """Quasi-Poisson fit of ``log mu = a[level] + beta t`` by Newton's method on the
    profile likelihood of the trend.

    For a fixed ``beta`` the intercepts have a closed form: ``exp(a_l) = Y_l / E_l(beta)``
    with ``Y_l = sum_l pw y`` and ``E_l = sum_l pw exp(beta t)``.  What is left is a
    one-dimensional concave problem in ``beta`` with score
    ``U = sum pw y t - sum_l Y_l E1_l / E_l`` and derivative
    ``U' = -sum_l Y_l (E2_l / E_l - (E1_l / E_l)^2)`` (``Ek_l = sum_l pw t^k exp(beta t)``).
    One Newton step costs one ``exp`` and three per-level sums, against about fifteen
    passes for a full IRLS step, and converges quadratically.  The estimate is the same
    maximum-likelihood estimate that R's ``glm.fit`` (IRLS) converges to; R stops when the
    deviance changes by less than 1e-8 relatively, we stop after a step in ``beta`` below
    1e-7, which leaves an error of order 1e-12 (at most 25 steps, like R).  The R-fixture tests check the agreement.

    The information quantities (``s0``, ``s1``, ``schur``) and the weights ``pw * mu``
    are those of the fitted model, which is what R's last IRLS step reports to within
    its convergence tolerance.
    """
    t = batch.t[:, :, None]
    T, _, S = y.shape
    py = pw * y
    y_l = _level_sums(batch, py)  # (T, P, S)
    yt = np.einsum("tns,tn->ts", py, batch.t)
    del py
    beta = np.zeros((T, S)) if beta0 is None else np.nan_to_num(beta0.copy())
    conv = np.zeros((T, S), dtype=bool)

    def moments(beta, final=False):
        # in place: these (weeks x observations x series) arrays are the whole cost
        pe = np.multiply(t, beta[:, None, :])
        np.exp(pe, out=pe)
        e = pe.copy() if final else None
        pe *= pw
        e0 = _level_sums(batch, pe)
        pe *= t
        e1 = _level_sums(batch, pe)
        pe *= t
        e2 = _level_sums(batch, pe)
        return e, e0, e1, e2

    for _ in range(_GLM_MAXIT):
        _, e0, e1, e2 = moments(beta)
        m1 = _safe_div(e1, e0)
        score = yt - (y_l * m1).sum(axis=1)
        info = (y_l * (_safe_div(e2, e0) - m1 * m1)).sum(axis=1)
        step = _safe_div(score, info)
        # a real trend is a few per cent per week at most; a longer step is an overshoot
        # on a nearly flat profile, so it is cut back (Newton on a concave function)
        np.clip(step, -0.02, 0.02, out=step)
        step[conv] = 0.0
        beta += step
        # quadratic convergence: after a step below 1e-7 the error is of order 1e-12
        conv |= np.abs(step) < 1e-7
        if conv.all():
            break
    conv &= np.isfinite(beta)
    e, e0, e1, e2 = moments(beta, final=True)
    c = _safe_div(y_l, e0)
    # a level without any case: R's IRLS drives its mean towards 0 (see _TINY_MEAN)
    c = np.where(batch.present[:, :, None], np.maximum(c, _TINY_MEAN), 1.0)
    a = np.log(c)
    mu = e
    mu *= _spread(batch, c)
    w = pw * mu
    s0 = c * e0
    s1 = c * e1
    q = _safe_div(s1, s0)
    schur = (c * e2).sum(axis=1) - (q * s1).sum(axis=1)
    rank = batch.n_levels[:, None] + 1
    disp, df, disp_prior = _dispersion(batch, y, mu, pw, rank, reweighted)
    return _Fit(a, beta, mu, w, s0, s1, schur, disp, df, conv, True, disp_prior)


def _fit_no_trend(batch: _Batch, y, pw, reweighted: bool = False) -> _Fit:
    """Quasi-Poisson fit with level intercepts only: the MLE is each level's weighted mean."""
    s_pw = _level_sums(batch, pw)
    s_y = _level_sums(batch, pw * y)
    level_mean = _safe_div(s_y, s_pw)
    level_mean = np.where(batch.present[:, :, None], np.maximum(level_mean, _TINY_MEAN), 1.0)
    a = np.log(level_mean)
    mu = _spread(batch, level_mean)
    w = pw * mu
    s0 = s_pw * level_mean
    rank = batch.n_levels[:, None]
    disp, df, disp_prior = _dispersion(batch, y, mu, pw, rank, reweighted)
    T, _, S = y.shape
    inf = np.full((T, S), np.inf)
    return _Fit(a, np.zeros((T, S)), mu, w, s0, np.zeros_like(s0), inf, disp, df,
                np.ones((T, S), dtype=bool), False, disp_prior)


def _hat(batch: _Batch, fit: _Fit) -> np.ndarray:
    """Diagonal of the hat matrix W^1/2 X (X'WX)^-1 X' W^1/2 of a fitted model."""
    inv_s0 = _spread(batch, _safe_div(1.0, fit.s0))
    if not fit.trend:
        inv_s0 *= fit.w_old
        return inv_s0
    dt = _spread(batch, _safe_div(fit.s1, fit.s0))
    np.subtract(batch.t[:, :, None], dt, out=dt)
    dt *= dt
    dt /= fit.schur[:, None, :]
    dt += inv_s0
    dt *= fit.w_old
    return dt


def _anscombe_weights(batch, y, y23, fit: _Fit, threshold: float) -> np.ndarray:
    """Farrington's reweighting: standardised Anscombe residuals s_i above the threshold
    get weight gamma / s_i^2, all others gamma, with gamma making the weights sum to n.

    s_i = 1.5 (y^(2/3) mu^(-1/6) - mu^(1/2)) / sqrt(phi (1 - h_i)); computed as its
    square (numerator^2 / (phi (1 - h))) to save a square root and a division per value.
    """
    phi = np.maximum(np.nan_to_num(fit.disp, nan=1.0), 1.0)[:, None, :]
    den = _hat(batch, fit)
    np.subtract(1.0, den, out=den)
    den *= phi
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(fit.mu)
        num = np.cbrt(root)  # mu^(1/6): cheaper than a general power
        np.divide(y23, num, out=num)
        num -= root
        num *= 1.5
        big = num > 0
        num *= num
        num /= den  # s^2
        big &= num > threshold * threshold
        inv = np.ones_like(num)
        np.divide(1.0, num, out=inv, where=big)
    inv *= batch.mask[:, :, None]
    n = batch.mask.sum(axis=1)[:, None]
    gamma = n / inv.sum(axis=1)
    inv *= gamma[:, None, :]
    return inv


def _predict_link(fit: _Fit, p_level: int):
    """Linear predictor at the monitored week (t = 0) and its standard error."""
    eta = fit.a[:, p_level, :]
    s0 = fit.s0[:, p_level, :]
    var = _safe_div(1.0, s0)
    if fit.trend:
        q = _safe_div(fit.s1[:, p_level, :], s0)
        var = var + q * q / fit.schur
    with np.errstate(invalid="ignore"):
        se = np.sqrt(np.maximum(fit.disp_se, 0.0) * var)
    return eta, se


def _fit_chunk(batch: _Batch, y, ctl: FarringtonControl):
    """Run the whole model-fitting procedure for a chunk; returns eta, se, phi, doTrend."""
    pw1 = np.broadcast_to(batch.mask[:, :, None], y.shape)
    y23 = y ** (2.0 / 3.0)
    p_level = ctl.no_periods - 1
    if not ctl.trend:
        base_w = _fit_without_trend(batch, y, y23, pw1, ctl)
        eta, se = _predict_link(base_w, p_level)
        return eta, se, base_w.disp, np.zeros(eta.shape, dtype=bool)

    # A trend fit can diverge (exp overflow) on pathological windows; such fits end up
    # NaN and "not converged", and the no-trend model is then used, as R does.
    with np.errstate(all="ignore"):
        f2, do_trend = _fit_with_trend(batch, y, y23, pw1, ctl, p_level)
        eta, se = _predict_link(f2, p_level)
        eta, se, disp = eta.copy(), se.copy(), f2.disp.copy()
        # R fits the model without trend only where the trend is dropped.  That is about
        # 1% of series-weeks under Noufaily's settings, so it is fitted for the series that
        # need it rather than for all (each series is independent of the others).
        cols = np.nonzero((~do_trend).any(axis=0))[0]
        if cols.size:
            base_w = _fit_without_trend(batch, y[:, :, cols], y23[:, :, cols], pw1[:, :, cols], ctl)
            eta_b, se_b = _predict_link(base_w, p_level)
            keep = do_trend[:, cols]
            eta[:, cols] = np.where(keep, eta[:, cols], eta_b)
            se[:, cols] = np.where(keep, se[:, cols], se_b)
            disp[:, cols] = np.where(keep, disp[:, cols], base_w.disp)
    return eta, se, disp, do_trend


def _fit_without_trend(batch, y, y23, pw1, ctl) -> _Fit:
    base = _fit_no_trend(batch, y, pw1)
    if not ctl.reweight:
        return base
    omega = _anscombe_weights(batch, y, y23, base, ctl.weights_threshold)
    return _fit_no_trend(batch, y, omega, reweighted=True)


def _fit_with_trend(batch, y, y23, pw1, ctl, p_level):
    f1 = _trend_fit(batch, y, pw1)
    if ctl.reweight:
        omega = _anscombe_weights(batch, y, y23, f1, ctl.weights_threshold)
        f2 = _trend_fit(batch, y, omega, reweighted=True, beta0=f1.beta)
    else:
        f2 = f1
    # Keep the trend only if (R's three rules) the first fit converged, the trend is
    # significant at pThresholdTrend, at least 3 years are used, and the prediction does
    # not exceed the largest count in the reference data (no wild extrapolation).
    eta_t, _ = _predict_link(f2, p_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_stat = f2.beta / np.sqrt(f2.disp_se / f2.schur)
        p_trend = 2.0 * stats.t.sf(np.abs(t_stat), np.maximum(f2.df, 1))
    y_max = (y * batch.mask[:, :, None]).max(axis=1)
    do_trend = (f1.converged & (ctl.b >= 3) & (p_trend < ctl.p_threshold_trend)
                & (np.exp(eta_t) <= y_max))
    return f2, do_trend
