from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("courses/<str:code>/", views.course, name="course"),
    path("courses/<str:code>/enrol/", views.enrol, name="enrol"),
    path("courses/<str:code>/enrol-staff/", views.enrol_staff, name="enrol_staff"),
    path("courses/<str:code>/lessons/<int:order>/", views.lesson, name="lesson"),
    path("courses/<str:code>/lessons/<int:order>/file/", views.lesson_file, name="lesson_file"),
    path("courses/<str:code>/quiz/", views.quiz, name="quiz"),
    path("certificates/<str:number>.pdf", views.certificate, name="certificate"),
    path("verify/", views.verify, name="verify"),
    path("events/", views.events, name="events"),
    path("events/<int:event_id>/attendance/", views.attendance, name="attendance"),
    path("stats/", views.stats, name="stats"),
]
