"""Composite indicators following the OECD/JRC *Handbook on Constructing Composite Indicators* (2008).

Pure numpy/scipy (SALib for Sobol' indices); no Django.  Modules:

* :mod:`.table` — reading the wide CSV and structural checks;
* :mod:`.imputation`, :mod:`.outliers` — Handbook steps 3 and 5.1 (JRC skew/kurtosis rule);
* :mod:`.normalization` — step 5;
* :mod:`.weighting`, :mod:`.aggregation` — step 6;
* :mod:`.framework`, :mod:`.hierarchy`, :mod:`.pipeline` — the multi-level index;
* :mod:`.coherence` — step 4 (correlations, Cronbach's α);
* :mod:`.uncertainty` — step 7 (Monte Carlo, Sobol' indices).

Every bad input raises :class:`CompositeInputError` (a ``ValueError``).
"""

from .aggregation import (
    aggregate,
    arithmetic,
    copeland,
    generalized,
    geometric,
    harmonic,
    kemeny,
    outranking_matrix,
    rank_scores,
    topsis,
)
from .coherence import CoherenceReport, coherence, correlation, cronbach_alpha, item_analysis
from .errors import CompositeInputError
from .framework import Framework, Group, Indicator, Options, framework_from_dict
from .hierarchy import Tree
from .imputation import ImputedCell, impute
from .normalization import (
    borda,
    distance_to_best,
    distance_to_target,
    goalposts,
    minmax,
    normalize,
    percentile,
    rank,
    zscore,
)
from .outliers import TreatedCell, treat_outliers
from .pipeline import Context, IndexResult, compute_index
from .table import PanelData, Table, check_matrix, read_panel_csv, read_wide_csv
from .uncertainty import MonteCarloResult, Settings, SobolResult, monte_carlo, sobol_indices
from .weighting import (
    SAATY_RI,
    AHPResult,
    BODResult,
    PCAWeights,
    ahp,
    benefit_of_the_doubt,
    critic,
    entropy,
    equal,
    manual,
    pca_weights,
    varimax,
)

__all__ = [
    "AHPResult", "BODResult", "CoherenceReport", "CompositeInputError", "Context", "Framework", "Group", "ImputedCell",
    "IndexResult", "Indicator", "MonteCarloResult", "Options", "PanelData", "PCAWeights", "SAATY_RI", "Settings",
    "SobolResult", "Table", "TreatedCell", "Tree", "aggregate", "ahp", "arithmetic", "benefit_of_the_doubt",
    "borda", "check_matrix", "coherence", "compute_index", "copeland", "correlation", "critic",
    "cronbach_alpha", "distance_to_best", "distance_to_target", "entropy", "equal", "framework_from_dict",
    "generalized", "geometric", "goalposts", "harmonic", "impute", "item_analysis", "kemeny", "manual",
    "minmax", "monte_carlo", "normalize", "outranking_matrix", "pca_weights", "percentile", "rank",
    "rank_scores", "read_panel_csv", "read_wide_csv", "sobol_indices", "topsis", "treat_outliers", "varimax", "zscore",
]
