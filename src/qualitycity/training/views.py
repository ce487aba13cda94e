"""Online-classroom pages: courses, lessons, quizzes, certificates (with the public check),
enrolling staff, sessions and attendance, and statistics."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitycity.core import permissions
from qualitycity.core.errors import DomainError
from qualitycity.core.models import Area, Membership, Organization, Role, User
from qualitycity.core.permissions import requires
from qualitycity.core.services.attachments import read_attachment
from qualitycity.core.services.audit import Actor

from . import selectors, services
from .certificates import certificate_pdf
from .models import Attempt, Certificate, Course, Enrollment, Event, Lesson, LessonProgress, Topic


@requires("training.courses.view")
def index(request):
    courses = Course.objects.filter(published=True)
    topic = request.GET.get("topic", "")
    if topic in Topic.values:
        courses = courses.filter(topic=topic)
    mine = {e.course_id: e for e in Enrollment.objects.filter(user=request.user)}
    return render(request, "training/index.html", {
        "courses": courses, "topics": Topic.choices, "topic": topic, "mine": mine,
        "events": Event.objects.filter(starts_at__gte=timezone.now() - dt.timedelta(days=1)).order_by("starts_at")[:5],
        "can_manage": permissions.is_allowed(request.user, "training.events.manage"),
    })


def _enrollment(request, course) -> Enrollment | None:
    return Enrollment.objects.filter(course=course, user=request.user).first()


@requires("training.courses.view")
def course(request, code: str):
    course = get_object_or_404(Course, code=code, published=True)
    enrollment = _enrollment(request, course)
    done = set(LessonProgress.objects.filter(enrollment=enrollment).values_list("lesson_id", flat=True)) if enrollment else set()
    staff = []
    orgs = permissions.organization_ids(request.user, Role.ENTERPRISE_MEMBER)
    if orgs:
        staff = Membership.objects.filter(organization_id__in=orgs).select_related("user").exclude(user=request.user)
    return render(request, "training/course.html", {
        "course": course, "enrollment": enrollment, "lessons": course.lessons.all(), "done": done,
        "attempts": enrollment.attempts.all() if enrollment else [], "staff": staff,
        "certificate": getattr(enrollment, "certificate", None) if enrollment else None,
        "left": services.lessons_left(enrollment) if enrollment else None,
        "open_attempt": enrollment.attempts.filter(submitted_at=None).first() if enrollment else None,
    })


@requires("training.learn")
def enrol(request, code: str):
    course = get_object_or_404(Course, code=code)
    if request.method == "POST":
        try:
            services.enrol(by=Actor.from_request(request), course=course, user=request.user)
            messages.success(request, _("报名成功"))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("training:course", code=code)


@requires("training.enrol_staff")
def enrol_staff(request, code: str):
    course = get_object_or_404(Course, code=code)
    if request.method == "POST":
        orgs = permissions.organization_ids(request.user, Role.ENTERPRISE_MEMBER)
        org = get_object_or_404(Organization, pk=request.POST.get("organization") or (orgs[0] if orgs else 0))
        users = list(User.objects.filter(pk__in=[int(i) for i in request.POST.getlist("users") if i.isdigit()]))
        try:
            done = services.enrol_staff(by=Actor.from_request(request), course=course, organization=org, users=users)
            messages.success(request, _("已为 %(n)s 人报名") % {"n": len(done)})
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("training:course", code=code)


@requires("training.learn")
def lesson(request, code: str, order: int):
    course = get_object_or_404(Course, code=code)
    enrollment = _enrollment(request, course)
    if enrollment is None:
        messages.error(request, _("请先报名"))
        return redirect("training:course", code=code)
    item = get_object_or_404(Lesson, course=course, order=order)
    if request.method == "POST":
        services.complete_lesson(by=Actor.from_request(request), enrollment=enrollment, lesson=item)
        following = course.lessons.filter(order__gt=order).first()
        return redirect("training:lesson", code=code, order=following.order) if following else redirect(
            "training:course", code=code)
    return render(request, "training/lesson.html", {"course": course, "lesson": item, "enrollment": enrollment})


@requires("training.learn")
def lesson_file(request, code: str, order: int):
    """Lesson files are course material: any enrolled learner may read them."""
    course = get_object_or_404(Course, code=code)
    if _enrollment(request, course) is None:
        raise PermissionDenied
    item = get_object_or_404(Lesson, course=course, order=order, file__isnull=False)
    response = HttpResponse(read_attachment(item.file), content_type=item.file.content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{item.file.original_name}"
    return response


@requires("training.learn")
def quiz(request, code: str):
    """GET shows the open attempt and changes nothing; POST ``start`` opens an attempt (or
    returns the open one), POST ``attempt`` submits it."""
    course = get_object_or_404(Course, code=code)
    enrollment = _enrollment(request, course)
    if enrollment is None:
        return redirect("training:course", code=code)
    by = Actor.from_request(request)
    if request.method == "POST" and "start" in request.POST:
        try:
            services.start_attempt(by=by, enrollment=enrollment)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("training:course", code=code)
        return redirect("training:quiz", code=code)
    if request.method == "POST":
        attempt = get_object_or_404(Attempt, pk=request.POST.get("attempt") or 0, enrollment=enrollment)
        answers = {}
        for key, value in request.POST.items():
            if key.startswith("q") and key[1:].isdigit() and value.isdigit():
                answers[int(key[1:])] = int(value)
        try:
            attempt = services.submit_attempt(by=by, attempt=attempt, answers=answers)
            if attempt.passed:
                messages.success(request, _("测验通过，得分 %(s)s，证书已颁发") % {"s": attempt.score})
            else:
                messages.error(request, _("得分 %(s)s，未达到及格分 %(p)s，可重新测验") % {"s": attempt.score, "p": course.pass_mark})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("training:course", code=code)
    attempt = enrollment.attempts.filter(submitted_at=None).first()
    if attempt is None:
        return redirect("training:course", code=code)
    return render(request, "training/quiz.html", {"course": course, "attempt": attempt,
                                                  "questions": course.questions.prefetch_related("choices")})


def _verify_url(request, cert) -> str:
    return request.build_absolute_uri(reverse("training:verify") + f"?code={cert.code}")


@requires("training.learn")
def certificate(request, number: str):
    cert = get_object_or_404(Certificate, number=number)
    if cert.enrollment.user_id != request.user.pk and not permissions.is_allowed(request.user, "training.events.manage"):
        raise PermissionDenied
    response = HttpResponse(certificate_pdf(cert, verify_url=_verify_url(request, cert)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.number}.pdf"'
    return response


@requires("training.certificates.verify")
def verify(request):
    """Public: shows the holder's name, course and date, nothing else personal."""
    code = request.GET.get("code", "")[:32]
    cert = services.verify(code) if code else None
    return render(request, "training/verify.html", {"code": code, "cert": cert, "checked": bool(code)})


