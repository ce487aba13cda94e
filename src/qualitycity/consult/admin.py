from django.contrib import admin

from qualitycity.core import permissions
from qualitycity.core.models import Role

from .admin_audit import AuditedAdmin
from .models import Article, Case, ExpertProfile


@admin.register(ExpertProfile)
class ExpertProfileAdmin(AuditedAdmin):
    list_display = ["expert", "available", "open_case_limit"]
    list_filter = ["available"]


@admin.register(Case)
class CaseAdmin(AuditedAdmin):
    """Read-only, and only for the city office: a consultation is private to its enterprise,
    its expert and the city office (rules.py), and the admin must not be a way around that.
    Superusers who are not city-office staff are refused too; they run the platform, they
    are not a party to the conversation. Cases change through the services."""

    list_display = ["number", "title", "status", "expert", "created_at"]
    list_filter = ["status", "field"]
    search_fields = ["number", "title"]

    @staticmethod
    def _city_office(request) -> bool:
        return Role.CITY_OFFICE in permissions.roles_of(request.user)

    def has_module_permission(self, request):
        return self._city_office(request)

    def has_view_permission(self, request, obj=None):
        return self._city_office(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(AuditedAdmin):
    list_display = ["title", "field", "published_at"]
