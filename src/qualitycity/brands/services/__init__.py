"""Every state change of 武汉名品: the application lifecycle (``applications``) and supervision
after certification (``supervision``). Callers use ``brands.services.<function>``."""

from .applications import (  # noqa: F401
    CERTIFICATE_YEARS,
    DECIDABLE,
    RENEWAL_WINDOW_DAYS,
    VIOLATION_LOOKBACK_DAYS,
    Blocker,
    blocking_violations,
    create_application,
    decide,
    declare,
    review,
    score,
    start_renewal,
    submit,
)
from .standards import add_requirement, create_standard, set_standard_active  # noqa: F401
from .supervision import (  # noqa: F401
    draw_sample,
    inspection_record,
    record_surveillance,
    record_violation,
    reinstate,
    set_strength_weights,
    suspend,
    withdraw,
)
