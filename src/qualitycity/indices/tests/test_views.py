"""Pages: editor, AHP, data grid and import, quality report, results, publishing, PDF."""

import io

import pytest
from django.test import Client
from openpyxl import Workbook

from qualitycity.core.models import Role

from ..models import AhpResponse, Result, Value
from ..services import compute, frameworks
from . import factories

pytestmark = pytest.mark.django_db


def pdf_fonts(content: bytes) -> set[str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(content))
    fonts = set()
    for i in range(reader.root["/Pages"]["/Count"]):
        page = reader.find_page_for_modification(i)[0].get_object()
        fonts |= {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    return fonts


def test_the_editor_shows_the_hierarchy_and_saves_an_indicator(office):
    c, fw = office["c"], office["fw"]
    page = c.get(f"/indices/f/{fw.pk}/").content.decode()
    assert "质量基础设施" in page and "检验检测" in page and "认可实验室数" in page
    r = c.post(f"/indices/f/{fw.pk}/indicators/new/", {"group": fw.groups.get(code="lab").pk, "code": "certs",
                                                      "name": "认证证书数", "direction": "+", "goal_low": "0",
                                                      "goal_high": "100", "provider": "core.qi_providers"})
    assert r.status_code == 302
    ind = fw.indicators.get(code="certs")
    assert ind.goal_high == 100 and ind.provider == "core.qi_providers"


def test_the_indicator_form_says_what_is_wrong(office):
    c, fw = office["c"], office["fw"]
    r = c.post(f"/indices/f/{fw.pk}/indicators/new/", {"group": fw.groups.get(code="lab").pk, "code": "labs",
                                                      "name": "x", "direction": "", "target": "abc"})
    page = r.content.decode()
    assert r.status_code == 200 and "请指明方向" in page and "“abc”不是数字" in page
    assert fw.indicators.count() == 5


def test_an_expert_answers_an_ahp_questionnaire_and_sees_the_cr(office):
    fw = office["fw"]
    q = frameworks.open_questionnaire(by=factories.SYSTEM, framework=fw, group=fw.groups.get(code="infra"))
    expert = Client()
    expert.force_login(office["world"]["users"][Role.EXPERT])
    page = expert.get(f"/indices/ahp/{q.pk}/").content.decode()
    assert "标准" in page and "检验检测" in page
    r = expert.post(f"/indices/ahp/{q.pk}/", {"a_0_1": "1/3"}, follow=True)
    assert "CR = 0.000" in r.content.decode()
    assert AhpResponse.objects.get().matrix[0][1] == pytest.approx(1 / 3)
    overview = office["c"].get(f"/indices/f/{fw.pk}/ahp/").content.decode()
    assert "1 位专家" in overview and "0.750" in overview


def test_the_ahp_form_names_the_planted_bad_judgement_and_marks_its_field(office):
    from .test_services import CONSISTENT, four_element_node

    q = four_element_node(office["fw"])
    expert = Client()
    expert.force_login(office["world"]["users"][Role.EXPERT])
    typed = {f"a_{i}_{j}": v for (i, j), v in CONSISTENT.items()} | {"a_0_3": "1/8"}
    page = expert.post(f"/indices/ahp/{q.pk}/", typed).content.decode()
    assert "最不一致的判断是“抽查合格率”相对“第四项” = 1/8" in page
    assert page.count("最不一致的判断</") == 1  # only that pair's field carries the error
    assert not AhpResponse.objects.exists()


def test_the_grid_keeps_what_was_typed_and_names_the_bad_cell(office):
    c, fw, areas, inds = office["c"], office["fw"], office["areas"], office["inds"]
    key = f"v_{inds['labs'].pk}_{areas[0].pk}"
    r = c.post(f"/indices/f/{fw.pk}/data/2025/save/", {key: "abc"}, follow=True)
    page = r.content.decode()
    assert "未保存任何数据" in page and 'value="abc"' in page and "江岸区·认可实验室数" in page
    assert Value.objects.get(indicator=inds["labs"], area=areas[0], year=2025).value == 6


def test_an_import_error_list_is_shown_on_the_data_page(office):
    c, fw = office["c"], office["fw"]
    wb = Workbook()
    wb.active.append(["区", "labs"])
    wb.active.append(["江岸区", "x"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "v.xlsx"
    r = c.post(f"/indices/f/{fw.pk}/data/2025/import/", {"file": buf}, follow=True)
    page = r.content.decode()
    assert "import-problems" in page and "B（labs）" in page and "“x”不是数字" in page


def test_the_template_round_trips(office):
    c, fw = office["c"], office["fw"]
    body = c.get(f"/indices/f/{fw.pk}/data/2025/template.xlsx").content
    buf = io.BytesIO(body)
    buf.name = "t.xlsx"
    Value.objects.all().delete()
    c.post(f"/indices/f/{fw.pk}/data/2025/import/", {"file": buf})
    assert Value.objects.count() == 25


def test_the_quality_report_lists_missing_districts(office):
    Value.objects.filter(indicator=office["inds"]["labs"], area=office["areas"][1]).delete()
    page = office["c"].get(f"/indices/f/{office['fw'].pk}/quality/2025/").content.decode()
    assert "96.0%" in page and "江汉区" in page


def test_compute_publish_and_the_public_page(office):
    c, fw = office["c"], office["fw"]
    r = c.post(f"/indices/f/{fw.pk}/compute/", {"year": "2025"})
    result = Result.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/indices/r/{result.number}/"
    page = c.get(r["Location"]).content.decode()
    assert 'id="index-radar"' in page and 'id="index-map"' in page and "洪山区" in page
    assert Client().get(f"/indices/public/{result.number}/").status_code == 404
    c.post(f"/indices/r/{result.number}/publish/")
    release = result.releases.get()
    assert Client().get(f"/indices/public/{result.number}/").status_code == 404  # waiting for approval
    from qualitycity.portal import services as portal

    portal.approve(by=factories.SYSTEM, publication=release.publication)
    portal.publish(by=factories.SYSTEM, publication=release.publication)
    public = Client().get(f"/indices/public/{result.number}/")
    assert public.status_code == 200 and "公开发布" not in public.content.decode()
    assert result.number in Client().get("/indices/public/").content.decode()


def test_the_annual_pdf_is_a_pdf_with_the_districts(office):
    result = compute.compute_result(by=factories.SYSTEM, framework=office["fw"], year=2025, replications=50,
                                    sobol_base=0)
    r = office["c"].get(f"/indices/r/{result.number}/report.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    assert any("WenQuanYi-Micro-Hei" in f for f in pdf_fonts(r.content))  # Chinese text has its CJK font
    assert Client().get(f"/indices/public/{result.number}/report.pdf").status_code == 404  # not yet published


def test_the_public_page_costs_a_fixed_number_of_queries(office, django_assert_max_num_queries):
    result = compute.compute_result(by=factories.SYSTEM, framework=office["fw"], year=2025, replications=50,
                                    sobol_base=0)
    factories.publish(result)
    with django_assert_max_num_queries(4):  # the result, the trend, and the session/user lookups
        assert Client().get(f"/indices/public/{result.number}/").status_code == 200


def test_the_quality_page_shows_cronbach_alpha_and_flags_an_indicator_with_the_wrong_direction(office):
    c, fw, inds = office["c"], office["fw"], office["inds"]
    page = c.get(f"/indices/f/{fw.pk}/quality/2025/").content.decode()
    assert 'id="coherence"' in page and "没有与本维度负相关的指标" in page
    inds["complaints"].direction = "+"  # complaints per 10,000 entered as if more were better
    inds["complaints"].save()
    page = c.get(f"/indices/f/{fw.pk}/quality/2025/").content.decode()
    assert "万人投诉量（r = -1.00）" in page and "抽查合格率（r = -1.00）" in page
