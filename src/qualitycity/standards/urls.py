from django.urls import path

from . import views

app_name = "standards"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("work/", views.work, name="work"),
    path("import/", views.import_catalogue, name="import"),
    path("follow/", views.follow, name="follow"),
    path("follow/<int:follow_id>/delete/", views.unfollow, name="unfollow"),
    path("s/<path:number>", views.detail, name="detail"),
]
