"""Every change in the online classroom: enrolment, progress, quiz attempts, certificates,
events and attendance."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from qualitycity.core import permissions
from qualitycity.core.calendar import local_date
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Membership, Organization, Role, User
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit

from .models import (
    Answer,
    Attempt,
    Attendance,
    Certificate,
    Choice,
    Course,
    Enrollment,
    Event,
    Lesson,
    LessonProgress,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: people type it from paper


def _org_of(user: User) -> Organization | None:
    m = Membership.objects.filter(user=user, role=Role.ENTERPRISE_MEMBER).select_related("organization").first()
    return m.organization if m else None


def enrol(*, by: audit.Actor, course: Course, user: User, now=None) -> Enrollment:
    """Enrol ``user``; idempotent, so a second click does not fail or duplicate."""
    if not course.published:
        raise DomainError("课程尚未发布", field="course")
    now = now or timezone.now()
    with transaction.atomic():
        existing = Enrollment.objects.filter(course=course, user=user).first()
        if existing:
            return existing
        org = _org_of(user)
        enrollment = Enrollment.objects.create(course=course, user=user, organization=org,
                                               area_id=org.area_id if org else None, enrolled_by=by.user,
                                               enrolled_at=now)
        audit.record(by=by, action="training.enrol", obj=enrollment, changes={"course": [None, course.code]})
    return enrollment


def enrol_staff(*, by: audit.Actor, course: Course, organization: Organization, users: list[User]) -> list[Enrollment]:
    """An enterprise admin enrols colleagues: only members of that enterprise."""
    if not permissions.can(by.user, "training.enrol_staff", organization):
        raise DomainError("只能为本企业人员报名", field="organization")
    member_ids = set(Membership.objects.filter(organization=organization).values_list("user_id", flat=True))
    outsiders = [u for u in users if u.pk not in member_ids]
    if outsiders:
        raise DomainError("以下人员不是本企业成员：" + "、".join(str(u) for u in outsiders), field="users")
    with transaction.atomic():
        return [enrol(by=by, course=course, user=u) for u in users]


def complete_lesson(*, by: audit.Actor, enrollment: Enrollment, lesson: Lesson, now=None) -> LessonProgress:
    if lesson.course_id != enrollment.course_id:
        raise DomainError("该课时不属于此课程", field="lesson")
    now = now or timezone.now()
    with transaction.atomic():
        progress, created = LessonProgress.objects.get_or_create(enrollment=enrollment, lesson=lesson,
                                                                 defaults={"completed_at": now})
        if created:
            audit.record(by=by, action="training.lesson_done", obj=enrollment, changes={"lesson": [None, lesson.pk]})
    return progress


def lessons_left(enrollment: Enrollment) -> int:
    done = LessonProgress.objects.filter(enrollment=enrollment).count()
    return enrollment.course.lessons.count() - done


def start_attempt(*, by: audit.Actor, enrollment: Enrollment, now=None) -> Attempt:
    course = enrollment.course
    if lessons_left(enrollment) > 0:
        raise DomainError("请先学完全部课时再参加测验")
    if hasattr(enrollment, "certificate"):
        raise DomainError("您已通过本课程测验")
    with transaction.atomic():
        Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        open_attempt = enrollment.attempts.filter(submitted_at=None).first()
        if open_attempt:
            return open_attempt
        used = enrollment.attempts.count()
        if course.max_attempts and used >= course.max_attempts:
            raise DomainError(f"测验次数已用完（上限 {course.max_attempts} 次）")
        attempt = Attempt.objects.create(enrollment=enrollment, number=used + 1, started_at=now or timezone.now())
        audit.record(by=by, action="training.attempt_start", obj=enrollment, changes={"attempt": [None, attempt.number]})
    return attempt


def submit_attempt(*, by: audit.Actor, attempt: Attempt, answers: dict[int, int], now=None) -> Attempt:
    """Grade the answers (question id → choice id). An attempt is submitted once: a second
    submission, even of the same answers, is refused and changes nothing."""
    now = now or timezone.now()
    course = attempt.enrollment.course
    questions = {q.pk: q for q in course.questions.all()}
    missing = [q.order for q in questions.values() if q.pk not in answers]
    if missing:
        raise DomainError(f"还有 {len(missing)} 道题没有作答", errors={"answers": [f"第 {n} 题未作答" for n in sorted(missing)]})
    choices = {c.pk: c for c in Choice.objects.filter(question__course=course)}
    for qid, cid in answers.items():
        if qid not in questions or cid not in choices or choices[cid].question_id != qid:
            raise DomainError("答案与题目不匹配", field="answers")
    try:
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.submitted_at is not None:
                raise DomainError("本次测验已提交，不能重复提交；如未通过请重新开始一次测验", field="answers")
            Answer.objects.bulk_create([Answer(attempt=locked, question_id=q, choice_id=c) for q, c in answers.items()])
            correct = sum(1 for c in answers.values() if choices[c].correct)
            locked.score = round(100 * correct / max(len(questions), 1))
            locked.passed = locked.score >= course.pass_mark
            locked.submitted_at = now
            locked.save()
            audit.record(by=by, action="training.attempt_submit", obj=locked.enrollment,
                         changes={"attempt": [None, locked.number], "score": [None, locked.score]})
            if locked.passed:
                _issue_certificate(by=by, enrollment=locked.enrollment, score=locked.score, now=now)
    except IntegrityError:
        raise DomainError("本次测验已提交，不能重复提交", field="answers") from None
    return locked


def _issue_certificate(*, by, enrollment: Enrollment, score: int, now) -> Certificate:
    number = next_number("ZS", day=local_date(now))
    cert = Certificate.objects.create(
        enrollment=enrollment, number=number, code="".join(secrets.choice(CODE_ALPHABET) for _ in range(12)),
        holder_name=enrollment.user.display_name or enrollment.user.username, course_title=enrollment.course.title,
        score=score, issued_at=now,
    )
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=now)
    audit.record(by=by, action="training.certificate", obj=cert, changes={"number": [None, number]})
    return cert


def verify(code: str) -> Certificate | None:
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    if len(code) != 12:
        return None
    return Certificate.objects.filter(code=code).select_related("enrollment__organization").first()


def create_event(*, by: audit.Actor, title: str, kind: str, starts_at, area=None, course=None, venue="") -> Event:
    if kind not in Event.Kind.values:
        raise DomainError("未知的培训形式", field="kind")
    if not (title or "").strip():
        raise DomainError("请填写名称", field="title")
    with transaction.atomic():
        event = Event.objects.create(title=title.strip(), kind=kind, starts_at=starts_at, area=area, course=course,
                                     venue=venue)
        audit.record(by=by, action="training.event", obj=event)
    return event


def record_attendance(*, by: audit.Actor, event: Event, user: User | None = None, name: str = "",
                      organization: Organization | None = None, now=None) -> Attendance:
    name = (name or (user.display_name or user.username if user else "")).strip()
    if not name:
        raise DomainError("请填写参训人姓名", field="name")
    if user is not None and organization is None:
        organization = _org_of(user)
    with transaction.atomic():
        if Attendance.objects.filter(event=event, name=name, organization=organization).exists() or (
            user is not None and Attendance.objects.filter(event=event, user=user).exists()
        ):
            raise DomainError(f"{name} 已签到，不能重复记录", field="name")
        row = Attendance.objects.create(event=event, user=user, name=name[:64], organization=organization,
                                        recorded_at=now or timezone.now())
        audit.record(by=by, action="training.attendance", obj=event, changes={"attendee": [None, name]})
    return row
