"""URLs of the core's API, under /api/v1/."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api_token"),
    path("me/", views.MeView.as_view(), name="api_me"),
    path("occupations/", views.OccupationListView.as_view(), name="api_occupations"),
    path("calendar/working-days/", views.WorkingDaysView.as_view(), name="api_working_days"),
    path("identifiers/check/", views.IdentifierCheckView.as_view(), name="api_identifier_check"),
    path("<slug:province>/audit-events/", views.AuditEventListView.as_view(), name="api_audit_events"),
    path("<slug:province>/audit-events/<int:pk>/", views.AuditEventDetailView.as_view(), name="api_audit_event"),
    path("<slug:province>/", include("filings.api.urls")),
]
