"""Permission rules of the satisfaction surveys.

District-government projects carry their district (``area``), so a district officer
sees only their own district's survey; industry projects have no district and are
visible to city staff and departments until they are published.  The third party
contracted to run a survey (``Project.fieldwork_agency``) is an organisation: its provider
staff see, interview for and import into that project only.
"""

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS, Scope, define, everyone

R = Role
ALL, DISTRICT = Scope.ALL, Scope.DISTRICT
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}

OWN_ORG = Scope.OWN_ORG
FIELDWORK = {**STAFF, R.PROVIDER_STAFF: OWN_ORG}  # OWN_ORG = the project's fieldwork agency

define("surveys.view", {**FIELDWORK, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: DISTRICT},
       "survey projects, quotas and results (district officers: their district's project; "
       "provider staff: projects their organisation runs)", org_field="fieldwork_agency")
define("surveys.manage", STAFF, "design projects, quotas and margins, issue links, screen, weight, estimate, "
       "submit for publication")
define("surveys.review", STAFF, "decide include/exclude on flagged responses")
define("surveys.interview", FIELDWORK, "enter telephone (CATI) interviews", org_field="fieldwork_agency")
define("surveys.import", FIELDWORK, "import offline questionnaires from Excel", org_field="fieldwork_agency")
define("surveys.respond", {ANONYMOUS: ALL, **everyone()}, "answer a questionnaire through a one-time link")
define("surveys.public", {ANONYMOUS: ALL, **everyone()}, "published survey results")
