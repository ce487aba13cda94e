"""Multi-level hierarchy: indicators → sub-dimensions → dimensions → index.

Each group (and the root ``index``) aggregates its children with its own
weights, so weights are always *relative within a sibling set* (Handbook §1.6:
weights at each level of the theoretical framework).  With a quasi-arithmetic
mean at every level (arithmetic, geometric, harmonic or power mean with the same
exponent) the nested aggregation equals a single-level one with *effective
weights* = product of the weights on the path from the indicator to the root;
:meth:`Tree.effective_weights` computes them and the Monte Carlo engine relies
on this to run thousands of replications as one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import aggregation as agg
from . import weighting
from .errors import CompositeInputError
from .framework import ROOT, Framework

COMPENSATORY = ("arithmetic", "geometric", "harmonic", "generalized")


@dataclass
class Tree:
    """Nodes 0..q-1 are the indicators (framework order), then groups, the root last."""

    names: list[str]
    parent: np.ndarray  # parent node index, −1 for the root
    q: int  # number of indicators
    weights_given: list[float | None]

    @classmethod
    def from_framework(cls, fw: Framework) -> Tree:
        groups = [g.name for g in fw.groups]
        names = fw.names + groups + [ROOT]
        index = {n: i for i, n in enumerate(names)}
        if len(index) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise CompositeInputError(f"name(s) used for both an indicator and a group, or twice: {', '.join(dup)}")
        parent = np.full(len(names), -1)
        for i, ind in enumerate(fw.indicators):
            parent[i] = index[ind.group]
        for g in fw.groups:
            parent[index[g.name]] = index[g.parent]
        given = [i.weight for i in fw.indicators] + [g.weight for g in fw.groups] + [None]
        tree = cls(names, parent, len(fw.indicators), given)
        for node in tree.groups:
            if not tree.children(node).size:
                raise CompositeInputError(f"group {names[node]!r} has no indicators or sub-groups")
        return tree

    @property
    def root(self) -> int:
        return len(self.names) - 1

    @property
    def groups(self) -> list[int]:
        return list(range(self.q, len(self.names) - 1))

    def children(self, node: int) -> np.ndarray:
        return np.flatnonzero(self.parent == node)

    def depth(self, node: int) -> int:
        d = 0
        while self.parent[node] != -1:
            node = self.parent[node]
            d += 1
        return d

    def bottom_up(self) -> list[int]:
        """Groups then root, deepest first, so children are always evaluated before parents."""
        nodes = self.groups + [self.root]
        return sorted(nodes, key=self.depth, reverse=True)

    def sibling_normalized(self, node_w: np.ndarray) -> np.ndarray:
        """Node weights (replications × nodes) rescaled to sum to one within each sibling set.

        A group whose children all have zero weight gets zero weight itself, so that
        excluding every indicator of a group removes the group rather than leaving an
        empty score in the parent.
        """
        W = np.atleast_2d(np.asarray(node_w, float)).copy()
        W[:, self.root] = 1.0
        for g in self.bottom_up()[:-1]:
            W[:, g] *= W[:, self.children(g)].sum(axis=1) > 0
        for p in self.bottom_up():
            ch = self.children(p)
            s = W[:, ch].sum(axis=1, keepdims=True)
            W[:, ch] = np.divide(W[:, ch], s, out=np.zeros_like(W[:, ch]), where=s > 0)
        return W

    def effective_weights(self, node_w: np.ndarray) -> np.ndarray:
        """Leaf weights = product of sibling-relative weights along the path to the root.

        ``node_w`` has one column per node (or is 1-D); entries are renormalised
        within each sibling set first, and a group whose children all have zero
        weight gets zero weight itself (used to exclude indicators).
        """
        W = self.sibling_normalized(node_w)
        eff = np.ones_like(W)
        for node in sorted(range(len(self.names)), key=self.depth):
            if node != self.root:
                eff[:, node] = W[:, node] * eff[:, self.parent[node]]
        out = eff[:, : self.q]
        return out[0] if np.ndim(node_w) == 1 else out


def _minmax_cols(C: np.ndarray, label: str) -> np.ndarray:
    rng = np.ptp(C, axis=0)
    if np.any(rng == 0):
        raise CompositeInputError(f"{label}: a component has no variance, data-driven weights are undefined")
    return (C - C.min(axis=0)) / rng


def sibling_weights(fw: Framework, tree: Tree, node: int, C: np.ndarray, method: str) -> np.ndarray:
    """Weights of ``node``'s children given their values ``C`` (units × children)."""
    ch = tree.children(node)
    names = [tree.names[c] for c in ch]
    label = "the index" if node == tree.root else f"group {tree.names[node]!r}"
    k = len(ch)
    if k == 1:
        return np.ones(1)
    if method == "equal":
        return weighting.equal(k)
    if method == "manual":
        given = [tree.weights_given[c] for c in ch]
        missing = [n for n, g in zip(names, given, strict=True) if g is None]
        if missing:
            raise CompositeInputError(f"manual weighting: no weight given for {', '.join(missing)} (in {label})")
        try:
            return weighting.manual(given, names=names)
        except CompositeInputError as err:
            raise CompositeInputError(f"{err} (children of {label})") from None
    if method == "ahp":
        key = tree.names[node]
        if key not in fw.ahp:
            raise CompositeInputError(f"AHP weighting: no [ahp.{key}] matrix for the children of {label}")
        elements, A = fw.ahp[key]
        if sorted(elements) != sorted(names):
            raise CompositeInputError(
                f"[ahp.{key}] elements {list(elements)} do not match the children of {label}: {names}"
            )
        w = weighting.ahp(A, elements).weights
        return np.array([w[elements.index(n)] for n in names])
    if method == "entropy":
        return weighting.entropy(_minmax_cols(C, label))
    if method == "critic":
        return weighting.critic(_minmax_cols(C, label))
    if method == "pca":
        nf = fw.options.n_factors
        return weighting.pca_weights(C, None if nf is None else min(nf, k)).weights
    raise CompositeInputError(f"weighting {method!r} has no sibling weights")


