"""Pages: who may see a consultation (participants and the city office only), the thread,
closing and rating through the form, the knowledge base and statistics."""

import pytest
from django.test import Client

from qualitycity.core.models import Role
from qualitycity.core.services.attachments import store_attachment

from .. import services
from ..models import Case
from . import factories as f

pytestmark = pytest.mark.django_db
R = Role
EVERY = sorted(Role) + ["anonymous"]
# page -> roles allowed (written out independently of rules.py)
PAGES = {
    "/consult/": {R.ENTERPRISE_MEMBER, R.EXPERT, R.CITY_OFFICE},
    "/consult/ask/": {R.ENTERPRISE_MEMBER},
    "/consult/knowledge/": set(Role),
    "/consult/stats/": {R.CITY_OFFICE, R.SYSTEM_ADMIN},
    "/consult/recommendations/": {R.ENTERPRISE_MEMBER, R.CITY_OFFICE, R.SYSTEM_ADMIN},
}
CASE_VIEWERS = {R.ENTERPRISE_MEMBER, R.EXPERT, R.CITY_OFFICE}


@pytest.fixture
def w():
    return f.world()


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


@pytest.mark.parametrize("role", EVERY)
def test_a_case_is_visible_only_to_its_participants_and_the_city_office(w, role):
    case = f.ask(w)
    c = client_for(None if role == "anonymous" else w["users"][role])
    response = c.get(f"/consult/cases/{case.number}/")
    if role in CASE_VIEWERS:
        assert response.status_code == 200 and case.symptom in response.content.decode()
    else:
        # the district officer of the enterprise's own district and the system admin are refused too
        assert response.status_code in (302, 403, 404)
        assert case.symptom.encode() not in response.content


def test_outsiders_do_not_see_the_case_or_its_files(w):
    upload = store_attachment(by=f.actor(w["users"][R.ENTERPRISE_MEMBER]), filename="报告.pdf", content=b"%PDF-1.4 x")
    case = f.ask(w, attachment_ids=[upload.pk])
    for user in (w["outsider"], w["other_expert_user"]):
        c = client_for(user)
        assert c.get(f"/consult/cases/{case.number}/").status_code in (403, 404)
        assert c.get(f"/consult/cases/{case.number}/files/{upload.pk}/").status_code in (403, 404)
        assert case.number not in c.get("/consult/").content.decode()
    # the expert (a participant, not the uploader) can open the file
    expert = client_for(w["users"][R.EXPERT])
    assert expert.get(f"/consult/cases/{case.number}/files/{upload.pk}/").content == b"%PDF-1.4 x"


def test_the_expert_replies_and_the_enterprise_closes_and_rates(w):
    case = f.ask(w)
    expert = client_for(w["users"][R.EXPERT])
    expert.post(f"/consult/cases/{case.number}/reply/", {"body": "建议复测绝缘电阻并检查绝缘料。"})
    ent = client_for(w["users"][R.ENTERPRISE_MEMBER])
    page = ent.get(f"/consult/cases/{case.number}/").content.decode()
    assert "建议复测绝缘电阻" in page and "close-form" in page
    ent.post(f"/consult/cases/{case.number}/close/", {"solved": "1", "rating": "4", "comment": "有帮助"})
    case.refresh_from_db()
    assert case.status == Case.Status.RATED and case.rating == 4


def test_threaded_reply_and_referral_link_to_a_course(w):
    from qualitycity.training.tests.factories import course

    course(code="KC2026002")
    case = f.ask(w)
    root = case.messages.get()
    expert = client_for(w["users"][R.EXPERT])
    expert.post(f"/consult/cases/{case.number}/reply/", {"body": "针对这条：请补充照片", "parent": root.pk})
    expert.post(f"/consult/cases/{case.number}/reply/", {"body": "推荐课程", "kind": "referral",
                                                         "referral_kind": "course", "referral_ref": "KC2026002"})
    assert case.messages.filter(parent=root).count() == 1
    page = expert.get(f"/consult/cases/{case.number}/").content.decode()
    assert 'href="/training/courses/KC2026002/"' in page


def test_the_city_office_sees_match_explanations_and_assigns(w):
    case = f.ask(w, auto_assign=False)
    office = client_for(w["users"][R.CITY_OFFICE])
    page = office.get(f"/consult/cases/{case.number}/").content.decode()
    assert "赵教授" in page and "熟悉标准" in page
    office.post(f"/consult/cases/{case.number}/assign/", {"expert": w["other_expert"].pk})
    case.refresh_from_db()
    assert case.expert == w["other_expert"]


