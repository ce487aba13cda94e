from django.urls import path

from .views import catalogue, lab, orders

app_name = "inspection"

urlpatterns = [
    path("", catalogue.index, name="index"),
    path("services/<str:number>/", catalogue.service_detail, name="service"),
    path("parks/<int:park_id>/", catalogue.park_station, name="park"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/new/", orders.order_new, name="order_new"),
    path("orders/<str:number>/", orders.order_detail, name="order"),
    path("orders/<str:number>/action/", orders.order_action, name="order_action"),
    path("reports/<str:number>.pdf", orders.report_pdf, name="report_pdf"),
    path("lab/", lab.lab, name="lab"),
    path("stats/", lab.stats, name="stats"),
    path("instruments/", lab.instruments, name="instruments"),
    path("instruments/<int:pk>/order/", lab.instrument_order, name="instrument_order"),
    path("instruments/regulator/", lab.regulator, name="regulator"),
]
