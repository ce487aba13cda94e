"""Statistical early warning on weekly counts (numpy/scipy only, no Django).

Public API: :func:`farrington_flexible` (with :class:`FarringtonControl`),
:func:`ears_c`, :func:`cusum`, :func:`glrnb`, :func:`ewma`, the input helpers
:func:`check_counts` and :func:`from_long`, and :class:`SurveillanceInputError`.
"""

from .control_charts import arl_cusum, cusum, ears_c, ewma, find_h, find_k, glrnb
from .data import CountTable, check_counts, from_long
from .errors import SurveillanceInputError, SurveillanceResult
from .farrington import FarringtonControl, farrington_flexible, history_needed

__all__ = [
    "arl_cusum",
    "cusum",
    "ears_c",
    "ewma",
    "find_h",
    "find_k",
    "glrnb",
    "CountTable",
    "FarringtonControl",
    "SurveillanceInputError",
    "SurveillanceResult",
    "check_counts",
    "farrington_flexible",
    "from_long",
    "history_needed",
]
