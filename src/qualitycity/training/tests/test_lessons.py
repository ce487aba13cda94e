"""Lessons: video (URL or uploaded MP4), sanitized rich text and PDF, checked against their
kind, uploaded through the attachment service; the course admin never offers stored files."""

import pytest
from django.test import Client

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Attachment, AuditEvent, Role
from qualitycity.core.services.attachments import store_attachment
from qualitycity.core.tests import factories as core

from .. import services
from ..models import Lesson
from . import factories as f

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


@pytest.fixture
def w():
    w = core.role_users()
    w["course"] = f.course()
    w["by"] = f.actor(w["users"][Role.CITY_OFFICE])
    return w


def _save(w, **fields):
    values = dict(course=w["course"], title="讲义", kind="pdf", order=3)
    values.update(fields)
    return services.save_lesson(by=w["by"], **values)


def test_a_pdf_lesson_needs_a_pdf_and_a_wrong_file_leaves_nothing_behind(w):
    lessons, files = Lesson.objects.count(), Attachment.objects.count()
    with pytest.raises(DomainError, match="需要上传 PDF"):
        _save(w)
    with pytest.raises(DomainError, match="只接受 PDF"):
        _save(w, upload=("讲义.mp4", MP4))
    with pytest.raises(DomainError):
        _save(w, upload=("讲义.pdf", b"MZ\x90\x00 not a pdf"))
    assert (Lesson.objects.count(), Attachment.objects.count()) == (lessons, files)
    lesson = _save(w, upload=("讲义.pdf", PDF))
    assert lesson.file.content_type == "application/pdf" and len(lesson.file.sha256) == 64
    assert AuditEvent.objects.filter(action="training.lesson_save").count() == 1


def test_a_video_lesson_takes_a_url_or_an_uploaded_mp4(w):
    with pytest.raises(DomainError, match="视频地址或上传的 MP4"):
        _save(w, kind="video")
    with pytest.raises(DomainError):
        _save(w, kind="video", video_url="javascript:alert(1)")
    assert _save(w, kind="video", video_url="https://v.example.org/a.mp4").file is None
    lesson = _save(w, kind="video", order=4, upload=("课.mp4", MP4))
    assert lesson.file.content_type == "video/mp4"
    # turning it into a PDF lesson without a PDF is refused, the video stays
    with pytest.raises(DomainError):
        _save(w, lesson=lesson, kind="pdf", order=4)
    lesson.refresh_from_db()
    assert lesson.kind == "video" and lesson.file.content_type == "video/mp4"


def test_a_lesson_order_is_taken_once(w):
    with pytest.raises(DomainError, match="已有第 1 课时"):
        _save(w, kind="text", body="正文", order=1)


def test_rich_text_is_stored_and_shown_without_scripts(w):
    with pytest.raises(DomainError, match="需要正文"):
        _save(w, kind="text", body="<script>alert(1)</script>")
    lesson = _save(w, kind="text", body='<p onclick="x()"><strong>要点</strong><script>alert(1)</script>'
                                        '<a href="javascript:alert(1)">链接</a><img src=x onerror=alert(1)></p>')
    assert "script" not in lesson.body and "onclick" not in lesson.body and "javascript" not in lesson.body
    assert "<strong>要点</strong>" in lesson.body
    # a row written around the service (an old import) is sanitized again when shown
    Lesson.objects.filter(pk=lesson.pk).update(body='<p>旧</p><script>alert("x")</script>')
    learner = w["users"][Role.ENTERPRISE_MEMBER]
    services.enrol(by=f.actor(learner), course=w["course"], user=learner)
    c = Client()
    c.force_login(learner)
    page = c.get(f"/training/courses/{w['course'].code}/lessons/3/").content.decode()
    assert "<p>旧</p>" in page and 'alert("x")' not in page


def test_an_enrolled_learner_opens_the_pdf_and_others_cannot(w):
    _save(w, upload=("讲义.pdf", PDF))
    learner = w["users"][Role.ENTERPRISE_MEMBER]
    services.enrol(by=f.actor(learner), course=w["course"], user=learner)
    c, outsider = Client(), Client()
    c.force_login(learner)
    outsider.force_login(w["outsider"])
    url = f"/training/courses/{w['course'].code}/lessons/3/file/"
    response = c.get(url)
    assert response.status_code == 200 and response.content == PDF
    assert "打开 PDF 讲义" in c.get(f"/training/courses/{w['course'].code}/lessons/3/").content.decode()
    assert outsider.get(url).status_code == 403


def _inline(course, lessons, **new):
    data = {"code": course.code, "title": course.title, "topic": course.topic, "summary": "", "pass_mark": 60,
            "max_attempts": 2, "published": "on", "hours": "2", "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0,
            "lessons-TOTAL_FORMS": len(lessons) + 1, "lessons-INITIAL_FORMS": len(lessons)}
    for i, lesson in enumerate(lessons):
        data.update({f"lessons-{i}-id": lesson.pk, f"lessons-{i}-course": course.pk, f"lessons-{i}-order": lesson.order,
                     f"lessons-{i}-title": lesson.title, f"lessons-{i}-kind": lesson.kind,
                     f"lessons-{i}-video_url": lesson.video_url, f"lessons-{i}-body": lesson.body,
                     f"lessons-{i}-minutes": lesson.minutes})
    n = len(lessons)
    data.update({f"lessons-{n}-course": course.pk, f"lessons-{n}-minutes": 20,
                 **{f"lessons-{n}-{k}": v for k, v in new.items()}})
    return data


def test_the_course_admin_uploads_lesson_files_and_never_offers_stored_ones(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    secret = store_attachment(by=f.actor(w["users"][Role.ENTERPRISE_MEMBER]), filename="机密检测报告-客户A.pdf",
                              content=PDF + b"%secret")
    admin = Client()
    admin.force_login(w["users"][Role.SYSTEM_ADMIN])
    course = w["course"]
    page = admin.get(f"/admin/training/course/{course.pk}/change/").content.decode()
    assert "机密检测报告" not in page and 'name="lessons-0-file"' not in page and 'enctype="multipart/form-data"' in page
    lessons = list(course.lessons.all())
    url = f"/admin/training/course/{course.pk}/change/"
    # a PDF lesson without its PDF is refused on the form, nothing saved
    response = admin.post(url, _inline(course, lessons, order=3, title="讲义", kind="pdf"))
    assert response.status_code == 200 and "PDF 讲义需要上传 PDF 文件" in response.content.decode()
    assert course.lessons.count() == 2
    # choosing the stored file by id is not possible: the field does not exist
    response = admin.post(url, _inline(course, lessons, order=3, title="讲义", kind="pdf", file=secret.pk))
    assert course.lessons.count() == 2
    upload = SimpleUploadedFile("讲义.pdf", PDF, content_type="application/pdf")
    response = admin.post(url, _inline(course, lessons, order=3, title="讲义", kind="pdf", upload=upload))
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = course.lessons.get(order=3)
    assert lesson.file_id != secret.pk and lesson.file.uploaded_by == w["users"][Role.SYSTEM_ADMIN]
    assert AuditEvent.objects.filter(action="training.lesson_save", object_id=str(lesson.pk)).exists()


def test_the_demo_handout_is_a_pdf_lesson_stored_through_the_attachment_service(w):
    from ..demo import _handouts

    assert _handouts([w["course"]]) == 1
    lesson = w["course"].lessons.get(order=4)
    assert lesson.kind == "pdf" and lesson.file.content_type == "application/pdf" and lesson.file.size > 1000
