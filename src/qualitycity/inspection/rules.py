"""Permission rules of the inspection app. Orders are scoped twice: an enterprise sees the
orders it placed (``enterprise``), a lab the orders addressed to it (``lab``)."""

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS, Scope, define, everyone

R = Role
ALL, DISTRICT, OWN = Scope.ALL, Scope.DISTRICT, Scope.OWN_ORG
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}

define("inspection.catalogue.view", {ANONYMOUS: ALL, **everyone()}, "the public quality-service catalogue")
define("inspection.services.manage", {**STAFF, R.PROVIDER_STAFF: OWN}, "publish and suspend services",
       org_field="provider")
define(
    "inspection.orders.list",
    {**STAFF, R.ENTERPRISE_MEMBER: OWN, R.PROVIDER_STAFF: OWN, R.DISTRICT_OFFICER: DISTRICT, R.DEPARTMENT_OFFICER: ALL},
    "the orders page (contents scoped by the two rules below)",
)
define(
    "inspection.orders.view",
    {**STAFF, R.ENTERPRISE_MEMBER: OWN, R.DISTRICT_OFFICER: DISTRICT, R.DEPARTMENT_OFFICER: ALL},
    "read orders an enterprise placed",
    org_field="enterprise",
    area_field="enterprise__area",
)
define("inspection.orders.create", {R.ENTERPRISE_MEMBER: OWN}, "place an inspection order", org_field="enterprise")
define("inspection.lab.work", {**STAFF, R.PROVIDER_STAFF: OWN}, "the lab workspace: orders addressed to the lab",
       org_field="lab")
define("inspection.stats.view", {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: DISTRICT},
       "city statistics of orders, pass rates and turnaround", area_field="enterprise__area")
define("inspection.reports.verify", {ANONYMOUS: ALL, **everyone()}, "verify a test report (public)")
define("inspection.instruments.own", {**STAFF, R.ENTERPRISE_MEMBER: OWN}, "an enterprise's measuring instruments",
       org_field="enterprise")
define("inspection.instruments.regulate", {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: DISTRICT},
       "overdue instruments and verification rates", area_field="enterprise__area")
