"""Background tasks of governance. Tasks call services; they never write models."""

from django_tasks import task

from qualitycity.core.services.audit import Actor


@task()
def chase_late_reports() -> int:
    """Run daily (e.g. from the scheduler): remind units whose quarterly report is overdue."""
    from .services.plans import chase_late_reports as chase

    return chase(by=Actor.system("governance.chase"))


@task()
def snapshot_service_rates() -> int:
    """Run monthly: record the three service-item rates per department and citywide."""
    from django.utils import timezone

    from .services.service_items import take_snapshot

    return take_snapshot(by=Actor.system("governance.rates"), on=timezone.localdate())
