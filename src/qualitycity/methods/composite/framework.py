"""The framework: indicators, their directions, the hierarchy, weights and options.

A framework is plain data; :func:`framework_from_dict` builds it from the parsed
``framework.toml`` (see ``qualitycity.commands.index``) and rejects everything
the issue lists as bad input before any number is computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from . import aggregation, imputation, normalization
from .errors import CompositeInputError

ROOT = "index"
WEIGHTING_METHODS = ("equal", "manual", "ahp", "entropy", "critic", "pca", "bod")


@dataclass(frozen=True)
class Indicator:
    name: str
    direction: int  # +1 benefit, -1 cost
    weight: float | None = None
    group: str = ROOT
    target: float | None = None
    goalposts: tuple[float, float] | None = None


@dataclass(frozen=True)
class Group:
    name: str
    parent: str = ROOT
    weight: float | None = None


@dataclass(frozen=True)
class Options:
    normalization: str = "minmax"
    weighting: str = "equal"
    aggregation: str = "arithmetic"
    imputation: str = "none"
    power: float = 0.5  # exponent of the generalised mean
    outliers: bool = False  # apply the JRC skew/kurtosis rule before normalising
    floor: float = 0.01  # lower end of the re-mapping used before geometric/harmonic means
    n_factors: int | None = None  # PCA weights: factors kept (None = Kaiser rule)
    bod_share_bounds: tuple[float, float] | None = None


@dataclass(frozen=True)
class Framework:
    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...] = ()
    options: Options = field(default_factory=Options)
    ahp: dict[str, tuple[tuple[str, ...], np.ndarray]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [i.name for i in self.indicators]

    @property
    def directions(self) -> list[int]:
        return [i.direction for i in self.indicators]


def parse_direction(value: Any, name: str) -> int:
    if value is None:
        raise CompositeInputError(f"indicator {name!r}: direction is not given (use \"+\" or \"-\")")
    v = str(value).strip().lower()
    if v in ("+", "+1", "1", "benefit", "higher"):
        return 1
    if v in ("-", "-1", "cost", "lower"):
        return -1
    raise CompositeInputError(f"indicator {name!r}: direction {value!r} is not \"+\" or \"-\"")


def _number(value: Any, what: str) -> float:
    """Accept numbers and fraction strings such as "1/3" (AHP judgements)."""
    try:
        if isinstance(value, str):
            return float(Fraction(value.strip()))
        if isinstance(value, bool):
            raise TypeError
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        raise CompositeInputError(f"{what}: {value!r} is not a number") from None


def framework_from_dict(doc: dict[str, Any]) -> Framework:
    """Build and validate a :class:`Framework` from a TOML-like mapping."""
    opts_doc = dict(doc.get("options", {}))
    known = {"normalization", "weighting", "aggregation", "imputation", "power", "outliers", "floor",
             "n_factors", "bod_share_bounds"}
    unknown = sorted(set(opts_doc) - known)
    if unknown:
        raise CompositeInputError(f"unknown option(s) in [options]: {', '.join(unknown)}")
    if "bod_share_bounds" in opts_doc:
        lo, hi = (_number(v, "bod_share_bounds") for v in opts_doc["bod_share_bounds"])
        opts_doc["bod_share_bounds"] = (lo, hi)
    options = Options(**opts_doc)
    for value, allowed, label in (
        (options.normalization, normalization.METHODS, "normalization"),
        (options.weighting, WEIGHTING_METHODS, "weighting"),
        (options.aggregation, aggregation.METHODS, "aggregation"),
        (options.imputation, imputation.METHODS, "imputation"),
    ):
        if value not in allowed:
            raise CompositeInputError(f"unknown {label} {value!r}; choose one of {', '.join(allowed)}")

    groups: dict[str, Group] = {}
    for gname, g in (doc.get("groups") or {}).items():
        if gname == ROOT:
            raise CompositeInputError(f"{ROOT!r} is reserved for the top of the hierarchy")
        weight = _number(g["weight"], f"group {gname!r} weight") if "weight" in g else None
        groups[gname] = Group(gname, str(g.get("parent", ROOT)), weight)
    for g in groups.values():
        if g.parent != ROOT and g.parent not in groups:
            raise CompositeInputError(f"group {g.name!r}: parent {g.parent!r} is not a declared group")
        seen, node = {g.name}, g.parent
        while node != ROOT:
            if node in seen:
                raise CompositeInputError(f"group {g.name!r}: the hierarchy has a cycle")
            seen.add(node)
            node = groups[node].parent

    inds_doc = doc.get("indicators") or {}
    if not inds_doc:
        raise CompositeInputError("framework declares no [indicators.NAME] sections")
    indicators = []
    for name, d in inds_doc.items():
        if not isinstance(d, dict):
            raise CompositeInputError(f"indicator {name!r}: expected a table [indicators.{name}]")
        direction = parse_direction(d.get("direction"), name)
        group = str(d.get("group", ROOT))
        if group != ROOT and group not in groups:
            # Groups may be implied by indicators alone (a one-level hierarchy).
            groups[group] = Group(group)
        weight = _number(d["weight"], f"indicator {name!r} weight") if "weight" in d else None
        target = _number(d["target"], f"indicator {name!r} target") if "target" in d else None
        gp = None
        if "goalposts" in d:
            gp_raw = d["goalposts"]
            if not isinstance(gp_raw, list | tuple) or len(gp_raw) != 2:
                raise CompositeInputError(f"indicator {name!r}: goalposts must be [low, high]")
            gp = (_number(gp_raw[0], f"{name} goalposts"), _number(gp_raw[1], f"{name} goalposts"))
        indicators.append(Indicator(name, direction, weight, group, target, gp))

    ahp: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
    for node, spec in (doc.get("ahp") or {}).items():
        if not isinstance(spec, dict) or "elements" not in spec or "matrix" not in spec:
            raise CompositeInputError(f"[ahp.{node}] needs 'elements' and 'matrix'")
        elements = tuple(str(e) for e in spec["elements"])
        matrix = np.array([[_number(v, f"[ahp.{node}] matrix") for v in row] for row in spec["matrix"]])
        if matrix.shape != (len(elements), len(elements)):
            raise CompositeInputError(
                f"[ahp.{node}] matrix is {matrix.shape[0]}×{matrix.shape[1] if matrix.ndim == 2 else '?'} "
                f"for {len(elements)} elements"
            )
        ahp[node] = (elements, matrix)
    return Framework(tuple(indicators), tuple(groups.values()), options, ahp)
