"""Indicators the platform computes from its own modules: a small registry.

A *provider* is a named function ``(area, year) -> float | None`` plus a human
description of how the number is computed; an indicator whose ``provider`` field
names it can be filled with one click, and every result page links to the
description so an analyst can defend the figure.

How another app registers its providers (e.g. the inspection pass rate)::

    # qualitycity/<app>/index_sources.py  (found automatically, see autodiscover)
    from qualitycity.indices.sources import register

    @register("inspection.pass_rate", label="监督抽查合格率", unit="%",
              description="当年完成的监督抽查批次中判定合格的比例 = 合格批次 / 抽查批次 × 100。")
    def pass_rate(area, year):
        ...  # return None when the module has no data for that district and year

Return ``None`` (not 0) when there is no data, so the data-quality report counts the
cell as missing instead of ranking a district last for a figure nobody measured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec


@dataclass(frozen=True)
class Provider:
    key: str
    label: str
    description: str
    func: Callable
    unit: str = ""
    app: str = ""


_REGISTRY: dict[str, Provider] = {}
_discovered = False


def register(key: str, *, label: str, description: str, unit: str = ""):
    """Decorator: register ``func`` under ``key`` (``<app>.<name>``); keys are unique."""

    def decorate(func):
        existing = _REGISTRY.get(key)
        if existing is not None and existing.func is not func:
            raise ValueError(f"index source {key!r} registered twice")
        _REGISTRY[key] = Provider(key, label, description, func, unit, key.split(".", 1)[0])
        return func

    return decorate


def autodiscover() -> None:
    """Import ``qualitycity.<app>.index_sources`` for every domain app (and ours)."""
    global _discovered
    if _discovered:
        return
    from django.conf import settings

    import_module("qualitycity.indices.providers")
    for app in settings.DOMAIN_APPS:
        name = f"qualitycity.{app}.index_sources"
        if find_spec(name):
            import_module(name)
    _discovered = True


def providers() -> list[Provider]:
    autodiscover()
    return sorted(_REGISTRY.values(), key=lambda p: p.key)


def get(key: str) -> Provider | None:
    autodiscover()
    return _REGISTRY.get(key)
