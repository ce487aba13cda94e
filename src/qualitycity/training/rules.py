"""Online-classroom permissions."""

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS, Scope, define, everyone

R = Role
ALL, OWN, SELF, DISTRICT = Scope.ALL, Scope.OWN_ORG, Scope.SELF, Scope.DISTRICT
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}

define("training.courses.view", everyone(), "browse courses")
define("training.learn", everyone(SELF), "enrol oneself, study, take quizzes", owner_field="user")
define("training.enrol_staff", {R.ENTERPRISE_MEMBER: OWN, **STAFF},
       "enrol the staff of one's enterprise (checked against the Organization itself)")
define("training.events.manage", STAFF, "record live/offline sessions and attendance")
define("training.stats", {**STAFF, R.DISTRICT_OFFICER: DISTRICT}, "training statistics against targets")
define("training.certificates.verify", {ANONYMOUS: ALL, **everyone()}, "check a certificate's verification code")
