"""Tables of the quality-service catalogue, inspection orders, reports and the metrology register."""

from .catalogue import Category, ScopeEntry, Service, ServiceItem, ServiceStatus
from .metrology import Instrument
from .orders import IdempotencyRecord, InspectionResult, Order, OrderEvent, OrderItem, OrderState
from .reports import Report, ReportStatus

__all__ = [
    "Category", "ScopeEntry", "Service", "ServiceItem", "ServiceStatus", "Instrument", "IdempotencyRecord",
    "InspectionResult", "Order", "OrderEvent", "OrderItem", "OrderState", "Report", "ReportStatus",
]
