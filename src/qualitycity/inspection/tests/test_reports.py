import pytest

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Role

from ..models import ReportStatus
from ..services import reports
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    w = f.world()
    order = f.order_in("issued", w)
    return w, order, order.reports.get()


def test_an_issued_report_verifies_and_a_single_changed_byte_does_not(issued):
    _w, _order, report = issued
    data = bytes(report.pdf)
    assert reports.verify_pdf(data).authentic
    for position in (len(data) // 3, len(data) - 10):
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        result = reports.verify_pdf(bytes(tampered))
        assert not result.authentic, position


def test_the_pdf_carries_the_17025_elements(issued):
    w, order, report = issued
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(bytes(report.pdf)))
    assert reader.embedded_signatures[0].field_name == "QCitySignature"
    html = reports.report_html(order=order, number=report.number, issued_at=report.issued_at,
                               authorised_by=w["users"][Role.PROVIDER_STAFF])
    page = reader.root["/Pages"]["/Kids"][0]
    fonts = [str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()]
    assert any("WenQuanYi" in name for name in fonts), fonts  # the CJK font is embedded
    for text in ("检验检测报告", report.number, "counter(pages)", "报告结束", "仅对所检样品负责", "CMA", "样品状态",
                 "收样日期", "签发日期", "抽样方案", "方法偏离", "mg/m³", "授权签字人", order.enterprise.name):
        assert text in html, text


def test_revoking_and_amending_change_what_verification_says(issued):
    w, _order, report = issued
    lab_user = f.actor(w["users"][Role.PROVIDER_STAFF])
    new = reports.amend_report(by=lab_user, report=report, reason="产品名称笔误")
    old = reports.verify_number(report.number)
    assert (old.authentic, old.status, old.superseded_by) == (False, ReportStatus.SUPERSEDED, new.number)
    assert not reports.verify_pdf(bytes(report.pdf)).authentic  # a genuine but superseded file
    reports.revoke_report(by=lab_user, report=new, reason="样品信息不实")
    revoked = reports.verify_number(new.number)
    assert revoked.status == "revoked" and revoked.reason == "样品信息不实" and revoked.changed_at
    with pytest.raises(DomainError):
        reports.revoke_report(by=lab_user, report=new, reason="again")


def test_an_upload_that_is_not_a_pdf_is_refused():
    with pytest.raises(DomainError, match="不是 PDF"):
        reports.verify_pdf(b"hello, I am a text file")


def test_command_line_verify_and_pdf(issued, tmp_path, capsys):
    from django.core.management import call_command

    _w, _order, report = issued
    out = tmp_path / "r.pdf"
    call_command("reports", "pdf", report.number, "-o", str(out))
    call_command("reports", "verify", str(out))
    assert "AUTHENTIC" in capsys.readouterr().out
    data = bytearray(out.read_bytes())
    data[200] ^= 1
    out.write_bytes(bytes(data))
    with pytest.raises(SystemExit):
        call_command("reports", "verify", str(out))
