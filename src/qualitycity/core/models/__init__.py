"""The directory every module shares: areas, industries, organizations, people and roles,
plus the audit trail, attachments, notifications and API tokens."""

from .accounts import ApiToken, Membership, Role, User
from .areas import Area, CityMap
from .attachments import Attachment
from .audit import AuditEvent, AuditHead
from .calendar import CalendarDay
from .industries import Industry
from .notifications import Notification
from .numbering import NumberSequence
from .organizations import Expert, GrowthStage, Organization, OrgKind, SizeClass
from .schedule import ScheduledRun

__all__ = [
    "ApiToken",
    "Area",
    "Attachment",
    "AuditEvent",
    "AuditHead",
    "CalendarDay",
    "CityMap",
    "Expert",
    "GrowthStage",
    "Industry",
    "Membership",
    "Notification",
    "NumberSequence",
    "OrgKind",
    "Organization",
    "Role",
    "ScheduledRun",
    "SizeClass",
    "User",
]
