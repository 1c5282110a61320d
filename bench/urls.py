"""The portal's URLs plus the benchmarks' bare comparison views (/bench/bare/, /bench/<province>/bare-officer/)."""

from django.urls import include, path

from .views import BareLookupView, BareOfficerView

urlpatterns = [
    path("bench/bare/", BareLookupView.as_view(), name="bench_bare"),
    path("bench/<slug:province>/bare-officer/", BareOfficerView.as_view(), name="bench_bare_officer"),
    path("", include("portal.urls")),
]
