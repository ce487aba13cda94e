"""Builders for risk tests: a small city with the demo's incidents, or a single alert."""

from __future__ import annotations

import io

from qualitycity.core.models import OrgKind
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core

from .. import demo

SYSTEM = Actor.system("test")


def demo_world() -> dict:
    """role_users() (洪山区, 江岸区) plus two more districts and an industrial park, with
    the demo data loaded and the signals run."""
    w = core.role_users()
    core.area("武昌区", "420106")
    core.area("江汉区", "420103")
    park = core.organization(OrgKind.PARK, name="测试光谷电缆产业园", in_area=w["areas"]["hongshan"], industry=None)
    out = io.StringIO()
    demo.load_demo(seed=11, scale=1, stdout=out)
    return {**w, "park": park, "demo_output": out.getvalue()}
