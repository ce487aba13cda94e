from .assessment import Adjustment, Assessment, Criterion, ManualValue, Scheme, Score
from .inspections import Campaign, Finding, RegisterEntry, Team
from .liaison import Cadre, LiaisonTicket, Pairing, Rating, Visit
from .plans import (
    Chase,
    IndicatorValue,
    Period,
    Plan,
    PlanItem,
    ProgressReport,
    Rectification,
    SupervisionRound,
    Target,
)
from .service_items import BusinessStartCase, CaseStep, RateSnapshot, RateTarget, ServiceItem

__all__ = [
    "Adjustment", "Assessment", "BusinessStartCase", "Cadre", "Campaign", "CaseStep", "Chase", "Criterion",
    "Finding", "IndicatorValue", "LiaisonTicket", "ManualValue", "Pairing", "Period", "Plan", "PlanItem",
    "ProgressReport", "RateSnapshot", "RateTarget", "Rating", "Rectification", "RegisterEntry", "Scheme",
    "Score", "ServiceItem", "SupervisionRound", "Target", "Team", "Visit",
]
