"""Import, change detection, replacement chains, follows and notifications."""

import datetime as dt
import gzip

import pytest

from qualitycity.core.errors import ImportRejected
from qualitycity.core.models import AuditEvent, Notification, Role
from qualitycity.core.services.audit import Actor
from qualitycity.core.tests import factories as core_factories
from qualitycity.standards import selectors
from qualitycity.standards.models import ChangeEvent, ChangeKind, Follow, Replacement, Standard, Status
from qualitycity.standards.services import follows, iso

from .factories import CATALOGUE, csv_bytes, load, row

pytestmark = pytest.mark.django_db


def test_it_imports_the_national_platform_layout(codes):
    outcome = load(CATALOGUE)
    assert outcome.created == len(CATALOGUE)
    std = Standard.objects.get(number="GB/T 19001-2016")
    assert (std.kind, std.prefix, std.sequence, std.year) == ("national", "GB/T", "19001", "2016")
    assert std.adoption == "IDT" and std.adopted_number == "ISO 9001:2015"
    assert std.implemented_on == dt.date(2017, 7, 1)
    assert std.ccs is None or std.ccs.code == "A00"
    assert list(std.ics.values_list("code", flat=True)) == ["03.120.10"]
    # the replaced edition exists as the other end of the chain, marked replaced
    old = Standard.objects.get(number="GB/T 19001-2008")
    assert old.status == Status.REPLACED
    assert [s.number for s in selectors.chain(std)] == ["GB/T 19001-2008", "GB/T 19001-2016"]
    assert AuditEvent.objects.filter(action="standards.import").count() == 1


def test_reimporting_detects_new_edition_status_change_and_abolition(codes):
    load(CATALOGUE)
    ChangeEvent.objects.all().delete()
    changed = [
        row("GB/T 5023.1-2025", "额定电压450/750V及以下聚氯乙烯绝缘电缆 第1部分：一般要求", 代替标准="GB/T 5023.1-2008",
            发布日期="2025-06-01", 实施日期="2026-01-01", ICS="29.060.20"),
        row("GB 2760-2014", "食品安全国家标准 食品添加剂使用标准", "废止", 废止日期="2025-02-08"),
        row("QB/T 1234-2012", "电冰箱用门封条", ICS="97.040.30"),  # unchanged
    ]
    outcome = load(changed)
    assert (outcome.created, outcome.unchanged) == (1, 1)
    kinds = {(e.standard.number, e.kind, e.effective_on) for e in ChangeEvent.objects.all()}
    assert ("GB/T 5023.1-2025", ChangeKind.NEW, dt.date(2026, 1, 1)) in kinds
    assert ("GB/T 5023.1-2008", ChangeKind.NEW_EDITION, dt.date(2026, 1, 1)) in kinds
    assert ("GB 2760-2014", ChangeKind.ABOLISHED, dt.date(2025, 2, 8)) in kinds
    assert not any(number == "QB/T 1234-2012" for number, _, _ in kinds)
    assert Replacement.objects.filter(old__number="GB/T 5023.1-2008", new__number="GB/T 5023.1-2025").exists()
    assert Standard.objects.get(number="GB 2760-2014").status == Status.ABOLISHED


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_problem(codes):
    before = (Standard.objects.count(), ChangeEvent.objects.count(), AuditEvent.objects.count())
    bad = [
        row("GB/T 19001-2016", "质量管理体系 要求"),
        row("GB/X 1-2020", "坏代号"),
        row("GB/T 2-2020", "", "现行"),
        row("GB/T 3-2020", "状态错", "有效"),
        row("GB/T 4-2020", "日期错", 实施日期="2020-13-01"),
        row("GB/T 5-2020", "采标错", 采标情况="ISO 9001"),
        row("GB/T 19001-2016", "重复行"),
    ]
    with pytest.raises(ImportRejected) as caught:
        load(bad)
    problems = {(p["line"], p["column"]) for p in caught.value.problems}
    assert problems == {(3, "标准号"), (4, "中文标准名称"), (5, "标准状态"), (6, "实施日期"), (7, "采标情况"), (8, "标准号")}
    assert (Standard.objects.count(), ChangeEvent.objects.count(), AuditEvent.objects.count()) == before


def test_a_file_without_required_columns_is_refused(codes):
    with pytest.raises(ImportRejected) as caught:
        from qualitycity.standards.services import imports

        imports.import_file(by=Actor.system("t"), filename="x.csv", content=csv_bytes([{"标准号": "GB 1-2020"}],
                                                                                    header=["标准号"]))
    assert {p["column"] for p in caught.value.problems} == {"中文标准名称", "标准状态"}


@pytest.fixture
def firm(codes):
    world = core_factories.role_users()
    return world["users"][Role.ENTERPRISE_MEMBER], world["orgs"]["own"], world


def test_followers_are_notified_of_a_new_edition_with_its_date(firm):
    user, org, world = firm
    load(CATALOGUE)
    follows.follow(by=Actor(user=user), standard=Standard.objects.get(number="GB/T 5023.1-2008"))
    outsider = world["outsider"]
    load([row("GB/T 5023.1-2025", "聚氯乙烯绝缘电缆 第1部分：一般要求", 代替标准="GB/T 5023.1-2008", 实施日期="2026-01-01")])
    notes = Notification.objects.filter(recipient=user, category="standards")
    assert any("GB/T 5023.1-2008 被 GB/T 5023.1-2025 代替" in n.title and "2026-01-01" in n.body + n.title for n in notes)
    assert not Notification.objects.filter(recipient=outsider, category="standards").exists()


