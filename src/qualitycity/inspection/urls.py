from django.urls import path

from .views import catalogue, lab, orders, provider

app_name = "inspection"

urlpatterns = [
    path("", catalogue.index, name="index"),
    path("services/<str:number>/", catalogue.service_detail, name="service"),
    path("parks/<int:park_id>/", catalogue.park_station, name="park"),
    path("my/services/", provider.my_services, name="my_services"),
    path("my/services/new/", provider.service_new, name="service_new"),
    path("my/services/<str:number>/edit/", provider.service_edit, name="service_edit"),
    path("my/services/<str:number>/<str:action>/", provider.service_action, name="service_action"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/new/", orders.order_new, name="order_new"),
    path("orders/<str:number>/", orders.order_detail, name="order"),
    path("orders/<str:number>/action/", orders.order_action, name="order_action"),
    path("reports/<str:number>.pdf", orders.report_pdf, name="report_pdf"),
    path("reports/<str:number>/amend/", orders.report_amend, name="report_amend"),
    path("lab/", lab.lab, name="lab"),
    path("stats/", lab.stats, name="stats"),
    path("instruments/", lab.instruments, name="instruments"),
    path("instruments/<int:pk>/order/", lab.instrument_order, name="instrument_order"),
    path("instruments/regulator/", lab.regulator, name="regulator"),
]
