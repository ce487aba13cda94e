"""Every change in the online classroom: enrolment, progress, quiz attempts, certificates,
events and attendance."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.calendar import local_date
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Membership, Organization, Role, User
from qualitycity.core.numbering import next_number
from qualitycity.core.services import audit
from qualitycity.core.services.attachments import store_attachment

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
        raise DomainError(_("课程尚未发布"), field="course")
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
        raise DomainError(_("只能为本企业人员报名"), field="organization")
    member_ids = set(Membership.objects.filter(organization=organization).values_list("user_id", flat=True))
    outsiders = [u for u in users if u.pk not in member_ids]
    if outsiders:
        raise DomainError(_("以下人员不是本企业成员：{names}").format(names="、".join(str(u) for u in outsiders)), field="users")
    with transaction.atomic():
        return [enrol(by=by, course=course, user=u) for u in users]


def complete_lesson(*, by: audit.Actor, enrollment: Enrollment, lesson: Lesson, now=None) -> LessonProgress:
    if lesson.course_id != enrollment.course_id:
        raise DomainError(_("该课时不属于此课程"), field="lesson")
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
        raise DomainError(_("请先学完全部课时再参加测验"))
    if hasattr(enrollment, "certificate"):
        raise DomainError(_("您已通过本课程测验"))
    with transaction.atomic():
        Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        open_attempt = enrollment.attempts.filter(submitted_at=None).first()
        if open_attempt:
            return open_attempt
        used = enrollment.attempts.count()
        if course.max_attempts and used >= course.max_attempts:
            raise DomainError(_("测验次数已用完（上限 {max_attempts} 次）").format(max_attempts=course.max_attempts))
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
        raise DomainError(_("还有 {n} 道题没有作答").format(n=len(missing)), errors={"answers": [f"第 {n} 题未作答" for n in sorted(missing)]})
    choices = {c.pk: c for c in Choice.objects.filter(question__course=course)}
    for qid, cid in answers.items():
        if qid not in questions or cid not in choices or choices[cid].question_id != qid:
            raise DomainError(_("答案与题目不匹配"), field="answers")
    try:
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.submitted_at is not None:
                raise DomainError(_("本次测验已提交，不能重复提交；如未通过请重新开始一次测验"), field="answers")
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
        raise DomainError(_("本次测验已提交，不能重复提交"), field="answers") from None
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
        raise DomainError(_("未知的培训形式"), field="kind")
    if not (title or "").strip():
        raise DomainError(_("请填写名称"), field="title")
    with transaction.atomic():
        event = Event.objects.create(title=title.strip(), kind=kind, starts_at=starts_at, area=area, course=course,
                                     venue=venue)
        audit.record(by=by, action="training.event", obj=event)
    return event


def record_attendance(*, by: audit.Actor, event: Event, user: User | None = None, name: str = "",
                      organization: Organization | None = None, now=None) -> Attendance:
    name = (name or (user.display_name or user.username if user else "")).strip()
    if not name:
        raise DomainError(_("请填写参训人姓名"), field="name")
    if user is not None and organization is None:
        organization = _org_of(user)
    with transaction.atomic():
        if Attendance.objects.filter(event=event, name=name, organization=organization).exists() or (
            user is not None and Attendance.objects.filter(event=event, user=user).exists()
        ):
            raise DomainError(_("{name} 已签到，不能重复记录").format(name=name), field="name")
        row = Attendance.objects.create(event=event, user=user, name=name[:64], organization=organization,
                                        recorded_at=now or timezone.now())
        audit.record(by=by, action="training.attendance", obj=event, changes={"attendee": [None, name]})
    return row


VIDEO_TYPES = {"video/mp4"}
PDF_TYPES = {"application/pdf"}


def lesson_problem(*, kind: str, body: str, video_url: str, file_type: str | None) -> tuple[str, str] | None:
    """(field, message) when the content does not fit the lesson's kind; shared by the
    service and the admin form, so the form shows the same message the service would raise."""
    if kind == Lesson.Kind.TEXT:
        if file_type:
            return "file", _("图文课时不上传文件，请把内容写在正文里")
        if not (body or "").strip():
            return "body", _("图文课时需要正文")
    elif kind == Lesson.Kind.PDF:
        if file_type is None:
            return "file", _("PDF 讲义需要上传 PDF 文件")
        if file_type not in PDF_TYPES:
            return "file", _("PDF 讲义只接受 PDF 文件")
    elif kind == Lesson.Kind.VIDEO:
        if file_type is not None and file_type not in VIDEO_TYPES:
            return "file", _("视频课时只接受 MP4 文件")
        if file_type is None and not video_url:
            return "video_url", _("视频课时需要视频地址或上传的 MP4 文件")
    return None


def save_lesson(*, by: audit.Actor, course: Course, title: str, kind: str, order: int, lesson: Lesson | None = None,
                video_url: str = "", body: str = "", minutes: int = 20, upload: tuple[str, bytes] | None = None) -> Lesson:
    """Create or edit a lesson. A video needs a URL or an uploaded MP4, a PDF lesson an
    uploaded PDF, a text lesson a body (stored sanitized). Files go through the foundation's
    attachment service (size limit, magic bytes, SHA-256); a lesson never points at a file
    stored for something else, so a private consultation file cannot become course material."""
    from .richtext import sanitize

    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("请填写课时名称")]
    if kind not in Lesson.Kind.values:
        errors["kind"] = [_("未知的课时形式")]
    if not isinstance(order, int) or order < 1:
        errors["order"] = [_("课时顺序应为正整数")]
    video_url = (video_url or "").strip()
    if video_url and not video_url.lower().startswith(("https://", "http://")):
        errors["video_url"] = [_("视频地址应以 http:// 或 https:// 开头")]
    body = sanitize(body or "")
    if errors:
        raise DomainError(_("课时信息不完整"), errors=errors)
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if Lesson.objects.filter(course=locked, order=order).exclude(pk=lesson.pk if lesson else None).exists():
            raise DomainError(_("本课程已有第 {order} 课时").format(order=order), field="order")
        file = lesson.file if lesson else None
        if upload is not None:
            if kind == Lesson.Kind.TEXT:
                raise DomainError(_("图文课时不上传文件，请把内容写在正文里"), field="file")
            file = store_attachment(by=by, filename=upload[0], content=upload[1])
        elif file is not None and file.content_type not in (VIDEO_TYPES if kind == Lesson.Kind.VIDEO else PDF_TYPES):
            file = None  # the kind changed: the old file no longer fits it
        if kind == Lesson.Kind.TEXT:
            file, video_url = None, ""
        elif kind == Lesson.Kind.PDF:
            video_url = ""
        problem = lesson_problem(kind=kind, body=body, video_url=video_url,
                                 file_type=file.content_type if file else None)
        if problem:
            raise DomainError(problem[1], field=problem[0])
        before = audit.snapshot(lesson) if lesson else {}
        lesson = lesson or Lesson(course=locked)
        lesson.order, lesson.title, lesson.kind = order, title[:120], kind
        lesson.video_url, lesson.body, lesson.file = video_url, body, file
        lesson.minutes = max(1, min(int(minutes or 20), 600))
        lesson.save()
        audit.record(by=by, action="training.lesson_save", obj=lesson, changes=audit.diff(before, audit.snapshot(lesson)))
    return lesson


def delete_lesson(*, by: audit.Actor, lesson: Lesson) -> None:
    with transaction.atomic():
        audit.record(by=by, action="training.lesson_delete", obj=lesson, changes={"title": [lesson.title, None]})
        lesson.delete()
