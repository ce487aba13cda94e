"""axe-core over every public page of the portal and the services it links to, on a phone:
no serious or critical violation anywhere, in every state a citizen can meet (a current
and a superseded report, a valid, suspended and unknown certificate, …)."""

import datetime as dt

import pytest

from qualitycity.brands import services as brand_services
from qualitycity.brands.tests.factories import BY, certified, inspected
from qualitycity.core.tests import factories
from qualitycity.inspection import portal_sources
from qualitycity.portal import services as portal_services

from .accessibility import serious_violations
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def _published(**kwargs):
    pub = portal_services.prepare_publication(by=BY, **kwargs)
    portal_services.approve(by=BY, publication=pub)
    return portal_services.publish(by=BY, publication=pub)


def _world():
    area = factories.area()
    day = dt.date.today() - dt.timedelta(days=1)
    valid = certified(factories.organization(name="楚天电缆有限公司", in_area=area), today=day - dt.timedelta(days=30))
    suspended = certified(factories.organization(name="汉江电器有限公司", in_area=area), today=day - dt.timedelta(days=30))
    brand_services.suspend(by=BY, certificate=suspended, reason="证后抽检不合格")
    inspected(valid.enterprise, tested_on=day)
    inspected(suspended.enterprise, passed=False, item="泄漏电流", tested_on=day)
    args = portal_sources.sampling_publication(day.year, (day.month - 1) // 3 + 1)
    first = _published(**args)
    rows = [dict(r, result="合格", failed_items="") for r in args["rows"]]
    second = _published(**{**args, "rows": rows, "charts": portal_sources.charts_for(rows),
                           "correction_note": "经复核，检验结论更正为合格。"})
    return first, second, valid, suspended


def test_the_checker_itself_reports_a_serious_violation(phone):
    """Guards the guard: a page with an unlabelled field and an image without text fails."""
    phone.set_content('<html lang="zh-Hans"><head><title>x</title></head><body><main><img src="data:,">'
                      '<input type="text"></main></body></html>')
    found = " ".join(serious_violations(phone))
    assert "image-alt" in found and "label" in found


def test_every_public_page_has_no_serious_accessibility_violation_on_a_phone(live_server, phone):
    first, second, valid, suspended = _world()
    pages = [
        ("/portal/", "portal-home"), ("/portal/reports/", "portal-reports"), (second.url, "portal-report-current"),
        (first.url, "portal-report-superseded"), (f"{first.url}correction/", "portal-correction"),
        ("/portal/open-data/", "portal-open-data"), (f"/portal/open-data/{second.dataset.slug}/", "portal-dataset"),
        ("/portal/surveys/", "portal-surveys"), ("/brands/", "brands-registry"), ("/brands/standards/", "brands-standards"),
        (f"/brands/c/{valid.number}/", "brands-check-valid"), (f"/brands/c/{suspended.number}/", "brands-check-suspended"),
        ("/brands/check/?number=WHMP209901010001", "brands-check-not-found"),
        ("/complaints/track/", "complaints-track"), ("/verify/", "inspection-verify"),
        ("/surveys/results/", "surveys-results"), ("/indices/public/", "indices-public"), ("/standards/", "standards"),
    ]
    found = {}
    for path, name in pages:
        phone.goto(f"{live_server.url}{path}")
        phone.wait_for_load_state("networkidle")
        assert phone.locator("main, [role=main]").count() >= 1, path  # a real page, not an error
        violations = serious_violations(phone)
        if violations:
            found[path] = violations
        screenshot(phone, f"a11y-{name}")
    assert found == {}


def test_the_publishing_desk_and_the_brand_office_pages_are_accessible(live_server, browser):
    """The city office's own pages: the desk with a correction to turn into a new version,
    the 名品 settings and the supervision page with its forms."""
    from django.test import Client

    from qualitycity.core.models import Role
    from qualitycity.portal.models import CorrectionRequest

    first, second, _valid, _suspended = _world()
    request = portal_services.request_correction(by=BY, publication=second, entry="汉江电器有限公司", reason="复检合格")
    portal_services.resolve_correction(by=BY, correction=request, accepted=True, reply="予以更正")
    assert CorrectionRequest.objects.filter(status="accepted").exists()
    office = factories.role_users()["users"][Role.CITY_OFFICE]
    client = Client()
    client.force_login(office)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    found = {}
    for path in ("/portal/desk/", "/brands/settings/", "/brands/supervision/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert page.locator("main, [role=main]").count() >= 1, path
        violations = serious_violations(page)
        if violations:
            found[path] = violations
        screenshot(page, f"a11y-staff{path.replace('/', '-').rstrip('-')}")
    context.close()
    assert found == {}
