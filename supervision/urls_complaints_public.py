"""Public complaint pages (no login), included from portal/urls.py under /complaints/: the tracking page and each
province's complaint form."""

from django.urls import path

from .views import complaints_public

app_name = "complaints_public"

urlpatterns = [
    path("track/", complaints_public.TrackView.as_view(), name="track"),
    path("<slug:province>/", complaints_public.ComplaintFormView.as_view(), name="new"),
]
