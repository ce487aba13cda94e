"""Permission rules of the public portal."""

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS, Scope, define, everyone

define("portal.public", {ANONYMOUS: Scope.ALL, **everyone()}, "published reports and open data")
define("portal.publish", {Role.CITY_OFFICE: Scope.ALL, Role.SYSTEM_ADMIN: Scope.ALL},
       "approve and publish reports; handle correction requests")
