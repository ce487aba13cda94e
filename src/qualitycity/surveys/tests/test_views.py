"""Survey pages: design, respond on a link, CATI entry, import, review, results, PDF, public."""

import io
import re

import pytest
from django.test import Client
from openpyxl import Workbook

from qualitycity.core.models import Area

from .. import services
from ..models import Project, Response
from . import factories
from .factories import BY
from .test_services import LIKERT

pytestmark = pytest.mark.django_db


def answer_post(area, value="8"):
    data = {c: value for c in LIKERT}
    data.update({"SAT_R": "3", "district": str(area.pk), "sex": "F", "age_band": "45-59", "OPEN": "希望延长办公时间"})
    return data


def xlsx(posts: list[dict]):
    """An offline-questionnaire workbook with one row per posted answer form."""
    from .test_services import LIKERT as items

    wb = Workbook()
    wb.active.append(["区", "性别", "年龄段", *items, "SAT_R", "时长(秒)", "开放题"])
    for d in posts:
        wb.active.append([Area.objects.get(pk=d["district"]).name, "女" if d["sex"] == "F" else "男", d["age_band"], *[int(d[c]) for c in items],
                          int(d["SAT_R"]), 400, d.get("OPEN", "")])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "offline.xlsx"
    buf.seek(0)
    return buf


def test_create_form_shows_errors_and_creates(staff):
    r = staff.post("/surveys/new/", {"title": "", "target_kind": "industry", "industry": "", "year": "2026",
                                     "starts_on": "2026-09-01", "ends_on": "2026-10-01"})
    assert r.status_code == 400 and "请填写项目名称" in r.content.decode()
    assert Project.objects.count() == 0
    r = staff.post("/surveys/new/", {"title": "银行满意度", "target_kind": "industry", "industry": "banking",
                                     "year": "2026", "starts_on": "2026-09-01", "ends_on": "2026-10-01"})
    assert r.status_code == 302 and Project.objects.get().industry == "banking"


def test_respondent_opens_a_link_submits_once(staff, world):
    p = factories.project()
    page = staff.post(f"/surveys/{p.number}/tokens/", {"count": "2"}).content.decode()
    links = re.findall(r'href="(http://testserver/surveys/r/[^"]+)"', page)
    assert len(links) == 2 and "data:image/svg+xml" in page  # QR codes
    path = links[0].replace("http://testserver", "")
    anonymous = Client()
    form = anonymous.get(path)
    assert form.status_code == 200 and "该服务提供方值得信赖" in form.content.decode()
    opened = re.search(r'name="opened" value="([^"]+)"', form.content.decode()).group(1)
    missing = anonymous.post(path, {**answer_post(world["areas"]["hongshan"]), "QUA1": "", "opened": opened})
    assert missing.status_code == 400 and p.responses.count() == 0
    done = anonymous.post(path, {**answer_post(world["areas"]["hongshan"]), "opened": opened})
    assert done.status_code == 200 and "提交成功" in done.content.decode()
    r = p.responses.get()
    assert r.channel == "web" and r.duration_seconds is not None and r.answers["SAT1"] == 8
    assert anonymous.get(path).status_code == 410
    assert anonymous.get("/surveys/r/not-a-token/").status_code == 404


def test_interviewer_enters_a_telephone_interview(staff, world):
    p = factories.project()
    r = staff.post(f"/surveys/{p.number}/interview/", answer_post(world["areas"]["hongshan"]))
    assert r.status_code == 302
    assert p.responses.get().channel == "cati"
    bad = staff.post(f"/surveys/{p.number}/interview/", {**answer_post(world["areas"]["hongshan"]), "LOY2": "99"})
    assert bad.status_code == 400 and p.responses.count() == 1


def test_import_page_lists_problems(staff):
    p = factories.project()
    wb = Workbook()
    wb.active.append(["区", "性别", "年龄段", *LIKERT, "SAT_R"])
    wb.active.append(["洪山区", "男", "老年", *[5] * len(LIKERT), 5])
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "x.xlsx"
    buf.seek(0)
    r = staff.post(f"/surveys/{p.number}/import/", {"file": buf})
    assert r.status_code == 400 and "年龄段" in r.content.decode() and p.responses.count() == 0


def test_screen_review_estimate_publish_and_pdf(staff):
    p = factories.project()
    factories.fill(p, 60)
    Response.objects.filter(pk=p.responses.first().pk).update(duration_seconds=5)
    staff.post(f"/surveys/{p.number}/screen/")
    queue = staff.get(f"/surveys/{p.number}/review/").content.decode()
    flagged = p.responses.filter(review="pending").first()
    assert f"<td>{flagged.pk}</td>" in queue
    staff.post(f"/surveys/{p.number}/review/", {"response": flagged.pk, "decision": "excluded", "reason": "过快"})
    assert Response.objects.get(pk=flagged.pk).review == "excluded"
    staff.post(f"/surveys/{p.number}/estimate/", {})
    p.refresh_from_db()
    assert p.results["n"] == 59
    detail = staff.get(f"/surveys/{p.number}/").content.decode()
    assert 'id="chart-ipma"' in detail and "vendor/echarts/echarts.min.js" in detail
    pdf = staff.get(f"/surveys/{p.number}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert Client().get(f"/surveys/results/{p.number}/").status_code == 404  # not yet published
    factories.publish(p)
    public = Client().get(f"/surveys/results/{p.number}/")
    assert public.status_code == 200 and "物业管理" in public.content.decode()
    assert "物业管理" in Client().get("/surveys/results/").content.decode()


def test_results_page_of_a_project_without_results(staff):
    p = factories.project()
    assert "尚未计算结果" in staff.get(f"/surveys/{p.number}/").content.decode()
    assert staff.get(f"/surveys/{p.number}/report.pdf").status_code == 409
    services.set_status(by=BY, project=p, status=Project.Status.CLOSED)
