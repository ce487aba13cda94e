import pytest

from qualitycity.core.models import Notification
from qualitycity.core.tasks import send_notification

from . import factories

pytestmark = pytest.mark.django_db


def test_the_notification_task_delivers_through_the_service():
    user = factories.user("worker_target")
    result = send_notification.enqueue(user_id=user.pk, title="周报已生成")
    assert result.status == "SUCCESSFUL"
    assert Notification.objects.get(recipient=user).title == "周报已生成"
