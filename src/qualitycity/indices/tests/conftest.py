"""Fixtures the indices tests share: the city office's client beside the factory framework."""

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core

from . import factories


@pytest.fixture
def office(db):
    w = core.role_users()
    c = Client()
    c.force_login(w["users"][Role.CITY_OFFICE])
    fw, areas, inds = factories.framework()
    return {"c": c, "fw": fw, "areas": areas, "inds": inds, "world": w}
