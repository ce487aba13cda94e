"""Publishing through the portal's workflow: frozen releases, approval, corrections as new versions."""

import re

import pytest
from django.test import Client

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Attachment, AuditEvent
from qualitycity.portal import services as portal
from qualitycity.portal.models import Publication, PublicationKind, PublicationStatus

from ..models import Release, Result, Value
from ..services import compute, publishing
from . import factories

pytestmark = pytest.mark.django_db
BY = factories.SYSTEM


def _computed(year=2025):
    fw, areas, inds = factories.framework()
    result = compute.compute_result(by=BY, framework=fw, year=year, replications=100, sobol_base=0, seed=1)
    return fw, areas, inds, result


def _public(number):
    return Client().get(f"/indices/public/{number}/")


def _content(number) -> str:
    """The public page without its per-request CSRF token."""
    return re.sub(r'"csrfToken": "[^"]*"|csrfmiddlewaretoken" value="[^"]*"|FToken": "[^"]*"', "",
                  _public(number).content.decode())


def test_an_unapproved_release_is_never_public():
    _fw, _a, _i, result = _computed()
    release = publishing.request_publication(by=BY, result=result)
    pub = release.publication
    assert pub.status == PublicationStatus.DRAFT and pub.kind == PublicationKind.QUALITY_INDEX
    assert pub.series == f"quality-index-2025-{result.framework.code}" and pub.source_module == "indices"
    for approve in (True, False):  # neither the draft nor the approved, unpublished version is public
        assert _public(result.number).status_code == 404
        assert Client().get(f"/api/v1/indices/results/{result.number}").status_code == 404
        assert result.number not in Client().get("/indices/public/").content.decode()
        assert Client().get(f"/portal/reports/{pub.series}/{pub.version}/").status_code == 404
        result.refresh_from_db()
        assert not result.published
        if approve:
            portal.approve(by=BY, publication=pub)
    portal.publish(by=BY, publication=pub)
    release.refresh_from_db()
    result.refresh_from_db()
    assert release.status == Release.Status.PUBLIC and result.published
    assert _public(result.number).status_code == 200


def test_a_recompute_after_publication_leaves_the_public_page_unchanged_until_the_new_version_is_published():
    fw, _areas, inds, result = _computed()
    v1 = factories.publish(result)
    before = _content(result.number)
    assert "洪山区" in before
    # New data: 武昌区 (last) becomes best on everything, and the year is recomputed.
    for v in Value.objects.filter(indicator__framework=fw, area__name="武昌区"):
        v.value = 1000.0 if v.indicator.direction == "+" else 0.0
        v.save()
    result = compute.compute_result(by=BY, framework=fw, year=2025, replications=100, sobol_base=0, seed=1)
    assert dict(zip(result.payload["units"], result.payload["rank"], strict=True))["武昌区"] == 1
    public_rank = {r["unit"]: r["rank"] for r in
                   Client().get(f"/api/v1/indices/results/{result.number}").json()["ranking"]}
    assert public_rank["武昌区"] == 5 and public_rank["洪山区"] == 1  # still version 1
    with pytest.raises(DomainError, match="更正说明"):
        publishing.request_publication(by=BY, result=result)
    v2 = publishing.request_publication(by=BY, result=result, note="武昌区数据更正后重新计算")
    assert _content(result.number) == before  # pending: the public still sees v1
    portal.approve(by=BY, publication=v2.publication)
    portal.publish(by=BY, publication=v2.publication)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v2.status) == (Release.Status.SUPERSEDED, Release.Status.PUBLIC)
    assert v1.publication.status == PublicationStatus.SUPERSEDED
    public_rank = {r["unit"]: r["rank"] for r in
                   Client().get(f"/api/v1/indices/results/{result.number}").json()["ranking"]}
    assert public_rank["武昌区"] == 1
    old = Client().get(f"/indices/public/{result.number}/v1/")
    assert old.status_code == 200 and "已被更正版本取代" in old.content.decode()
    assert AuditEvent.objects.filter(action="indices.release.superseded").count() == 1


def test_a_refused_publication_writes_nothing():
    _fw, _a, _i, result = _computed()
    factories.publish(result)
    counts = (Release.objects.count(), Publication.objects.count(), Attachment.objects.count())
    with pytest.raises(DomainError, match="无需再次发布"):  # nothing changed since version 1
        publishing.request_publication(by=BY, result=result, note="重复")
    Result.objects.filter(pk=result.pk).update(payload={**result.payload, "score": [0.0] * 5})
    result.refresh_from_db()
    pending = publishing.request_publication(by=BY, result=result, note="更正")
    with pytest.raises(DomainError, match="等待市质量强市办审批"):
        publishing.request_publication(by=BY, result=result, note="再次更正")
    assert (Release.objects.count(), Publication.objects.count(), Attachment.objects.count()) == (
        counts[0] + 1, counts[1] + 1, counts[2] + 1)
    assert pending.version == 2


def test_the_published_dataset_has_scores_rank_intervals_dimensions_and_the_pdf():
    _fw, _a, _i, result = _computed()
    release = factories.publish(result)
    ds = release.publication.dataset
    first = ds.rows[0]
    assert first["district"] == "洪山区" and first["rank"] == 1 and first["rank_p05"] == 1
    assert {"score", "rank_p95", "dim_product", "dim_infra"} <= set(first)
    assert {f["field"] for f in ds.dictionary} == set(first)
    assert release.publication.pdf is not None and release.publication.charts[0]["labels"][0] == "洪山区"
    pdf = Client().get(f"/indices/public/{result.number}/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
