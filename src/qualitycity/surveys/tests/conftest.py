"""Fixtures the surveys tests share: the standard role users, and the city office's client."""

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core_factories


@pytest.fixture
def world(db):
    return core_factories.role_users()


@pytest.fixture
def staff(world):
    c = Client()
    c.force_login(world["users"][Role.CITY_OFFICE])
    return c
