from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from .models import (
    ApiToken,
    Area,
    Attachment,
    AuditEvent,
    Expert,
    Industry,
    Membership,
    Notification,
    Organization,
    User,
)
from .services import audit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("平台", {"fields": ("display_name", "phone")}),)


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level"]
    search_fields = ["code", "name"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_code", "area", "industry", "size_class"]
    list_filter = ["kind", "area", "size_class"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["area", "industry"]
    raw_id_fields = ["park"]

    def save_model(self, request, obj, form, change):
        # Staff edits in the admin are audited like every other change.
        before = audit.snapshot(Organization.objects.get(pk=obj.pk)) if change else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(
                by=audit.Actor.from_request(request),
                action="organization.admin_save",
                obj=obj,
                changes=audit.diff(before, audit.snapshot(obj)),
            )


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "affiliation", "specialties"]
    search_fields = ["name", "specialties"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["seq", "occurred_at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register([ApiToken, Attachment, Notification, Membership])
admin.site.site_header = "质量强市平台 管理后台"
