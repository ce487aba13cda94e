"""The staff import page: a good file imports and reports its changes; a bad one lists
every problem by line and column and writes nothing; only staff may use it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories
from qualitycity.standards.models import ChangeEvent, Standard

from .factories import csv_bytes, load, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(codes):
    return factories.role_users()["users"]


def upload(client, rows, name="catalogue.csv"):
    return client.post("/standards/import/", {"file": SimpleUploadedFile(name, csv_bytes(rows))})


def staff(users):
    c = Client()
    c.force_login(users[Role.CITY_OFFICE])
    return c


def test_the_city_office_imports_a_new_edition_and_sees_the_change(users):
    load([row("GB/T 2828.1-2003", "计数抽样检验程序 第1部分")])
    before = ChangeEvent.objects.count()
    response = upload(staff(users), [row("GB/T 2828.1-2012", "计数抽样检验程序 第1部分：按接收质量限(AQL)检索的逐批检验抽样计划",
                                         代替标准="GB/T 2828.1-2003")])
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-outcome"' in html and "GB/T 2828.1-2003 被 GB/T 2828.1-2012 代替" in html
    assert Standard.objects.filter(number="GB/T 2828.1-2012").exists() and ChangeEvent.objects.count() > before


def test_a_bad_file_lists_each_problem_and_writes_nothing(users):
    count = Standard.objects.count()
    response = upload(staff(users), [row("GB/T 1-2020", "标准化工作导则"), row("不是标准号", "x"),
                                     row("GB/T 3-2020", "", "作废")])
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-problems"' in html and "<td>3</td>" in html and "<td>4</td>" in html
    assert Standard.objects.count() == count


def test_an_empty_submission_is_told_to_choose_a_file(users):
    response = staff(users).post("/standards/import/", {})
    assert response.status_code == 400 and "请选择要导入的文件" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ENTERPRISE_MEMBER, Role.DISTRICT_OFFICER, Role.DEPARTMENT_OFFICER])
def test_only_staff_may_import(users, role):
    c = Client()
    c.force_login(users[role])
    assert upload(c, [row("GB/T 1-2020", "标准化工作导则")]).status_code == 403
    assert not Standard.objects.filter(number="GB/T 1-2020").exists()