@requires("training.events.manage")
def events(request):
    if request.method == "POST":
        try:
            starts = dt.datetime.fromisoformat(request.POST.get("starts_at", ""))
            services.create_event(
                by=Actor.from_request(request), title=request.POST.get("title", ""), kind=request.POST.get("kind", ""),
                starts_at=timezone.make_aware(starts) if timezone.is_naive(starts) else starts,
                area=Area.objects.filter(pk=request.POST.get("area") or 0).first(),
                course=Course.objects.filter(pk=request.POST.get("course") or 0).first(),
                venue=request.POST.get("venue", ""))
            messages.success(request, _("已创建"))
        except ValueError:
            messages.error(request, _("开始时间格式不正确"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("training:events")
    return render(request, "training/events.html", {
        "events": Event.objects.select_related("area", "course")[:100], "kinds": Event.Kind.choices,
        "areas": Area.objects.exclude(kind=Area.Kind.CITY), "courses": Course.objects.all()})


@requires("training.events.manage")
def attendance(request, event_id: int):
    event = get_object_or_404(Event, pk=event_id)
    if request.method == "POST":
        try:
            services.record_attendance(
                by=Actor.from_request(request), event=event, name=request.POST.get("name", ""),
                organization=Organization.objects.filter(credit_code=request.POST.get("credit_code", "").strip()).first())
            messages.success(request, _("已签到"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("training:attendance", event_id=event.pk)
    return render(request, "training/attendance.html", {
        "event": event, "rows": event.attendances.select_related("organization")})


@requires("training.stats")
def stats(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    area_ids = None
    if permissions.scope_filter(request.user, "training.stats") is not None:
        area_ids = permissions.district_area_ids(request.user)
    return render(request, "training/stats.html", {"s": selectors.statistics(year=year, area_ids=area_ids),
                                                   "measures": selectors.MEASURES})
