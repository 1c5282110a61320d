"""API URLs of supervision under /api/v1/<province>/supervision/."""

from django.urls import path

from . import views

urlpatterns = [
    path("indicators/", views.IndicatorListAPIView.as_view(), name="api_supervision_indicators"),
    path("organizations/<int:pk>/feedback/", views.OrganizationFeedbackAPIView.as_view(),
         name="api_supervision_feedback"),
    path("organizations/<int:pk>/enrolment/", views.EnrolmentAPIView.as_view(), name="api_supervision_enrolment"),
    path("organizations/<int:pk>/prices/", views.CoursePriceAPIView.as_view(), name="api_supervision_prices"),
]
