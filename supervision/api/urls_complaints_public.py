"""Public complaint API URLs (no login) under /api/v1/public/complaints/."""

from django.urls import path

from . import complaints_public

urlpatterns = [
    path("track/", complaints_public.TrackComplaintAPIView.as_view(), name="api_public_complaint_track"),
    path("track/information/", complaints_public.ProvideInformationAPIView.as_view(),
         name="api_public_complaint_information"),
    path("track/reaction/", complaints_public.ReactAPIView.as_view(), name="api_public_complaint_reaction"),
    path("<slug:province>/", complaints_public.SubmitComplaintAPIView.as_view(), name="api_public_complaint"),
]
