"""Permission rules of the quality index.

District officers see the city ranking only as published (the ``indices.public``
rule), like every citizen; unpublished drafts and the raw data stay with the city
office and the member departments, and only the city office edits.
"""

from qualitycity.core.models import Role
from qualitycity.core.permissions import ANONYMOUS, Scope, define, everyone

R = Role
ALL = Scope.ALL
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}

define("indices.view", {**STAFF, R.DEPARTMENT_OFFICER: ALL}, "quality index: frameworks, data, drafts")
define("indices.manage", STAFF, "quality index: edit frameworks and data, compute, publish")
define("indices.ahp.respond", {**STAFF, R.EXPERT: ALL}, "quality index: answer AHP questionnaires")
define("indices.public", {ANONYMOUS: ALL, **everyone()}, "quality index: published results")
