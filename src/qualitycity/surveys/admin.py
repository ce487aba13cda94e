from django.contrib import admin

from .models import Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Read-mostly: projects change through the survey pages, which audit every step."""

    list_display = ("number", "title", "target_kind", "year", "status", "published")
    list_filter = ("target_kind", "year", "status", "published")
    search_fields = ("number", "title")
    readonly_fields = ("results", "computed_at", "published", "published_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
