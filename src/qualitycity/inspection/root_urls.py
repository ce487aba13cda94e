"""Fixed public addresses: /verify/ and /verify/<report number>/ (printed as a QR code)."""

from django.urls import path

from .views import public

urlpatterns = [
    path("verify/", public.verify, name="inspection-verify"),
    path("verify/<str:number>/", public.verify, name="inspection-verify-number"),
]
