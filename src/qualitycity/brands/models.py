"""武汉名品: evaluation standards, applications, certificates and their supervision.

The brand rests on three parties: the enterprise declares (自主声明), a third-party
certification body certifies (第三方认证), and the government supervises (政府监管).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    QUALITY = "quality", _("质量")
    TECHNOLOGY = "technology", _("技术")
    MANAGEMENT = "management", _("管理")
    REPUTATION = "reputation", _("信誉")
    SOCIAL = "social", _("社会责任")


class EvaluationStandard(models.Model):
    """A published set of requirements for one product category (e.g. 电线电缆)."""

    code = models.CharField(_("评价规范编号"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    product_category = models.CharField(_("产品类别"), max_length=64)
    industry = models.ForeignKey("core.Industry", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("现行有效"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("名品评价规范")
        verbose_name_plural = _("名品评价规范")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Requirement(models.Model):
    """One scored requirement; a certificate needs every score at or above its threshold."""

    standard = models.ForeignKey(EvaluationStandard, on_delete=models.CASCADE, related_name="requirements")
    dimension = models.CharField(_("维度"), max_length=16, choices=Dimension.choices)
    text = models.CharField(_("要求"), max_length=300)
    max_score = models.PositiveSmallIntegerField(_("满分"), default=10)
    pass_score = models.PositiveSmallIntegerField(_("合格分"), default=6)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["standard", "order", "id"]
        verbose_name = _("评价要求")
        verbose_name_plural = _("评价要求")

    def __str__(self) -> str:
        return self.text


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "review", _("审核中")
    CERTIFIED = "certified", _("已认证")
    CERTIFIED_WITH_CONDITIONS = "conditional", _("有条件认证")
    REJECTED = "rejected", _("未通过")


class Application(models.Model):
    """An enterprise's application for one product or product line."""

    number = models.CharField(_("申请编号"), max_length=24, unique=True)
    enterprise = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="brand_applications")
    standard = models.ForeignKey(EvaluationStandard, on_delete=models.PROTECT, related_name="applications")
    product = models.CharField(_("产品或产品线"), max_length=120)
    certification_body = models.ForeignKey(
        "core.Organization", verbose_name=_("认证机构"), on_delete=models.PROTECT, related_name="brand_reviews"
    )
    status = models.CharField(_("状态"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    audited_on = models.DateField(_("现场审核日期"), null=True, blank=True)
    audit_findings = models.TextField(_("现场审核发现"), blank=True)
    # A renewal is a full re-assessment: a new application for the product of an existing
    # certificate; certifying it issues a new certificate with ``renewed_from`` set.
    renews = models.ForeignKey("brands.Certificate", verbose_name=_("换证的原证书"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="renewal_applications")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("认证结论说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("名品申请")
        verbose_name_plural = _("名品申请")

    def __str__(self) -> str:
        return f"{self.number} {self.product}"


class Declaration(models.Model):
    """The enterprise's self-declaration against one requirement, with its evidence."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="declarations")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("自我声明"))
    evidence = models.ForeignKey("core.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    score_comment = models.CharField(_("评分说明"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "requirement"], name="declaration_once")]
        verbose_name = _("自我声明")
        verbose_name_plural = _("自我声明")

    def __str__(self) -> str:
        return f"{self.application_id}:{self.requirement_id}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    SUSPENDED = "suspended", _("暂停")
    WITHDRAWN = "withdrawn", _("撤销")


class Certificate(models.Model):
    """A 名品 certificate. Whether it has expired is computed from ``valid_until``, so the
    public registry never shows a stale "valid"."""

    number = models.CharField(_("证书编号"), max_length=24, unique=True)
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    enterprise = models.ForeignKey("core.Organization", on_delete=models.PROTECT, related_name="brand_certificates")
    scope = models.CharField(_("认证范围"), max_length=200)
    conditions = models.CharField(_("认证条件"), max_length=300, blank=True)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=16, choices=CertificateStatus.choices, default=CertificateStatus.VALID)
    status_reason = models.CharField(_("状态原因"), max_length=300, blank=True)
    status_changed_on = models.DateField(null=True, blank=True)
    renewed_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("名品证书")
        verbose_name_plural = _("名品证书")

    def __str__(self) -> str:
        return self.number

    @property
    def public_status(self) -> str:
        """valid, suspended, withdrawn or expired, as the registry shows it today."""
        if self.status == CertificateStatus.VALID and self.valid_until < timezone.localdate():
            return "expired"
        return self.status


class SurveillanceKind(models.TextChoices):
    ANNUAL_AUDIT = "audit", _("年度监督审核")
    SAMPLING = "sampling", _("产品抽检")


class SurveillanceEvent(models.Model):
    """Supervision after certification. A failed event suspends the certificate."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="surveillance")
    kind = models.CharField(_("类型"), max_length=16, choices=SurveillanceKind.choices)
    held_on = models.DateField(_("日期"))
    passed = models.BooleanField(_("是否合格"))
    inspection_report = models.CharField(_("检验报告编号"), max_length=32, blank=True)
    notes = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("证后监督")
        verbose_name_plural = _("证后监督")

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.kind} {self.held_on}"


class Violation(models.Model):
    """A serious quality violation on record (a failed supervision sample, an enforcement
    case). Recent ones block a brand application."""

    class Kind(models.TextChoices):
        FAILED_INSPECTION = "failed_inspection", _("监督抽查不合格")
        ENFORCEMENT_CASE = "enforcement", _("行政处罚案件")

    enterprise = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="quality_violations")
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    occurred_on = models.DateField(_("发生日期"))
    description = models.CharField(_("说明"), max_length=300)
    serious = models.BooleanField(_("严重"), default=True)

    class Meta:
        ordering = ["-occurred_on"]
        verbose_name = _("质量违法记录")
        verbose_name_plural = _("质量违法记录")

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.occurred_on} {self.description}"


class StrengthFactor(models.Model):
    """A configurable factor of the brand-strength score (an index, not a money value)."""

    key = models.CharField(max_length=32, unique=True)
    label = models.CharField(_("因素"), max_length=64)
    weight = models.FloatField(_("权重"))

    class Meta:
        ordering = ["key"]
        verbose_name = _("品牌强度因素")
        verbose_name_plural = _("品牌强度因素")

    def __str__(self) -> str:
        return f"{self.label} ({self.weight})"


class SamplingDraw(models.Model):
    """One random selection of certified products for post-certification sampling.

    The seed and the population (certificate numbers in number order) are stored, so anyone
    can redraw with ``random.Random(seed).sample(population, size)`` and get the same sample."""

    number = models.CharField(_("抽样编号"), max_length=24, unique=True)
    drawn_on = models.DateField(_("抽取日期"))
    seed = models.BigIntegerField(_("随机种子"))
    population = models.JSONField(_("抽样框（证书编号）"), default=list)
    selected = models.JSONField(_("抽中的证书编号"), default=list)
    standard = models.ForeignKey(EvaluationStandard, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-drawn_on", "-id"]
        verbose_name = _("证后抽样")
        verbose_name_plural = _("证后抽样")

    def __str__(self) -> str:
        return self.number
