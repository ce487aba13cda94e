import hashlib

import pytest
from django.core.management import call_command

from qualitycity.core import credit_code
from qualitycity.core.models import Area, Expert, Organization, OrgKind, User
from qualitycity.demo.accounts import DEMO_LOGINS
from qualitycity.demo.generator import build_demo_city

pytestmark = pytest.mark.django_db


def fingerprint() -> str:
    rows = Organization.objects.order_by("credit_code").values_list("name", "credit_code", "area__name", "industry__code")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def wipe() -> None:
    Expert.objects.all().delete()
    Organization.objects.filter(kind=OrgKind.ENTERPRISE).delete()
    Organization.objects.all().delete()
    Area.objects.exclude(kind=Area.Kind.CITY).delete()  # children before the city they point at
    Area.objects.all().delete()


def test_the_demo_city_has_the_promised_volume_and_valid_codes():
    summary = build_demo_city(seed=1)
    assert summary.enterprises >= 2000 and summary.providers >= 40 and summary.experts >= 100
    assert Organization.objects.filter(kind=OrgKind.DEPARTMENT).count() == 64
    assert Area.objects.filter(kind=Area.Kind.DISTRICT).count() == 13
    assert Area.objects.filter(kind=Area.Kind.FUNCTIONAL_ZONE, name="东湖新技术开发区").exists()
    assert Organization.objects.filter(kind=OrgKind.PARK).exclude(service_station="").count() >= 10
    for code in Organization.objects.values_list("credit_code", flat=True):
        assert credit_code.validate(code) == code
    industries = Organization.objects.filter(kind=OrgKind.ENTERPRISE).values("industry__parent__code").distinct()
    assert industries.count() >= 10  # spread across the sections


def test_the_same_seed_gives_the_same_city_and_another_seed_does_not():
    build_demo_city(seed=7)
    first = fingerprint()
    wipe()
    build_demo_city(seed=7)
    assert fingerprint() == first
    wipe()
    build_demo_city(seed=8)
    assert fingerprint() != first


def test_it_refuses_to_mix_demo_and_real_data():
    build_demo_city(seed=1)
    with pytest.raises(RuntimeError, match="空数据库"):
        build_demo_city(seed=1)


def test_the_command_creates_one_login_per_role(capsys):
    call_command("demo", seed=3)
    out = capsys.readouterr().out
    for username, *_ in DEMO_LOGINS:
        assert User.objects.filter(username=username).exists()
        assert username in out
