"""Permission rules of 武汉名品."""

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS, Scope, define, everyone

R = Role
STAFF = {R.CITY_OFFICE: Scope.ALL, R.SYSTEM_ADMIN: Scope.ALL}

define("brands.public", {ANONYMOUS: Scope.ALL, **everyone()}, "the public registry and certificate check")
define(
    "brands.apply",
    {R.ENTERPRISE_MEMBER: Scope.OWN_ORG, **STAFF},
    "an enterprise's own applications",
    org_field="enterprise",
    area_field="enterprise__area",
)
define(
    "brands.review",
    {R.PROVIDER_STAFF: Scope.OWN_ORG, **STAFF},
    "a certification body's review of the applications sent to it",
    org_field="certification_body",
    area_field="enterprise__area",
)
define(
    "brands.supervise",
    {**STAFF, R.DISTRICT_OFFICER: Scope.DISTRICT, R.DEPARTMENT_OFFICER: Scope.ALL, R.PROVIDER_STAFF: Scope.OWN_ORG},
    "post-certification supervision, suspension and statistics",
    org_field="application__certification_body",
    area_field="enterprise__area",
)
define("brands.configure", STAFF, "evaluation standards, brand-strength weights and violation records (city office)")
define(
    "brands.sample",
    {**STAFF, R.DEPARTMENT_OFFICER: Scope.ALL},
    "draw certified products at random for post-certification sampling",
)
