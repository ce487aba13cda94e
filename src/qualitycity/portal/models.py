"""The public portal: versioned publications and open datasets.

A module prepares a publication, the city office approves it, and only then can it be
published, with a version and a date. A correction is a new version; the old one stays
visible, marked as superseded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("满意度测评报告")
    QUALITY_INDEX = "quality_index", _("质量发展指数")
    COMPLAINT_BULLETIN = "complaint_bulletin", _("诉求督办通报")
    SAMPLING_RESULTS = "sampling_results", _("监督抽查结果")
    BRAND_REGISTRY = "brand_registry", _("武汉名品公示")
    OTHER = "other", _("其他")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("待审批")
    APPROVED = "approved", _("已审批")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被更正版本取代")


class Publication(models.Model):
    """One version of a published report. ``series`` groups the versions of the same report."""

    series = models.SlugField(_("报告系列"), max_length=80)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    kind = models.CharField(_("类型"), max_length=24, choices=PublicationKind.choices)
    title = models.CharField(_("标题"), max_length=160)
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("期间"), max_length=32, blank=True)
    summary = models.TextField(_("摘要"), blank=True)
    source_module = models.CharField(_("来源模块"), max_length=32)
    charts = models.JSONField(_("图表数据"), default=list, blank=True)  # [{"title", "type", "labels", "values"}]
    pdf = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=PublicationStatus.choices,
                              default=PublicationStatus.DRAFT)
    correction_note = models.CharField(_("更正说明"), max_length=300, blank=True)
    prepared_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-published_on", "series", "-version"]
        constraints = [models.UniqueConstraint(fields=["series", "version"], name="publication_version_unique")]
        verbose_name = _("公开发布")
        verbose_name_plural = _("公开发布")

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse("portal:report", args=[self.series, self.version])

    @property
    def kind_label(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_public(self) -> bool:
        return self.status in (PublicationStatus.PUBLISHED, PublicationStatus.SUPERSEDED)


class Dataset(models.Model):
    """An open dataset published with a publication: rows plus a data dictionary."""

    publication = models.OneToOneField(Publication, on_delete=models.CASCADE, related_name="dataset")
    slug = models.SlugField(max_length=100, unique=True)
    dictionary = models.JSONField(_("数据字典"), default=list)  # [{"field", "type", "description"}]
    rows = models.JSONField(default=list)
    license = models.CharField(_("许可"), max_length=120, default="CC BY 4.0")

    class Meta:
        verbose_name = _("开放数据集")
        verbose_name_plural = _("开放数据集")

    def __str__(self) -> str:
        return self.slug


class CorrectionRequest(models.Model):
    """Someone reports a wrong entry in a published result. The contact is kept for the
    reply and never published."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        ACCEPTED = "accepted", _("已更正")
        REJECTED = "rejected", _("不予更正")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="corrections")
    entry = models.CharField(_("有误的条目"), max_length=200)
    reason = models.TextField(_("理由"))
    contact = models.CharField(_("联系方式"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    reply = models.CharField(_("答复"), max_length=300, blank=True)
    # the corrected version prepared for an accepted request
    corrected_by = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("更正申请")
        verbose_name_plural = _("更正申请")

    def __str__(self) -> str:
        return f"{self.publication_id}: {self.entry}"
