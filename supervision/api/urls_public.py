"""Public API URLs of supervision (no login) under /api/v1/public/feedback/."""

from django.urls import path

from . import views

urlpatterns = [
    path("trainee/", views.TraineeFeedbackAPIView.as_view(), name="api_public_trainee_feedback"),
    path("employer/", views.EmployerFeedbackAPIView.as_view(), name="api_public_employer_feedback"),
]
