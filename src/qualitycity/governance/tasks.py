"""Background tasks of governance. Tasks call services; they never write models."""

from django_tasks import task

from qualitycity.core.schedule import Periodic
from qualitycity.core.services.audit import Actor


@task()
def chase_late_reports() -> int:
    """Daily (see SCHEDULE): remind units whose quarterly report is overdue."""
    from .services.plans import chase_late_reports as chase

    return chase(by=Actor.system("governance.chase"))


@task()
def snapshot_service_rates() -> int:
    """Run monthly: record the three service-item rates per department and citywide."""
    from django.utils import timezone

    from .services.service_items import take_snapshot

    return take_snapshot(by=Actor.system("governance.rates"), on=timezone.localdate())


SCHEDULE = [
    Periodic(chase_late_reports, "0 9 * * *", "每天 09:00 催报逾期的季度进展报告"),
    Periodic(snapshot_service_rates, "0 2 1 * *", "每月 1 日 02:00 记录政务服务事项“三率”"),
]
