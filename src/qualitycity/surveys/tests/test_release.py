"""Publishing through the portal: a submission is a frozen release; only an approved and
published release is public, and a re-estimate reaches the public only as a correction."""

import pytest
from django.test import Client

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Attachment, AuditEvent, OrgKind, Role
from qualitycity.core.services.attachments import read_attachment
from qualitycity.core.tests import factories as core_factories
from qualitycity.portal import services as portal
from qualitycity.portal.models import Publication, PublicationStatus

from .. import selectors, services
from ..governance_sources import satisfaction_index
from ..models import Project, Release, Response
from ..services.release import DICTIONARY
from . import factories
from .factories import BY

pytestmark = pytest.mark.django_db


@pytest.fixture
def estimated():
    area = core_factories.area()
    p = factories.project(kind="district", area=area)
    factories.fill(p, 60)
    services.estimate_project(by=BY, project=p, n_boot=50)
    gov = core_factories.organization(OrgKind.DISTRICT_GOVERNMENT, name="洪山区人民政府", in_area=area, industry=None)
    return p, gov


def public_index(p) -> float | None:
    found = selectors.district_government_index(p.area, p.year)
    return None if found is None else found["index"]


def test_a_submitted_release_is_not_public_until_the_city_office_publishes_it(estimated):
    p, gov = estimated
    release = services.submit_for_publication(by=BY, project=p, with_pdf=False)
    pub = release.publication
    assert pub.status == PublicationStatus.DRAFT and pub.series == f"satisfaction-{p.number.lower()}"
    assert pub.source_module == "surveys" and pub.kind == "satisfaction"
    for stage in ("draft", "approved"):
        p.refresh_from_db()
        assert not p.published and p.public_results == {}, stage
        assert Client().get(f"/surveys/results/{p.number}/").status_code == 404
        assert Client().get(f"/surveys/results/{p.number}/report.pdf").status_code == 404
        assert Client().get(pub.url).status_code == 404
        assert public_index(p) is None and satisfaction_index(gov, p.year) is None
        assert p.number not in Client().get("/surveys/results/").content.decode()
        assert Client().get(f"/api/v1/surveys/district-index?district=洪山区&year={p.year}").status_code == 404
        if stage == "draft":
            portal.approve(by=BY, publication=pub)
    portal.publish(by=BY, publication=pub)
    p.refresh_from_db()
    assert p.published and p.public_release == release
    assert p.public_results["satisfaction"] == release.results["satisfaction"] == p.results["satisfaction"]
    assert public_index(p) == pytest.approx(p.results["satisfaction"])
    assert satisfaction_index(gov, p.year) == round(p.results["satisfaction"], 2)
    page = Client().get(f"/surveys/results/{p.number}/")
    assert page.status_code == 200 and f"{p.results['satisfaction']:.1f}" in page.content.decode()
    assert Client().get(pub.url).status_code == 200
    assert AuditEvent.objects.filter(action="surveys.project.publish", object_id=str(p.pk)).exists()


def test_re_estimating_a_published_project_changes_nothing_public_until_its_correction_is_published(estimated):
    p, gov = estimated
    v1 = factories.publish(p)
    first = p.public_results["satisfaction"]
    # Excluding ten respondents and re-estimating moves the live index ...
    for r in p.responses.order_by("id")[:10]:
        services.review_response(by=BY, response=r, decision=Response.Review.EXCLUDED, reason="复核：代答")
    services.estimate_project(by=BY, project=p, n_boot=50)
    p.refresh_from_db()
    second = p.results["satisfaction"]
    assert second != pytest.approx(first, abs=1e-9)
    # ... but not the public page, the district index or the assessment.
    def public_shows(value):
        assert public_index(p) == pytest.approx(value)
        assert satisfaction_index(gov, p.year) == round(value, 2)
        assert f"{value:.1f}" in Client().get(f"/surveys/results/{p.number}/").content.decode()
    public_shows(first)
    # A correction must say why; refused, it writes nothing.
    with pytest.raises(DomainError, match="更正说明"):
        services.submit_for_publication(by=BY, project=p, with_pdf=False)
    assert Publication.objects.count() == 1 and Release.objects.count() == 1
    v2 = services.submit_for_publication(by=BY, project=p, correction_note="剔除 10 份代答问卷后重新估计",
                                         with_pdf=False)
    assert v2.version == 2 and v2.publication.correction_note.startswith("剔除")
    public_shows(first)
    portal.approve(by=BY, publication=v2.publication)
    public_shows(first)
    portal.publish(by=BY, publication=v2.publication)
    p.refresh_from_db()
    public_shows(second)
    assert p.public_release == v2
    v1.publication.refresh_from_db()
    assert v1.publication.status == PublicationStatus.SUPERSEDED
    old = Client().get(v1.publication.url)
    assert old.status_code == 200 and "已被更正版本取代" in old.content.decode()
    assert AuditEvent.objects.filter(action="surveys.release.superseded").count() == 1


