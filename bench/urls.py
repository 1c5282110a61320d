"""The portal's URLs plus the bare comparison view of the lookup benchmark at /bench/bare/."""

from django.urls import include, path

from .views import BareLookupView

urlpatterns = [
    path("bench/bare/", BareLookupView.as_view(), name="bench_bare"),
    path("", include("portal.urls")),
]
