from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """The four pillars of national quality infrastructure (NQI)."""

    METROLOGY = "metrology", _("计量")
    STANDARDS = "standards", _("标准")
    TESTING = "testing", _("检验检测")
    CERTIFICATION = "certification", _("认证认可")


class ServiceStatus(models.TextChoices):
    """draft → published ⇄ withdrawn (by the provider); published → suspended when the
    accredited scope lapses (by the daily check). Only published services are listed."""

    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    SUSPENDED = "suspended", _("已暂停")
    WITHDRAWN = "withdrawn", _("已撤回")


class ScopeEntry(models.Model):
    """One line of a lab's accredited scope (CMA/CNAS 能力附表): a test item by a method.

    ``method_no`` is the standard/method number as text (normalized through the standards
    library's ``normalize`` when it is installed) so this app never depends on its models.
    A line is valid until ``valid_until`` and never beyond the lab's CMA certificate.
    """

    lab = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="scope_entries")
    product = models.CharField(_("产品"), max_length=64, blank=True)
    item = models.CharField(_("检测项目"), max_length=64)
    method_no = models.CharField(_("方法标准"), max_length=64)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        ordering = ["lab_id", "item"]
        indexes = [models.Index(fields=["item", "lab"], name="insp_scope_item_lab")]

    def __str__(self) -> str:
        return f"{self.item} ({self.method_no})"


class Service(models.Model):
    """A standardized quality service a provider publishes in the catalogue (质量服务清单).

    The provider's own staff create, edit, publish and withdraw it (``services.catalogue``);
    the standards tested against are the ``method_no`` of its items."""

    number = models.CharField(max_length=20, unique=True)
    provider = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="services")
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, db_index=True)
    title = models.CharField(_("服务名称"), max_length=128)
    service_standard = models.CharField(_("服务标准"), max_length=128, blank=True)
    price = models.DecimalField(_("价格(元)"), max_digits=10, decimal_places=2, null=True, blank=True)
    price_rule = models.CharField(_("计价规则"), max_length=200, blank=True)
    turnaround_days = models.PositiveSmallIntegerField(_("承诺时限(工作日)"))
    materials = models.TextField(_("客户需提供的材料"), blank=True)
    accreditation_ref = models.CharField(_("资质能力范围"), max_length=64, blank=True)
    status = models.CharField(max_length=12, choices=ServiceStatus.choices, default=ServiceStatus.DRAFT, db_index=True)
    status_reason = models.CharField(_("状态说明"), max_length=200, blank=True)  # why suspended or withdrawn
    search_text = models.TextField(blank=True, editable=False)  # methods.textsearch.index_text
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ServiceItem(models.Model):
    """What a service covers: a product, a test item, and the standard or method used."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="items")
    product = models.CharField(_("产品"), max_length=64, blank=True)
    item = models.CharField(_("检测项目"), max_length=64)
    method_no = models.CharField(_("方法标准"), max_length=64, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.item
