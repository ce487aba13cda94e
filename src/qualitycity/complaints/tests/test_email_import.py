"""E-mail intake: real RFC 5322 bytes become demands; duplicates, refused attachments and
malformed messages are reported, and a refused message writes nothing."""

import datetime as dt
import email.utils
import mailbox
import re
from email.message import EmailMessage

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from qualitycity.complaints.models import Demand, Event
from qualitycity.complaints.services import email_import
from qualitycity.core.models import Attachment, AuditEvent, Role
from qualitycity.core.services.audit import Actor

from . import factories

pytestmark = pytest.mark.django_db
BY = Actor.system("test")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SENT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def w():
    cache.clear()
    return factories.world()


def eml(*, subject="洪山区某超市出售过期牛奶", body="我在洪山区街道口某超市买到过期三天的牛奶，要求退款并查处。",
        sender="张三 <zhangsan@example.com>", message_id="<m1@mail.example.com>", attachments=(), date=SENT) -> bytes:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "12345@wuhan.example.gov.cn"
    m["Subject"] = subject
    if message_id:
        m["Message-ID"] = message_id
    m["Date"] = email.utils.format_datetime(date)
    m.set_content(body)
    for name, content, maintype, subtype in attachments:
        m.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return m.as_bytes()


def counts():
    return Demand.objects.count(), Attachment.objects.count(), AuditEvent.objects.count(), Event.objects.count()


def test_an_email_becomes_an_email_channel_demand_with_its_attachment(w):
    raw = eml(attachments=[("现场照片.png", PNG, "image", "png")])
    report = email_import.import_files(by=BY, files=[("m1.eml", raw)])
    assert report.rejected == [] and len(report.created) == 1
    d = Demand.objects.get(number=report.created[0][1])
    assert d.channel == "email" and d.area.name == "洪山区"
    assert d.description.startswith("洪山区某超市出售过期牛奶") and "过期三天" in d.description
    assert d.title == "洪山区某超市出售过期牛奶"
    assert (d.contact_name, d.contact_email, d.contact_phone) == ("张三", "zhangsan@example.com", "")
    assert d.external_ref == "<m1@mail.example.com>"
    assert d.received_at == SENT  # the deadline counts from when the mail arrived, not from the import
    assert [a.original_name for a in d.attachments.all()] == ["现场照片.png"]
    assert AuditEvent.objects.filter(action="complaints.import_email", object_id=str(d.pk)).exists()


def test_the_same_message_id_is_imported_only_once(w):
    raw = eml()
    first = email_import.import_files(by=BY, files=[("a.eml", raw)])
    before = counts()
    again = email_import.import_files(by=BY, files=[("b.eml", eml(subject="洪山区 重发", message_id="<m1@mail.example.com>"))])
    assert again.created == [] and again.duplicates == [("b.eml", first.created[0][1])]
    assert counts() == before


def test_a_refused_attachment_is_reported_and_not_stored(w):
    raw = eml(attachments=[("证据.pdf", PDF, "application", "pdf"),
                           ("中奖.exe", b"MZ\x90\x00" + b"\x00" * 60, "application", "octet-stream")])
    attachments_before = Attachment.objects.count()
    report = email_import.import_files(by=BY, files=[("m.eml", raw)])
    assert len(report.created) == 1
    assert [(label, name) for label, name, _reason in report.refused_attachments] == [("m.eml", "中奖.exe")]
    assert "不在允许范围" in report.refused_attachments[0][2]
    assert Attachment.objects.count() == attachments_before + 1  # the PDF only: no row for the refused file
    d = Demand.objects.get()
    assert [a.original_name for a in d.attachments.all()] == ["证据.pdf"]
    note = d.events.get(kind="note")
    assert "中奖.exe" in note.text and not note.public


def _broken_boundary() -> bytes:
    raw = eml(attachments=[("证据.pdf", PDF, "application", "pdf")])
    boundary = re.search(rb'boundary="([^"]+)"', raw).group(1)
    return raw.replace(b'boundary="' + boundary + b'"', b'boundary="not-in-the-body"')


