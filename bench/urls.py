"""The portal's URLs plus the benchmarks' bare comparison views under /bench/ (lookup page, lookup API, officer page)."""

from django.urls import include, path

from .views import BareLookupAPIView, BareLookupView, BareOfficerView

urlpatterns = [
    path("bench/bare/", BareLookupView.as_view(), name="bench_bare"),
    path("bench/bare-api/", BareLookupAPIView.as_view(), name="bench_bare_api"),
    path("bench/<slug:province>/bare-officer/", BareOfficerView.as_view(), name="bench_bare_officer"),
    path("", include("portal.urls")),
]
