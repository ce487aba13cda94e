"""Facet counts are the slow part of a broad search (four GROUP BYs over every match), and
they only change when the catalogue does. So they are cached per query and filters, under
a catalogue version that every catalogue writer bumps after its transaction commits.

With the default per-process memory cache another process may serve counts up to
``TTL`` seconds old after an import; with Redis (REDIS_URL) the bump is seen everywhere.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "standards:catalogue-version"
TTL = 600


def _version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def key(sql: str, params: tuple) -> str:
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    return f"standards:facets:{_version()}:{digest}"


def catalogue_changed() -> None:
    """Call from any service that writes standards; takes effect when the transaction commits."""

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # evicted or never set
            cache.set(VERSION_KEY, 2, None)

    transaction.on_commit(bump)
