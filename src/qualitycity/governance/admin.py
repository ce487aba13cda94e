"""Read-only admin: every change goes through the audited services, so staff can look but not write here."""

from django.contrib import admin

from . import models


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.PlanItem)
class PlanItemAdmin(ReadOnly):
    list_display = ["code", "title", "kind", "lead_unit", "deadline", "completed_on"]
    list_filter = ["plan", "kind"]
    search_fields = ["code", "title"]


@admin.register(models.ProgressReport)
class ProgressReportAdmin(ReadOnly):
    list_display = ["number", "item", "unit", "period", "status", "late"]
    list_filter = ["status", "late"]
    search_fields = ["number"]


for model in (models.Plan, models.Scheme, models.Assessment, models.ServiceItem, models.Pairing, models.LiaisonTicket,
              models.Finding, models.Rectification):
    admin.site.register(model, ReadOnly)
