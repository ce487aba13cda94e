import pytest

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core

from .. import services
from ..models import Answer, Attempt, Certificate, Enrollment
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return core.role_users()


def _learn(w, course):
    user = w["users"][Role.ENTERPRISE_MEMBER]
    e = services.enrol(by=f.actor(user), course=course, user=user)
    for lesson in course.lessons.all():
        services.complete_lesson(by=f.actor(user), enrollment=e, lesson=lesson)
    return user, e


def test_enrolling_twice_keeps_one_enrolment_for_the_users_enterprise(w):
    c = f.course()
    user = w["users"][Role.ENTERPRISE_MEMBER]
    a = services.enrol(by=f.actor(user), course=c, user=user)
    b = services.enrol(by=f.actor(user), course=c, user=user)
    assert a.pk == b.pk and a.organization == w["orgs"]["own"] and Enrollment.objects.count() == 1


def test_the_quiz_waits_for_every_lesson(w):
    c = f.course()
    user = w["users"][Role.ENTERPRISE_MEMBER]
    e = services.enrol(by=f.actor(user), course=c, user=user)
    services.complete_lesson(by=f.actor(user), enrollment=e, lesson=c.lessons.first())
    with pytest.raises(DomainError, match="学完"):
        services.start_attempt(by=f.actor(user), enrollment=e)


def test_fail_retake_pass_and_certificate(w):
    c = f.course(pass_mark=75)
    user, e = _learn(w, c)
    first = services.start_attempt(by=f.actor(user), enrollment=e)
    first = services.submit_attempt(by=f.actor(user), attempt=first, answers=f.answers(c, right=2))
    assert (first.score, first.passed) == (50, False) and not Certificate.objects.exists()
    second = services.start_attempt(by=f.actor(user), enrollment=e)
    assert second.number == 2
    second = services.submit_attempt(by=f.actor(user), attempt=second, answers=f.answers(c, right=3))
    assert (second.score, second.passed) == (75, True)
    cert = Certificate.objects.get()
    assert cert.number.startswith("ZS") and len(cert.code) == 12
    assert services.verify(cert.code.lower()) == cert and services.verify("ABCDEFGHJKLM") is None
    e.refresh_from_db()
    assert e.completed_at is not None


def test_an_answer_cannot_be_submitted_twice_for_the_same_attempt(w):
    c = f.course()
    user, e = _learn(w, c)
    attempt = services.start_attempt(by=f.actor(user), enrollment=e)
    services.submit_attempt(by=f.actor(user), attempt=attempt, answers=f.answers(c, right=1))
    answers_before = Answer.objects.count()
    with pytest.raises(DomainError, match="不能重复提交"):
        services.submit_attempt(by=f.actor(user), attempt=attempt, answers=f.answers(c, right=4))
    attempt.refresh_from_db()
    assert attempt.score == 25 and Answer.objects.count() == answers_before


def test_retakes_are_limited(w):
    c = f.course(max_attempts=1)
    user, e = _learn(w, c)
    services.submit_attempt(by=f.actor(user), attempt=services.start_attempt(by=f.actor(user), enrollment=e),
                            answers=f.answers(c, right=0))
    with pytest.raises(DomainError, match="次数已用完"):
        services.start_attempt(by=f.actor(user), enrollment=e)
    assert Attempt.objects.count() == 1


def test_incomplete_or_foreign_answers_are_refused(w):
    c = f.course()
    other = f.course("KC0002")
    user, e = _learn(w, c)
    attempt = services.start_attempt(by=f.actor(user), enrollment=e)
    partial = dict(list(f.answers(c, right=4).items())[:2])
    with pytest.raises(DomainError, match="没有作答"):
        services.submit_attempt(by=f.actor(user), attempt=attempt, answers=partial)
    mixed = f.answers(c, right=4)
    first_q = next(iter(mixed))
    mixed[first_q] = other.questions.first().choices.first().pk
    with pytest.raises(DomainError, match="不匹配"):
        services.submit_attempt(by=f.actor(user), attempt=attempt, answers=mixed)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and Answer.objects.count() == 0


