"""PLS path modelling (Wold/Lohmöller) with ACSI-style 0–100 indices.

Public API::

    model = PLSModel(constructs={...}, paths={"Image": ["Satisfaction"], ...}, modes={...})
    result = fit(model, data, scheme="path", weights=None, missing=None, scale=(1, 10))
    boot = bootstrap(result, n_boot=1000, seed=1)
    imap = ipma(result, "Loyalty")

numpy only (the normal quantiles come from the standard library); no Django.  Sources and the reasoning are in the submodules:
:mod:`.core` (the batched algorithm; Lohmöller 1989, Tenenhaus et al. 2005),
:mod:`.estimate` (fit, quality measures, ACSI index; Fornell et al. 1996, Henseler et
al. 2015), :mod:`.resample` (bootstrap) and :mod:`.ipma` (Ringle & Sarstedt 2016).
"""

from .estimate import PLSResult, fit
from .ipma import ipma
from .model import MISSING_OPTIONS, SCHEMES, PLSConvergenceError, PLSModel, PLSModelError
from .resample import BootstrapResult, bootstrap

__all__ = [
    "PLSModel", "PLSModelError", "PLSConvergenceError", "PLSResult", "BootstrapResult",
    "fit", "bootstrap", "ipma", "SCHEMES", "MISSING_OPTIONS",
]
