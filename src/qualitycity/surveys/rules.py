"""Permission rules of the satisfaction surveys.

District-government projects carry their district (``area``), so a district officer
sees only their own district's survey; industry projects have no district and are
visible to city staff and departments until they are published.
"""

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS, Scope, define, everyone

R = Role
ALL, DISTRICT = Scope.ALL, Scope.DISTRICT
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}

define("surveys.view", {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: DISTRICT},
       "survey projects, quotas and results (district officers: their district's project)")
define("surveys.manage", STAFF, "design projects, issue links, import, screen, weight, estimate, publish")
define("surveys.review", STAFF, "decide include/exclude on flagged responses")
define("surveys.interview", STAFF, "enter telephone (CATI) interviews")
define("surveys.respond", {ANONYMOUS: ALL, **everyone()}, "answer a questionnaire through a one-time link")
define("surveys.public", {ANONYMOUS: ALL, **everyone()}, "published survey results")
