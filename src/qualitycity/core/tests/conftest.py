import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """A request in English (the language switch tests) leaves English active in the
    thread, and the services' messages are translated: start each test in Chinese."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