def test_a_second_submission_while_one_waits_is_refused_and_writes_nothing(estimated):
    p, _gov = estimated
    services.submit_for_publication(by=BY, project=p, with_pdf=False)
    office = Client()
    office.force_login(core_factories.user("office_x", role=Role.CITY_OFFICE,
                                           org=core_factories.organization(OrgKind.CITY_OFFICE, name="市质量强市办",
                                                                           industry=None)))
    assert "waiting-differs" not in office.get(f"/surveys/{p.number}/").content.decode()
    # as if re-estimated after submission
    Project.objects.filter(pk=p.pk).update(results={**Project.objects.get(pk=p.pk).results, "satisfaction": 1.0})
    assert 'id="waiting-differs"' in office.get(f"/surveys/{p.number}/").content.decode()
    with pytest.raises(DomainError, match="等待"):
        services.submit_for_publication(by=BY, project=p)
    assert Publication.objects.count() == 1 and Release.objects.count() == 1
    assert not Attachment.objects.exists()  # the refused submission stored no PDF


def test_the_published_report_pdf_is_the_stored_one_and_anonymous_visitors_can_download_it(estimated):
    p, _gov = estimated
    release = services.submit_for_publication(by=BY, project=p)
    assert release.pdf is not None and release.publication.pdf_id == release.pdf_id
    stored = read_attachment(release.pdf)
    assert stored.startswith(b"%PDF")
    assert Client().get(f"/surveys/results/{p.number}/report.pdf").status_code == 404
    portal.approve(by=BY, publication=release.publication)
    portal.publish(by=BY, publication=release.publication)
    mine = Client().get(f"/surveys/results/{p.number}/report.pdf")
    assert mine.status_code == 200 and mine.content == stored
    theirs = Client().get(f"/portal/reports/{release.publication.series}/v1/report.pdf")
    assert theirs.status_code == 200 and theirs.content == stored
    assert f"/surveys/results/{p.number}/report.pdf" in Client().get(f"/surveys/results/{p.number}/").content.decode()


def test_the_portal_gets_aggregate_rows_every_field_described(estimated):
    p, _gov = estimated
    pub = services.submit_for_publication(by=BY, project=p, with_pdf=False).publication
    rows = pub.dataset.rows
    described = {f["field"] for f in DICTIONARY}
    assert rows and all(set(r) <= described for r in rows)
    sat = next(r for r in rows if r["construct_code"] == "Satisfaction")
    assert sat["index"] == round(p.results["satisfaction"], 2) and sat["n"] == 60
    assert sat["ci_low"] < sat["index"] < sat["ci_high"]
    assert pub.charts[0]["labels"][0] == "形象" and len(pub.charts[0]["values"]) == 7
    assert "默认总体边际" in pub.summary  # the placeholder margins are said out loud


def test_publishing_someone_elses_publication_leaves_surveys_alone(estimated):
    p, _gov = estimated
    other = portal.prepare_publication(by=BY, series="satisfaction-other", kind="satisfaction", title="别的报告",
                                       year=2026, source_module="surveys")
    portal.approve(by=BY, publication=other)
    portal.publish(by=BY, publication=other)
    assert not Project.objects.get(pk=p.pk).published


def test_a_version_of_a_survey_series_not_made_by_the_survey_module_is_refused_at_publication(estimated):
    p, _gov = estimated
    factories.publish(p)
    edited = portal.prepare_publication(
        by=BY, series=f"satisfaction-{p.number.lower()}", kind="satisfaction", title=p.title, year=p.year,
        source_module="surveys", rows=[{"construct": "满意度", "index": 99.0}],
        dictionary=[{"field": "construct", "type": "string", "description": "潜变量"},
                    {"field": "index", "type": "number", "description": "指数"}], correction_note="门户手工改数")
    portal.approve(by=BY, publication=edited)
    with pytest.raises(DomainError, match="不能在门户直接更正"):
        portal.publish(by=BY, publication=edited)
    edited.refresh_from_db()
    assert edited.status == PublicationStatus.APPROVED  # the publish rolled back
    assert Publication.objects.get(series=edited.series, version=1).status == PublicationStatus.PUBLISHED


def test_submission_through_the_api(estimated):
    world = core_factories.role_users()
    p, _gov = estimated
    office, district = Client(), Client()
    office.force_login(world["users"][Role.CITY_OFFICE])
    district.force_login(world["users"][Role.DISTRICT_OFFICER])
    url = f"/api/v1/surveys/projects/{p.number}/submit"
    assert district.post(url, {}, content_type="application/json").status_code == 403
    ok = office.post(url, {}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["version"] == 1 and ok.json()["status"] == "draft"
    again = office.post(url, {}, content_type="application/json")
    assert again.status_code == 400 and "等待" in again.json()["detail"]
    assert Release.objects.count() == 1
