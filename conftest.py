"""Test settings that differ from production, applied to every test."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _plain_http_for_tests(django_test_environment):
    """Production defaults redirect to HTTPS and mark cookies secure. The test client and
    the live server speak plain HTTP on localhost. SecurityMiddleware reads these once, when
    the live server starts, so they are changed for the whole session before it does."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_HSTS_SECONDS = 0


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # every test starts from a fresh database, so nothing cached from another test applies
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    # A transactional test's flush re-creates content types under new ids; the per-process
    # cache would hand the next test (admin log entries, generic relations) an id that is gone.
    ContentType.objects.clear_cache()
    # An English request leaves English active in this thread; every test starts in Chinese.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_collection_modifyitems(items):
    """A transactional test must also ask for ``serialized_rollback``. Without it, the flush
    after the test re-creates the content types under new ids, and the next serialized
    test in the same worker fails to restore its snapshot (duplicate key); and the rows
    that migrations seed (taxonomies, code tables) would be gone for the tests after it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)")