def test_ask_form_errors_keep_counts_and_suggestions_come_from_the_knowledge_base(w):
    ent = client_for(w["users"][R.ENTERPRISE_MEMBER])
    response = ent.post("/consult/ask/", {"title": "", "symptom": "短"})
    assert response.status_code == 200 and "请填写问题标题" in response.content.decode()
    assert Case.objects.count() == 0
    case = f.ask(w)
    services.post(by=f.actor(w["users"][R.EXPERT]), case=case, body="检查绝缘料批次")
    services.close(by=f.actor(w["users"][R.ENTERPRISE_MEMBER]), case=case, solved=True, rating=5, publish_consent=True)
    hint = ent.get("/consult/ask/suggest/", {"title": "电线绝缘电阻偏低"}).content.decode()
    assert "绝缘电阻" in hint
    assert "绝缘电阻" in ent.get("/consult/knowledge/", {"q": "绝缘电阻"}).content.decode()
    assert "绝缘电阻" not in ent.get("/consult/knowledge/", {"q": "酱油氨基酸"}).content.decode()


def test_statistics_count_cases(w):
    f.ask(w)
    page = client_for(w["users"][R.CITY_OFFICE]).get("/consult/stats/").content.decode()
    assert '<div class="num" id="total">1</div>' in page and "洪山区" in page


def test_recommendations_say_why(w):
    from qualitycity.training.tests.factories import course

    c = course()
    c.industries.add(w["orgs"]["own"].industry)
    page = client_for(w["users"][R.ENTERPRISE_MEMBER]).get("/consult/recommendations/").content.decode()
    assert c.title in page and "因为贵企业属于" in page and "（38）" in page
    # the city office may look at any enterprise, an enterprise member only at their own
    other = w["orgs"]["other"].pk
    assert client_for(w["users"][R.CITY_OFFICE]).get(f"/consult/recommendations/?enterprise={other}").status_code == 200
    assert client_for(w["users"][R.ENTERPRISE_MEMBER]).get(f"/consult/recommendations/?enterprise={other}").status_code == 404


def test_the_case_admin_is_closed_to_everyone_but_the_city_office(w):
    from qualitycity.core.models import User

    case = f.ask(w)
    admin = client_for(w["users"][R.SYSTEM_ADMIN])
    for url in ("/admin/consult/case/", f"/admin/consult/case/{case.pk}/change/"):
        response = admin.get(url)
        assert response.status_code in (302, 403, 404) and case.symptom.encode() not in response.content
    assert "/admin/consult/case/" not in admin.get("/admin/").content.decode()
    office = w["users"][R.CITY_OFFICE]
    User.objects.filter(pk=office.pk).update(is_staff=True)
    office.refresh_from_db()
    staff = client_for(office)
    assert case.number in staff.get("/admin/consult/case/").content.decode()
    page = staff.get(f"/admin/consult/case/{case.pk}/change/")
    assert page.status_code == 200 and case.symptom in page.content.decode()


def test_every_referral_kind_checks_its_target_and_links_to_it(w):
    import datetime as dt

    from django.db import transaction

    from qualitycity.core.errors import DomainError
    from qualitycity.inspection.models import Order
    from qualitycity.standards.models import Standard
    from qualitycity.training.tests.factories import course

    course(code="KC2026002")
    Standard.objects.create(number="GB/T 5023.3-2008", base_number="GB/T 5023.3", kind="national", prefix="GB/T",
                            sequence="5023", part="3", year="2008", title_zh="聚氯乙烯绝缘电缆 固定布线用无护套电缆",
                            status="current")
    Order.objects.create(number="JY202605060001", enterprise=w["orgs"]["own"], lab=w["orgs"]["lab"],
                         product_name="BV 电线")
    Order.objects.create(number="JY202605060002", enterprise=w["orgs"]["other"], lab=w["orgs"]["lab"],
                         product_name="别家的样品")
    case = f.ask(w)
    by = f.actor(w["users"][R.EXPERT])
    refused = [("course", "KC9999"), ("standard", "GB/T 9999-2001"), ("lab_order", "JY209901010001"),
               ("lab_order", "JY202605060002")]  # the last one belongs to another enterprise
    for kind, ref in refused:
        with pytest.raises(DomainError), transaction.atomic():
            services.post(by=by, case=case, body="转介", kind="referral", referral_kind=kind, referral_ref=ref)
    with pytest.raises(DomainError, match="日期"):
        services.post(by=by, case=case, body="上门", kind="visit", visit_on="2001-01-01")
    assert case.messages.count() == 1  # only the question: nothing refused was written
    for kind, ref in [("course", "KC2026002"), ("standard", "gb/t 5023.3—2008"), ("lab_order", "JY202605060001")]:
        services.post(by=by, case=case, body=f"转介到{kind}", kind="referral", referral_kind=kind, referral_ref=ref)
    tomorrow = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    services.post(by=by, case=case, body="建议上门看产线", kind="visit", visit_on=tomorrow)
    page = client_for(w["users"][R.ENTERPRISE_MEMBER]).get(f"/consult/cases/{case.number}/").content.decode()
    assert 'href="/training/courses/KC2026002/"' in page
    assert 'href="/standards/s/GB/T%205023.3-2008"' in page
    assert 'href="/inspection/orders/JY202605060001/"' in page
    assert "建议现场服务日期" in page
    assert case.messages.get(kind="visit").visit_on == dt.date.fromisoformat(tomorrow)


