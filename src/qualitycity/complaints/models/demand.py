"""A demand (诉求) and everything that happens to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .taxonomy import Category, Channel, DemandType, RejectionGround


class State(models.TextChoices):
    RECEIVED = "received", _("待派单")
    ASSIGNED = "assigned", _("待受理")
    RETURNED = "returned", _("退回待仲裁")
    HANDLING = "handling", _("办理中")
    REJECTED = "rejected", _("不予受理")
    REPLIED = "replied", _("已办结待回访")
    CLOSED = "closed", _("已归档")
    MERGED = "merged", _("已合并")


OPEN_STATES = (State.RECEIVED, State.ASSIGNED, State.RETURNED, State.HANDLING)
CLOSED_STATES = (State.REJECTED, State.REPLIED, State.CLOSED, State.MERGED)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Demand(models.Model):
    """One citizen or firm demand. ``number`` (SQyyyymmddNNNN) is what people quote;
    ``tracking_code`` opens the public status page; the primary key stays internal."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    demand_type = models.CharField(_("类型"), max_length=16, choices=DemandType.choices)
    category = models.ForeignKey(Category, verbose_name=_("分类"), on_delete=models.PROTECT, related_name="demands")
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("内容"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.RECEIVED, db_index=True)
    # where
    area = models.ForeignKey("core.Area", verbose_name=_("所在区"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    # who
    respondent = models.ForeignKey(
        "core.Organization", verbose_name=_("被诉主体"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respondent_name = models.CharField(_("被诉主体名称"), max_length=128, blank=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attachments = models.ManyToManyField("core.Attachment", blank=True, related_name="+")
    # who handles
    lead_org = models.ForeignKey(
        "core.Organization", verbose_name=_("主办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handlers = models.ManyToManyField("core.Organization", through="Assignment", related_name="+")
    # when
    received_at = models.DateTimeField(_("登记时间"), db_index=True)
    accept_due = models.DateField(_("受理期限"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    handle_due = models.DateField(_("办结期限"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    deadline_warning = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # outcomes
    rejection_ground = models.ForeignKey(RejectionGround, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    public_reply = models.TextField(_("答复"), blank=True)
    rating = models.CharField(_("回访评价"), max_length=16, choices=Rating.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    accepted_late = models.BooleanField(default=False)
    closed_late = models.BooleanField(default=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    # the channel's own identifier of the message, e.g. an e-mail's Message-ID: the same
    # message imported twice is recognised and skipped
    external_ref = models.CharField(_("来源编号"), max_length=255, blank=True, default="")
    # classifier suggestion at intake and whether staff changed it
    suggestion = models.JSONField(default=dict, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        indexes = [
            models.Index(fields=["state", "handle_due"], name="demand_state_due"),
            models.Index(fields=["category", "area", "received_at"], name="demand_cat_area_time"),
            models.Index(fields=["lead_org", "state"], name="demand_lead_state"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_ref"], condition=~models.Q(external_ref=""),
                                    name="demand_channel_ref_once"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Assignment(models.Model):
    """A department on a demand: the lead (主办) or a co-handler (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="assignments")
    organization = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=8, choices=Role.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.demand_id}:{self.organization_id}:{self.role}"


class Event(models.Model):
    """The demand's timeline. ``public`` events appear on the public status page."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=32)
    text = models.TextField(blank=True)
    public = models.BooleanField(default=False)
    actor_label = models.CharField(max_length=64, blank=True)
    organization = models.ForeignKey("core.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.demand_id}:{self.kind}"


class Flag(models.Model):
    """Supervision: a reminder, a chase (催办, yellow) or an escalation (督办, red) that
    counts toward the department's record."""

    class Level(models.TextChoices):
        REMINDER = "reminder", _("提醒")
        YELLOW = "yellow", _("黄牌催办")
        RED = "red", _("红牌督办")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="flags")
    organization = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=8, choices=Level.choices)
    stage = models.CharField(max_length=8)  # "accept" or "handle": which deadline
    due_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demand", "organization", "level", "stage", "due_on"], name="flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.demand_id}:{self.level}"


class Dispute(models.Model):
    """A return (退回) and the city office's arbitration of it."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="disputes")
    organization = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    upheld = models.BooleanField(null=True)  # True: the return stands; False: the department must handle it

    def __str__(self) -> str:
        return f"{self.demand_id}:{self.organization_id}"


class Correction(models.Model):
    """Staff confirmed or corrected the classifier; the training set for ``retrain``."""

    demand = models.OneToOneField(Demand, on_delete=models.CASCADE, related_name="correction")
    demand_type = models.CharField(max_length=16)
    category_code = models.CharField(max_length=32)
    area_name = models.CharField(max_length=64)
    unit_name = models.CharField(max_length=128)
    changed = models.BooleanField(default=False)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.demand_id}:{self.category_code}"


class ClassifierModel(models.Model):
    """A trained classifier (pickled scikit-learn pipelines) with its held-out figures."""

    created_at = models.DateTimeField()
    blob = models.BinaryField()
    metrics = models.JSONField(default=dict)
    n_train = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"classifier {self.pk}"
