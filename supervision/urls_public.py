"""Public supervision pages (no login), included from portal/urls.py under /feedback/."""

from django.urls import path

from .views import public

app_name = "supervision_public"

urlpatterns = [
    path("trainee/", public.TraineeFeedbackView.as_view(), name="trainee_feedback"),
    path("employer/", public.EmployerFeedbackView.as_view(), name="employer_feedback"),
]
