"""The online-classroom API (/api/v1/training/…)."""

import datetime as dt

from ninja import Router, Schema

from qualitycity.core.permissions import api_requires

from . import services
from .models import Course

router = Router(tags=["training"])


class CourseOut(Schema):
    code: str
    title: str
    topic: str
    hours: float
    pass_mark: int
    lessons: int


class VerifyOut(Schema):
    valid: bool
    number: str = ""
    holder: str = ""
    course: str = ""
    issued_on: dt.date | None = None


@router.get("/courses", response=list[CourseOut])
@api_requires("training.courses.view")
def list_courses(request):
    return [{"code": c.code, "title": c.title, "topic": c.topic, "hours": float(c.hours), "pass_mark": c.pass_mark,
             "lessons": c.lessons.count()} for c in Course.objects.filter(published=True)]


@router.get("/certificates/verify", response=VerifyOut)
@api_requires("training.certificates.verify")
def verify(request, code: str = ""):
    """Public: the same facts as the verification page, nothing else personal."""
    cert = services.verify(code[:32])
    if cert is None:
        return {"valid": False}
    return {"valid": True, "number": cert.number, "holder": cert.holder_name, "course": cert.course_title,
            "issued_on": cert.issued_at.date()}
