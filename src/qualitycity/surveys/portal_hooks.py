"""Called by the portal (``portal.services.publish``) inside its publishing transaction,
so the surveys module follows what the city office released and nothing else."""

from __future__ import annotations

from .services.release import release_published, release_superseded


def on_published(publication) -> None:
    release_published(publication)


def on_superseded(publication) -> None:
    release_superseded(publication)
