"""The staff admin. It writes only through the services, like every other entry point,
so an admin edit is validated by the same rules and leaves an audit event; what has no
service here (tokens, attachments, notifications, the audit trail) is read-only."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from . import credit_code
from .errors import DomainError
from .models import (
    ApiToken,
    Area,
    Attachment,
    AuditEvent,
    CityMap,
    Expert,
    Industry,
    Membership,
    Notification,
    Organization,
    User,
)
from .services import accounts, directory, reference
from .services.audit import Actor


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Reference rows (areas, industries, experts): saved and deleted through
    ``services.reference``, which records each change."""

    def save_model(self, request, obj, form, change):
        reference.save_record(by=Actor.from_request(request), obj=obj)

    def delete_model(self, request, obj):
        reference.delete_record(by=Actor.from_request(request), obj=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                reference.delete_record(by=Actor.from_request(request), obj=obj)


class MembershipInline(admin.TabularInline):
    """Shown on the user page for reading; roles are granted and revoked on the
    membership page, whose every change goes through the accounts services."""

    model = Membership
    extra = 0
    can_delete = False
    fields = readonly_fields = ["organization", "role", "title", "created_at"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("平台", {"fields": ("display_name", "phone")}),)

    def has_delete_permission(self, request, obj=None):
        return False  # audit events point at users: deactivate (is_active) instead

    def save_model(self, request, obj, form, change):
        accounts.save_user(by=Actor.from_request(request), user=obj)

    def user_change_password(self, request, id, form_url=""):
        # Django's form saves the password itself; the event goes in the same transaction.
        with transaction.atomic():
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=id).first()
            if user is not None and user.password != before:
                accounts.record_password_change(by=Actor.from_request(request), user=user, how="admin_set")
        return response


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "title", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organization__name"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "organization"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        by = Actor.from_request(request)
        if change:
            accounts.change_role(by=by, membership=obj, role=obj.role, title=obj.title)
        else:
            saved = accounts.add_membership(
                by=by, user=obj.user, organization=obj.organization, role=obj.role, title=obj.title
            )
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        accounts.remove_membership(by=Actor.from_request(request), membership=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for membership in queryset:
                accounts.remove_membership(by=Actor.from_request(request), membership=membership)


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]


@admin.register(Industry)
class IndustryAdmin(AuditedAdmin):
    list_display = ["code", "name", "level"]
    search_fields = ["code", "name"]


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [  # size_class is not among them: it is computed
            "kind", "name", "credit_code", "area", "industry", "park", "employees", "annual_revenue", "founded_on",
            "growth_stage", "address", "contact_name", "contact_phone", "cma_number", "cma_valid_until",
            "cnas_number", "capability_scope", "service_station",
        ]

    def clean_credit_code(self):
        value = self.cleaned_data.get("credit_code")
        if not value:
            return None
        try:
            return credit_code.validate(value)
        except credit_code.CreditCodeError as exc:
            raise forms.ValidationError(str(exc)) from None


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationForm
    list_display = ["name", "kind", "credit_code", "area", "industry", "size_class"]
    list_filter = ["kind", "area", "size_class"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["area", "industry"]
    raw_id_fields = ["park"]
    readonly_fields = ["size_class"]  # computed from industry, staff and revenue

    def has_delete_permission(self, request, obj=None):
        return False  # memberships, orders and cases hang off organizations

    def save_model(self, request, obj, form, change):
        try:
            directory.save_from_admin(by=Actor.from_request(request), organization=obj)
        except DomainError as exc:  # a clash committed between the form check and the save
            messages.error(request, exc.message)
            raise


@admin.register(Expert)
class ExpertAdmin(AuditedAdmin):
    list_display = ["name", "title", "affiliation", "specialties"]
    search_fields = ["name", "specialties"]
    # the industries link is not part of the audited snapshot, so it is not edited here
    exclude = ["industries"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "occurred_at", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]


@admin.action(description="吊销所选令牌")
def revoke_tokens(modeladmin, request, queryset):
    for token in queryset:
        accounts.revoke_api_token(by=Actor.from_request(request), token=token)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    actions = [revoke_tokens]

    def has_change_permission(self, request, obj=None):
        # the revoke action needs the change permission; the form itself stays read-only
        return obj is None and request.user.has_perm("core.change_apitoken")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


admin.site.register([Attachment, Notification, CityMap], ReadOnlyAdmin)
admin.site.site_header = "质量强市平台 管理后台"
