"""The standards library: standards, their classification, editions and the changes that
enterprises are warned about.

A standard's number is stored canonical (``numbers.normalize``) and split into its parts,
so that search, import and the edition chains all agree on what "the same standard" is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .numbers import ENTERPRISE, GROUP, INDUSTRY, INTERNATIONAL, LOCAL, NATIONAL


class Kind(models.TextChoices):
    NATIONAL = NATIONAL, _("国家标准")
    INDUSTRY = INDUSTRY, _("行业标准")
    LOCAL = LOCAL, _("地方标准")
    GROUP = GROUP, _("团体标准")
    ENTERPRISE = ENTERPRISE, _("企业标准")
    INTERNATIONAL = INTERNATIONAL, _("国际标准")


class Status(models.TextChoices):
    UPCOMING = "upcoming", _("即将实施")
    CURRENT = "current", _("现行")
    ABOLISHED = "abolished", _("废止")
    REPLACED = "replaced", _("被代替")


VALID_STATUSES = (Status.UPCOMING, Status.CURRENT)


class Adoption(models.TextChoices):
    """Degree of correspondence with an international standard (GB/T 20000.2-2009)."""

    IDT = "IDT", _("等同采用")
    MOD = "MOD", _("修改采用")
    NEQ = "NEQ", _("非等效")


class IcsCode(models.Model):
    """International Classification for Standards (ISO, 7th edition codes)."""

    code = models.CharField(_("ICS 分类号"), max_length=16, unique=True)
    description = models.CharField(_("名称"), max_length=300)
    parent_code = models.CharField(max_length=16, blank=True, db_index=True)
    level = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["code"]
        verbose_name = _("ICS 分类")
        verbose_name_plural = _("ICS 分类")

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class CcsCode(models.Model):
    """中国标准文献分类 (CCS): one letter, then ranges such as A00/09, then two digits."""

    code = models.CharField(_("CCS 分类号"), max_length=16, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    parent_code = models.CharField(max_length=16, blank=True, db_index=True)
    level = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CCS 分类")
        verbose_name_plural = _("CCS 分类")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Standard(models.Model):
    """One edition of a standard. Editions of the same standard share ``base_number``;
    which one replaced which is kept in :class:`Replacement`."""

    number = models.CharField(_("标准号"), max_length=120, unique=True)
    base_number = models.CharField(_("标准号（不含年号）"), max_length=120, db_index=True)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices, db_index=True)
    prefix = models.CharField(_("代号"), max_length=40, db_index=True)
    sequence = models.CharField(_("顺序号"), max_length=20)
    part = models.CharField(_("部分"), max_length=20, blank=True)
    year = models.CharField(_("年号"), max_length=4, blank=True)
    title_zh = models.CharField(_("中文标准名称"), max_length=500, blank=True)
    title_en = models.CharField(_("英文标准名称"), max_length=1000, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, db_index=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    implemented_on = models.DateField(_("实施日期"), null=True, blank=True, db_index=True)
    abolished_on = models.DateField(_("废止日期"), null=True, blank=True)
    ics = models.ManyToManyField(IcsCode, verbose_name=_("ICS 分类号"), blank=True, related_name="standards")
    ics_codes = models.CharField(_("ICS 分类号"), max_length=200, blank=True)  # as printed, ";"-joined; for display
    # The two-digit fields of the linked ``ics`` codes, sorted and ";"-joined ("29;67"). Search
    # counts its ICS facet from this column, because joining the m2m for every one of thousands
    # of matches was the slowest part of a broad search. Derived data: the catalogue writers
    # keep it (services.catalogue.ics_fields_of / refresh_ics_fields), and so does a signal
    # for any other change of the links (admin, shell).
    ics_fields = models.CharField(max_length=300, blank=True, default="", editable=False)
    ccs = models.ForeignKey(
        CcsCode, verbose_name=_("CCS 分类号"), null=True, blank=True, on_delete=models.SET_NULL, related_name="standards"
    )
    adoption = models.CharField(_("采标程度"), max_length=3, choices=Adoption.choices, blank=True)
    adopted_number = models.CharField(_("采用的国际标准"), max_length=120, blank=True)
    adopted = models.ForeignKey(
        "self", verbose_name=_("采用的国际标准"), null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )
    competent_department = models.CharField(_("主管部门"), max_length=200, blank=True)
    technical_committee = models.CharField(_("归口单位"), max_length=300, blank=True)
    drafters = models.TextField(_("起草单位"), blank=True)
    organizations = models.ManyToManyField(
        "core.Organization", through="StandardBody", blank=True, related_name="standards"
    )
    industries = models.ManyToManyField("core.Industry", verbose_name=_("相关行业"), blank=True, related_name="+")
    scope = models.TextField(_("适用范围"), blank=True)
    committee = models.CharField(_("技术委员会"), max_length=120, blank=True)  # ISO TC for ISO records
    stage = models.CharField(_("阶段代码"), max_length=8, blank=True)
    source = models.CharField(_("来源"), max_length=16, default="import", db_index=True)
    search_text = models.TextField(blank=True)  # methods.textsearch index text; FTS5 and tsvector read it
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("标准")
        verbose_name_plural = _("标准")
        indexes = [models.Index(fields=["prefix", "sequence"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def title(self) -> str:
        return self.title_zh or self.title_en

    @property
    def is_valid(self) -> bool:
        return self.status in VALID_STATUSES


class Replacement(models.Model):
    """``new`` replaces ``old`` (代替). Chains of these are a standard's edition history."""

    old = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="replaced_by_links")
    new = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="replaces_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="standards_replacement_unique")]

    def __str__(self) -> str:
        return f"{self.new_id} 代替 {self.old_id}"


class StandardBody(models.Model):
    """A directory organization's role on a standard, when the names match."""

    class Role(models.TextChoices):
        DEPARTMENT = "department", _("主管部门")
        COMMITTEE = "committee", _("归口单位")
        DRAFTER = "drafter", _("起草单位")

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="bodies")
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="standard_roles")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["standard", "organization", "role"], name="standards_body_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.role} {self.standard_id}"


class ChangeKind(models.TextChoices):
    NEW = "new", _("新发布")
    STATUS = "status", _("状态变更")
    NEW_EDITION = "new_edition", _("新版本代替")
    ABOLISHED = "abolished", _("废止")
    UPCOMING = "upcoming", _("即将实施")


class ChangeEvent(models.Model):
    """Something an enterprise following the standard must know, and from which date."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("变更类型"), max_length=16, choices=ChangeKind.choices)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    summary = models.CharField(_("摘要"), max_length=300)
    related = models.ForeignKey(Standard, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("标准变更")
        verbose_name_plural = _("标准变更")

    def __str__(self) -> str:
        return self.summary


class Follow(models.Model):
    """An enterprise follows a standard, or a field: an ICS code (and its children), a CCS
    code or an industry. Its members are notified of changes."""

    class Target(models.TextChoices):
        STANDARD = "standard", _("标准")
        ICS = "ics", _("ICS 领域")
        CCS = "ccs", _("CCS 领域")
        INDUSTRY = "industry", _("行业")

    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="standard_follows")
    target = models.CharField(max_length=16, choices=Target.choices)
    standard = models.ForeignKey(Standard, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    code = models.CharField(max_length=16, blank=True)  # ICS/CCS/industry code for field follows
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "target", "standard", "code"], name="standards_follow_unique"
            )
        ]

    def __str__(self) -> str:
        return self.standard.number if self.standard_id else f"{self.target}:{self.code}"
