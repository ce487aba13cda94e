from django.urls import path

from . import config_views, views

app_name = "brands"
urlpatterns = [
    path("", views.index, name="index"),
    path("check/", views.check, name="check"),
    path("c/<str:number>/", views.check, name="certificate"),
    path("c/<str:number>/qr.svg", views.qr, name="qr"),
    path("applications/", views.applications, name="applications"),
    path("applications/<str:number>/", views.application, name="application"),
    path("applications/<str:number>/declare/", views.declare, name="declare"),
    path("applications/<str:number>/submit/", views.submit, name="submit"),
    path("applications/<str:number>/decide/", views.decide, name="decide"),
    path("review/", views.review_inbox, name="review"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/draw/", views.draw, name="draw"),
    path("supervision/<str:number>/", views.certificate_action, name="certificate_action"),
    path("standards/", views.standards, name="standards"),
    path("certificates/<str:number>/renew/", views.renew, name="renew"),
    path("settings/", config_views.settings_page, name="settings"),
    path("settings/standards/", config_views.standard_create, name="standard_create"),
    path("settings/standards/<int:pk>/", config_views.standard_change, name="standard_change"),
    path("settings/strength/", config_views.strength_weights, name="strength_weights"),
    path("settings/violations/", config_views.violation_create, name="violation_create"),
]
