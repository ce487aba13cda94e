"""Balanced cadre–enterprise matching (no Django).

Each cadre offers ``capacity`` slots; the k-th slot of a cadre costs ``k * load_penalty``
more, so the optimum spreads enterprises evenly before doubling anyone up. The cost of a
pair adds a penalty when industry or district differ. The assignment problem is solved
exactly with the Hungarian-type algorithm in ``scipy.optimize.linear_sum_assignment``
(Crouse 2016, IEEE TAES 52:1679).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Party:
    id: int
    industry: str
    district: str
    load: int = 0  # pairs already held (cadres only)


def match(cadres: list[Party], enterprises: list[Party], *, capacity: int = 2, industry_penalty: float = 3.0,
          district_penalty: float = 2.0, load_penalty: float = 1.0) -> list[tuple[int, int]]:
    """Return ``(cadre_id, enterprise_id)`` pairs; enterprises beyond total capacity stay unmatched."""
    if not cadres or not enterprises:
        return []
    slots = [(c, k) for c in cadres for k in range(c.load, c.load + capacity)]
    cadre_industry = np.array([c.industry for c, _ in slots])
    cadre_district = np.array([c.district for c, _ in slots])
    slot_load = np.array([k for _, k in slots], dtype=float)
    ent_industry = np.array([e.industry for e in enterprises])
    ent_district = np.array([e.district for e in enterprises])
    cost = (industry_penalty * (ent_industry[:, None] != cadre_industry[None, :])
            + district_penalty * (ent_district[:, None] != cadre_district[None, :])
            + load_penalty * slot_load[None, :])
    rows, cols = linear_sum_assignment(cost)
    return [(slots[c][0].id, enterprises[r].id) for r, c in zip(rows, cols, strict=True)]