def test_a_new_standard_in_a_followed_ics_field_is_announced(firm):
    user, org, _ = firm
    load(CATALOGUE)
    follows.follow(by=Actor(user=user), target=Follow.Target.ICS, code="29.060")
    load([row("GB/T 99999-2026", "架空绝缘电缆", ICS="29.060.20", 实施日期="2026-12-01")])
    assert Notification.objects.filter(recipient=user, title__contains="GB/T 99999-2026").count() == 1
    load([row("GB/T 88888-2026", "食品包装", ICS="67.250")])
    assert not Notification.objects.filter(recipient=user, title__contains="GB/T 88888-2026").exists()


def test_only_enterprise_members_follow_and_unknown_codes_are_refused(firm):
    from qualitycity.core.errors import DomainError

    user, _, world = firm
    with pytest.raises(DomainError):
        follows.follow(by=Actor(user=world["users"][Role.CITIZEN]), target=Follow.Target.ICS, code="29.060")
    with pytest.raises(DomainError, match="不存在"):
        follows.follow(by=Actor(user=user), target=Follow.Target.ICS, code="99.999")
    assert Follow.objects.count() == 0


def test_upcoming_implementation_is_announced_once_and_then_comes_into_force(firm):
    user, _, _ = firm
    today = dt.date(2026, 11, 26)
    load([row("GB/T 77777-2026", "新型电缆", "即将实施", 实施日期="2026-12-10")])
    std = Standard.objects.get(number="GB/T 77777-2026")
    follows.follow(by=Actor(user=user), standard=std)
    assert follows.announce_upcoming(by=Actor.system("t"), today=today) == 1
    assert follows.announce_upcoming(by=Actor.system("t"), today=today) == 0
    assert Notification.objects.filter(recipient=user, title__contains="将于 2026-12-10 实施").count() == 1
    follows.announce_upcoming(by=Actor.system("t"), today=dt.date(2026, 12, 10))
    std.refresh_from_db()
    assert std.status == Status.CURRENT


def test_my_standards_puts_those_ending_within_90_days_first(firm):
    user, _, _ = firm
    today = dt.date.today()
    soon = (today + dt.timedelta(days=30)).isoformat()
    load(CATALOGUE + [row("GB 2760-2099", "食品添加剂使用标准（新）", "即将实施", 实施日期=soon, 代替标准="GB 2760-2014")])
    for number in ("GB/T 19001-2016", "GB 2760-2014", "QB/T 1234-2012"):
        follows.follow(by=Actor(user=user), standard=Standard.objects.get(number=number))
    rows, _ = selectors.my_standards(user)
    assert rows[0].standard.number == "GB 2760-2014" and rows[0].ending_soon
    assert [s.number for s in rows[0].replacements] == ["GB 2760-2099"]
    assert not rows[1].ending_soon


ISO_SLICE = """reference,title_en,title_fr,published,stage,edition,doctype,committee,ics,relations
ISO 9001:2008,Quality management systems - Requirements,,2008-11,95.99,4,international-standard,ISO/TC 176/SC 2,03.120.10,updates:ISO 9001:2015
ISO 9001:2015,Quality management systems - Requirements,,2015-09,90.92,5,international-standard,ISO/TC 176/SC 2,03.120.10,obsoletes:ISO 9001:2008
ISO 9001:2015,Quality management systems - Requirements,,2015-09,90.92,5,international-standard,ISO/TC 176/SC 2,03.120.10,obsoletes:ISO 9001:2008
ISO 14001:2015,Environmental management systems,,2015-09,60.60,3,international-standard,ISO/TC 207/SC 1,13.020.10,
ISO/CD 15686-1.2,Buildings - Service life planning,,,30.99,,,,91.040.01,
ISO/IEC DIR 1 ISO SUP:2003,,,2003-06-05,,1,,,,partOf:ISO/IEC DIR 1 ISO SUP
"""


def test_the_iso_import_maps_stages_and_relations(codes):
    content = gzip.compress(ISO_SLICE.encode())
    report = iso.import_iso(by=Actor.system("t"), content=content)
    assert (report.rows, report.created, report.unparsed) == (5, 5, 1)
    statuses = dict(Standard.objects.values_list("number", "status"))
    assert statuses["ISO 9001:2015"] == Status.CURRENT and statuses["ISO 14001:2015"] == Status.CURRENT
    assert statuses["ISO 9001:2008"] == Status.REPLACED  # withdrawn and obsoleted by the 2015 edition
    assert statuses["ISO/CD 15686-1.2"] == Status.UPCOMING
    assert Replacement.objects.filter(old__number="ISO 9001:2008", new__number="ISO 9001:2015").count() == 1
    # a second run changes nothing; a withdrawal becomes a change event
    again = iso.import_iso(by=Actor.system("t"), content=content)
    assert (again.created, again.updated) == (0, 0)
    withdrawn = ISO_SLICE.replace("2015-09,60.60,3", "2015-09,95.99,3")
    report = iso.import_iso(by=Actor.system("t"), content=withdrawn.encode())
    assert report.updated == 1
    assert ChangeEvent.objects.filter(standard__number="ISO 14001:2015", kind=ChangeKind.ABOLISHED).count() == 1


def test_the_weekly_digest_emails_followers_the_weeks_changes(firm, mailoutbox, django_capture_on_commit_callbacks):
    user, _, _ = firm
    user.email = "firm@example.com"
    user.save()
    load(CATALOGUE)
    follows.follow(by=Actor(user=user), target=Follow.Target.ICS, code="29.060")
    with django_capture_on_commit_callbacks(execute=True):
        assert follows.weekly_digest() == 1
    assert len(mailoutbox) == 1 and "GB/T 5023.1-2008" in mailoutbox[0].body
