"""Survey services: design, collection, screening, review, weighting, estimation, publication."""

import io

import pytest
from openpyxl import Workbook

from qualitycity.core.errors import DomainError, ImportRejected
from qualitycity.core.models import AuditEvent
from qualitycity.core.tests import factories as core_factories

from .. import selectors, services
from ..models import Project, Question, Response, Token
from . import factories
from .factories import BY

pytestmark = pytest.mark.django_db

LIKERT = ["IMG1", "IMG2", "IMG3", "EXP1", "EXP2", "EXP3", "QUA1", "QUA2", "QUA3", "VAL1", "VAL2",
          "SAT1", "SAT2", "SAT3", "CMP1", "LOY1", "LOY2"]


def good_answer(value=8):
    return {**{c: value for c in LIKERT}, "SAT_R": 11 - value}


def test_a_new_project_gets_the_bilingual_model_linked_item_bank():
    p = factories.project()
    assert p.number.startswith("SV") and len(p.number) == 14
    likert = p.questions.filter(kind=Question.Kind.LIKERT)
    assert list(likert.values_list("code", flat=True)) == LIKERT
    assert set(likert.values_list("construct", flat=True)) == {
        "Image", "Expectation", "Quality", "Value", "Satisfaction", "Complaints", "Loyalty"}
    assert not likert.filter(text_en="").exists()
    assert p.questions.filter(kind=Question.Kind.OPEN).count() == 1
    assert p.questions.filter(kind=Question.Kind.REVERSED, code="SAT_R").exists()


@pytest.mark.parametrize("kw, field", [
    ({"industry": "mining"}, "industry"),
    ({"kind": "district", "area": None}, None),
    ({"title": " "}, "title"),
    ({"year": 1900}, "year"),
])
def test_it_refuses_a_bad_project_and_writes_nothing(kw, field):
    before = Project.objects.count()
    if kw.get("kind") == "district":  # no district given
        with pytest.raises(DomainError) as exc:
            services.create_project(by=BY, title="x", target_kind="district", year=2026,
                                    starts_on=factories.dt.date(2026, 1, 1), ends_on=factories.dt.date(2026, 2, 1))
        assert "area" in exc.value.errors
    else:
        with pytest.raises(DomainError) as exc:
            factories.project(**kw)
        assert field in exc.value.errors
    assert Project.objects.count() == before


def test_questionnaire_must_keep_every_construct():
    p = factories.project()
    with pytest.raises(DomainError, match="满意度"):
        services.set_questionnaire(by=BY, project=p, codes=[c for c in LIKERT if not c.startswith("SAT")])
    assert p.questions.count() == len(LIKERT) + 2  # unchanged
    services.set_questionnaire(by=BY, project=p, codes=[c for c in LIKERT if c not in ("IMG3", "LOY2")])
    assert not p.questions.filter(code__in=["IMG3", "LOY2"]).exists()


def test_a_one_time_link_takes_exactly_one_response():
    p = factories.project()
    secret = services.issue_tokens(by=BY, project=p, count=3)[0]
    assert not Token.objects.filter(digest=secret).exists()  # only the hash is kept
    area = core_factories.area()
    services.submit_web(by=BY, secret=secret, answers=good_answer(), district=area.name, sex="F", age_band="30-44",
                        duration_seconds=300)
    with pytest.raises(DomainError, match="只能使用一次"):
        services.submit_web(by=BY, secret=secret, answers=good_answer(), district=area.name, sex="F",
                            age_band="30-44")
    assert p.responses.count() == 1
    assert Token.objects.filter(project=p, used_at__isnull=False).count() == 1


def test_bad_answers_name_the_item_and_store_nothing():
    p = factories.project()
    secret = services.issue_tokens(by=BY, project=p, count=1)[0]
    answers = good_answer()
    answers["QUA2"] = 11
    del answers["LOY1"]
    with pytest.raises(DomainError) as exc:
        services.submit_web(by=BY, secret=secret, answers=answers, district="", sex="X", age_band="30-44")
    assert set(exc.value.errors) == {"QUA2", "LOY1", "district", "sex"}
    assert p.responses.count() == 0 and Token.objects.get(project=p).used_at is None


