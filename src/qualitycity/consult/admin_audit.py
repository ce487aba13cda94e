"""Staff edits in the admin are audited like every other change (same pattern as core.admin)."""

from django.contrib import admin
from django.db import transaction

from qualitycity.core.services import audit


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit.record(by=audit.Actor.from_request(request), action="admin.change" if change else "admin.add",
                         obj=obj, changes=audit.diff(before, audit.snapshot(obj)))

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(by=audit.Actor.from_request(request), action="admin.delete", obj=obj)
            super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            audit.record(by=audit.Actor.from_request(request), action="admin.inlines", obj=form.instance,
                         changes={"inline": [None, formset.model._meta.label_lower]})
