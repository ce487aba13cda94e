import pytest
from django.db import transaction

from .factories import demo_world


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo world, built once per test module inside a transaction that is rolled back
    at the end (each test still runs in its own savepoint, so tests cannot see each
    other's changes, and nothing leaks into other test files of the same worker)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_world()
        transaction.set_rollback(True)