@pytest.mark.parametrize(("raw", "message"), [
    (eml(sender="undisclosed"), "发件人地址"),
    (_broken_boundary(), "分隔线"),
    (b"just some text, not a mail\nsecond line", "没有任何邮件头"),
    (b"%PDF-1.4\x00\x01\x02 binary", "二进制"),
    (eml(subject="", body=""), "既没有主题也没有正文"),
], ids=["no-sender", "broken-multipart", "no-headers", "binary", "empty"])
def test_a_malformed_message_gets_a_clear_message_and_writes_nothing(w, raw, message):
    before = counts()
    report = email_import.import_files(by=BY, files=[("bad.eml", raw)])
    assert report.created == [] and len(report.rejected) == 1
    label, reason = report.rejected[0]
    assert label == "bad.eml" and message in reason, reason
    assert counts() == before


def test_a_message_that_names_no_district_needs_a_default(w):
    raw = eml(subject="网购假冒运动鞋", body="在网上买到假冒品牌运动鞋，商家拒绝退款。")
    report = email_import.import_files(by=BY, files=[("x.eml", raw)])
    assert report.created == [] and "所在区" in report.rejected[0][1]
    assert Demand.objects.count() == 0
    report = email_import.import_files(by=BY, files=[("x.eml", raw)], default_district="江岸区")
    assert Demand.objects.get(number=report.created[0][1]).area.name == "江岸区"


def test_a_very_long_mail_is_cut_and_kept_whole_as_a_file(w):
    body = "洪山区某商场电梯多次故障。" + "详细情况如下。" * 800
    report = email_import.import_files(by=BY, files=[("long.eml", eml(body=body))])
    d = Demand.objects.get(number=report.created[0][1])
    assert len(d.description) <= 4000 and "邮件全文.txt" in d.description
    assert [a.original_name for a in d.attachments.all()] == ["邮件全文.txt"]


def test_an_mbox_imports_each_message_on_its_own(w, tmp_path):
    path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(path)
    for raw in (eml(message_id="<a@x>"), eml(sender="nobody", message_id="<b@x>"), eml(message_id="<c@x>")):
        box.add(raw)
    box.close()
    report = email_import.import_files(by=BY, files=[("inbox.mbox", path.read_bytes())])
    assert [label for label, _n in report.created] == ["inbox.mbox#1", "inbox.mbox#3"]
    assert [label for label, _r in report.rejected] == ["inbox.mbox#2"]
    assert set(Demand.objects.values_list("external_ref", flat=True)) == {"<a@x>", "<c@x>"}


def test_the_command_imports_files_and_fails_loudly_on_a_bad_one(w, tmp_path, capsys):
    good, bad = tmp_path / "good.eml", tmp_path / "bad.eml"
    good.write_bytes(eml())
    bad.write_bytes(b"not a mail")
    call_command("complaints", "import-email", str(good))
    assert "1 imported" in capsys.readouterr().out
    with pytest.raises(CommandError, match="rejected"):
        call_command("complaints", "import-email", str(good), str(bad), "--district", "洪山区")
    out = capsys.readouterr()
    assert "duplicate" in out.out and "没有任何邮件头" in out.err
    assert Demand.objects.count() == 1
    with pytest.raises(CommandError, match="未知的区"):
        call_command("complaints", "import-email", str(good), "--district", "火星区")


def test_staff_upload_mail_on_the_page_and_citizens_may_not(client, w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(w["users"][Role.CITIZEN])
    assert client.get("/complaints/email/").status_code == 403
    client.force_login(w["users"][Role.DEPARTMENT_OFFICER])
    assert client.get("/complaints/email/").status_code == 200
    response = client.post("/complaints/email/", {
        "files": [SimpleUploadedFile("a.eml", eml()), SimpleUploadedFile("b.eml", b"garbage")], "district": ""})
    page = response.content.decode()
    number = Demand.objects.get().number
    assert number in page and "b.eml" in page and "没有任何邮件头" in page
    response = client.post("/complaints/email/", {"district": ""})
    assert "请选择邮件文件" in response.content.decode()
