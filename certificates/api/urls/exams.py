"""URLs of the exam API, under /api/v1/<province>/exams/."""

from django.urls import path

from ..views import exams as views

urlpatterns = [
    path("plans/", views.PlanListAPIView.as_view(), name="api_exam_plans"),
    path("plans/<int:pk>/", views.PlanDetailAPIView.as_view(), name="api_exam_plan"),
    path("plans/<int:pk>/sessions/", views.SessionAddAPIView.as_view(), name="api_exam_sessions"),
    path("plans/<int:pk>/sessions/<int:session_pk>/staff/", views.SessionStaffAPIView.as_view(),
         name="api_exam_session_staff"),
    path("plans/<int:pk>/roster/", views.RosterAPIView.as_view(), name="api_exam_roster"),
    path("plans/<int:pk>/file/", views.FilePlanAPIView.as_view(), name="api_exam_plan_file"),
    path("plans/<int:pk>/amend/", views.AmendPlanAPIView.as_view(), name="api_exam_plan_amend"),
    path("plans/<int:pk>/acknowledge/", views.AcknowledgePlanAPIView.as_view(), name="api_exam_plan_acknowledge"),
    path("plans/<int:pk>/request-changes/", views.RequestChangesAPIView.as_view(),
         name="api_exam_plan_request_changes"),
    path("plans/<int:pk>/start-results/", views.StartResultsAPIView.as_view(), name="api_exam_start_results"),
    path("plans/<int:pk>/results/", views.ResultsAPIView.as_view(), name="api_exam_results"),
    path("plans/<int:pk>/publish/", views.PublishResultsAPIView.as_view(), name="api_exam_results_publish"),
    path("plans/<int:pk>/resubmit/", views.ResubmitResultsAPIView.as_view(), name="api_exam_results_resubmit"),
    path("plans/<int:pk>/review/", views.ReviewAPIView.as_view(), name="api_exam_review"),
    path("objections/<int:pk>/answer/", views.ObjectionAnswerAPIView.as_view(), name="api_exam_objection_answer"),
    path("venues/", views.VenueListAPIView.as_view(), name="api_exam_venues"),
    path("staff/", views.StaffListAPIView.as_view(), name="api_exam_staff"),
]
