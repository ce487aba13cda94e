from pathlib import Path

import pytest
from django.conf import settings

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Attachment, AuditEvent
from qualitycity.core.services.attachments import read_attachment, store_attachment
from qualitycity.core.services.audit import Actor

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_a_pdf_is_stored_outside_the_web_root_with_its_checksum():
    item = store_attachment(by=Actor.system("t"), filename="报告.pdf", content=PDF)
    path = Path(settings.MEDIA_ROOT) / item.storage_path
    assert path.read_bytes() == PDF
    assert item.content_type == "application/pdf"
    assert len(item.sha256) == 64 and item.sha256 in item.storage_path
    assert not str(path.resolve()).startswith(str(Path(settings.STATIC_ROOT).resolve()))
    assert read_attachment(item) == PDF


def test_an_oversized_file_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(DomainError, match="文件过大"):
        store_attachment(by=Actor.system("t"), filename="big.pdf", content=PDF + b"0" * 200)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a Windows executable named .pdf
        ("photo.png", PDF),  # a real PDF named .png
        ("sheet.xlsx", b"PK\x03\x04" + b"\x00" * 64),  # a zip that is not a workbook
        ("notes.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
    ],
)
def test_a_disguised_file_is_refused_and_nothing_is_written(filename, content):
    with pytest.raises(DomainError, match="实际内容"):
        store_attachment(by=Actor.system("t"), filename=filename, content=content)
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not any(Path(settings.MEDIA_ROOT).rglob("*")) if Path(settings.MEDIA_ROOT).exists() else True


def test_a_tampered_stored_file_is_detected_on_read():
    item = store_attachment(by=Actor.system("t"), filename="a.pdf", content=PDF)
    (Path(settings.MEDIA_ROOT) / item.storage_path).write_bytes(PDF + b"x")
    with pytest.raises(DomainError, match="SHA-256"):
        read_attachment(item)


def test_an_mp4_lesson_video_is_accepted_and_a_fake_one_refused():
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    item = store_attachment(by=Actor.system("t"), filename="第一课.mp4", content=mp4)
    assert item.content_type == "video/mp4"
    with pytest.raises(DomainError, match="实际内容"):
        store_attachment(by=Actor.system("t"), filename="fake.mp4", content=b"MZ\x90\x00" + b"\x00" * 64)
