"""Simulated weekly count series with injected outbreaks, and detection measures.

The design follows the simulation study of Noufaily et al. (2013), Stat Med 32:1206-1222:

* baseline counts are negative binomial with mean
  ``mu_t = exp(theta + beta t + sum_{j=1..m} [gamma1 cos(2 pi j t / 52) + gamma2 sin(2 pi j t / 52)])``
  and variance ``phi * mu_t`` (so ``size = mu_t / (phi - 1)``; phi = 1 is Poisson);
* 624 weeks (12 years); the last 49 weeks are the monitored period;
* an outbreak starting in week t0 has ``Poisson(k * sd_t0)`` cases, ``sd_t0 = sqrt(phi mu_t0)``,
  each case falling ``d`` weeks after t0 with d drawn from a lognormal(0, 0.5) delay
  discretised to whole weeks (at most 20), as in R ``surveillance::sts_creation``;
* four outbreaks are put in the first 575 weeks (k drawn from 2..10 as in the paper) so that
  the algorithms' down-weighting of past outbreaks is exercised.

The 42 scenarios cross 7 baseline shapes (frequency and seasonality), 2 trends and 3
dispersions.  Scenario 4 (theta=1.6, beta=0, gamma=(0.4, 0.5), m=1, phi=2) is the one quoted
in R's documentation of ``sts_creation``; the other values span the same ranges as the
paper's table (from about one case a week to a few hundred) but were not checked number by
number against it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

N_WEEKS = 624
MONITORED = 49
FREQ = 52


@dataclass(frozen=True)
class Scenario:
    number: int
    theta: float
    beta: float
    gamma1: float
    gamma2: float
    m: int
    phi: float

    def as_dict(self) -> dict:
        return asdict(self)


def _build_scenarios() -> list[Scenario]:
    # (theta, gamma1, gamma2, m): baseline level and seasonality
    shapes = [
        (0.1, 0.0, 0.0, 0),   # ~1 case a week, flat
        (1.6, 0.4, 0.5, 1),   # ~5 a week, annual cycle (R's documented scenario 4)
        (2.5, 0.0, 0.0, 0),   # ~12 a week, flat
        (0.5, 1.5, 1.4, 1),   # rare, strongly seasonal
        (3.0, 0.2, 0.6, 2),   # ~20 a week, two cycles a year
        (4.0, 0.6, 0.9, 1),   # ~55 a week, seasonal
        (5.5, 0.3, 0.2, 2),   # ~250 a week, mild biannual season
    ]
    out: list[Scenario] = []
    n = 1
    for theta, g1, g2, m in shapes:
        for phi in (1.5, 2.0, 5.0):
            for beta in (0.0, 0.0025):
                out.append(Scenario(n, theta, beta, g1, g2, m, phi))
                n += 1
    # put R's documented example at number 4
    doc = Scenario(4, 1.6, 0.0, 0.4, 0.5, 1, 2.0)
    out = [s for s in out if (s.theta, s.beta, s.gamma1, s.phi) != (1.6, 0.0, 0.4, 2.0)]
    out.insert(3, doc)
    return [Scenario(i + 1, s.theta, s.beta, s.gamma1, s.gamma2, s.m, s.phi)
            for i, s in enumerate(out)]


SCENARIOS: list[Scenario] = _build_scenarios()


def baseline_mean(sc: Scenario, n_weeks: int = N_WEEKS) -> np.ndarray:
    t = np.arange(1, n_weeks + 1, dtype=float)
    season = np.zeros_like(t)
    for j in range(1, sc.m + 1):
        season += sc.gamma1 * np.cos(2 * np.pi * j * t / FREQ) + sc.gamma2 * np.sin(2 * np.pi * j * t / FREQ)
    return np.exp(sc.theta + sc.beta * t + season)


def _nb(rng: np.random.Generator, mu: np.ndarray, phi: float) -> np.ndarray:
    if phi <= 1.0:
        return rng.poisson(mu)
    size = mu / (phi - 1.0)
    return rng.negative_binomial(size, 1.0 / phi)


def delay_distribution(d_max: int = 20, meanlog: float = 0.0, sdlog: float = 0.5) -> np.ndarray:
    """P(delay = d weeks), d = 0..d_max-1, from a lognormal cut at d_max weeks."""
    cdf = stats.lognorm.cdf(np.arange(d_max + 1), s=sdlog, scale=np.exp(meanlog))
    return np.diff(cdf) / cdf[-1]


def add_outbreak(rng, counts, state, start, k, mu, phi, delay=None):
    """Add one outbreak of Poisson(k * sd) cases starting at ``start`` (in place)."""
    delay = delay_distribution() if delay is None else delay
    n_cases = rng.poisson(k * np.sqrt(phi * mu[start]))
    if n_cases == 0:
        return 0
    offsets = rng.choice(delay.size, size=n_cases, p=delay)
    extra = np.bincount(offsets, minlength=delay.size)
    stop = min(start + delay.size, counts.size)
    extra = extra[: stop - start]
    counts[start:stop] += extra
    state[start:stop] |= extra > 0
    return int(n_cases)


def simulate(
    sc: Scenario,
    n_series: int,
    rng: np.random.Generator,
    n_weeks: int = N_WEEKS,
    k_current: float | None = None,
    past_outbreaks: int = 4,
    monitored: int = MONITORED,
):
    """Simulate ``n_series`` series of one scenario.

    Returns ``(counts, state)``: weeks x series arrays, ``state`` True in weeks with
    outbreak cases.  ``k_current`` adds one outbreak starting in the monitored period
    (the last ``monitored`` weeks); None leaves the monitored period outbreak-free.
    """
    mu = baseline_mean(sc, n_weeks)
    counts = np.empty((n_weeks, n_series), dtype=np.int64)
    state = np.zeros((n_weeks, n_series), dtype=bool)
    delay = delay_distribution()
    train_end = n_weeks - monitored
    for j in range(n_series):
        col = _nb(rng, mu, sc.phi).astype(np.int64)
        st = np.zeros(n_weeks, dtype=bool)
        for _ in range(past_outbreaks):
            start = int(rng.integers(0, train_end - delay.size))
            add_outbreak(rng, col, st, start, int(rng.integers(2, 11)), mu, sc.phi, delay)
        if k_current is not None:
            start = int(rng.integers(train_end, n_weeks))
            add_outbreak(rng, col, st, start, k_current, mu, sc.phi, delay)
        counts[:, j] = col
        state[:, j] = st
    return counts, state


def week_dates(n_weeks: int = N_WEEKS, first: str = "2012-01-02") -> np.ndarray:
    """Monday-start week dates for simulated series."""
    return np.datetime64(first, "D") + 7 * np.arange(n_weeks)


def measures(alarm: np.ndarray, state: np.ndarray, has_outbreak: np.ndarray | None = None) -> dict:
    """Detection measures over monitored weeks (rows) x series (columns).

    * FPR: share of outbreak-free weeks with an alarm (1 - specificity), computed on all
      series-weeks without outbreak cases;
    * POD: share of series with an outbreak in the monitored period in which at least one
      outbreak week raised an alarm;
    * sensitivity: share of outbreak weeks with an alarm;
    * specificity: share of outbreak-free weeks without an alarm;
    * PPV: share of alarms that fell in outbreak weeks.
    """
    alarm = np.asarray(alarm, dtype=bool)
    state = np.asarray(state, dtype=bool)
    if has_outbreak is None:
        has_outbreak = state.any(axis=0)
    tp = (alarm & state).sum()
    fp = (alarm & ~state).sum()
    fn = (~alarm & state).sum()
    tn = (~alarm & ~state).sum()
    detected = (alarm & state).any(axis=0)

    def ratio(a, b):
        return float(a / b) if b else float("nan")

    return {
        "FPR": ratio(fp, fp + tn),
        "POD": ratio(detected[has_outbreak].sum(), has_outbreak.sum()),
        "sensitivity": ratio(tp, tp + fn),
        "specificity": ratio(tn, tn + fp),
        "PPV": ratio(tp, tp + fp),
        "n_alarms": int(alarm.sum()),
        "n_outbreak_weeks": int(state.sum()),
    }
