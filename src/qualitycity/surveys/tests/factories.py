"""Builders for survey tests: a collecting project and simulated responses."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories
from qualitycity.methods import csi_sim

from .. import services
from ..demo import BASE_MEANS, _items
from ..models import Project

BY = Actor.system("test")


def project(*, kind="industry", area=None, year=2026, status=Project.Status.COLLECTING, **kw) -> Project:
    if kind == "district":
        area = area or factories.area()
    defaults = {"title": f"{year}年测试测评", "target_kind": kind, "year": year, "starts_on": dt.date(year, 9, 1),
                "ends_on": dt.date(year, 10, 31), "industry": "property" if kind == "industry" else "",
                "area": area, "status": status}
    defaults.update(kw)
    return services.create_project(by=BY, **defaults)


def answers_from_sim(n: int, seed: int = 1, shift: float = 0.0) -> list[dict]:
    data, _ = csi_sim.simulate(n, _items(), rng=np.random.default_rng(seed),
                               means={k: v + shift for k, v in BASE_MEANS.items()})
    out = []
    for i in range(n):
        a = {c: int(v[i]) for c, v in data.items()}
        sat = (a["SAT1"] + a["SAT2"] + a["SAT3"]) / 3
        a["SAT_R"] = int(min(10, max(1, round(11 - sat))))
        out.append(a)
    return out


def fill(project: Project, n: int = 80, *, seed: int = 1, shift: float = 0.0, districts=None) -> None:
    districts = districts or [project.area or factories.area()]
    rng = np.random.default_rng(seed + 100)
    rows = []
    for i, a in enumerate(answers_from_sim(n, seed, shift)):
        rows.append({"answers": a, "district": districts[i % len(districts)], "sex": "M" if i % 2 else "F",
                     "age_band": ["18-29", "30-44", "45-59", "60+"][int(rng.integers(4))],
                     "open_answer": "排队时间太长，希望增加窗口" if i % 3 == 0 else "服务态度很好",
                     "duration_seconds": float(rng.uniform(300, 600)), "submitted_at": timezone.now()})
    services.record_batch(by=BY, project=project, rows=rows)


def publish(project: Project, *, by=BY, correction_note: str = "", with_pdf: bool = False):
    """Submit, approve and publish on the portal, as the city office would; returns the release."""
    from qualitycity.portal import services as portal

    release = services.submit_for_publication(by=by, project=project, correction_note=correction_note,
                                              with_pdf=with_pdf)
    portal.approve(by=by, publication=release.publication)
    portal.publish(by=by, publication=release.publication)
    project.refresh_from_db()
    return release
