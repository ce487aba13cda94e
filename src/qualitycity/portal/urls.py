from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.reports, name="reports"),
    path("reports/<slug:series>/v<int:version>/", views.report, name="report"),
    path("reports/<slug:series>/v<int:version>/report.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<slug:series>/v<int:version>/correction/", views.correction, name="correction"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<slug:slug>/", views.dataset_page, name="dataset"),
    path("open-data/<slug:slug>.<str:fmt>", views.dataset_download, name="dataset_download"),
    path("desk/", views.desk, name="desk"),
    path("desk/<int:pk>/", views.desk_action, name="desk_action"),
    path("desk/corrections/<int:pk>/", views.correction_action, name="correction_action"),
    path("desk/corrections/<int:pk>/version/", views.correction_version, name="correction_version"),
    path("desk/sampling/", views.prepare_sampling, name="prepare_sampling"),
    path("surveys/", views.surveys, name="surveys"),
]
