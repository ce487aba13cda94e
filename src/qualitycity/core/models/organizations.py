from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    TESTING_LAB = "testing_lab", _("检验检测机构")
    METROLOGY_INSTITUTE = "metrology", _("计量技术机构")
    CERTIFICATION_BODY = "certification", _("认证机构")
    STANDARDS_INSTITUTE = "standards", _("标准化机构")
    DEPARTMENT = "department", _("市直成员单位")
    DISTRICT_GOVERNMENT = "district_gov", _("区人民政府")
    CITY_OFFICE = "city_office", _("市质量强市办")
    PARK = "park", _("产业园区")


PROVIDER_KINDS = (
    OrgKind.TESTING_LAB,
    OrgKind.METROLOGY_INSTITUTE,
    OrgKind.CERTIFICATION_BODY,
    OrgKind.STANDARDS_INSTITUTE,
)
GOVERNMENT_KINDS = (OrgKind.DEPARTMENT, OrgKind.DISTRICT_GOVERNMENT, OrgKind.CITY_OFFICE)


class SizeClass(models.TextChoices):
    """Enterprise size per 统计上大中小微型企业划分办法(2017) (国统字〔2017〕213号)."""

    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class GrowthStage(models.TextChoices):
    STARTUP = "startup", _("初创期")
    GROWTH = "growth", _("成长期")
    MATURE = "mature", _("成熟期")
    TRANSFORMING = "transforming", _("转型期")


class Organization(models.Model):
    """Any organization on the platform; ``kind`` says which, and the kind-specific fields
    (enterprise size, lab accreditation, park service station) are empty for other kinds.

    One table rather than one per kind keeps directory lists, imports and permission
    scoping to a single indexed query.
    """

    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=128)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True)
    area = models.ForeignKey("core.Area", verbose_name=_("所在区"), on_delete=models.PROTECT, related_name="organizations")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    # enterprise
    industry = models.ForeignKey(
        "core.Industry", verbose_name=_("行业"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    park = models.ForeignKey(
        "self",
        verbose_name=_("所在园区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="park_members",
        limit_choices_to={"kind": OrgKind.PARK},
    )
    size_class = models.CharField(_("企业规模"), max_length=8, choices=SizeClass.choices, blank=True)
    employees = models.PositiveIntegerField(_("从业人员"), null=True, blank=True)
    annual_revenue = models.DecimalField(_("营业收入(万元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    growth_stage = models.CharField(_("发展阶段"), max_length=16, choices=GrowthStage.choices, blank=True)
    # testing labs and other providers
    cma_number = models.CharField(_("CMA证书编号"), max_length=32, blank=True)
    cma_valid_until = models.DateField(_("CMA有效期至"), null=True, blank=True)
    cnas_number = models.CharField(_("CNAS认可编号"), max_length=32, blank=True)
    capability_scope = models.TextField(_("能力范围"), blank=True)
    # parks
    service_station = models.CharField(_("质量服务站"), max_length=128, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        indexes = [
            models.Index(fields=["kind", "area", "industry"], name="org_kind_area_industry"),
            models.Index(fields=["kind", "industry"], name="org_kind_industry"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_provider(self) -> bool:
        return self.kind in PROVIDER_KINDS


class Expert(models.Model):
    """A quality expert in the city's expert pool; ``user`` is set when the expert logs in."""

    name = models.CharField(_("姓名"), max_length=32)
    title = models.CharField(_("职称"), max_length=32, blank=True)
    affiliation = models.ForeignKey(
        Organization, verbose_name=_("工作单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="experts"
    )
    specialties = models.CharField(_("专业领域"), max_length=200, blank=True)
    industries = models.ManyToManyField("core.Industry", blank=True, related_name="experts")
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    user = models.OneToOneField(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="expert_profile"
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("专家")
        verbose_name_plural = _("专家")

    def __str__(self) -> str:
        return self.name
