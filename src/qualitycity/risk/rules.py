"""Permission rules of quality-safety risk monitoring.

Alerts are scoped by their district: a district officer sees and handles only alerts in
their own district (a city-wide series has no district and stays with the city office).
Department officers see every alert (they coordinate city-wide actions) but handle only
the alerts assigned to their own department.  Signal definitions and data imports are the
city office's.
"""

from qualitycity.core.models import Role
from qualitycity.core.permissions import Scope, define

R = Role
ALL, DISTRICT, OWN = Scope.ALL, Scope.DISTRICT, Scope.OWN_ORG
STAFF = {R.CITY_OFFICE: ALL, R.SYSTEM_ADMIN: ALL}

define("risk.view", {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: DISTRICT},
       "risk monitoring: alerts, map, ranking, signal charts", area_field="area")
define("risk.handle", {**STAFF, R.DEPARTMENT_OFFICER: OWN, R.DISTRICT_OFFICER: DISTRICT},
       "risk monitoring: triage, assess, act on and close alerts", area_field="area", org_field="department")
define("risk.manage", STAFF, "risk monitoring: define and run signals, import counts")
define("risk.register.view", {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: DISTRICT},
       "risk monitoring: the risk register", area_field="area")
define("risk.enterprise.view",
       {**STAFF, R.DEPARTMENT_OFFICER: ALL, R.DISTRICT_OFFICER: DISTRICT, R.ENTERPRISE_MEMBER: OWN},
       "risk monitoring: an enterprise's quality-risk profile", area_field="area", org_field="id")