def test_an_enterprise_admin_enrols_only_their_own_staff(w):
    c = f.course()
    admin = w["users"][Role.ENTERPRISE_MEMBER]
    colleague = core.user("colleague_u", role=Role.ENTERPRISE_MEMBER, org=w["orgs"]["own"])
    done = services.enrol_staff(by=f.actor(admin), course=c, organization=w["orgs"]["own"], users=[colleague])
    assert done[0].user == colleague and done[0].enrolled_by == admin
    with pytest.raises(DomainError):
        services.enrol_staff(by=f.actor(admin), course=c, organization=w["orgs"]["own"], users=[w["outsider"]])
    with pytest.raises(DomainError):
        services.enrol_staff(by=f.actor(admin), course=c, organization=w["orgs"]["other"], users=[w["outsider"]])
    assert Enrollment.objects.count() == 1


def test_attendance_counts_once_and_statistics_add_up_against_the_target(w):
    from django.utils import timezone

    from .. import selectors
    from ..models import AnnualTarget

    c = f.course()
    user, e = _learn(w, c)
    services.submit_attempt(by=f.actor(user), attempt=services.start_attempt(by=f.actor(user), enrollment=e),
                            answers=f.answers(c, right=4))
    office = f.actor(w["users"][Role.CITY_OFFICE])
    event = services.create_event(by=office, title="线下培训", kind="offline", starts_at=timezone.now())
    services.record_attendance(by=office, event=event, name="张三", organization=w["orgs"]["other"])
    services.record_attendance(by=office, event=event, user=user)
    with pytest.raises(DomainError, match="已签到"):
        services.record_attendance(by=office, event=event, name="张三", organization=w["orgs"]["other"])
    year = timezone.localdate().year
    AnnualTarget.objects.create(year=year, person_times=10, people=4, enterprises=2, completions=2)
    s = selectors.statistics(year=year)
    assert s["summary"] == {"person_times": 3, "people": 2, "enterprises": 2, "completions": 1}
    assert s["progress"]["person_times"]["pct"] == 30.0
    assert dict(s["by_district"])["江岸区"]["people"] == 1
    assert selectors.statistics(year=year, area_ids=[w["areas"]["jiangan"].pk])["summary"]["person_times"] == 1
    assert selectors.statistics(year=year + 1)["summary"]["person_times"] == 0


def test_district_figures_are_measured_against_the_districts_own_target_and_industries_are_named(w):
    from django.utils import timezone

    from .. import selectors
    from ..models import AnnualTarget

    c = f.course()
    _learn(w, c)  # a learner of the 洪山区 enterprise (industry 38, section C)
    services.enrol(by=f.actor(w["outsider"]), course=c, user=w["outsider"])  # 江岸区
    year = timezone.localdate().year
    hongshan = w["areas"]["hongshan"]
    AnnualTarget.objects.create(year=year, person_times=1000, people=400, enterprises=300, completions=300)
    AnnualTarget.objects.create(year=year, area=hongshan, person_times=10, people=5, enterprises=4, completions=2)
    city = selectors.statistics(year=year)
    assert city["progress"]["person_times"]["target"] == 1000
    rows = dict(city["by_district"])
    assert rows["洪山区"]["progress"]["person_times"] == {"target": 10, "actual": 1, "pct": 10.0}
    assert rows["江岸区"]["progress"] == {}  # no target set for that district: none is made up
    district = selectors.statistics(year=year, area_ids=[hongshan.pk])
    assert district["progress"]["person_times"]["target"] == 10 and district["summary"]["person_times"] == 1
    assert selectors.statistics(year=year, area_ids=[w["areas"]["jiangan"].pk])["progress"] == {}
    labels = [name for name, _ in city["by_industry"]]
    assert labels == ["C 制造业"]
