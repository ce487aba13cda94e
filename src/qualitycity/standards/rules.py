"""Permission rules of the standards library. The catalogue is public information; what an
enterprise follows is its own; the standardization-work figures are for government."""

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS, Scope, define, everyone

R = Role
ALL, DISTRICT, OWN = Scope.ALL, Scope.DISTRICT, Scope.OWN_ORG
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}

define("standards.search", {ANONYMOUS: ALL, **everyone()}, "search and read the standards catalogue")
define(
    "standards.follow",
    {R.ENTERPRISE_MEMBER: OWN},
    "follow standards and fields for one's own enterprise",
    org_field="organization",
)
define(
    "standards.work",
    {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: DISTRICT},
    "standardization work: standards led or drafted by local organizations (district officers: their district)",
    area_field="organization__area",
)
define("standards.import", STAFF, "import standards catalogues")
