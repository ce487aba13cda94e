"""EARS C1/C2/C3, Poisson CUSUM, negative-binomial GLR and Poisson EWMA, batched over series.

References
----------
* Hutwagner L, Thompson W, Seeman GM, Treadwell T (2003). The bioterrorism preparedness and
  response Early Aberration Reporting System (EARS). J Urban Health 80(2 Suppl 1):i89-i96.
* Fricker RD, Hegler BL, Dunfee DA (2008). Comparing syndromic surveillance detection
  methods: EARS' versus a CUSUM-based methodology. Stat Med 27:3407-3429.
* Rogerson PA, Yamada I (2004). Approaches to syndromic surveillance when data consist of
  small regional counts. MMWR 53(Suppl):79-85 (Poisson CUSUM, k and h from an ARL).
* Brook D, Evans DA (1972). An approach to the probability distribution of CUSUM run
  length. Biometrika 59:539-549 (Markov-chain ARL).
* Höhle M, Paul M (2008). Count data regression charts for the monitoring of surveillance
  time series. Comput Stat Data Anal 52:4357-4368 (GLR detectors, R ``glrnb``).
* Borror CM, Champ CW, Rigdon SE (1998). Poisson EWMA control charts. J Qual Technol
  30:352-361.

Conventions follow R *surveillance* 1.20.3 (``earsC``, ``cusum``, ``findK``, ``findH``,
``glrnb``) so that results can be checked against it; the code is our own.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import stats

from .data import check_counts
from .errors import SurveillanceInputError, SurveillanceResult


def _monitor_rows(n_rows, monitor, need, method):
    if monitor is None:
        monitor = np.arange(need, n_rows)
    monitor = np.asarray(monitor, dtype=np.int64)
    if monitor.size == 0 or monitor.min() < need or monitor.max() >= n_rows:
        raise SurveillanceInputError(
            f"series too short: {method} needs {need} weeks of history before the first "
            f"monitored week ({need + 1} weeks in all); no alarm computed")
    if np.any(np.diff(monitor) != 1):
        raise SurveillanceInputError("monitored weeks must be consecutive")
    return monitor


def _zero_notes(y, names, method):
    notes = []
    for j in np.nonzero(~(y > 0).any(axis=0))[0]:
        label = f"series '{names[j]}'" if names is not None else f"series #{j}"
        notes.append(f"{label}: every count is zero; {method} has no baseline variation, "
                     "so no alarm is given for it")
    return notes


# --------------------------------------------------------------------------------------
# EARS
# --------------------------------------------------------------------------------------

def ears_c(counts, method: str = "C1", baseline: int = 7, alpha: float | None = None,
           min_sigma: float = 0.0, monitor=None, names=None, dates=None) -> SurveillanceResult:
    """EARS C1, C2 or C3 (Hutwagner et al. 2003) with R ``earsC`` conventions.

    C1 compares week t with the mean and SD of the ``baseline`` weeks just before it; C2
    leaves a 2-week guard band; C3 adds the positive excesses (C2 - 1) of the two previous
    weeks.  The upper bound is mean + z_(1-alpha) * max(SD, min_sigma), or for C3 the count
    at which the C3 rule would fire, exactly as R reports it.
    """
    method = method.upper()
    if method not in ("C1", "C2", "C3"):
        raise SurveillanceInputError(f"EARS method must be C1, C2 or C3, got {method!r}")
    if baseline < 3:
        raise SurveillanceInputError("EARS needs a baseline of at least 3 weeks")
    if min_sigma < 0:
        raise SurveillanceInputError("minSigma must be >= 0")
    if alpha is None:
        alpha = 0.025 if method == "C3" else 0.001
    y = check_counts(counts, dates, names)
    n_rows, n_series = y.shape
    lag = {"C1": 0, "C2": 2, "C3": 2}[method]
    need = baseline + lag + (2 if method == "C3" else 0)
    monitor = _monitor_rows(n_rows, monitor, need, f"EARS {method} with baseline={baseline}")
    z = stats.norm.ppf(1 - alpha)

    def ref_stats(rows):
        # windows y[t-lag-baseline : t-lag] for each row t, via a strided view
        win = np.lib.stride_tricks.sliding_window_view(y, baseline, axis=0)  # (n-b+1, S, b)
        ref = win[rows - lag - baseline]
        return ref.mean(axis=2), ref.std(axis=2, ddof=1)

    mean, sd = ref_stats(monitor)
    sig = np.maximum(sd, min_sigma)
    obs = y[monitor]
    with np.errstate(divide="ignore", invalid="ignore"):
        if method in ("C1", "C2"):
            upper = mean + z * sig
            score = (obs - mean) / sig
            pvalue = stats.norm.sf(score)
        else:
            ext = np.concatenate([monitor[:1] - 2, monitor[:1] - 1, monitor])
            m2, s2 = ref_stats(ext)
            c2 = (y[ext] - m2) / np.maximum(s2, min_sigma)
            excess = np.maximum(c2 - 1.0, 0.0)
            lag2, lag1 = excess[:-2], excess[1:-1]
            upper = np.maximum(obs + sig * (z - (lag2 + lag1)), 0.0)
            score = lag2 + lag1 + excess[2:]
            pvalue = np.full(obs.shape, np.nan)
        alarm = np.nan_to_num(obs > upper, nan=False).astype(bool) & ~np.isnan(upper)
    return SurveillanceResult(
        method=f"ears-{method.lower()}", weeks=monitor, observed=obs, expected=mean,
        upperbound=upper, alarm=alarm, pvalue=pvalue, score=score,
        notes=_zero_notes(y, names, f"EARS {method}"))


# --------------------------------------------------------------------------------------
# Poisson CUSUM with k and h from an in-control ARL
# --------------------------------------------------------------------------------------

def find_k(theta0: float, theta1: float, round_k: bool = True, digits: int = 1) -> float:
    """Reference value of the Poisson CUSUM that is optimal for a shift theta0 -> theta1.

    k = (theta1 - theta0) / (log theta1 - log theta0).  With ``round_k`` it is rounded to
    ``digits`` decimals but kept off whole and half values, where the count CUSUM would sit
    on lattice points (the same nudge R ``findK`` applies).
    """
    k = (theta1 - theta0) / (np.log(theta1) - np.log(theta0))
    if round_k:
        step = 10.0 ** (-digits)
        r = round(k, digits)
        if abs(r % 1) < 1e-9 or abs(r % 1 - 0.5) < 1e-9:
            frac = ((k - np.floor(k)) * 10 ** digits) % 1
            k = k + 0.5 * step if frac < 0.5 else k - 0.5 * step
        k = round(k, digits)
    return float(k)


def _common_denominator(h: float, k: float, digits: int = 1) -> int:
    for n in range(1, 10 ** digits + 1):
        vals = (h * n, k * n, (h + k) * n)
        if all(abs(round(v, digits) - round(round(v, digits))) < 1e-9 for v in vals):
            return n
    return 10 ** digits


def arl_cusum(h: float, k: float, theta: float, digits: int = 1) -> float:
    """In-control average run length of the one-sided Poisson CUSUM
    C_t = max(0, C_{t-1} + X_t - k), alarm when C_t >= h, started at 0.

    Brook and Evans (1972): C lives on a lattice of step 1/N (N the common denominator of
    h and k), the run length is the absorption time of that Markov chain, and
    ARL = first element of (I - R)^{-1} 1 with R the transitions between non-alarm states.
    """
    h, k = round(h, digits), round(k, digits)
    if h <= 0:
        raise ValueError("h must be > 0")
    n = _common_denominator(h, k, digits)
    K = int(round(k * n))
    M = int(round(h * n))  # states 0, 1/N, ..., (M-1)/N are "no alarm"
    states = np.arange(M)
    # from state i, X = x moves to max(0, i + N x - K); the count needed to reach state j
    # is x = (j - i + K) / N, which must be a whole number
    R = np.zeros((M, M))
    for i in states:
        # to state 0: i + N x - K <= 0  ->  x <= (K - i) / N
        R[i, 0] = stats.poisson.cdf(np.floor((K - i) / n), theta)
        j = states[1:]
        num = j - i + K
        ok = (num % n == 0) & (num >= 0)
        R[i, 1:][ok] = stats.poisson.pmf(num[ok] // n, theta)
    arl = np.linalg.solve(np.eye(M) - R, np.ones(M))
    return float(arl[0])


@lru_cache(maxsize=4096)
def find_h(arl0: float, theta0: float, shift: float = 1.0, digits: int = 1) -> tuple[float, float]:
    """(k, h) on the count scale for a Poisson CUSUM with in-control mean ``theta0``.

    k is :func:`find_k` for the out-of-control mean theta0 + shift * sqrt(theta0) (R's
    ``findH`` convention with s = shift); h is the smallest value on the 10^-digits grid
    whose in-control ARL reaches ``arl0`` (found by bisection; ARL grows with h).
    """
    theta1 = theta0 + shift * np.sqrt(theta0)
    k = find_k(theta0, theta1, round_k=True, digits=digits)
    step = 10.0 ** (-digits)
    # h is a few standard deviations of the count: bracket it from there, not from k
    # (k is close to theta0, which for large counts would mean a huge Markov chain)
    lo, hi = step, round(max(1.0, 2.0 * np.sqrt(theta0)), digits)
    while arl_cusum(hi, k, theta0, digits) < arl0:
        lo, hi = hi, round(hi * 2, digits)
        if hi > 50 * np.sqrt(theta0) + 50:
            raise SurveillanceInputError(f"no h reaches ARL0={arl0} for theta0={theta0}")
    lo_i, hi_i = int(round(lo / step)), int(round(hi / step))
    while hi_i - lo_i > 1:
        mid = (lo_i + hi_i) // 2
        if arl_cusum(mid * step, k, theta0, digits) >= arl0:
            hi_i = mid
        else:
            lo_i = mid
    return k, round(hi_i * step, digits)


def cusum(counts, k: float | None = None, h: float | None = None, m=None,
          arl0: float | None = None, shift: float = 1.0, monitor=None, names=None,
          dates=None, min_history: int = 52) -> SurveillanceResult:
    """Poisson CUSUM on standardised counts, with R ``cusum`` (trans = "standard")
    conventions: m is the mean of all weeks before the first monitored week (or given),
    z_t = (x_t - m)/sqrt(m), S_t = max(0, S_{t-1} + z_t - k), alarm when S_t >= h (no reset),
    upper bound = ceiling(sqrt(m) (h + k - S_{t-1}) + m).

    With ``arl0`` instead of k and h, each series gets the count-scale (k, h) of
    :func:`find_h` for theta0 = m, converted to the standardised scale
    (k_std = (k - m)/sqrt(m), h_std = h / sqrt(m)), so the chart is the count CUSUM with
    the requested in-control ARL.  Without either, R's defaults k = 1.04, h = 2.26 apply.
    """
    y = check_counts(counts, dates, names)
    n_rows, n_series = y.shape
    monitor = _monitor_rows(n_rows, monitor, min_history if m is None else 0, "cusum")
    first = int(monitor[0])
    if m is None:
        mean = y[:first].mean(axis=0)
    else:
        mean = np.broadcast_to(np.asarray(m, dtype=float), (n_series,)).copy()
    zero = mean <= 0
    m_safe = np.where(zero, 1.0, mean)
    if arl0 is not None and (k is not None or h is not None):
        raise SurveillanceInputError("give either arl0 or k and h, not both")
    if arl0 is not None:
        kk = np.empty(n_series)
        hh = np.empty(n_series)
        for j in range(n_series):
            if zero[j]:
                kk[j] = hh[j] = np.nan
                continue
            # the chart constants depend smoothly on theta0; rounding it to 2 significant
            # digits lets thousands of series share one Markov-chain computation
            theta0 = float(f"{m_safe[j]:.2g}")
            kc, hc = find_h(float(arl0), theta0, shift)
            kk[j] = (kc - m_safe[j]) / np.sqrt(m_safe[j])
            hh[j] = hc / np.sqrt(m_safe[j])
    else:
        kk = np.full(n_series, 1.04 if k is None else float(k))
        hh = np.full(n_series, 2.26 if h is None else float(h))
    obs = y[monitor]
    zstd = (obs - m_safe) / np.sqrt(m_safe)
    T = monitor.size
    S = np.zeros((T + 1, n_series))
    for t in range(T):
        S[t + 1] = np.maximum(0.0, S[t] + zstd[t] - kk)
    stat = S[1:]
    prev = S[:-1]
    with np.errstate(invalid="ignore"):
        alarm = (stat >= hh) & ~zero
        upper = np.ceil(np.sqrt(m_safe) * (hh + kk - prev) + m_safe)
    upper = np.where(np.isnan(upper) | (upper < 0), 0.0, upper)
    upper[:, zero] = np.nan
    stat[:, zero] = np.nan
    expected = np.broadcast_to(mean, obs.shape).copy()
    return SurveillanceResult(
        method="cusum", weeks=monitor, observed=obs, expected=expected, upperbound=upper,
        alarm=alarm, pvalue=np.full(obs.shape, np.nan), score=stat,
        notes=_zero_notes(y[:first] if m is None else y, names, "the CUSUM"),
        extra={"k": kk, "h": hh, "m": mean})


# --------------------------------------------------------------------------------------
# Baseline for GLR and EWMA: Poisson GLM with one harmonic on the training weeks
# --------------------------------------------------------------------------------------

def _harmonic_baseline(y_train: np.ndarray, t_train: np.ndarray, t_pred: np.ndarray,
                       freq: int = 52, trend: bool = False) -> np.ndarray:
    """Fitted in-control means mu0 at t_pred from a Poisson GLM
    log mu = b0 [+ b1 t] + c cos(2 pi t/freq) + s sin(2 pi t/freq), fitted to all series at
    once by IRLS with a (series x 3 x 3) batched solve."""
    def design(t):
        cols = [np.ones_like(t, dtype=float)]
        if trend:
            cols.append(t.astype(float))
        cols += [np.cos(2 * np.pi * t / freq), np.sin(2 * np.pi * t / freq)]
        return np.stack(cols, axis=1)

    X = design(t_train)
    Xp = design(t_pred)
    mu = y_train + 0.1
    eta = np.log(mu)
    beta = None
    for _ in range(50):
        w = mu
        zz = eta + (y_train - mu) / mu
        XtWX = np.einsum("np,ns,nq->spq", X, w, X)
        XtWz = np.einsum("np,ns->sp", X, w * zz)
        beta_new = np.linalg.solve(XtWX + 1e-12 * np.eye(X.shape[1]), XtWz[..., None])[..., 0]
        eta = X @ beta_new.T
        mu = np.exp(eta)
        if beta is not None and np.max(np.abs(beta_new - beta)) < 1e-10:
            beta = beta_new
            break
        beta = beta_new
    return np.exp(Xp @ beta.T)


def glrnb(counts, c_arl: float = 5.0, alpha: float = 0.0, mu0=None, direction: str = "inc",
          monitor=None, names=None, dates=None, min_history: int = 104,
          max_window: int = -1) -> SurveillanceResult:
    """GLR detector for a multiplicative change in the mean (Höhle and Paul 2008; R ``glrnb``
    with change = "intercept", ret = "value").

    Under control X_t ~ NB(mu0_t, alpha) (var = mu0 + alpha mu0^2; alpha = 0 is Poisson).
    At week n the statistic is max over start weeks k of the log likelihood ratio of
    mu_t = mu0_t exp(kappa) for t in k..n, kappa at its MLE (kappa >= 0 for an increase).
    An alarm is raised when it reaches ``c_arl``; the chart then restarts.  mu0 defaults to
    a Poisson GLM with one harmonic fitted to the weeks before the first monitored week.
    The upper bound is the smallest count at week n that would raise an alarm.
    """
    if direction not in ("inc", "dec"):
        raise SurveillanceInputError("direction must be inc or dec")
    if alpha < 0:
        raise SurveillanceInputError("alpha must be >= 0")
    y = check_counts(counts, dates, names)
    n_rows, n_series = y.shape
    monitor = _monitor_rows(n_rows, monitor, min_history if mu0 is None else 0, "glrnb")
    first = int(monitor[0])
    obs = y[monitor]
    T = monitor.size
    if mu0 is None:
        t_all = np.arange(n_rows)
        mu = _harmonic_baseline(y[:first], t_all[:first], t_all[monitor])
    else:
        mu = np.broadcast_to(np.asarray(mu0, dtype=float), obs.shape).copy()
    sign = 1.0 if direction == "inc" else -1.0

    def glr_from(xs, ms):
        """max over start weeks of the profile LR, for windows ending at the last row."""
        cx = np.cumsum(xs[::-1], axis=0)
        cm = np.cumsum(ms[::-1], axis=0)
        if alpha == 0:
            with np.errstate(divide="ignore", invalid="ignore"):
                kappa = np.log(np.where(cx > 0, cx / cm, 1.0))
            kappa = np.where(sign * kappa > 0, kappa, 0.0)
            lr = cx * kappa - cm * (np.exp(kappa) - 1.0)
        else:
            lr = np.zeros_like(cx)
            for i in range(cx.shape[0]):  # window = last i+1 weeks; Newton for kappa
                xw, mw = xs[-(i + 1):], ms[-(i + 1):]
                kappa = np.log(max(xw.sum(), 0.5) / mw.sum())
                for _ in range(30):
                    em = mw * np.exp(kappa)
                    g = ((xw - em) / (1 + alpha * em)).sum()
                    d = -((em * (1 + alpha * xw)) / (1 + alpha * em) ** 2).sum()
                    step = g / d
                    kappa -= step
                    if abs(step) < 1e-10:
                        break
                if sign * kappa <= 0:
                    kappa = 0.0
                em = mw * np.exp(kappa)
                ll1 = xw * np.log(em) - (xw + 1 / alpha) * np.log1p(alpha * em)
                ll0 = xw * np.log(mw) - (xw + 1 / alpha) * np.log1p(alpha * mw)
                lr[i] = (ll1 - ll0).sum()
        return lr.max(axis=0)

    stat = np.zeros((T, n_series))
    alarm = np.zeros((T, n_series), dtype=bool)
    upper = np.full((T, n_series), np.nan)
    start = np.zeros(n_series, dtype=np.int64)
    for t in range(T):
        for j in range(n_series):
            lo = start[j] if max_window < 0 else max(start[j], t - max_window + 1)
            xs, ms = obs[lo:t + 1, j], mu[lo:t + 1, j]
            stat[t, j] = glr_from(xs, ms)
            # smallest count at week t that alarms: step up from the observed value
            xx = xs.copy()
            lo_c, hi_c = 0, max(int(xs[-1]), 1)
            xx[-1] = hi_c
            while glr_from(xx, ms) < c_arl and hi_c < 1e6:
                lo_c, hi_c = hi_c, hi_c * 2
                xx[-1] = hi_c
            while hi_c - lo_c > 1:
                mid = (lo_c + hi_c) // 2
                xx[-1] = mid
                if glr_from(xx, ms) >= c_arl:
                    hi_c = mid
                else:
                    lo_c = mid
            upper[t, j] = hi_c
            if stat[t, j] >= c_arl:
                alarm[t, j] = True
                start[j] = t + 1
    return SurveillanceResult(
        method="glrnb", weeks=monitor, observed=obs, expected=mu, upperbound=upper,
        alarm=alarm, pvalue=np.full(obs.shape, np.nan), score=stat,
        notes=_zero_notes(y[:first], names, "glrnb"), extra={"c_arl": c_arl, "alpha": alpha})


def ewma(counts, lam: float = 0.2, L: float = 3.0, mu0=None, monitor=None, names=None,
         dates=None, min_history: int = 52) -> SurveillanceResult:
    """Poisson EWMA chart (Borror et al. 1998): z_t = lam x_t + (1 - lam) z_{t-1}, z_0 = mu0,
    alarm when z_t > mu0 + L sqrt(mu0 lam / (2 - lam) (1 - (1 - lam)^(2t))).

    mu0 is the mean of the weeks before the first monitored week unless given.  The upper
    bound is the count that would put z_t exactly on the control limit.
    """
    if not 0 < lam <= 1:
        raise SurveillanceInputError("lambda must be in (0, 1]")
    if L <= 0:
        raise SurveillanceInputError("L must be > 0")
    y = check_counts(counts, dates, names)
    n_rows, n_series = y.shape
    monitor = _monitor_rows(n_rows, monitor, min_history if mu0 is None else 0, "ewma")
    first = int(monitor[0])
    mean = y[:first].mean(axis=0) if mu0 is None else np.broadcast_to(
        np.asarray(mu0, dtype=float), (n_series,)).copy()
    zero = mean <= 0
    obs = y[monitor]
    T = monitor.size
    z = np.empty((T, n_series))
    upper = np.empty((T, n_series))
    ucl = np.empty((T, n_series))
    prev = mean.copy()
    for t in range(T):
        # exact (time-varying) limit: the variance of z_t grows to its asymptote
        ucl[t] = mean + L * np.sqrt(mean * lam / (2 - lam) * (1 - (1 - lam) ** (2 * (t + 1))))
        upper[t] = (ucl[t] - (1 - lam) * prev) / lam
        z[t] = lam * obs[t] + (1 - lam) * prev
        prev = z[t]
    alarm = (z > ucl) & ~zero
    upper = np.maximum(upper, 0.0)
    upper[:, zero] = np.nan
    return SurveillanceResult(
        method="ewma", weeks=monitor, observed=obs, expected=np.broadcast_to(mean, obs.shape).copy(),
        upperbound=upper, alarm=alarm, pvalue=np.full(obs.shape, np.nan), score=z,
        notes=_zero_notes(y[:first], names, "the EWMA chart"), extra={"lambda": lam, "L": L})
