"""Demands (诉求), their configuration and supervision records."""

from .demand import (
    CLOSED_STATES,
    OPEN_STATES,
    Assignment,
    ClassifierModel,
    Correction,
    Demand,
    Dispute,
    Event,
    Flag,
    Rating,
    State,
)
from .taxonomy import Category, Channel, DemandType, Open311Key, RejectionGround, RoutingRule, TimeLimit

__all__ = [
    "CLOSED_STATES", "OPEN_STATES", "Assignment", "Category", "Channel", "ClassifierModel", "Correction",
    "Demand", "DemandType", "Dispute", "Event", "Flag", "Open311Key", "Rating",
    "RejectionGround", "RoutingRule", "State", "TimeLimit",
]
