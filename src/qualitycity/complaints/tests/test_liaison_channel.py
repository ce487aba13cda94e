"""The liaison channel: demands an enterprise raises with its paired cadre (filed by governance)."""

import pytest

from qualitycity.complaints.forms import DemandForm
from qualitycity.complaints.models import Demand
from qualitycity.core.errors import DomainError

from . import factories

pytestmark = pytest.mark.django_db


def test_a_liaison_demand_needs_no_contact_number_but_other_channels_do(db):
    w = factories.world()
    with pytest.raises(DomainError, match="请留下联系电话"):
        factories.demand(w, channel="web", contact_phone="")
    assert not Demand.objects.exists()
    d = factories.demand(w, channel="liaison", demand_type="help", contact_phone="")
    assert (d.channel, d.get_channel_display(), d.contact_phone) == ("liaison", "干部联系企业", "")
    with pytest.raises(DomainError, match="不是有效的手机号"):  # a number given must still be valid
        factories.demand(w, channel="liaison", demand_type="help", contact_phone="12345")


def test_staff_cannot_file_a_liaison_demand_by_hand(db):
    factories.world()
    channels = dict(DemandForm(staff=True).fields["channel"].choices)
    assert "liaison" not in channels and "inspection" in channels
