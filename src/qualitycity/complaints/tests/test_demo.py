"""The demo: e-mail-channel demands in the history, and a few mails filed through the real import."""

import io

import pytest

from qualitycity.complaints import demo
from qualitycity.complaints.models import Demand
from qualitycity.core.tests import factories as core

from . import factories

pytestmark = pytest.mark.django_db


def test_demo_has_email_demands_and_imports_its_mailbox_through_the_service():
    factories.world()
    core.area("江汉区", "420103")
    out = io.StringIO()
    demo.load_demo(seed=3, scale=1, stdout=out)
    history = Demand.objects.filter(channel="email", is_demo=True).exclude(external_ref__startswith="<demo-mail-")
    assert history.count() >= 10
    assert not history.exclude(anonymous=True).filter(contact_email="").exists()
    mails = {d.title: d for d in Demand.objects.filter(external_ref__startswith="<demo-mail-")}
    assert len(mails) == 3, out.getvalue()
    assert mails["江汉区奶茶店饮品中喝出异物"].area.name == "江汉区"
    assert mails["江汉区奶茶店饮品中喝出异物"].attachments.count() == 1
    memo = mails["武昌区小区电梯频繁停运"]
    assert memo.attachments.count() == 0 and "物业沟通录音.amr" in memo.events.get(kind="note").text
    assert "邮件导入 3 封" in out.getvalue()
    demo.load_demo(seed=3, scale=1, stdout=io.StringIO())  # a second run replaces, never duplicates
    assert Demand.objects.filter(external_ref__startswith="<demo-mail-").count() == 3
