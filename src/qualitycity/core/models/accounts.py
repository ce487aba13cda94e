import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The platform roles. A user holds a role in an organization through ``Membership``;
    a user with no membership is a citizen, and a superuser is a system admin."""

    CITIZEN = "citizen", _("公众")
    ENTERPRISE_MEMBER = "enterprise", _("企业用户")
    PROVIDER_STAFF = "provider", _("服务机构人员")
    EXPERT = "expert", _("专家")
    DEPARTMENT_OFFICER = "department", _("成员单位人员")
    DISTRICT_OFFICER = "district", _("区级人员")
    CITY_OFFICE = "city_office", _("市质量强市办")
    SYSTEM_ADMIN = "sysadmin", _("系统管理员")


class User(AbstractUser):
    """A person who logs in. Phone numbers are masked wherever they are shown."""

    display_name = models.CharField(_("姓名"), max_length=32, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A user's role in one organization. A user may belong to several organizations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    title = models.CharField(_("职务"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A personal access token for machine clients. Only its SHA-256 is stored; the
    plain token is shown once, when it is created."""

    PREFIX = "qc_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=64)
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
