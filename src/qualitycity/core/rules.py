"""Permission rules of the core directory. Each rule grants roles a scope; see
``core.permissions`` for how they are applied."""

from .models import Role
from .permissions import ANONYMOUS, Scope, define, everyone

R = Role
ALL, DISTRICT, OWN, SELF = Scope.ALL, Scope.DISTRICT, Scope.OWN_ORG, Scope.SELF
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}

define("public", {ANONYMOUS: ALL, **everyone()}, "anyone, logged in or not")
define("authenticated", everyone(), "any logged-in user")
define("admin.site", {R.SYSTEM_ADMIN: ALL, R.CITY_OFFICE: ALL}, "Django admin (also requires is_staff)")

define(
    "directory.enterprises.view",
    {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: DISTRICT, R.ENTERPRISE_MEMBER: OWN},
    "list and read enterprises",
)
define(
    "directory.enterprises.create",
    {**STAFF, R.DISTRICT_OFFICER: DISTRICT},
    "register an enterprise (district officers: in their district)",
)
define(
    "directory.enterprises.change",
    {**STAFF, R.DISTRICT_OFFICER: DISTRICT, R.ENTERPRISE_MEMBER: OWN},
    "edit an enterprise profile",
)
define("directory.providers.view", everyone(), "quality-infrastructure providers are public to users")
define("directory.providers.create", STAFF, "register a provider")
define("directory.providers.change", {**STAFF, R.PROVIDER_STAFF: OWN}, "edit a provider")
define("directory.government.view", everyone(), "departments and district governments")
define("directory.government.create", STAFF, "register a department")
define("directory.government.change", STAFF, "edit a department")
define("directory.reference.view", {ANONYMOUS: ALL, **everyone()}, "areas, industries, parks")
define("directory.experts.view", everyone(), "the expert pool (phones masked)")
define(
    "directory.members.view",
    {**STAFF, R.DISTRICT_OFFICER: DISTRICT, R.ENTERPRISE_MEMBER: OWN, R.PROVIDER_STAFF: OWN},
    "the people of an organization",
    area_field="organization__area",
    org_field="organization",
)
define("directory.import", STAFF, "import organizations from CSV/Excel")
define("directory.export", {**STAFF, R.DISTRICT_OFFICER: DISTRICT}, "export organizations")
define("audit.view", STAFF, "read the audit trail")
define("notifications.own", everyone(SELF), "a user's own notifications", owner_field="recipient")
define("tokens.own", everyone(SELF), "a user's own API tokens", owner_field="user")
define(
    "attachments.upload",
    everyone(),
    "upload a file",
)
define(
    "attachments.download",
    {**STAFF, **{r: SELF for r in Role if r not in (R.CITY_OFFICE, R.SYSTEM_ADMIN)}},
    "download a file one uploaded",
    owner_field="uploaded_by",
)
