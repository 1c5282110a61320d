"""Public certificate verification (no login), included from portal/urls.py under /verify/."""

from django.urls import path

from . import verify_views

app_name = "verify"

urlpatterns = [
    path("", verify_views.LookupView.as_view(), name="lookup"),
    path("person/", verify_views.PersonRecordView.as_view(), name="person"),
    path("q/<str:token>/", verify_views.QrVerifyView.as_view(), name="qr"),
    path("c/<str:token>/", verify_views.LinkedCertificateView.as_view(), name="linked"),
    path("keys/<slug:province>.json", verify_views.PublicKeysView.as_view(), name="keys"),
]
