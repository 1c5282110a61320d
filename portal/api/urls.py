"""URLs of the core's API, under /api/v1/."""

from django.urls import include, path

from . import publicity, views

urlpatterns = [
    # first: the public lookup is the most requested pattern (the prefixes are disjoint, so the order changes nothing else)
    path("", include("certificates.api.urls.certificates")),  # public/certificates/…, <province>/certificates/…
    path("auth/token/", views.TokenView.as_view(), name="api_token"),
    path("me/", views.MeView.as_view(), name="api_me"),
    path("occupations/", views.OccupationListView.as_view(), name="api_occupations"),
    path("calendar/working-days/", views.WorkingDaysView.as_view(), name="api_working_days"),
    path("identifiers/check/", views.IdentifierCheckView.as_view(), name="api_identifier_check"),
    path("public/<slug:province>/notices/", publicity.PublicNoticeListAPIView.as_view(), name="api_public_notices"),
    path("public/<slug:province>/notices/<int:pk>/", publicity.PublicNoticeAPIView.as_view(), name="api_public_notice"),
    path("public/<slug:province>/notices/<int:pk>/objections/", publicity.FileObjectionAPIView.as_view(),
         name="api_public_objection"),
    path("<slug:province>/publicity/objections/", publicity.ObjectionListAPIView.as_view(), name="api_objections"),
    path("<slug:province>/publicity/objections/<int:pk>/resolve/", publicity.ResolveObjectionAPIView.as_view(),
         name="api_objection_resolve"),
    path("", include("certificates.api.urls.holder")),  # public/holder/…, holder/… (the skill-bank account)
    path("public/feedback/", include("supervision.api.urls_public")),
    path("public/complaints/", include("supervision.api.urls_complaints_public")),
    path("<slug:province>/supervision/", include("supervision.api.urls")),
    path("<slug:province>/selection/", include("selection.api.urls")),
    path("<slug:province>/exams/", include("certificates.api.urls.exams")),
    path("<slug:province>/audit-events/", views.AuditEventListView.as_view(), name="api_audit_events"),
    path("<slug:province>/audit-events/<int:pk>/", views.AuditEventDetailView.as_view(), name="api_audit_event"),
    path("<slug:province>/", include("filings.api.urls")),
]
