"""What the portal tells the index module when it publishes (see ``portal.services.publish``).

Both run inside the portal's publishing transaction: a release becomes public exactly when
its publication does, and the version it corrects is marked superseded in the same commit.
"""

from __future__ import annotations

from .services import publishing


def on_published(publication) -> None:
    publishing.mark_public(publication)


def on_superseded(publication) -> None:
    publishing.mark_superseded(publication)
