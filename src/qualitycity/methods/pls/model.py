"""Model specification, validation and data preparation for PLS path modelling.

Everything here runs before any estimation, so that bad input fails early with a
message that names the offending construct, column, path or cycle.  All errors are
:class:`PLSModelError` (a :class:`ValueError`), so callers can catch one type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "PLSModelError",
    "PLSConvergenceError",
    "PLSModel",
    "PreparedData",
    "prepare_data",
    "SCHEMES",
    "MISSING_OPTIONS",
]

SCHEMES = ("centroid", "factorial", "path")
MISSING_OPTIONS = ("casewise", "mean")


class PLSModelError(ValueError):
    """The model or the data cannot be estimated; the message says exactly why."""


class PLSConvergenceError(PLSModelError):
    """The outer-weight iteration hit its cap before reaching the tolerance."""


@dataclass(frozen=True)
class PLSModel:
    """A PLS path model: constructs, their indicators, the structural paths and modes.

    ``constructs`` maps a construct name to its indicator columns (order is kept).
    ``paths`` maps a source construct to the constructs it points at, or is an
    iterable of ``(source, target)`` pairs.  ``modes`` maps a construct to ``"A"``
    (reflective: weights are simple covariances with the inner proxy) or ``"B"``
    (formative: weights are multiple-regression coefficients); unspecified
    constructs use mode A, the convention of SmartPLS, semPLS and ACSI practice.
    """

    constructs: dict[str, list[str]]
    paths: list[tuple[str, str]]
    modes: dict[str, str] = field(default_factory=dict)

    def __init__(
        self,
        constructs: Mapping[str, Sequence[str]],
        paths: Mapping[str, Sequence[str]] | Iterable[tuple[str, str]],
        modes: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(constructs, Mapping) or not constructs:
            raise PLSModelError("the model has no constructs")
        cons: dict[str, list[str]] = {}
        for name, items in constructs.items():
            if isinstance(items, str):
                # A bare string would otherwise be split into characters.
                items = [items]
            items = list(items or [])
            if not items:
                raise PLSModelError(f"construct '{name}' has no indicators")
            cons[str(name)] = [str(i) for i in items]
        pairs: list[tuple[str, str]] = []
        if isinstance(paths, Mapping):
            for src, targets in paths.items():
                if isinstance(targets, str):
                    targets = [targets]
                pairs.extend((str(src), str(t)) for t in targets)
        else:
            pairs = [(str(s), str(t)) for s, t in paths]
        mds = {str(k): str(v).upper() for k, v in (modes or {}).items()}
        object.__setattr__(self, "constructs", cons)
        object.__setattr__(self, "paths", pairs)
        object.__setattr__(self, "modes", mds)
        self._validate()

    # -- validation -----------------------------------------------------------------
    def _validate(self) -> None:
        names = list(self.constructs)
        seen_items: dict[str, str] = {}
        for name, items in self.constructs.items():
            for it in items:
                if it in seen_items:
                    other = seen_items[it]
                    where = f"twice in construct '{name}'" if other == name else (
                        f"in both '{other}' and '{name}'")
                    raise PLSModelError(
                        f"indicator '{it}' appears {where}; each indicator must belong to exactly one construct")
                seen_items[it] = name
        for name, mode in self.modes.items():
            if name not in self.constructs:
                raise PLSModelError(f"mode given for unknown construct '{name}'")
            if mode not in ("A", "B"):
                raise PLSModelError(f"construct '{name}' has mode '{mode}'; use 'A' or 'B'")
        if not self.paths:
            raise PLSModelError("the model has no structural paths")
        seen_paths = set()
        for src, tgt in self.paths:
            for end in (src, tgt):
                if end not in self.constructs:
                    raise PLSModelError(
                        f"path '{src} -> {tgt}' refers to '{end}', which is not a construct "
                        f"(constructs: {', '.join(names)})")
            if (src, tgt) in seen_paths:
                raise PLSModelError(f"path '{src} -> {tgt}' is listed twice")
            seen_paths.add((src, tgt))
        cycle = _find_cycle(names, self.paths)
        if cycle:
            raise PLSModelError(
                "the paths contain a cycle: " + " -> ".join(cycle)
                + "; PLS path models must be recursive (acyclic)")
        linked = {s for s, _ in self.paths} | {t for _, t in self.paths}
        isolated = [n for n in names if n not in linked]
        if isolated:
            # The inner proxy of an unconnected construct is empty, so its weights are undefined.
            raise PLSModelError(
                f"construct(s) {', '.join(repr(n) for n in isolated)} have no structural path; "
                "every construct must be linked to at least one other")

    # -- derived structure ----------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return list(self.constructs)

    @property
    def indicators(self) -> list[str]:
        return [it for items in self.constructs.values() for it in items]

    def mode(self, name: str) -> str:
        return self.modes.get(name, "A")

    def n_parameters(self) -> int:
        """Free parameters: one outer weight per indicator plus one coefficient per path."""
        return len(self.indicators) + len(self.paths)

    def path_label(self, src: str, tgt: str) -> str:
        return f"{src} -> {tgt}"


def _find_cycle(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> list[str] | None:
    """Return one directed cycle as ``[a, b, ..., a]``, or ``None`` if the graph is acyclic.

    Iterative depth-first search with the classic white/grey/black colouring: meeting
    a grey node means we walked back into the current stack, i.e. found a cycle, and
    the stack segment from that node is the cycle we report to the user.
    """
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in edges:
        succ[s].append(t)
    colour = dict.fromkeys(nodes, 0)
    for root in nodes:
        if colour[root]:
            continue
        stack = [(root, iter(succ[root]))]
        colour[root] = 1
        trail = [root]
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                trail.pop()
                colour[node] = 2
            elif colour[nxt] == 1:
                start = trail.index(nxt)
                return trail[start:] + [nxt]
            elif colour[nxt] == 0:
                colour[nxt] = 1
                trail.append(nxt)
                stack.append((nxt, iter(succ[nxt])))
    return None


@dataclass
class PreparedData:
    """Indicator matrix after missing-value handling, plus everything derived from it.

    ``X`` is in the items' original units (n × p, columns in ``model.indicators``
    order).  ``w`` are case weights rescaled to sum to n.  Variances use the divisor
    n − 1 (with unit weights this is the ordinary sample variance, which is what
    SmartPLS "Mean 0, Var 1" and R's ``scale()``—used by semPLS—do); all estimates
    except the raw latent scores are invariant to that choice.
    """

    X: np.ndarray
    w: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    missing: dict
    weighted: bool

    @property
    def n(self) -> int:
        return int(self.X.shape[0])

    def standardized(self) -> np.ndarray:
        return (self.X - self.mean) / self.sd

    def correlation(self) -> np.ndarray:
        Z = self.standardized()
        R = (Z * self.w[:, None]).T @ Z / (self.n - 1)
        # Guard against round-off: a correlation matrix has an exact unit diagonal.
        d = np.sqrt(np.diag(R))
        R = R / np.outer(d, d)
        np.fill_diagonal(R, 1.0)
        return R


def _column(data, name: str) -> np.ndarray:
    try:
        values = data[name]
    except (KeyError, IndexError, ValueError):
        raise PLSModelError(f"column '{name}' is named in the model but missing from the data") from None
    try:
        return np.asarray(values, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise PLSModelError(f"column '{name}' contains non-numeric values") from None


def prepare_data(model: PLSModel, data, weights=None, missing: str | None = None) -> PreparedData:
    """Pull the model's indicator columns out of ``data`` and make them estimable.

    ``data`` is any mapping from column name to a 1-D sequence (a ``dict`` of
    arrays, a pandas ``DataFrame``...).  ``weights`` is ``None``, a column name in
    ``data`` or a sequence of positive case weights.  ``missing`` decides what
    happens to missing cells (NaN): ``"casewise"`` drops every case with any
    missing indicator, ``"mean"`` replaces each missing cell with its item's
    (weighted) mean; ``None`` refuses missing data outright.  Whatever is done is
    recorded in ``PreparedData.missing`` and ends up in the result, never silent.
    """
    if missing not in (None, *MISSING_OPTIONS):
        raise PLSModelError(f"unknown missing-value option '{missing}'; use one of {', '.join(MISSING_OPTIONS)}")
    items = model.indicators
    absent = [it for it in items if not _has_column(data, it)]
    if absent:
        raise PLSModelError(
            f"column(s) {', '.join(repr(a) for a in absent)} named in the model but missing from the data")
    cols = [_column(data, it) for it in items]
    lengths = {len(c) for c in cols}
    if len(lengths) != 1:
        raise PLSModelError("indicator columns have different lengths")
    X = np.column_stack(cols)
    n_total = X.shape[0]

    if weights is None:
        w = np.ones(n_total)
        weighted = False
    else:
        if isinstance(weights, str):
            if not _has_column(data, weights):
                raise PLSModelError(f"weights column '{weights}' is missing from the data")
            w = _column(data, weights)
            wname = f"weights column '{weights}'"
        else:
            w = np.asarray(weights, dtype=float).reshape(-1)
            wname = "case weights"
        if w.shape[0] != n_total:
            raise PLSModelError(f"{wname} has {w.shape[0]} values for {n_total} cases")
        bad = ~np.isfinite(w) | (w <= 0)
        if bad.any():
            raise PLSModelError(
                f"{wname} must be positive and finite; {int(bad.sum())} case(s) are not "
                f"(first at row {int(np.argmax(bad)) + 1})")
        weighted = True

    nan = np.isnan(X)
    if np.isinf(X).any():
        j = int(np.argmax(np.isinf(X).any(axis=0)))
        raise PLSModelError(f"item '{items[j]}' contains infinite values")
    n_missing_cells = int(nan.sum())
    report = {"method": missing, "missing_cells": n_missing_cells, "cases_dropped": 0,
              "cells_imputed": 0, "cases_total": n_total}
    if n_missing_cells:
        per_item = {items[j]: int(c) for j, c in enumerate(nan.sum(axis=0)) if c}
        report["missing_by_item"] = per_item
        if missing is None:
            raise PLSModelError(
                f"the data have {n_missing_cells} missing cell(s) in {int(nan.any(axis=1).sum())} case(s) "
                f"(items: {', '.join(per_item)}); choose missing='casewise' or missing='mean'")
        if missing == "casewise":
            keep = ~nan.any(axis=1)
            report["cases_dropped"] = int((~keep).sum())
            X, w = X[keep], w[keep]
        else:
            all_missing = [items[j] for j in range(X.shape[1]) if nan[:, j].all()]
            if all_missing:
                raise PLSModelError(f"item(s) {', '.join(all_missing)} have no observed values to impute from")
            for j in np.flatnonzero(nan.any(axis=0)):
                obs = ~nan[:, j]
                X[~obs, j] = np.sum(X[obs, j] * w[obs]) / np.sum(w[obs])
            report["cells_imputed"] = n_missing_cells
    report["cases_used"] = int(X.shape[0])

    n = X.shape[0]
    n_par = model.n_parameters()
    if n < n_par:
        raise PLSModelError(
            f"{n} usable case(s) but the model has {n_par} free parameters "
            f"({len(items)} outer weights + {len(model.paths)} path coefficients); need at least {n_par} cases")
    if n < 3:
        raise PLSModelError(f"{n} usable case(s); at least 3 are needed")

    w = w * (n / w.sum())  # survey convention: weights are relative, rescaled to sum to n
    mean = w @ X / n
    var = w @ (X - mean) ** 2 / (n - 1)
    scale = np.maximum(np.abs(mean), 1.0)
    constant = [items[j] for j in range(len(items)) if var[j] <= (1e-12 * scale[j]) ** 2]
    if constant:
        raise PLSModelError(
            f"item(s) {', '.join(repr(c) for c in constant)} have zero variance (every case gives the same "
            "answer) and cannot be standardized; drop them from the model")
    return PreparedData(X=X, w=w, mean=mean, sd=np.sqrt(var), missing=report, weighted=weighted)


def _has_column(data, name: str) -> bool:
    try:
        return name in data
    except TypeError:
        return False
