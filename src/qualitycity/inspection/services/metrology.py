"""The register of measuring instruments under mandatory verification (强制检定) and its alerts."""

from __future__ import annotations

import calendar as _cal
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from qualitycity.core.errors import DomainError
from qualitycity.core.models import Membership, Organization, OrgKind, Role
from qualitycity.core.services import audit
from qualitycity.core.services.notifications import notify

from ..models import Instrument
from .catalogue import today
from .orders import create_order

ALERT_DAYS = (30, 7)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def register_instrument(*, by, enterprise: Organization, kind: str, serial_no: str, last_verified_on: dt.date,
                        cycle_months: int = 12, model: str = "", location: str = "", use: str = "",
                        certificate_no: str = "") -> Instrument:
    errors = {}
    if not kind.strip():
        errors["kind"] = [_("请填写器具类型")]
    if not serial_no.strip():
        errors["serial_no"] = [_("请填写出厂编号")]
    if not 1 <= int(cycle_months or 0) <= 120:
        errors["cycle_months"] = [_("检定周期应在 1 到 120 个月之间")]
    if last_verified_on and last_verified_on > today():
        errors["last_verified_on"] = [_("上次检定日期不能晚于今天")]
    if Instrument.objects.filter(enterprise=enterprise, serial_no=serial_no.strip()).exists():
        errors["serial_no"] = [_("本企业已登记此出厂编号的器具")]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], errors=errors)
    with transaction.atomic():
        inst = Instrument.objects.create(
            enterprise=enterprise, kind=kind.strip(), serial_no=serial_no.strip(), model=model, location=location,
            use=use, last_verified_on=last_verified_on, cycle_months=int(cycle_months), certificate_no=certificate_no,
            next_due_on=add_months(last_verified_on, int(cycle_months)),
        )
        audit.record(by=by, action="inspection.instrument.register", obj=inst, changes=audit.snapshot(inst))
    return inst


def send_due_alerts(*, by, on: dt.date | None = None) -> int:
    """Warn the enterprise 30 and 7 days before verification is due; each alert is sent once."""
    on = on or today()
    sent = 0
    for days, flag in ((30, "alerted_30"), (7, "alerted_7")):
        due = Instrument.objects.filter(**{flag: False}, next_due_on__lte=on + dt.timedelta(days=days),
                                        next_due_on__gte=on).select_related("enterprise")
        for inst in due:
            with transaction.atomic():
                setattr(inst, flag, True)
                inst.save(update_fields=[flag])
                for m in Membership.objects.filter(organization=inst.enterprise, role=Role.ENTERPRISE_MEMBER):
                    notify(user=m.user, title=f"{inst.kind}（{inst.serial_no}）将于 {inst.next_due_on} 到期检定",
                           body=f"距强制检定到期还有 {(inst.next_due_on - on).days} 天，可一键委托计量技术机构检定。",
                           link="/inspection/instruments/", category="metrology")
                audit.record(by=by, action=f"inspection.instrument.alert{days}", obj=inst,
                             changes={"next_due_on": inst.next_due_on.isoformat()})
            sent += 1
    return sent


def order_verification(*, by, instrument: Instrument):
    """One click: a verification order with the best-matching metrology institute."""
    if instrument.verification_order_id and instrument.verification_order.state not in ("declined", "rated"):
        raise DomainError(_("该器具已有检定订单 {number}").format(number=instrument.verification_order.number), field="instrument")
    with transaction.atomic():
        order = create_order(by=by, enterprise=instrument.enterprise, product_name=f"{instrument.kind} {instrument.model}",
                             product_category="计量器具", description=f"出厂编号 {instrument.serial_no}，{instrument.location}",
                             items=[{"item": f"{instrument.kind}检定"}], kinds=(OrgKind.METROLOGY_INSTITUTE,))
        Instrument.objects.filter(pk=instrument.pk).update(verification_order=order)
        audit.record(by=by, action="inspection.instrument.order", obj=instrument, changes={"order": order.number})
    return order
