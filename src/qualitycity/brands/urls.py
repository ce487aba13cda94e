from django.urls import path

from . import views

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
    path("supervision/<str:number>/", views.certificate_action, name="certificate_action"),
]
