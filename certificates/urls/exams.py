"""URLs of the exam pipeline, included under /<province>/exams/ with the namespace "exams"."""

from django.urls import path

from ..views import plans, results, review, rosters, venues_staff

app_name = "exams"

urlpatterns = [
    path("", plans.PlanListView.as_view(), name="plan_list"),
    path("calendar/", plans.PlanCalendarView.as_view(), name="plan_calendar"),
    path("new/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("venues/", venues_staff.VenueListView.as_view(), name="venues"),
    path("staff/", venues_staff.StaffListView.as_view(), name="staff"),
    path("staff/<int:pk>/edit/", venues_staff.StaffEditView.as_view(), name="staff_edit"),
    path("roster-template.csv", rosters.RosterTemplateView.as_view(), name="roster_template"),
    path("results-template.csv", rosters.ResultsTemplateView.as_view(), name="results_template"),
    path("<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/edit/", plans.PlanEditView.as_view(), name="plan_edit"),
    path("<int:pk>/sessions/", plans.SessionAddView.as_view(), name="session_add"),
    path("<int:pk>/sessions/<int:session_pk>/remove/", plans.SessionRemoveView.as_view(), name="session_remove"),
    path("<int:pk>/sessions/<int:session_pk>/staff/", plans.SessionStaffView.as_view(), name="session_staff"),
    path("<int:pk>/roster/", rosters.RosterView.as_view(), name="roster"),
    path("<int:pk>/roster-template.csv", rosters.PlanRosterTemplateView.as_view(), name="plan_roster_template"),
    path("<int:pk>/results-template.csv", rosters.PlanResultsTemplateView.as_view(), name="plan_results_template"),
    path("<int:pk>/file/", plans.FilePlanView.as_view(), name="plan_file"),
    path("<int:pk>/amend/", plans.AmendPlanView.as_view(), name="plan_amend"),
    path("<int:pk>/cancel/", plans.CancelPlanView.as_view(), name="plan_cancel"),
    path("<int:pk>/acknowledge/", plans.AcknowledgePlanView.as_view(), name="plan_acknowledge"),
    path("<int:pk>/request-changes/", plans.RequestChangesView.as_view(), name="plan_request_changes"),
    path("<int:pk>/visits/", plans.ScheduleVisitView.as_view(), name="plan_visit"),
    path("<int:pk>/start-results/", plans.StartResultsView.as_view(), name="start_results"),
    path("<int:pk>/results/", results.ResultsView.as_view(), name="results"),
    path("<int:pk>/results/<int:candidate_pk>/", results.ResultEntryView.as_view(), name="result_entry"),
    path("<int:pk>/publish/", results.PublishResultsView.as_view(), name="results_publish"),
    path("<int:pk>/resubmit/", results.ResubmitResultsView.as_view(), name="results_resubmit"),
    path("<int:pk>/review/", review.ReviewView.as_view(), name="review"),
    path("objections/<int:pk>/answer/", results.ObjectionAnswerView.as_view(), name="objection_answer"),
]
