"""Background tasks of the inspection app; each calls a service."""

from django_tasks import task

from qualitycity.core.services.audit import Actor


@task()
def check_accreditation():
    """Daily: suspend testing services whose accredited scope has lapsed."""
    from .services.catalogue import suspend_lapsed

    return suspend_lapsed(by=Actor.system("task:check_accreditation"))


@task()
def instrument_alerts():
    """Daily: 30- and 7-day warnings before mandatory verification is due."""
    from .services.metrology import send_due_alerts

    return send_due_alerts(by=Actor.system("task:instrument_alerts"))


@task()
def flag_late_orders():
    """Daily: tell labs and the city office which orders are at risk or overdue."""
    from .services.orders import notify_flagged

    return notify_flagged()
