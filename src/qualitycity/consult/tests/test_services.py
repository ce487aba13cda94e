import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from qualitycity.core.errors import DomainError
from qualitycity.core.models import AuditEvent, Notification, Role

from .. import services
from ..models import Article, Case, ExpertProfile, Message
from . import factories as f

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def w():
    return f.world()


def test_a_question_goes_to_the_matching_expert_with_reasons(w):
    case = f.ask(w)
    assert case.status == Case.Status.ASSIGNED and case.expert == w["expert"]
    reasons = " ".join(case.assignments.get().reasons)
    assert "行业" in reasons and "GB/T5023.3" in reasons and "专业方向" in reasons
    assert case.number.startswith("WZ") and len(case.number) == 14
    assert Notification.objects.filter(recipient=w["expert"].user, title__contains=case.number).exists()


def test_the_first_response_is_due_one_working_day_later(w):
    friday = dt.datetime(2026, 11, 27, 10, tzinfo=TZ)
    case = f.ask(w)
    services._assign(case, w["expert"], by=f.actor(None), manual=False, score=0, reasons=[], now=friday)
    assert case.first_response_due == dt.date(2026, 11, 30)  # Monday, not Saturday


def test_bad_input_is_refused_and_nothing_is_written(w):
    before = (Case.objects.count(), Message.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        f.ask(w, title="", symptom="太短", urgency="yesterday")
    assert set(exc.value.errors) == {"title", "symptom", "urgency"}
    assert (Case.objects.count(), Message.objects.count(), AuditEvent.objects.count()) == before


def test_someone_elses_attachment_cannot_be_attached(w):
    from qualitycity.core.services.attachments import store_attachment

    foreign = store_attachment(by=f.actor(w["outsider"]), filename="r.pdf", content=b"%PDF-1.4 test")
    count = Case.objects.count()
    with pytest.raises(DomainError):
        f.ask(w, attachment_ids=[foreign.pk])
    assert Case.objects.count() == count


def test_answer_close_rate_and_publish_anonymized(w):
    own = w["orgs"]["own"]
    own.address, own.contact_phone = "武汉市洪山区珞喻路1037号", "13812345678"
    own.save()
    code = own.credit_code
    case = f.ask(w, symptom=f"我们{own.name}（信用代码 {code}，营业执照上写作 {code[:8]}-{code[8:]}）的电线绝缘电阻不合格，"
                            f"电话 13812345678（手机 138 1234 5678），地址武汉市洪山区珞喻路1037号。")
    services.post(by=f.actor(w["users"][Role.ENTERPRISE_MEMBER]), case=case,
                  body=f"补充：{code[:4]} {code[4:8]} {code[8:]}，联系 138-1234-5678")
    expert_user = w["users"][Role.EXPERT]
    services.post(by=f.actor(expert_user), case=case, body="请核对绝缘料批次并按 GB/T 5023.2 复测。")
    case.refresh_from_db()
    assert case.status == Case.Status.ANSWERED and case.first_response_at
    enterprise_user = w["users"][Role.ENTERPRISE_MEMBER]
    with pytest.raises(DomainError):
        services.close(by=f.actor(enterprise_user), case=case, solved=True, rating=6)
    services.close(by=f.actor(enterprise_user), case=case, solved=True, rating=5, comment="很及时", publish_consent=True)
    case.refresh_from_db()
    assert case.status == Case.Status.RATED and case.rating == 5
    article = Article.objects.get(case=case)
    text = article.title + article.question + article.answer
    for secret in (own.name, "自有企业", code, code[8:], code[:8], "13812345678", "1234", "5678", "珞喻路",
                   enterprise_user.username):
        assert secret not in text, (secret, text)
    assert "绝缘电阻" in text and "GB/T 5023.2" in text
    with pytest.raises(DomainError):
        services.post(by=f.actor(enterprise_user), case=case, body="再问一句")


def test_without_consent_nothing_is_published(w):
    case = f.ask(w)
    services.post(by=f.actor(w["users"][Role.EXPERT]), case=case, body="答复")
    services.close(by=f.actor(w["users"][Role.ENTERPRISE_MEMBER]), case=case, solved=True, rating=4)
    assert not Article.objects.exists()


def test_only_the_expert_may_refer_and_referrals_need_a_target(w):
    case = f.ask(w)
    with pytest.raises(DomainError):
        services.post(by=f.actor(w["users"][Role.ENTERPRISE_MEMBER]), case=case, body="x", kind="referral",
                      referral_kind="course", referral_ref="KC1")
    with pytest.raises(DomainError):
        services.post(by=f.actor(w["users"][Role.EXPERT]), case=case, body="去上课", kind="referral", referral_kind="course")
    with pytest.raises(DomainError, match="没有编号为 KC2026002"):
        services.post(by=f.actor(w["users"][Role.EXPERT]), case=case, body="建议学习", kind="referral",
                      referral_kind="course", referral_ref="KC2026002")
    from qualitycity.training.tests.factories import course

    course(code="KC2026002")
    m = services.post(by=f.actor(w["users"][Role.EXPERT]), case=case, body="建议学习", kind="referral",
                      referral_kind="course", referral_ref="kc2026002")
    assert m.referral_ref == "KC2026002"


def test_a_stranger_cannot_post(w):
    case = f.ask(w)
    with pytest.raises(DomainError):
        services.post(by=f.actor(w["other_expert_user"]), case=case, body="我也来说两句")


def test_reminder_on_the_due_day_then_reassignment_after_it(w):
    case = f.ask(w)
    due = case.first_response_due
    on_due_day = dt.datetime.combine(due, dt.time(9), tzinfo=TZ)
    assert services.process_deadlines(now=on_due_day)["reminded"] == 1
    assert services.process_deadlines(now=on_due_day)["reminded"] == 0  # once only
    later = on_due_day + dt.timedelta(days=1)
    counts = services.process_deadlines(now=later)
    case.refresh_from_db()
    assert counts["reassigned"] == 1 and case.expert == w["other_expert"]
    assert case.assignments.filter(ended_reason="overdue").count() == 1
    assert case.first_response_due > due


def test_an_overdue_case_with_no_free_expert_says_so_alerts_the_office_and_is_retried(w):
    from qualitycity.core.models import Notification

    ExpertProfile.objects.filter(expert=w["other_expert"]).update(available=False)
    case = f.ask(w)
    assert case.expert == w["expert"]
    enterprise, office = w["users"][Role.ENTERPRISE_MEMBER], w["users"][Role.CITY_OFFICE]
    overdue = dt.datetime.combine(case.first_response_due, dt.time(9), tzinfo=TZ) + dt.timedelta(days=1)
    counts = services.process_deadlines(now=overdue)
    case.refresh_from_db()
    assert counts["unassigned"] == 1 and counts["reassigned"] == 0
    assert case.status == Case.Status.ASKED and case.expert is None
    told = Notification.objects.filter(recipient=enterprise).values_list("title", "body")
    assert not any("已改派" in t for t, _ in told)
    assert any("正在另找专家" in t and "没有空闲的匹配专家" in b for t, b in told)
    assert Notification.objects.filter(recipient=office, title__contains="请人工指派").count() == 1
    # the next run finds nobody either: the case waits, nobody is told twice
    assert services.process_deadlines(now=overdue + dt.timedelta(hours=1))["waiting"] == 1
    assert Notification.objects.filter(recipient=office, title__contains="请人工指派").count() == 1
    # an expert becomes free: the waiting case is assigned on the next run, never back to the one who lapsed
    ExpertProfile.objects.filter(expert=w["other_expert"]).update(available=True)
    assert services.process_deadlines(now=overdue + dt.timedelta(hours=2))["retried"] == 1
    case.refresh_from_db()
    assert case.status == Case.Status.ASSIGNED and case.expert == w["other_expert"] and case.first_response_due
    assert Notification.objects.filter(recipient=enterprise, title__contains="已分配专家").exists()


def test_a_question_nobody_fits_at_once_alerts_the_city_office(w):
    from qualitycity.core.models import Notification

    ExpertProfile.objects.update(available=False)
    case = f.ask(w)
    assert case.status == Case.Status.ASKED
    assert Notification.objects.filter(recipient=w["users"][Role.CITY_OFFICE], title__contains=case.number).exists()


def test_an_answered_case_is_left_alone_by_the_deadline_job(w):
    case = f.ask(w)
    services.post(by=f.actor(w["users"][Role.EXPERT]), case=case, body="已收到，先请补充检测报告")
    overdue = dt.datetime.combine(case.first_response_due, dt.time(9), tzinfo=TZ) + dt.timedelta(days=3)
    counts = services.process_deadlines(now=overdue)
    case.refresh_from_db()
    assert counts["reassigned"] == counts["unassigned"] == 0
    assert case.status == Case.Status.ANSWERED and case.expert == w["expert"]


def test_the_city_office_assigns_by_hand(w):
    case = f.ask(w)
    services.assign(by=f.actor(w["users"][Role.CITY_OFFICE]), case=case, expert=w["other_expert"], note="指定食品专家")
    case.refresh_from_db()
    assert case.expert == w["other_expert"]
    assert case.assignments.last().manual and case.assignments.first().ended_reason == "reassigned"


def test_an_expert_at_the_limit_is_excluded_with_the_reason(w):
    from ..matching import rank_experts

    profile = w["expert"].consult_profile
    profile.open_case_limit = 1
    profile.save()
    case = f.ask(w)  # takes the one slot
    second = f.ask(w, auto_assign=False)
    top = {m.expert.pk: m for m in rank_experts(second)}
    assert top[w["expert"].pk].excluded == "已达同时处理上限"
    assert case.expert == w["expert"]


def test_the_background_task_runs_the_deadline_service(w, monkeypatch):
    from .. import tasks

    case = f.ask(w)
    late = dt.datetime.combine(case.first_response_due + dt.timedelta(days=3), dt.time(9), tzinfo=TZ)
    monkeypatch.setattr("django.utils.timezone.now", lambda: late)
    assert tasks.check_first_response_deadlines.call()["reassigned"] == 1


def test_past_ratings_move_an_expert_up_but_one_rating_does_not_decide(w):
    from ..matching import rank_experts

    def score_of(case):
        return next(m for m in rank_experts(case) if m.expert == w["expert"])

    case = f.ask(w, auto_assign=False)
    neutral = score_of(case)
    assert not any("历史评分" in r for r in neutral.reasons)
    old = f.ask(w, auto_assign=False)
    Case.objects.filter(pk=old.pk).update(expert=w["expert"], status=Case.Status.RATED, rating=5)
    one = score_of(case)
    assert "历史评分 5.0（1 次）" in one.reasons
    for _ in range(5):
        more = f.ask(w, auto_assign=False)
        Case.objects.filter(pk=more.pk).update(expert=w["expert"], status=Case.Status.RATED, rating=5)
    many = score_of(case)
    # Bayesian mean towards 4 with the weight of 3 ratings: +0.25 after one 5, +0.67 after six
    assert round(one.score - neutral.score, 2) == 0.25 and round(many.score - neutral.score, 2) == 0.67
    for _ in range(6):
        bad = f.ask(w, auto_assign=False)
        Case.objects.filter(pk=bad.pk).update(expert=w["expert"], status=Case.Status.RATED, rating=1)
    assert score_of(case).score < neutral.score


def test_an_answer_that_lands_while_the_deadline_job_runs_is_not_overwritten(w, monkeypatch):
    from contextlib import contextmanager

    from django.db import transaction

    case = f.ask(w)
    overdue = dt.datetime.combine(case.first_response_due, dt.time(9), tzinfo=TZ) + dt.timedelta(days=1)
    real_atomic, answered = transaction.atomic, []

    @contextmanager
    def answer_first(*args, **kwargs):
        # the expert's answer commits after the job listed the case but before it locks it
        if not answered:
            answered.append(True)
            Case.objects.filter(pk=case.pk).update(status=Case.Status.ANSWERED, first_response_at=overdue)
        with real_atomic(*args, **kwargs):
            yield

    monkeypatch.setattr(transaction, "atomic", answer_first)
    counts = services.process_deadlines(now=overdue)
    case.refresh_from_db()
    assert answered and counts["reassigned"] == counts["unassigned"] == 0
    assert case.status == Case.Status.ANSWERED and case.expert == w["expert"]
