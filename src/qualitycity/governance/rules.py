"""Permission rules of governance: units see their own tasks and reports, districts their own
data, the city office (which hosts the supervision office) everything; enterprises only
their own liaison and tickets."""

from qualitycity.core.models import Role
from qualitycity.core.permissions import Scope, define, everyone

R = Role
ALL, DISTRICT, OWN = Scope.ALL, Scope.DISTRICT, Scope.OWN_ORG
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}
UNITS = {**STAFF, R.DEPARTMENT_OFFICER: OWN, R.DISTRICT_OFFICER: DISTRICT}

define("governance.tasks.view", UNITS, "programme tasks (units: their own lead tasks)",
       org_field="lead_unit", area_field="district")
define("governance.plans.manage", STAFF, "create and import plans, open periods, chase")
define("governance.reports.view", UNITS, "progress reports", org_field="unit", area_field="district")
define("governance.reports.submit", UNITS, "file a progress report for one's own unit",
       org_field="lead_unit", area_field="district")
define("governance.reports.review", STAFF, "accept or return progress reports")
define("governance.supervision.manage", STAFF, "supervision rounds and findings")
define("governance.rectifications.view", UNITS, "rectification items", org_field="owner",
       area_field="district")
define("governance.rectifications.close", UNITS, "report a rectification done", org_field="owner",
       area_field="district")
define("governance.assessment.view", UNITS, "assessment results", org_field="subject",
       area_field="district")
define("governance.assessment.manage", STAFF, "configure, compute and adjust assessments")
define("governance.services.view", everyone(), "government service item catalogue and rates")
define("governance.services.manage", STAFF, "import service items and take rate snapshots")
define("governance.liaison.view", {**STAFF, R.DEPARTMENT_OFFICER: OWN, R.DISTRICT_OFFICER: DISTRICT},
       "liaison pairs and visits", org_field="cadre__department", area_field="enterprise__area")
# Enterprises are scoped by a different field than departments, hence a rule of their own.
define("governance.liaison.view_own_enterprise", {R.ENTERPRISE_MEMBER: OWN}, "an enterprise's own liaison",
       org_field="enterprise")
# Pairing is checked against the enterprise (a core.Organization): district staff pair the
# enterprises of their own district, the city office any.
define("governance.liaison.pair", {**STAFF, R.DISTRICT_OFFICER: DISTRICT},
       "pair cadres with enterprises by hand or by confirming the automatic matching", area_field="area")
define("governance.liaison.visit", {**STAFF, R.DEPARTMENT_OFFICER: OWN, R.DISTRICT_OFFICER: DISTRICT},
       "log a liaison visit (departments: their own cadres; districts: their enterprises)",
       org_field="cadre__department", area_field="enterprise__area")
define("governance.liaison.rate", {R.ENTERPRISE_MEMBER: OWN}, "an enterprise rates its liaison cadre",
       org_field="enterprise")
# A ticket's department is the lead of its complaints demand (a reassignment there moves it).
define("governance.tickets.view", {**STAFF, R.DEPARTMENT_OFFICER: OWN, R.DISTRICT_OFFICER: DISTRICT},
       "liaison tickets", org_field="demand__lead_org", area_field="enterprise__area")
define("governance.tickets.view_own_enterprise", {R.ENTERPRISE_MEMBER: OWN}, "an enterprise's own tickets",
       org_field="enterprise")
define("governance.tickets.resolve", {**STAFF, R.DEPARTMENT_OFFICER: OWN}, "resolve a routed ticket",
       org_field="demand__lead_org")
define("governance.tickets.confirm", {R.ENTERPRISE_MEMBER: OWN}, "confirm a ticket's resolution",
       org_field="enterprise")
define("governance.inspections.view", {**STAFF, R.DISTRICT_OFFICER: DISTRICT, R.DEPARTMENT_OFFICER: OWN},
       "inspection findings", org_field="department", area_field="area")
define("governance.inspections.manage", STAFF, "inspection teams, registers, findings, bulletins")
define("governance.inspections.team", {**STAFF, R.DISTRICT_OFFICER: DISTRICT, R.DEPARTMENT_OFFICER: OWN},
       "an inspection team's page (districts and departments it inspects)", org_field="departments",
       area_field="districts")
