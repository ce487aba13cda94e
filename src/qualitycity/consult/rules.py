"""Consultation permissions. A case is private: only its enterprise, its expert and the
city office see it — district officers, departments and system admins do not."""

from qualitycity.core.models import Role
from qualitycity.core.permissions import Scope, define, everyone

R = Role
ALL, OWN, SELF = Scope.ALL, Scope.OWN_ORG, Scope.SELF
PARTICIPANTS = {R.CITY_OFFICE: ALL, R.ENTERPRISE_MEMBER: OWN, R.EXPERT: SELF}

define("consult.cases.view", PARTICIPANTS, "read a consultation and its thread (participants only)",
       org_field="enterprise", owner_field="expert__user", area_field="area")
define("consult.cases.reply", PARTICIPANTS, "post in a consultation thread",
       org_field="enterprise", owner_field="expert__user", area_field="area")
define("consult.cases.ask", {R.ENTERPRISE_MEMBER: OWN}, "ask a question for one's enterprise", org_field="enterprise")
define("consult.cases.close", {R.ENTERPRISE_MEMBER: OWN}, "confirm solved, close and rate", org_field="enterprise")
define("consult.cases.assign", {R.CITY_OFFICE: ALL}, "assign or reassign an expert by hand")
define("consult.knowledge.view", everyone(), "the anonymized knowledge base")
define("consult.stats", {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}, "consultation statistics")
define("consult.profile.edit", {R.EXPERT: SELF, R.CITY_OFFICE: ALL}, "an expert's consultation profile",
       owner_field="expert__user")
define("recommend.view", {R.ENTERPRISE_MEMBER: OWN, R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL},
       "personalized recommendations for an enterprise")