def test_the_enterprise_sees_why_its_expert_matched(w):
    case = f.ask(w)
    page = client_for(w["users"][R.ENTERPRISE_MEMBER]).get(f"/consult/cases/{case.number}/").content.decode()
    assert 'id="why-expert"' in page and "熟悉标准：GB/T5023.3" in page and "行业：" in page


def test_a_case_closed_unsolved_counts_against_the_resolution_rate(w):
    expert, ent = f.actor(w["users"][R.EXPERT]), f.actor(w["users"][R.ENTERPRISE_MEMBER])
    for solved in (True, False):
        case = f.ask(w)
        services.post(by=expert, case=case, body="请复测")
        services.close(by=ent, case=case, solved=solved, rating=3, publish_consent=True)
    assert set(Case.objects.values_list("status", flat=True)) == {Case.Status.RATED, Case.Status.CLOSED}
    assert Case.objects.get(status=Case.Status.CLOSED).publish_consent is False  # unsolved is never published
    page = client_for(w["users"][R.CITY_OFFICE]).get("/consult/stats/").content.decode()
    assert '<div class="num" id="resolution-rate">50.0%</div>' in page


def test_the_city_office_edits_an_experts_profile_and_industries(w):
    from qualitycity.core.models import AuditEvent

    office = client_for(w["users"][R.CITY_OFFICE])
    assert w["expert"].name in office.get("/consult/profile/").content.decode()
    pk = w["expert"].pk
    assert office.get(f"/consult/profile/?expert={pk}").status_code == 200
    office.post("/consult/profile/", {"expert": pk, "fields": ["testing"], "industries": ["38", "39"],
                                      "open_case_limit": 4, "available": "1"})
    w["expert"].refresh_from_db()
    assert sorted(w["expert"].industries.values_list("code", flat=True)) == ["38", "39"]
    assert w["expert"].consult_profile.open_case_limit == 4
    assert AuditEvent.objects.filter(action="consult.profile").last().changes["industries"] == [["38"], ["38", "39"]]
    # an unknown code is refused and nothing changes
    office.post("/consult/profile/", {"expert": pk, "fields": ["testing"], "industries": ["99X"], "open_case_limit": 9})
    w["expert"].refresh_from_db()
    assert w["expert"].consult_profile.open_case_limit == 4
    # an expert edits only their own profile, whatever ?expert= says
    other = w["other_expert"].pk
    client_for(w["users"][R.EXPERT]).post("/consult/profile/", {"expert": other, "fields": ["quality"],
                                                                "open_case_limit": 2, "available": "1"})
    assert w["other_expert"].consult_profile.open_case_limit != 2


def test_the_city_office_finds_an_enterprise_for_its_recommendations_by_name(w):
    office = client_for(w["users"][R.CITY_OFFICE])
    page = office.get("/consult/recommendations/", {"q": "江岸他人"}).content.decode()
    assert f'href="?enterprise={w["orgs"]["other"].pk}"' in page
    assert "没有找到该企业" in office.get("/consult/recommendations/", {"q": "不存在的企业"}).content.decode()
    # an enterprise member gets no search box: they see their own enterprise only
    assert 'id="enterprise-q"' not in client_for(w["users"][R.ENTERPRISE_MEMBER]).get(
        "/consult/recommendations/").content.decode()
