"""Uncertainty and sensitivity analysis of the ranking (Handbook Step 7).

Follows Saisana, Saltelli & Tarantola (2005), "Uncertainty and sensitivity
analysis techniques as tools for the quality assessment of composite
indicators", JRSS A 168(2):307–323, and Handbook §7.1–7.3: every modelling
choice becomes an uncertain input factor, sampled with a "Russian roulette"
trigger (a uniform z ∈ [0, 1) picks option ⌊z·k⌋):

* X_norm  — the normalisation method;
* X_wgt   — the weighting scheme;
* X_noise — multiplicative noise U[1 − a, 1 + a] on every node weight of the
  hierarchy (renormalised within each sibling set);
* X_agg   — the aggregation rule;
* X_excl  — which indicator, if any, is left out (0 = none, probability 1/(Q+1),
  as in Handbook §7.2); the remaining sibling weights are rescaled to unit sum.

Outputs are the rank of every unit and the average shift in ranks
R_S = (1/M) Σ_c |Rank_ref(c) − Rank(c)| (Handbook eq. 38).  The Monte Carlo
summary gives each unit's median rank and 5–95 % interval; the variance-based
analysis gives Sobol' first-order (S_i) and total (S_Ti) indices via SALib
(Saltelli sampling, Jansen/Saltelli estimators), with the weight-noise factors
treated as one group.

Speed: every quasi-arithmetic aggregation over the hierarchy equals a flat one
with effective weights (see :mod:`.hierarchy`), so replications sharing a
normalisation and an aggregation are one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .aggregation import rank_scores
from .errors import CompositeInputError
from .framework import Framework
from .hierarchy import Tree, evaluate, floor_map, needs_positive
from .pipeline import Context, compute_index, normalize_framework, prepare
from .table import Table, check_matrix

AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "generalized", "topsis", "copeland")
ALTERNATIVE_NORMALIZATIONS = ("minmax", "zscore", "percentile")
ALTERNATIVE_AGGREGATIONS = ("arithmetic", "geometric")


@dataclass(frozen=True)
class Settings:
    """The options each uncertain factor chooses from.

    The first option of every factor should be the framework's own choice, so that a
    run with one option each, no noise and no exclusion *is* the reference model;
    :meth:`for_framework` builds such settings and is what :func:`monte_carlo` uses
    when none are given.
    """

    normalizations: tuple[str, ...] = ALTERNATIVE_NORMALIZATIONS
    weightings: tuple[str, ...] = ("framework", "equal", "entropy", "critic")
    aggregations: tuple[str, ...] = ALTERNATIVE_AGGREGATIONS
    weight_noise: float = 0.2
    exclude: bool = True

    @classmethod
    def for_framework(cls, fw: Framework, *, weight_noise: float = 0.2, exclude: bool = True) -> Settings:
        o = fw.options
        return cls(normalizations=tuple(dict.fromkeys((o.normalization, *ALTERNATIVE_NORMALIZATIONS))),
                   aggregations=tuple(dict.fromkeys((o.aggregation, *ALTERNATIVE_AGGREGATIONS))),
                   weight_noise=weight_noise, exclude=exclude)


@dataclass
class MonteCarloResult:
    units: list[str]
    reference_rank: np.ndarray
    ranks: np.ndarray  # replications × units
    shift: np.ndarray  # average rank shift R_S per replication
    factors: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def median_rank(self) -> np.ndarray:
        return np.median(self.ranks, axis=0)

    @property
    def p05(self) -> np.ndarray:
        return np.quantile(self.ranks, 0.05, axis=0, method="inverted_cdf")

    @property
    def p95(self) -> np.ndarray:
        return np.quantile(self.ranks, 0.95, axis=0, method="inverted_cdf")

    @property
    def mean_rank(self) -> np.ndarray:
        return self.ranks.mean(axis=0)


class Engine:
    """Everything that does not change between replications, computed once.

    Compensatory rules are flattened to effective weights (one matrix product per
    batch).  TOPSIS and Copeland are not quasi-arithmetic means, so they are
    evaluated level by level exactly as :func:`.hierarchy.evaluate` does (TOPSIS on
    the raw indicators, then on the sub-dimension scores; Copeland on the
    normalised indicators, then on the children's Copeland scores), batched over
    replications: the Monte Carlo samples the very model whose ranking it qualifies.
    """

    def __init__(self, fw: Framework, table: Table, settings: Settings | None = None,
                 context: Context | None = None):
        settings = settings or Settings.for_framework(fw)
        bad = [a for a in settings.aggregations if a not in AGGREGATIONS]
        if bad:
            raise CompositeInputError(f"Monte Carlo aggregation(s) not supported: {', '.join(bad)}")
        self.fw, self.settings = fw, settings
        self.tree = Tree.from_framework(fw)
        X, _, _ = prepare(fw, table, context)
        self.X = check_matrix(X, fw.names, allow_missing=False)
        self.units = list(table.units)
        self.reference = compute_index(fw, table, context).rank
        q = len(fw.names)
        p = fw.options.power
        self.norm = {n: normalize_framework(fw, self.X, n) for n in settings.normalizations}
        self.pos = {n: floor_map(v, n, fw.options.floor) for n, v in self.norm.items()}
        self.node_w = np.stack([self._scheme_weights(s) for s in settings.weightings])
        self.n_nodes = len(self.tree.names)
        self.n_excl = q + 1 if settings.exclude else 1
        self.power_input = {n: (self.pos[n] if needs_positive("generalized", p) else v) for n, v in self.norm.items()}
        self.topsis_r = self.X / np.sqrt((self.X**2).sum(axis=0))
        self.directions = np.asarray(fw.directions)
        # Copeland compares normalised values, as the reference does; ties can differ by normalisation.
        self.cmp = {n: (v[:, None, :] > v[None, :, :]) + 0.5 * (v[:, None, :] == v[None, :, :])
                    for n, v in self.norm.items()}

    def _scheme_weights(self, scheme: str) -> np.ndarray:
        o = self.fw.options
        if scheme == "framework":
            opts = o if o.weighting != "bod" else replace(o, weighting="equal")
        else:
            opts = replace(o, weighting=scheme, normalization="minmax", aggregation="arithmetic")
        fw = replace(self.fw, options=opts)
        Xn = normalize_framework(fw, self.X)
        _, used = evaluate(fw, self.tree, Xn, self.X)
        w = np.zeros(len(self.tree.names))
        for p, ws in used.items():
            w[self.tree.children(p)] = ws
        return w

    def scores(self, norm_i: np.ndarray, wgt_i: np.ndarray, agg_i: np.ndarray, excl_i: np.ndarray,
               noise: np.ndarray) -> np.ndarray:
        """Scores (replications × units) for integer option indices and node-weight noise."""
        R = len(norm_i)
        W = self.node_w[wgt_i] * noise
        rows = np.flatnonzero(excl_i > 0)
        W[rows, excl_i[rows] - 1] = 0.0
        W = self.tree.sibling_normalized(W)
        out = np.empty((R, self.X.shape[0]))
        for a, method in enumerate(self.settings.aggregations):
            for n, name in enumerate(self.settings.normalizations):
                if method == "topsis":
                    if n > 0:
                        continue  # TOPSIS works on the raw matrix: the normalisation trigger does not apply
                    sel = np.flatnonzero(agg_i == a)
                else:
                    sel = np.flatnonzero((agg_i == a) & (norm_i == n))
                if sel.size:
                    out[sel] = self._aggregate(method, name, W[sel])
        return out

    def _aggregate(self, method: str, norm_name: str, W: np.ndarray) -> np.ndarray:
        if method in ("topsis", "copeland"):
            return self._nested(method, norm_name, W)
        eff = self.tree.effective_weights(W)
        if method == "arithmetic":
            return 100.0 * eff @ self.norm[norm_name].T
        if method == "geometric":
            return 100.0 * np.exp(eff @ np.log(self.pos[norm_name]).T)
        if method == "harmonic":
            return 100.0 / (eff @ (1.0 / self.pos[norm_name]).T)
        p = self.fw.options.power
        if p == 0:
            return 100.0 * np.exp(eff @ np.log(self.pos[norm_name]).T)
        return 100.0 * (eff @ (self.power_input[norm_name] ** p).T) ** (1.0 / p)

    def _nested(self, method: str, norm_name: str, W: np.ndarray) -> np.ndarray:
        """TOPSIS or Copeland at every node of the hierarchy, deepest first (replications × units)."""
        tree, q = self.tree, self.tree.q
        R, m = W.shape[0], self.X.shape[0]
        values: dict[int, np.ndarray] = {}
        for node in tree.bottom_up():
            ch = tree.children(node)
            w = W[:, ch]
            if method == "topsis":
                cols, dirs = [], []
                for c in ch:
                    if c < q:
                        cols.append(np.broadcast_to(self.topsis_r[:, c], (R, m)))
                        dirs.append(self.directions[c])
                    else:
                        v = values[c]
                        nrm = np.sqrt((v**2).sum(axis=1, keepdims=True))
                        cols.append(np.divide(v, nrm, out=np.zeros_like(v), where=nrm > 0))
                        dirs.append(1)
                V = np.stack(cols, axis=2) * w[:, None, :]
                d = np.asarray(dirs)
                hi, lo = V.max(axis=1), V.min(axis=1)
                ideal = np.where(d == 1, hi, lo)[:, None, :]
                anti = np.where(d == 1, lo, hi)[:, None, :]
                dp = np.sqrt(((V - ideal) ** 2).sum(axis=2))
                dm = np.sqrt(((V - anti) ** 2).sum(axis=2))
                den = dp + dm
                values[node] = 100.0 * np.divide(dm, den, out=np.full_like(dm, 0.5), where=den > 0)
                continue
            leaves = ch < q
            E = np.einsum("jkq,rq->rjk", self.cmp[norm_name][:, :, ch[leaves]], w[:, leaves])
            for a in np.flatnonzero(~leaves):
                v = values[ch[a]]
                E += w[:, a, None, None] * ((v[:, :, None] > v[:, None, :]) + 0.5 * (v[:, :, None] == v[:, None, :]))
            E[:, np.arange(m), np.arange(m)] = 0.5
            values[node] = ((E > 0.5 + 1e-12).sum(axis=2) - (E < 0.5 - 1e-12).sum(axis=2)).astype(float)
        return values[tree.root]

    def from_unit_cube(self, Z: np.ndarray) -> tuple[np.ndarray, ...]:
        """Map uniform factors (columns: norm, weight, aggregation, exclusion, noise...) to options."""
        s = self.settings

        def pick(z: np.ndarray, k: int) -> np.ndarray:
            return np.minimum((z * k).astype(int), k - 1)

        a = s.weight_noise
        noise = 1.0 - a + 2.0 * a * Z[:, 4:]
        return (pick(Z[:, 0], len(s.normalizations)), pick(Z[:, 1], len(s.weightings)),
                pick(Z[:, 2], len(s.aggregations)), pick(Z[:, 3], self.n_excl), noise)

    def ranks(self, scores: np.ndarray, chunk: int = 4096) -> np.ndarray:
        s = np.round(scores, 9)
        out = np.empty(s.shape, dtype=np.int32)
        for i in range(0, len(s), chunk):
            b = s[i: i + chunk]
            out[i: i + chunk] = 1 + (b[:, None, :] > b[:, :, None]).sum(axis=2)
        return out


def monte_carlo(fw: Framework, table: Table, n: int, seed: int | None = None,
                settings: Settings | None = None, chunk: int = 2500, context: Context | None = None
                ) -> MonteCarloResult:
    """Plain Monte Carlo over the choices; reproducible for a given ``seed``.

    Without ``settings`` the options are :meth:`Settings.for_framework` (the
    framework's own normalisation and aggregation first, then the alternatives).
    """
    if n < 1:
        raise CompositeInputError("the number of Monte Carlo replications must be positive")
    eng = Engine(fw, table, settings, context)
    rng = np.random.default_rng(seed)
    Z = rng.random((n, 4 + eng.n_nodes))
    ranks = np.empty((n, len(eng.units)), dtype=np.int32)
    for i in range(0, n, chunk):
        opts = eng.from_unit_cube(Z[i: i + chunk])
        ranks[i: i + chunk] = eng.ranks(eng.scores(*opts))
    shift = np.abs(ranks - eng.reference).mean(axis=1)
    ni, wi, ai, ei, _ = eng.from_unit_cube(Z[:, :5])
    factors = {"normalization": ni, "weighting": wi, "aggregation": ai, "excluded": ei}
    return MonteCarloResult(eng.units, eng.reference, ranks, shift, factors)


@dataclass
class SobolResult:
    factors: list[str]
    S1: dict[str, np.ndarray]  # output name → first-order index per factor
    ST: dict[str, np.ndarray]
    S1_conf: dict[str, np.ndarray]
    ST_conf: dict[str, np.ndarray]
    n_runs: int


def sobol_indices(fw: Framework, table: Table, n_base: int = 512, seed: int | None = None,
                  settings: Settings | None = None, per_unit: bool = True,
                  context: Context | None = None) -> SobolResult:
    """Sobol' S_i and S_Ti of the average rank shift (and of each unit's rank), via SALib.

    ``n_base`` should be a power of two (Sobol' sequence); the model is run
    n_base × (G + 2) times for G factor groups (Saltelli 2002 scheme).
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    eng = Engine(fw, table, settings, context)
    base = ["normalization", "weighting", "aggregation", "exclusion"]
    names = base + [f"noise:{nm}" for nm in eng.tree.names]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names),
               "groups": base + ["weight noise"] * eng.n_nodes}
    Z = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    ranks = eng.ranks(eng.scores(*eng.from_unit_cube(Z)))
    outputs = {"average shift": np.abs(ranks - eng.reference).mean(axis=1)}
    if per_unit:
        outputs.update({u: ranks[:, c].astype(float) for c, u in enumerate(eng.units)})
    S1, ST, S1c, STc = {}, {}, {}, {}
    for key, y in outputs.items():
        if np.ptp(y) == 0:  # a rank that never moves has no variance to apportion
            z = np.zeros(len(base) + 1)
            S1[key], ST[key], S1c[key], STc[key] = z, z, z, z
            continue
        res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        S1[key], ST[key] = np.asarray(res["S1"]), np.asarray(res["ST"])
        S1c[key], STc[key] = np.asarray(res["S1_conf"]), np.asarray(res["ST_conf"])
    return SobolResult(base + ["weight noise"], S1, ST, S1c, STc, len(Z))


__all__ = ["Settings", "Engine", "MonteCarloResult", "SobolResult", "monte_carlo", "sobol_indices", "rank_scores"]
