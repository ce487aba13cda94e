"""Staff admin for the configuration tables (taxonomy, time limits, grounds, routing).
Demands themselves change only through the services, so they are read-only here."""

from django.contrib import admin
from django.db import transaction

from qualitycity.core.services import audit

from .models import Category, Demand, RejectionGround, RoutingRule, TimeLimit


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        # configuration edits are audited like every other change
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(by=audit.Actor.from_request(request), action=f"complaints.admin_save.{obj._meta.model_name}",
                         obj=obj, changes=audit.diff(before, audit.snapshot(obj)))


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["code", "name", "group", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]


@admin.register(TimeLimit)
class TimeLimitAdmin(AuditedAdmin):
    list_display = ["demand_type", "accept_days", "handle_days", "handle_from_receipt", "effective_from", "basis"]
    list_filter = ["demand_type"]


@admin.register(RejectionGround)
class RejectionGroundAdmin(AuditedAdmin):
    list_display = ["code", "text", "basis", "is_active"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdmin):
    list_display = ["category", "area", "lead"]
    list_filter = ["category", "area"]
    filter_horizontal = ["co_handlers"]
    raw_id_fields = ["lead"]


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "demand_type", "category", "area", "lead_org", "state", "received_at"]
    list_filter = ["state", "demand_type", "channel", "category"]
    search_fields = ["number", "title"]
    exclude = ["contact_phone", "contact_email", "contact_name"]  # personal data: reveal through the audited page

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
