from django.urls import path

from . import recommend_views, views

app_name = "consult"
urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("ask/suggest/", views.suggest, name="suggest"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path("cases/<str:number>/reply/", views.reply, name="reply"),
    path("cases/<str:number>/close/", views.close, name="close"),
    path("cases/<str:number>/assign/", views.assign, name="assign"),
    path("cases/<str:number>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("knowledge/", views.knowledge, name="knowledge"),
    path("knowledge/<int:article_id>/", views.article, name="article"),
    path("stats/", views.stats, name="stats"),
    path("profile/", views.profile, name="profile"),
    path("recommendations/", recommend_views.recommendations_page, name="recommendations"),
]
