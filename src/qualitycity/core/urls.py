from django.urls import path

from .views import directory

app_name = "directory"
urlpatterns = [
    path("enterprises/", directory.enterprises, name="enterprises"),
    path("providers/", directory.providers, name="providers"),
    path("government/", directory.government, name="government"),
    path("experts/", directory.experts, name="experts"),
    path("organizations/<int:org_id>/", directory.organization_detail, name="detail"),
    path("import/", directory.import_page, name="import"),
    path("export/<str:category>.<str:fmt>", directory.export, name="export"),
]
