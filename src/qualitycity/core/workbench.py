"""The workbench on a user's home page: one card per module about the user's own work
(an SME manager's open orders, unanswered questions, courses, applications…).

Domain apps add cards through their AppConfig's ``workbench``: dotted paths of selector
functions ``(user, role) -> Card | None``. Each selector reads through the app's own
scoped queries, so a card never shows what the module's pages would not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass
class Line:
    text: str
    url: str = ""
    badge: str = ""


@dataclass
class Card:
    title: str
    url: str  # the module's own list of this work
    figure: int | str | None = None  # str for a capped count such as "10,000+"
    figure_label: str = ""
    lines: list[Line] = field(default_factory=list)
    action: tuple[str, str] | None = None  # (label, url): the next thing one usually does
    empty: str = ""  # what to say when there is nothing yet


def cards_for(user, role) -> list[Card]:
    cards = []
    for config in apps.get_app_configs():
        for path in getattr(config, "workbench", ()):
            card = import_string(path)(user, role)
            if card is not None:
                cards.append(card)
    return cards
