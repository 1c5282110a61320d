"""Public certificate verification (no login), included from portal/urls.py under /verify/ (namespace "verify")."""

from django.urls import path

from ..views import verify

app_name = "verify"

urlpatterns = [
    path("", verify.LookupView.as_view(), name="lookup"),
    path("person/", verify.PersonRecordView.as_view(), name="person"),
    path("q/<str:token>/", verify.QrVerifyView.as_view(), name="qr"),
    path("c/<str:token>/", verify.LinkedCertificateView.as_view(), name="linked"),
    path("keys/<slug:province>.json", verify.PublicKeysView.as_view(), name="keys"),
]
