"""The whole chain through the pages a person uses, from design to the published score:

design with quotas → collect on one-time links (phone form), by telephone (CATI, entered
by the contracted fieldwork agency) and by Excel import → screens flag → review queue
includes/excludes with an audited reason → margins → raking weights → estimate with a
bootstrap CI → submit for publication → the city office approves and publishes on the
portal desk → the public page and PDF are anonymous, and the district index reaches the
annual assessment's provider."""

import re
import time

import pytest
from django.core import signing
from django.db.models import Count
from django.test import Client

from qualitycity.core.models import AuditEvent, Role
from qualitycity.core.tests import factories as core_factories
from qualitycity.governance import sources as governance_sources

from ..models import Project, Response
from . import factories
from .test_views import xlsx

pytestmark = pytest.mark.django_db


class Backdated(signing.TimestampSigner):
    """The stamp a form opened ``seconds`` ago would carry (the respondent took that long)."""

    def __init__(self, seconds, **kw):
        super().__init__(**kw)
        self.seconds = seconds

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - self.seconds)


def form_post(answers: dict, area, *, sex="F", age="45-59", note="窗口排队时间太长"):
    return {**{k: str(v) for k, v in answers.items()}, "district": str(area.pk), "sex": sex, "age_band": age,
            "OPEN": note}


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_a_district_survey_from_design_to_the_published_score():
    world = core_factories.role_users()
    hongshan, lab = world["areas"]["hongshan"], world["orgs"]["lab"]
    office, provider, public = Client(), Client(), Client()
    office.force_login(world["users"][Role.CITY_OFFICE])
    provider.force_login(world["users"][Role.PROVIDER_STAFF])
    sim = factories.answers_from_sim(62, seed=5)

    # 1. Design: a district-government project with quotas, run by the lab as fieldwork agency.
    r = office.post("/surveys/new/", {
        "title": "2026年洪山区政府服务满意度测评", "target_kind": "district", "area": str(hongshan.pk), "year": "2026",
        "starts_on": "2026-09-01", "ends_on": "2026-10-31", "quota:district:洪山区": "60", "quota:sex:M": "30",
        "quota:sex:F": "30", "quota:age:60+": "15", "fieldwork_agency": str(lab.pk)})
    p = Project.objects.get()
    assert r.status_code == 302 and p.quotas["district"] == {"洪山区": 60} and p.fieldwork_agency == lab
    office.post(f"/surveys/{p.number}/status/", {"status": "collecting"})

    # 2a. One-time links on a phone: 22 people answer, the first in a few seconds.
    page = office.post(f"/surveys/{p.number}/tokens/", {"count": "22"}).content.decode()
    links = [u.replace("http://testserver", "") for u in re.findall(r'href="(http://testserver/surveys/r/[^"]+)"', page)]
    assert len(links) == 22
    for i, link in enumerate(links):
        form = public.get(link, HTTP_USER_AGENT="Mozilla/5.0 (iPhone)").content.decode()
        opened = re.search(r'name="opened" value="([^"]+)"', form).group(1)
        if i:
            opened = Backdated(300 + 7 * i, salt="surveys.opened").sign("open")
        age = ["18-29", "30-44", "45-59", "60+"][i % 4]
        done = public.post(link, {**form_post(sim[i], hongshan, sex="MF"[i % 2], age=age), "opened": opened})
        assert done.status_code == 200 and "提交成功" in done.content.decode()
    assert public.get(links[0]).status_code == 410  # one response per link

    # 2b. Telephone interviews keyed in by the agency's interviewer.
    for i in range(22, 36):
        r = provider.post(f"/surveys/{p.number}/interview/", form_post(sim[i], hongshan, sex="MF"[i % 2], age="60+"))
        assert r.status_code == 302
    # 2c. Paper questionnaires imported from Excel by the agency, one of them straight-lined.
    rows = [form_post(a, hongshan, sex="MF"[i % 2], age="30-44") for i, a in enumerate(sim[36:62])]
    rows[-1].update({k: "9" for k in sim[0] if k != "SAT_R"})
    r = provider.post(f"/surveys/{p.number}/import/", {"file": xlsx(rows)})
    assert r.status_code == 302
    channels = dict(p.responses.values_list("channel").annotate(n=Count("id")))
    assert channels == {"web": 22, "cati": 14, "import": 26}
    quotas = office.get(f"/surveys/{p.number}/quotas/").content.decode()
    assert re.search(r"60\+</td><td>19 / 15</td>", quotas)  # 5 web + 14 telephone

    # 3. Screens flag, nothing is dropped; the review queue decides with a reason.
    r = office.post(f"/surveys/{p.number}/screen/", follow=True)
    assert "份被标记待审核" in messages_of(r)
    speeder = p.responses.get(token__isnull=False, duration_seconds__lt=60)
    liner = p.responses.filter(channel="import").last()
    assert "speeder" in speeder.flags and "straightlining" in liner.flags
    assert p.responses.count() == 62
    queue = office.get(f"/surveys/{p.number}/review/").content.decode()
    assert f"<td>{speeder.pk}</td>" in queue and f"<td>{liner.pk}</td>" in queue
    office.post(f"/surveys/{p.number}/review/", {"response": speeder.pk, "decision": "excluded",
                                                 "reason": "作答仅数秒，未认真阅读题目"})
    office.post(f"/surveys/{p.number}/review/", {"response": liner.pk, "decision": "included",
                                                 "reason": "回访确认确实全部满意"})
    event = AuditEvent.objects.filter(action="surveys.review", object_id=str(speeder.pk)).get()
    assert event.changes["review_reason"][1] == "作答仅数秒，未认真阅读题目"
    assert Response.objects.get(pk=liner.pk).review == "included"

    # 4. Margins (census shares), then rake and estimate with a 1,000-resample bootstrap.
    margins = {"margin:sex:M": "50.6", "margin:sex:F": "49.4", "margin:age:18-29": "21", "margin:age:30-44": "31",
               "margin:age:45-59": "27", "margin:age:60+": "21"}
    assert office.post(f"/surveys/{p.number}/margins/", margins).status_code == 302
    r = office.post(f"/surveys/{p.number}/estimate/", {"bootstrap": "1"}, follow=True)
    assert "估计完成" in messages_of(r)
    p.refresh_from_db()
    res = p.results
    assert res["n"] == 61 and res["bootstrap"] >= 990 and res["ci"][0] < res["satisfaction"] < res["ci"][1]
    assert res["weighting"]["margins_used"]["sex"] == pytest.approx({"M": 0.506, "F": 0.494})
    weights = list(p.responses.exclude(review="excluded").values_list("weight", flat=True))
    assert len(set(weights)) > 1 and sum(weights) == pytest.approx(61)

    # 5. Submit for publication; nothing is public until the city office publishes it.
    r = office.post(f"/surveys/{p.number}/submit/", follow=True)
    assert "等待市质量强市办审批" in messages_of(r)
    release = p.releases.get()
    gov = world["orgs"]["district_gov"]  # 洪山区人民政府, the subject of the annual assessment
    assert public.get(f"/surveys/results/{p.number}/").status_code == 404
    assert governance_sources.value("surveys.satisfaction_index", gov, 2026)[0] is None
    desk = office.get("/portal/desk/").content.decode()
    assert p.title in desk
    for action in ("approve", "publish"):
        assert office.post(f"/portal/desk/{release.publication.pk}/", {"action": action}).status_code == 302

    # 6. Public: the page, the PDF (the stored one), the portal version, the district index, the assessment.
    page = public.get(f"/surveys/results/{p.number}/")
    assert page.status_code == 200 and f"{res['satisfaction']:.1f}" in page.content.decode()
    pdf = public.get(f"/surveys/results/{p.number}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert public.get(release.publication.url).status_code == 200
    found = public.get("/api/v1/surveys/district-index?district=洪山区&year=2026").json()
    assert found["index"] == pytest.approx(res["satisfaction"]) and found["ci"] == res["ci"]
    score, provider_info = governance_sources.value("surveys.satisfaction_index", gov, 2026)
    assert provider_info is not None and score == round(res["satisfaction"], 2)
