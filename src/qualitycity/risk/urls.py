from django.urls import path

from .views import actions, pages

app_name = "risk"
urlpatterns = [
    path("", pages.index, name="index"),
    path("alerts/", pages.alert_list, name="alerts"),
    path("alerts/<str:number>/", pages.alert_detail, name="alert"),
    path("alerts/<str:number>/triage/", actions.triage, name="triage"),
    path("alerts/<str:number>/assign/", actions.assign, name="assign"),
    path("alerts/<str:number>/assess/", actions.assess, name="assess"),
    path("alerts/<str:number>/actions/", actions.add_action, name="add_action"),
    path("alerts/<str:number>/actions/<int:action_id>/done/", actions.action_done, name="action_done"),
    path("alerts/<str:number>/close/", actions.close, name="close"),
    path("signals/", pages.signal_list, name="signals"),
    path("signals/new/", actions.signal_new, name="signal_new"),
    path("signals/<str:number>/", pages.signal_detail, name="signal"),
    path("signals/<str:number>/run/", actions.signal_run, name="signal_run"),
    path("import/", actions.import_counts, name="import"),
    path("register/", pages.register, name="register"),
    path("enterprises/<int:pk>/", pages.enterprise, name="enterprise"),
]