def needs_positive(method: str, power: float) -> bool:
    """Rules that need strictly positive inputs (zero or negative values are undefined)."""
    return method in ("geometric", "harmonic") or (
        method == "generalized" and (power <= 0 or not float(power).is_integer()))


def weight_basis(fw: Framework, tree: Tree, ch: np.ndarray, Xn: np.ndarray, raw: np.ndarray,
                 C: np.ndarray) -> np.ndarray:
    """The matrix data-driven sibling weights are computed on.

    Issue 8 fixes entropy (and, with it, CRITIC) on the min-max matrix of the data:
    for a set of indicators that is the *oriented prepared* matrix (cost columns
    negated), whatever normalisation the index itself uses; ``sibling_weights``
    min-maxes it.  Min-maxing already-normalised ranks or percentiles instead would
    give different weights (up to 0.13 on the TAI data).  PCA works on correlations,
    which min-max and z-scores leave unchanged, so it keeps the normalised matrix.
    Sets that contain sub-groups are weighted on the children's scores ``C``.
    """
    if not (ch < tree.q).all():
        return C
    if fw.options.weighting in ("entropy", "critic"):
        return raw[:, ch] * np.asarray(fw.directions)[ch]
    return Xn[:, ch]


def floor_map(Xn: np.ndarray, normalization: str, floor: float) -> np.ndarray:
    """Make normalised values strictly positive for geometric/harmonic/power means.

    Min-max and goalposts values live on [0, 1] and are mapped to floor + (1 − floor)·x;
    z-scores and Borda points are first min-max rescaled.  Other normalisations are
    already positive and are returned unchanged.  A documented, deterministic choice:
    the alternative (silently dropping zeros) would change the formula per unit.
    """
    if normalization in ("minmax", "goalposts"):
        return floor + (1.0 - floor) * Xn
    if normalization in ("zscore", "borda"):
        return floor + (1.0 - floor) * (Xn - Xn.min(axis=0)) / np.ptp(Xn, axis=0)
    return Xn


def evaluate(fw: Framework, tree: Tree, Xn: np.ndarray, raw: np.ndarray,
             node_weights: dict[int, np.ndarray] | None = None) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Scores of every group and the root; returns (values per node, weights per parent).

    ``Xn`` is the normalised matrix (higher = better), ``raw`` the imputed raw one
    (TOPSIS).  Group scores are on 0–100 for compensatory rules and fed to the
    parent divided by 100 so every level sees inputs on the same scale.
    """
    o = fw.options
    method = o.aggregation
    m = Xn.shape[0]
    values: dict[int, np.ndarray] = {}
    used: dict[int, np.ndarray] = {}
    needs_pos = needs_positive(method, o.power)
    leaf = floor_map(Xn, o.normalization, o.floor) if needs_pos else Xn
    for node in tree.bottom_up():
        ch = tree.children(node)
        C = np.empty((m, len(ch)))
        dirs = []
        for a, c in enumerate(ch):
            if c < tree.q:
                C[:, a] = raw[:, c] if method == "topsis" else leaf[:, c]
                dirs.append(fw.indicators[c].direction if method == "topsis" else 1)
            else:
                C[:, a] = values[c] / 100.0 if method in COMPENSATORY else values[c]
                dirs.append(1)
        if o.weighting == "bod":
            Cn = _minmax_cols(C, tree.names[node]) if len(ch) > 1 else np.ones((m, 1))
            res = weighting.benefit_of_the_doubt(Cn, o.bod_share_bounds)
            values[node] = 100.0 * res.scores
            used[node] = res.weights.mean(axis=0) / max(res.weights.mean(axis=0).sum(), 1e-300)
            continue
        if node_weights is not None and node in node_weights:
            w = node_weights[node]
        else:
            w = sibling_weights(fw, tree, node, weight_basis(fw, tree, ch, Xn, raw, C), o.weighting)
        used[node] = w
        values[node] = agg.aggregate(C, w, method, p=o.power, raw=C, directions=dirs)
    return values, used
