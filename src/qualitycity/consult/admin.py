from django.contrib import admin

from .admin_audit import AuditedAdmin
from .models import Article, Case, ExpertProfile


@admin.register(ExpertProfile)
class ExpertProfileAdmin(AuditedAdmin):
    list_display = ["expert", "available", "open_case_limit"]
    list_filter = ["available"]


@admin.register(Case)
class CaseAdmin(AuditedAdmin):
    """Read-only: cases change through the services, which write the audit trail."""

    list_display = ["number", "title", "status", "expert", "created_at"]
    list_filter = ["status", "field"]
    search_fields = ["number", "title"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Article)
class ArticleAdmin(AuditedAdmin):
    list_display = ["title", "field", "published_at"]
