"""A project's design: population margins, quotas, fieldwork agency; and forms that keep answers."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent, OrgKind, Role
from qualitycity.core.tests import factories as core_factories

from .. import services
from ..models import Project
from . import factories
from .factories import BY
from .test_views import answer_post

pytestmark = pytest.mark.django_db

GOOD = {"sex": {"M": 0.5, "F": 0.5}, "age": {"18-29": 0.2, "30-44": 0.3, "45-59": 0.3, "60+": 0.2},
        "district": {"洪山区": 0.6, "江岸区": 0.4}}


def test_new_projects_rake_to_labelled_default_margins(world):
    p = factories.project()
    assert p.margins_default and set(p.margins) == {"sex", "age", "district"}


def test_margins_are_set_normalised_and_audited(world):
    p = factories.project()
    services.set_margins(by=BY, project=p, margins={**GOOD, "sex": {"男": 48.6, "女": 51.4}})  # percentages
    p.refresh_from_db()
    assert not p.margins_default
    assert p.margins["sex"] == pytest.approx({"M": 0.486, "F": 0.514})
    assert p.margins["district"] == pytest.approx({"洪山区": 0.6, "江岸区": 0.4})
    event = AuditEvent.objects.get(action="surveys.margins.set")
    assert event.changes["margins_default"] == [True, False]


@pytest.mark.parametrize("margins, message", [
    ({**GOOD, "sex": {"M": 0.5, "F": 0.3}}, "性别边际合计为 0.8"),
    ({**GOOD, "district": {"洪山区": 0.5, "江岸区": 0.3, "火星区": 0.2}}, "未知的区：火星区"),
    ({**GOOD, "age": {"18-29": -0.2, "30-44": 0.5, "45-59": 0.5, "60+": 0.2}}, "不能为负数"),
    ({**GOOD, "age": {"18-29": 0.5, "30-44": 0.5}}, "年龄段边际缺少类别：45-59、60+"),
    ({**GOOD, "sex": {"M": "一半", "F": 0.5}}, "应为数字"),
    ({"income": {"high": 1}}, "未知的边际维度"),
    ({}, "至少填写一个维度"),
])
def test_bad_margins_are_refused_by_name_and_nothing_changes(world, margins, message):
    p = factories.project()
    before = dict(p.margins)
    with pytest.raises(DomainError, match=message):
        services.set_margins(by=BY, project=p, margins=margins)
    p.refresh_from_db()
    assert p.margins == before and p.margins_default
    assert not AuditEvent.objects.filter(action="surveys.margins.set").exists()


def test_a_district_project_takes_no_district_margin(world):
    p = factories.project(kind="district", area=world["areas"]["hongshan"])
    with pytest.raises(DomainError, match="不按区加权"):
        services.set_margins(by=BY, project=p, margins=GOOD)


def test_estimation_uses_the_entered_margins_and_the_results_page_says_so(staff, world):
    p = factories.project()
    # fill() puts every woman in 洪山区 and every man in 江岸区, so the sex margin must agree
    factories.fill(p, 60, districts=[world["areas"]["hongshan"], world["areas"]["jiangan"]])
    services.set_margins(by=BY, project=p, margins={**GOOD, "sex": {"M": 0.4, "F": 0.6}})
    services.estimate_project(by=BY, project=p, n_boot=0)
    p.refresh_from_db()
    w = p.results["weighting"]
    assert w["margins_used"]["district"] == pytest.approx({"洪山区": 0.6, "江岸区": 0.4})
    assert w["margins_default"] is False
    page = staff.get(f"/surveys/{p.number}/").content.decode()
    assert re.search(r'id="margins-used">.*洪山区 60.0%', page, re.S)
    assert 'id="raking-converged"' in page and 'id="trimmed"' in page and 'id="deff"' in page
    assert 'id="efficiency"' in page and "weighting-default-margins" not in page


def test_the_results_page_labels_default_margins_and_non_convergence(staff, world):
    p = factories.project()
    factories.fill(p, 60)
    services.estimate_project(by=BY, project=p, n_boot=0)
    Project.objects.filter(pk=p.pk).update(results={**p.results, "weighting": {
        **p.results["weighting"], "converged": False, "iterations": 100, "trimmed": 7}})
    page = staff.get(f"/surveys/{p.number}/").content.decode()
    assert 'id="weighting-default-margins"' in page and 'id="raking-not-converged"' in page
    assert re.search(r'id="trimmed">7<', page)


def test_margins_page_form_and_table_upload(staff, world):
    p = factories.project()
    url = f"/surveys/{p.number}/margins/"
    assert "margins-default" in staff.get(url).content.decode()
    form = {"margin:sex:M": "49", "margin:sex:F": "50", "margin:age:18-29": "25", "margin:age:30-44": "25",
            "margin:age:45-59": "25", "margin:age:60+": "25"}
    bad = staff.post(url, form)
    assert bad.status_code == 400 and "性别边际合计为 99" in bad.content.decode()
    assert 'value="49"' in bad.content.decode()  # what was typed stays
    assert Project.objects.get(pk=p.pk).margins_default
    assert staff.post(url, {**form, "margin:sex:F": "51"}).status_code == 302
    p.refresh_from_db()
    assert not p.margins_default and "district" not in p.margins  # a blank dimension is not raked on
    table = "维度,类别,占比\n性别,男,0.5\n性别,女,0.5\n区,洪山区,70%\n区,江岸区,30%\n".encode()
    r = staff.post(url, {"file": SimpleUploadedFile("margins.csv", table, content_type="text/csv")})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.margins["district"] == pytest.approx({"洪山区": 0.7, "江岸区": 0.3})
    unknown = "维度,类别,占比\n区,洪山区,0.5\n区,光谷区,0.5\n".encode()
    r = staff.post(url, {"file": SimpleUploadedFile("m.csv", unknown, content_type="text/csv")})
    assert r.status_code == 400 and "未知的区：光谷区" in r.content.decode()


def test_margins_through_the_api(world):
    p = factories.project()
    c = Client()
    c.force_login(world["users"][Role.CITY_OFFICE])
    url = f"/api/v1/surveys/projects/{p.number}/margins"
    bad = c.put(url, {"margins": {**GOOD, "sex": {"M": 0.9, "F": 0.5}}}, content_type="application/json")
    assert bad.status_code == 400 and "合计" in bad.json()["detail"]
    ok = c.put(url, {"margins": GOOD}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["margins_default"] is False
    district = Client()
    district.force_login(world["users"][Role.DISTRICT_OFFICER])
    assert district.put(url, {"margins": GOOD}, content_type="application/json").status_code == 403


def test_quotas_and_agency_are_set_on_create_and_edit_and_progress_is_live(staff, world):
    lab = world["orgs"]["lab"]
    r = staff.post("/surveys/new/", {"title": "物业满意度", "target_kind": "industry", "industry": "property",
                                     "year": "2026", "starts_on": "2026-09-01", "ends_on": "2026-10-01",
                                     "quota:sex:M": "30", "quota:sex:F": "-3", "quota:age:60+": "10"})
    assert r.status_code == 400 and "应为非负整数" in r.content.decode() and not Project.objects.exists()
    assert 'value="30"' in r.content.decode()
    r = staff.post("/surveys/new/", {"title": "物业满意度", "target_kind": "industry", "industry": "property",
                                     "year": "2026", "starts_on": "2026-09-01", "ends_on": "2026-10-01",
                                     "quota:sex:M": "30", "quota:sex:F": "30", "quota:district:洪山区": "40",
                                     "fieldwork_agency": str(lab.pk)})
    p = Project.objects.get()
    assert r.status_code == 302 and p.quotas == {"sex": {"M": 30, "F": 30}, "district": {"洪山区": 40}}
    assert p.fieldwork_agency == lab
    edit = f"/surveys/{p.number}/design/"
    assert staff.post(edit, {"quota:age:18-29": "abc"}).status_code == 400
    assert staff.post(edit, {"quota:age:18-29": "25", "quota:district:江岸区": "20"}).status_code == 302
    p.refresh_from_db()
    assert p.quotas == {"district": {"江岸区": 20}, "age": {"18-29": 25}} and p.fieldwork_agency is None
    services.set_status(by=BY, project=p, status=Project.Status.COLLECTING)
    staff.post(f"/surveys/{p.number}/interview/", {**answer_post(world["areas"]["jiangan"]), "age_band": "18-29"})
    fragment = staff.get(f"/surveys/{p.number}/quotas/").content.decode()
    assert re.search(r"江岸区</td><td>1 / 20</td><td>5.0%", fragment)
    assert 'hx-get="/surveys/' in staff.get(f"/surveys/{p.number}/").content.decode()


def test_the_agency_must_be_a_third_party_provider(world):
    p = factories.project()
    with pytest.raises(DomainError, match="第三方"):
        services.set_design(by=BY, project=p, quotas={}, fieldwork_agency=world["orgs"]["own"])
    assert Project.objects.get(pk=p.pk).fieldwork_agency is None
    gov = core_factories.organization(OrgKind.DISTRICT_GOVERNMENT, name="某区政府", industry=None)
    with pytest.raises(DomainError):
        services.set_design(by=BY, project=p, quotas={}, fieldwork_agency=gov)


@pytest.mark.parametrize("path", ["interview", "respond"])
def test_an_answer_form_sent_back_with_an_error_keeps_every_answer(staff, world, path):
    p = factories.project()
    if path == "interview":
        url, client = f"/surveys/{p.number}/interview/", staff
    else:
        secret = services.issue_tokens(by=BY, project=p, count=1)[0]
        url, client = f"/surveys/r/{secret}/", Client()
    post = {**answer_post(world["areas"]["hongshan"], value="7"), "IMG2": "4", "LOY2": ""}
    page = client.post(url, post)
    html = page.content.decode()
    assert page.status_code == 400 and p.responses.count() == 0
    assert re.search(r'name="IMG2" value="4" checked', html)
    assert re.search(r'name="SAT1" value="7" checked', html) and re.search(r'name="SAT_R" value="3" checked', html)
    assert len(re.findall(r" checked", html)) == 16 + 1 + 1 + 1  # 16 answered items, SAT_R, sex, age band
    assert not re.search(r'name="LOY2" value="\d+" checked', html)
    assert "希望延长办公时间" in html


def test_api_submissions_carry_their_completion_time_for_the_speeder_screen(world):
    from .test_services import good_answer

    p = factories.project()
    secrets = services.issue_tokens(by=BY, project=p, count=2)
    body = {"answers": good_answer(), "district": "洪山区", "sex": "F", "age_band": "30-44"}
    bad = Client().post(f"/api/v1/surveys/respond/{secrets[0]}", {**body, "duration_seconds": -5},
                        content_type="application/json")
    assert bad.status_code == 400 and p.responses.count() == 0
    for secret, seconds in zip(secrets, (12.5, None), strict=True):
        r = Client().post(f"/api/v1/surveys/respond/{secret}", {**body, "duration_seconds": seconds},
                          content_type="application/json")
        assert r.status_code == 201
    assert sorted(p.responses.values_list("duration_seconds", flat=True), key=str) == [12.5, None]


def test_a_margin_group_without_respondents_is_named_and_no_weights_are_written(world):
    p = factories.project()
    factories.fill(p, 40)
    p.responses.filter(age_band="18-29").update(age_band="30-44")
    with pytest.raises(DomainError, match="年龄段“18-29”占 22.0%，但样本中没有"):
        services.estimate_project(by=BY, project=p, n_boot=0)
    assert Project.objects.get(pk=p.pk).results == {}
    assert set(p.responses.values_list("weight", flat=True)) == {1.0}
