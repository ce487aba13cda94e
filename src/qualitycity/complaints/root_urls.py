"""Fixed public addresses: Open311 GeoReport v2."""

from django.urls import include, path

from . import open311

v2 = ([
    path("discovery.<str:fmt>", open311.discovery, name="discovery"),
    path("services.<str:fmt>", open311.services, name="services"),
    path("services/<str:code>.<str:fmt>", open311.service_definition, name="service"),
    path("requests.<str:fmt>", open311.requests_, name="requests"),
    path("requests/<str:request_id>.<str:fmt>", open311.request_detail, name="request"),
    path("tokens/<str:token_id>.<str:fmt>", open311.token, name="token"),
], "open311")

urlpatterns = [path("open311/v2/", include(v2))]
