"""The demo's mailbox: a few citizen e-mails filed through the real e-mail import, one with
a photo and one with a voice memo in a format the attachment allowlist refuses.  The demo
trains no classifier (that takes longer than the rest of the demo at scale), so the mails
arrive as 其他 for staff to classify, until `qcity complaints retrain` has run."""

from __future__ import annotations

import datetime as dt
import email.utils
from email.message import EmailMessage

from .models import Demand
from .services import email_import

# a 1×1 PNG: real bytes, so the attachment service's magic-byte check accepts it
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf000000030101003618dd8e0000000049454e44ae426082"
)
AMR_MEMO = b"#!AMR\n" + bytes(range(64))  # phone voice memo: not on the allowlist

MAILS = [  # days ago, sender, subject, body, attachments
    (2, "陈女士 <chen.demo@mail.example.com>", "江汉区奶茶店饮品中喝出异物",
     "您好，我昨天在江汉区江汉路步行街一家奶茶店购买的饮品中喝出一小段塑料异物，店家只肯退款不愿说明原因，"
     "担心食品安全，请市场监管部门核查处理。附件是异物照片。联系电话 13900001234。",
     [("异物照片.png", PIXEL_PNG, "image", "png")]),
    (4, "Liu Wei <liuwei.demo@mail.example.com>", "硚口区加油站疑似计量不准",
     "硚口区解放大道某加油站加油，油箱容量 50 升却显示加了 56 升，怀疑加油机计量作弊，请予以检定和查处。",
     []),
    (6, "武昌区某小区业主 <owner.demo@mail.example.com>", "武昌区小区电梯频繁停运",
     "武昌区中南路附近某小区 3 号楼电梯本月已停运四次，有老人被困，物业和维保单位互相推诿，请特种设备监管部门督促整改。"
     "我录了一段和物业沟通的语音，作为附件。",
     [("物业沟通录音.amr", AMR_MEMO, "audio", "amr")]),
]


def demo_messages(now: dt.datetime) -> list[tuple[str, bytes]]:
    files = []
    for i, (days_ago, sender, subject, body, attachments) in enumerate(MAILS, 1):
        m = EmailMessage()
        m["From"] = sender
        m["To"] = "12345@mail.example.gov.cn"
        m["Subject"] = subject
        m["Message-ID"] = f"<demo-mail-{i}@mail.example.com>"
        m["Date"] = email.utils.format_datetime((now - dt.timedelta(days=days_ago)).replace(microsecond=0))
        m.set_content(body)
        for name, content, maintype, subtype in attachments:
            m.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
        files.append((f"demo-mail-{i}.eml", m.as_bytes()))
    return files


def import_demo_mailbox(now: dt.datetime) -> str:
    from qualitycity.core.services.audit import Actor

    by = Actor.system("demo")
    from qualitycity.core.models import Area

    fallback = Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("code").values_list("name", flat=True).first()
    report = email_import.import_files(by=by, files=demo_messages(now), default_district=fallback)
    # part of the demo like the bulk history: a new `qcity demo` replaces them
    Demand.objects.filter(number__in=[n for _label, n in report.created]).update(is_demo=True)
    return f"{len(report.created)} 封，重复 {len(report.duplicates)}，拒收附件 {len(report.refused_attachments)}"
