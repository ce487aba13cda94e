import io

import pytest
from django.test import Client

from qualitycity.core.models import User

from .. import demo, selectors
from ..models import Application, ApplicationStatus, Certificate, CertificateStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city():
    from qualitycity.demo.accounts import create_demo_users
    from qualitycity.demo.generator import build_demo_city

    build_demo_city(seed=5)
    create_demo_users()
    demo.load_demo(seed=5, scale=1, stdout=io.StringIO())


def test_the_demo_walks_the_whole_lifecycle_and_the_registry_shows_it(demo_city):
    suspended = Certificate.objects.filter(status=CertificateStatus.SUSPENDED)
    withdrawn = Certificate.objects.filter(status=CertificateStatus.WITHDRAWN)
    assert suspended.exists() and withdrawn.exists()
    for state, cert in (("suspended", suspended.first()), ("withdrawn", withdrawn.first())):
        page = Client().get(f"/brands/?status={state}").content.decode()
        assert cert.number in page
        check = Client().get(f"/brands/check/?number={cert.number}").content.decode()
        assert cert.status_reason in check
    renewed = Certificate.objects.exclude(renewed_from=None).select_related("renewed_from").get()
    assert renewed.renewed_from.public_status == "expired" and selectors.statistics()["renewals"] == 1


def test_the_demo_certification_body_can_review_what_waits_for_it(demo_city):
    client = Client()
    client.force_login(User.objects.get(username="certbody"))
    waiting = Application.objects.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW],
                                         certification_body__memberships__user__username="certbody")
    assert waiting.count() == 2
    page = client.get(f"/brands/applications/{waiting.first().number}/").content.decode()
    assert 'id="decide-form"' in page