def test_collection_is_refused_outside_the_collecting_period():
    p = factories.project(status=Project.Status.CLOSED)
    with pytest.raises(DomainError, match="采集期"):
        services.submit_interview(by=BY, project=p, answers=good_answer(), district=core_factories.area().name,
                                  sex="M", age_band="60+")


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["区", "性别", "年龄段", *LIKERT, "SAT_R", "时长(秒)", "开放题"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_import_is_all_or_nothing_with_row_and_column_messages():
    p = factories.project()
    area = core_factories.area()
    good = [area.name, "男", "45-59", *[7] * len(LIKERT), 4, 420, "不错"]
    bad_value = list(good)
    bad_value[3 + LIKERT.index("VAL2")] = 12
    bad_sex = list(good)
    bad_sex[1] = "?"
    with pytest.raises(ImportRejected) as exc:
        services.import_responses(by=BY, project=p, content=_xlsx([good, bad_value, bad_sex]))
    assert {(q["row"], q["column"]) for q in exc.value.problems} == {(3, "VAL2"), (4, "性别")}
    assert p.responses.count() == 0
    assert services.import_responses(by=BY, project=p, content=_xlsx([good, good])) == 2
    assert p.responses.filter(channel=Response.Channel.IMPORT).count() == 2


def test_excel_import_names_missing_columns():
    p = factories.project()
    with pytest.raises(DomainError, match="没有数据行"):
        services.import_responses(by=BY, project=p, content=_xlsx([]))
    wb = Workbook()
    wb.active.append(["区", "性别"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportRejected) as exc:
        services.import_responses(by=BY, project=p, content=buf.getvalue())
    assert {q["column"] for q in exc.value.problems} >= {"年龄段", "SAT1"}
    with pytest.raises(DomainError, match="xlsx"):
        services.import_responses(by=BY, project=p, content=b"not a workbook")


def test_screens_flag_without_dropping_and_review_needs_a_reason():
    p = factories.project()
    factories.fill(p, 80)
    speeder = p.responses.order_by("id").first()
    Response.objects.filter(pk=speeder.pk).update(duration_seconds=30)
    liner = p.responses.order_by("id")[1]
    Response.objects.filter(pk=liner.pk).update(answers={c: 9 for c in [*LIKERT, "SAT_R"]})
    summary = services.screen_project(by=BY, project=p)
    speeder.refresh_from_db()
    liner.refresh_from_db()
    assert "speeder" in speeder.flags and speeder.review == Response.Review.PENDING
    assert "straightlining" in liner.flags and "inconsistent" in liner.flags  # SAT_R=9 contradicts SAT=9
    assert p.responses.count() == 80 and summary["flagged"] >= 2
    with pytest.raises(DomainError, match="理由"):
        services.review_response(by=BY, response=speeder, decision="excluded", reason=" ")
    services.review_response(by=BY, response=speeder, decision="excluded", reason="作答 30 秒，明显未阅读题目")
    event = AuditEvent.objects.filter(action="surveys.review").latest("seq")
    assert event.changes["review_reason"][1] == "作答 30 秒，明显未阅读题目"
    res = services.estimate_project(by=BY, project=p, n_boot=0)
    assert res["n"] == 79 and res["counts"]["excluded"] == 1 and res["counts"]["total"] == 80


def test_estimation_gives_index_ci_ipma_themes_and_weighting():
    p = factories.project()
    factories.fill(p, 120, districts=[core_factories.area(), core_factories.area("江岸区", "420102")])
    res = services.estimate_project(by=BY, project=p, n_boot=200, seed=5)
    assert 0 < res["satisfaction"] < 100
    lo, hi = res["ci"]
    assert lo < res["satisfaction"] < hi
    assert res["ipma"]["target"] == "Satisfaction" and "Quality" in res["ipma"]["drivers"]
    assert "排队" in [t["word"] for t in res["themes"]]
    w = res["weighting"]
    assert w["deff"] >= 1 and w["efficiency"] == pytest.approx(1 / w["deff"])
    # the weighted sample matches the sex margin
    men = sum(r.weight for r in p.responses.filter(sex="M"))
    assert men / sum(r.weight for r in p.responses.all()) == pytest.approx(0.51, abs=1e-3)


def test_estimation_refuses_too_few_responses():
    p = factories.project()
    factories.fill(p, 10)
    with pytest.raises(DomainError, match="不足"):
        services.estimate_project(by=BY, project=p, n_boot=0)
    assert Project.objects.get(pk=p.pk).results == {}


def test_submitting_for_publication_requires_results_and_writes_nothing_when_refused():
    from qualitycity.portal.models import Publication

    p = factories.project()
    with pytest.raises(DomainError, match="尚未计算结果"):
        services.submit_for_publication(by=BY, project=p)
    assert not Publication.objects.exists() and not p.releases.exists()


def test_district_index_is_published_ranked_and_compared_with_last_year():
    hongshan, jiangan = core_factories.area(), core_factories.area("江岸区", "420102")
    for year, shift in ((2025, 0.0), (2026, 0.6)):
        for area, extra in ((hongshan, 0.0), (jiangan, -0.8)):
            p = factories.project(kind="district", area=area, year=year)
            factories.fill(p, 60, seed=year, shift=shift + extra)
            services.estimate_project(by=BY, project=p, n_boot=0)
    assert selectors.district_government_index(hongshan, 2026) is None  # nothing published yet
    for p in Project.objects.all():
        factories.publish(p)
    found = selectors.district_government_index("洪山区", 2026)
    assert found["rank"] == 1 and found["of"] == 2
    assert found["change"] > 0
    assert selectors.district_government_index(jiangan.pk, 2026)["rank"] == 2


def test_quota_progress_counts_per_district_sex_and_age():
    p = factories.project(quotas={"sex": {"M": 40, "F": 40}})
    factories.fill(p, 20)
    q = selectors.quota_progress(p)
    sex = {r["category"]: r for r in q["sex"]}
    assert sex["M"]["done"] == 10 and sex["M"]["target"] == 40 and sex["M"]["percent"] == 25.0
    assert sum(r["done"] for r in q["age"]) == 20 and q["district"][0]["done"] == 20


def test_a_constant_item_is_named_and_no_results_are_written():
    p = factories.project()
    factories.fill(p, 40)
    for r in p.responses.all():
        r.answers["VAL1"] = 6
        Response.objects.filter(pk=r.pk).update(answers=r.answers)
    with pytest.raises(DomainError, match="VAL1"):
        services.estimate_project(by=BY, project=p, n_boot=0)
    assert Project.objects.get(pk=p.pk).results == {}
    assert set(p.responses.values_list("weight", flat=True)) == {1.0}
