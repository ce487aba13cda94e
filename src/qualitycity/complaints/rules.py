"""Permission rules of the complaints module (see ``core.permissions``).

Department officers see the demands their organization handles (lead or co-handler),
district officers those located in their district; citizens their own submissions.
Enterprises get no access at all, so a whistleblower can never be shown to the firm
a report is about."""

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS, Scope, define, everyone

R = Role
ALL, DISTRICT, OWN, SELF = Scope.ALL, Scope.DISTRICT, Scope.OWN_ORG, Scope.SELF
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}
SCOPE_FIELDS = {"area_field": "area", "org_field": "assignments__organization", "owner_field": "submitted_by"}

define("complaints.submit", {ANONYMOUS: ALL, **everyone()}, "file a demand (public form, throttled)")
define("complaints.track", {ANONYMOUS: ALL, **everyone()}, "public status page by tracking code")
define(
    "complaints.view",
    {**STAFF, R.DEPARTMENT_OFFICER: OWN, R.DISTRICT_OFFICER: DISTRICT, R.CITIZEN: SELF},
    "read demands",
    **SCOPE_FIELDS,
)
define(
    "complaints.handle",
    {**STAFF, R.DEPARTMENT_OFFICER: OWN, R.DISTRICT_OFFICER: DISTRICT},
    "accept, return, handle and close demands",
    **SCOPE_FIELDS,
)
define(
    "complaints.personal",
    {**STAFF, R.DEPARTMENT_OFFICER: OWN},
    "reveal a complainant's unmasked contact details (audited)",
    **SCOPE_FIELDS,
)
define("complaints.intake", {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: ALL}, "enter hotline calls")
define("complaints.dispatch", STAFF, "route, reassign, arbitrate returns, chase, escalate, merge", **SCOPE_FIELDS)
define("complaints.configure", STAFF, "taxonomy, time limits, routing rules, holidays, retraining")
define(
    "complaints.bulletins",
    {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: ALL},
    "supervision bulletins (aggregates)",
)
define("complaints.bulletins.publish", STAFF, "hand a bulletin (aggregates) to the public portal for approval")
define("complaints.open311", {ANONYMOUS: ALL, **everyone()}, "Open311 GeoReport v2 (writes need an api_key)")
