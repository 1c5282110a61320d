"""URLs of the exam pipeline, included under /<province>/exams/ with the namespace "certificates"."""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("calendar/", views.PlanCalendarView.as_view(), name="plan_calendar"),
    path("new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("venues/", views.VenueListView.as_view(), name="venues"),
    path("staff/", views.StaffListView.as_view(), name="staff"),
    path("roster-template.csv", views.RosterTemplateView.as_view(), name="roster_template"),
    path("results-template.csv", views.ResultsTemplateView.as_view(), name="results_template"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("<int:pk>/sessions/", views.SessionAddView.as_view(), name="session_add"),
    path("<int:pk>/sessions/<int:session_pk>/remove/", views.SessionRemoveView.as_view(), name="session_remove"),
    path("<int:pk>/sessions/<int:session_pk>/staff/", views.SessionStaffView.as_view(), name="session_staff"),
    path("<int:pk>/roster/", views.RosterView.as_view(), name="roster"),
    path("<int:pk>/file/", views.FilePlanView.as_view(), name="plan_file"),
    path("<int:pk>/amend/", views.AmendPlanView.as_view(), name="plan_amend"),
    path("<int:pk>/cancel/", views.CancelPlanView.as_view(), name="plan_cancel"),
    path("<int:pk>/acknowledge/", views.AcknowledgePlanView.as_view(), name="plan_acknowledge"),
    path("<int:pk>/request-changes/", views.RequestChangesView.as_view(), name="plan_request_changes"),
    path("<int:pk>/visits/", views.ScheduleVisitView.as_view(), name="plan_visit"),
    path("<int:pk>/start-results/", views.StartResultsView.as_view(), name="start_results"),
    path("<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    path("<int:pk>/results/<int:candidate_pk>/", views.ResultEntryView.as_view(), name="result_entry"),
    path("<int:pk>/publish/", views.PublishResultsView.as_view(), name="results_publish"),
    path("<int:pk>/resubmit/", views.ResubmitResultsView.as_view(), name="results_resubmit"),
    path("<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("objections/<int:pk>/answer/", views.ObjectionAnswerView.as_view(), name="objection_answer"),
]
