from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrderState(models.TextChoices):
    REQUESTED = "requested", _("已提交")
    NEEDS_INFO = "needs_info", _("待补充信息")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("已拒绝")
    SAMPLING = "sampling", _("送样/抽样中")
    RECEIVED = "received", _("样品已接收")
    TESTING = "testing", _("检测中")
    RESULTS_ENTERED = "results_entered", _("结果待审核")
    REVIEWED = "reviewed", _("已审核")
    ISSUED = "issued", _("报告已签发")
    RATED = "rated", _("已评价")


class Order(models.Model):
    """An inspection order (一键报检) from an enterprise to a lab. ``state`` only changes
    through ``services.orders.transition``; see ``services.statemachine`` for the graph."""

    number = models.CharField(max_length=20, unique=True)  # JY + date + sequence
    enterprise = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="inspection_orders")
    lab = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="lab_orders")
    service = models.ForeignKey("inspection.Service", null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    product_name = models.CharField(_("产品名称"), max_length=128)
    product_category = models.CharField(_("产品类别"), max_length=64, blank=True)
    description = models.TextField(_("样品描述"), blank=True)
    state = models.CharField(max_length=16, choices=OrderState.choices, default=OrderState.REQUESTED, db_index=True)
    turnaround_days = models.PositiveSmallIntegerField(default=5)
    quote = models.DecimalField(_("报价(元)"), max_digits=10, decimal_places=2, null=True, blank=True)
    info_request = models.TextField(blank=True)
    decline_reason = models.TextField(blank=True)
    sampling_mode = models.CharField(max_length=16, blank=True)  # "sent" or "onsite"
    sampling_plan = models.CharField(_("抽样方案"), max_length=128, blank=True)
    sampling_date = models.DateField(null=True, blank=True)
    sample_condition = models.CharField(_("样品状态"), max_length=200, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True, db_index=True)
    tested_on = models.DateField(null=True, blank=True)
    deviations = models.TextField(_("偏离说明"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    working_days_used = models.SmallIntegerField(null=True, blank=True)  # receipt to issue, working days
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=200, blank=True)
    match_explanation = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["lab", "state"], name="insp_order_lab_state"),
            models.Index(fields=["enterprise", "-created_at"], name="insp_order_ent_created"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderItem(models.Model):
    """One requested test item, and (after testing) its result with units, limit and verdict."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(_("检测项目"), max_length=64)
    method_no = models.CharField(_("方法标准"), max_length=64, blank=True)
    value = models.CharField(_("结果"), max_length=32, blank=True)
    unit = models.CharField(_("单位"), max_length=16, blank=True)
    limit = models.CharField(_("限值"), max_length=32, blank=True)
    passed = models.BooleanField(null=True)
    external_provider = models.CharField(_("分包机构"), max_length=128, blank=True)
    warning = models.CharField(max_length=200, blank=True)
    hazard = models.CharField(_("危害"), max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        # Failed items are a few percent of all: a partial index makes "does this order have a
        # failed item" (statistics, pass rates) an index-only lookup on SQLite and PostgreSQL.
        indexes = [models.Index(fields=["order"], condition=models.Q(passed=False), name="insp_item_failed")]

    def __str__(self) -> str:
        return self.item


class OrderEvent(models.Model):
    """The order's timeline: who moved it from which state to which, and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=64)
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


class IdempotencyRecord(models.Model):
    """The stored answer to a write sent with an ``Idempotency-Key`` header, replayed on retry."""

    key = models.CharField(max_length=128)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key", "endpoint"], name="insp_idem_unique")]

    def __str__(self) -> str:
        return self.key


class InspectionResult(models.Model):
    """A failed test result as a fact for the risk early-warning module (see README.md here).

    Written once, when the four-eyes review approves the results; never updated. One row
    per failed item. Fields are denormalized so the risk module reads this table alone.
    """

    order_item = models.OneToOneField(OrderItem, on_delete=models.CASCADE, related_name="fact")
    product_category = models.CharField(max_length=64)
    enterprise = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("core.Area", on_delete=models.PROTECT, related_name="+")
    industry_code = models.CharField(max_length=8, blank=True)
    tested_on = models.DateField(db_index=True)
    item = models.CharField(max_length=64)
    hazard = models.CharField(max_length=64, blank=True)
    order_number = models.CharField(max_length=20)

    class Meta:
        ordering = ["tested_on", "id"]

    def __str__(self) -> str:
        return f"{self.order_number} {self.item}"
