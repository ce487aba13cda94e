from django.urls import path

from . import portal_actions
from .views import intake, reports, staff

app_name = "complaints"

urlpatterns = [
    path("", staff.index, name="index"),
    path("new/", intake.new, name="new"),
    path("hotline/", intake.hotline, name="hotline"),
    path("email/", intake.email_upload, name="email_import"),
    path("track/", intake.track, name="track"),
    path("track/<str:code>/", intake.track, name="track_code"),
    path("d/<str:number>/", staff.detail, name="detail"),
    path("d/<str:number>/contact/", staff.reveal, name="reveal"),
    path("d/<str:number>/<slug:action>/", staff.act, name="act"),
    path("supervision/sweep/", staff.sweep, name="sweep"),
    path("bulletins/", reports.bulletins, name="bulletins"),
    path("bulletins/portal/", portal_actions.prepare_for_portal, name="bulletin_to_portal"),
    path("holidays/", reports.holidays, name="holidays"),
]
