"""Background tasks of the inspection app; each calls a service."""

from django_tasks import task

from qualitycity.core.schedule import Periodic
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


SCHEDULE = [
    Periodic(check_accreditation, "0 6 * * *", "每天 06:00 暂停资质范围已失效的检测服务"),
    Periodic(instrument_alerts, "15 8 * * *", "每天 08:15 提醒 30 日、7 日内到期的计量器具检定"),
    Periodic(flag_late_orders, "30 8 * * *", "每天 08:30 提示将超期、已超期的检验订单"),
]
