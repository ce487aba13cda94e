import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.tests import factories as core

from .. import services
from ..models import Attempt, Certificate
from . import factories as f

pytestmark = pytest.mark.django_db
R = Role
EVERY = sorted(Role) + ["anonymous"]
PAGES = {
    "/training/": set(Role),
    "/training/courses/KC0001/": set(Role),
    "/training/verify/": set(Role) | {"anonymous"},
    "/training/events/": {R.CITY_OFFICE, R.SYSTEM_ADMIN},
    "/training/stats/": {R.CITY_OFFICE, R.SYSTEM_ADMIN, R.DISTRICT_OFFICER},
}


@pytest.fixture
def w():
    w = core.role_users()
    w["course"] = f.course()
    return w


def client_for(user):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.mark.parametrize("role", EVERY)
def test_page_matrix(w, role):
    c = client_for(None if role == "anonymous" else w["users"][role])
    for url, allowed in PAGES.items():
        status = c.get(url).status_code
        expected = 200 if role in allowed else (302 if role == "anonymous" else 403)
        assert status == expected, (role, url, status)


def test_learn_through_the_pages_then_download_and_verify_the_certificate(w):
    c = client_for(w["users"][R.ENTERPRISE_MEMBER])
    code = w["course"].code
    c.post(f"/training/courses/{code}/enrol/")
    for order in (1, 2):
        assert c.get(f"/training/courses/{code}/lessons/{order}/").status_code == 200
        c.post(f"/training/courses/{code}/lessons/{order}/")
    # opening the quiz page changes nothing: no attempt is started by a GET (a link preview
    # or a prefetch must not use up one of the limited attempts)
    assert c.get(f"/training/courses/{code}/quiz/").status_code == 302 and not Attempt.objects.exists()
    c.post(f"/training/courses/{code}/quiz/", {"start": "1"})
    c.post(f"/training/courses/{code}/quiz/", {"start": "1"})  # a double click opens one attempt
    quiz = c.get(f"/training/courses/{code}/quiz/")
    assert "第1题" in quiz.content.decode()
    attempt = Attempt.objects.get()
    c.get(f"/training/courses/{code}/quiz/")
    assert Attempt.objects.count() == 1
    data = {"attempt": attempt.pk, **{f"q{q}": ch for q, ch in f.answers(w["course"], right=4).items()}}
    c.post(f"/training/courses/{code}/quiz/", data)
    again = c.post(f"/training/courses/{code}/quiz/", data, follow=True).content.decode()
    assert "不能重复提交" in again and Attempt.objects.count() == 1
    cert = Certificate.objects.get()
    pdf = c.get(f"/training/certificates/{cert.number}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # nobody else downloads it, but anyone can verify it
    assert client_for(w["outsider"]).get(f"/training/certificates/{cert.number}.pdf").status_code == 403
    public = client_for(None).get("/training/verify/", {"code": cert.code}).content.decode()
    assert "证书有效" in public and cert.course_title in public
    assert "证书有效" not in client_for(None).get("/training/verify/", {"code": "XXXXXXXXXXXX"}).content.decode()


def test_a_district_officer_sees_only_their_districts_figures(w):
    user = w["users"][R.ENTERPRISE_MEMBER]  # 洪山区
    services.enrol(by=f.actor(user), course=w["course"], user=user)
    services.enrol(by=f.actor(w["outsider"]), course=w["course"], user=w["outsider"])  # 江岸区
    page = client_for(w["users"][R.DISTRICT_OFFICER]).get("/training/stats/").content.decode()
    assert "洪山区" in page and "江岸区" not in page
    city = client_for(w["users"][R.CITY_OFFICE]).get("/training/stats/").content.decode()
    assert "洪山区" in city and "江岸区" in city


def test_lesson_pages_need_an_enrolment(w):
    c = client_for(w["outsider"])
    response = c.get(f"/training/courses/{w['course'].code}/lessons/1/")
    assert response.status_code == 302


def test_course_edits_in_the_admin_are_audited(w):
    from qualitycity.core.models import AuditEvent

    admin = client_for(w["users"][R.SYSTEM_ADMIN])
    assert admin.get("/admin/training/course/").status_code == 200
    # consultations are private: the system admin is refused in the admin too (consult/admin.py)
    assert admin.get("/admin/consult/case/").status_code == 403
    c = w["course"]
    admin.post(f"/admin/training/course/{c.pk}/change/", {
        "code": c.code, "title": "新标题", "topic": c.topic, "summary": "", "pass_mark": 70, "max_attempts": 3,
        "published": "on", "hours": "2",
        "lessons-TOTAL_FORMS": 0, "lessons-INITIAL_FORMS": 0, "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0})
    c.refresh_from_db()
    assert c.title == "新标题"
    event = AuditEvent.objects.filter(action="admin.change", object_type="training.course").get()
    assert event.changes["title"] == ["电线电缆产品质量控制", "新标题"]
