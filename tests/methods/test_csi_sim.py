"""The PLS engine recovers the structural model the demo data are generated from."""

import numpy as np
import pytest

from qualitycity.methods import csi_sim
from qualitycity.methods.pls import PLSModel, fit

ITEMS = {"Image": ["IMG1", "IMG2", "IMG3"], "Expectation": ["EXP1", "EXP2", "EXP3"],
         "Quality": ["QUA1", "QUA2", "QUA3"], "Value": ["VAL1", "VAL2"], "Satisfaction": ["SAT1", "SAT2", "SAT3"],
         "Complaints": ["CMP1"], "Loyalty": ["LOY1", "LOY2"]}
MEANS = {"Image": 7.4, "Expectation": 7.8, "Quality": 7.0, "Value": 6.6, "Satisfaction": 7.1,
         "Complaints": 6.5, "Loyalty": 6.9}
# Stated tolerance: discretization to 1–10 and loadings of 0.93 bias PLS paths by a few
# hundredths; 0.05 absolute leaves room for sampling error at n = 5000 but not for a
# wrong engine (a path estimated as another's would miss by >= 0.1 for most paths).
PATH_TOL = 0.05
INDEX_TOL = 0.5  # points on the 0–100 scale


@pytest.fixture(scope="module")
def recovered():
    data, _ = csi_sim.simulate(5000, ITEMS, rng=np.random.default_rng(11), means=MEANS)
    model = PLSModel(constructs=ITEMS, paths=list(csi_sim.TRUE_PATHS))
    return fit(model, data, scheme="path", scale=(1, 10))


def test_the_latent_model_has_unit_variances():
    Sigma, resid = csi_sim.latent_covariance()
    assert np.allclose(np.diag(Sigma), 1) and (resid > 0).all()


def test_expected_likert_mean_matches_simulation():
    rng = np.random.default_rng(0)
    x = np.clip(np.round(8.5 + 1.6 * rng.standard_normal(400_000)), 1, 10)
    assert csi_sim.expected_likert_mean(8.5, 1.6) == pytest.approx(x.mean(), abs=0.01)


@pytest.mark.parametrize("path", list(csi_sim.TRUE_PATHS))
def test_engine_recovers_each_path(recovered, path):
    assert recovered.paths[path] == pytest.approx(csi_sim.TRUE_PATHS[path], abs=PATH_TOL)


def test_engine_recovers_the_satisfaction_index(recovered):
    truth = (csi_sim.expected_likert_mean(MEANS["Satisfaction"], 1.6) - 1) / 9 * 100
    assert recovered.index["Satisfaction"] == pytest.approx(truth, abs=INDEX_TOL)
