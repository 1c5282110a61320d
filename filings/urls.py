"""URLs of filings, included under /<province>/ with the namespace "filings"."""

from django.urls import path

from . import views

app_name = "filings"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("institution/", views.MyInstitutionView.as_view(), name="my_institution"),
    path("applications/", views.MyApplicationsView.as_view(), name="my_applications"),
    path("calls/<int:call_pk>/apply/", views.ApplicationStartView.as_view(), name="application_start"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/facts/", views.ApplicationFactsView.as_view(), name="application_facts"),
    path("applications/<int:pk>/occupations/add/", views.OccupationAddView.as_view(), name="occupation_add"),
    path("applications/<int:pk>/occupations/<int:item_pk>/remove/", views.OccupationRemoveView.as_view(),
         name="occupation_remove"),
    path("applications/<int:pk>/evidence/upload/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("applications/<int:pk>/evidence/<int:evidence_pk>/remove/", views.EvidenceRemoveView.as_view(),
         name="evidence_remove"),
    path("applications/<int:pk>/pledge/", views.PledgeView.as_view(), name="pledge"),
    path("applications/<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("applications/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("calls/", views.CallListView.as_view(), name="call_list"),
    path("institutions/", views.InstitutionListView.as_view(), name="institution_list"),
    path("institutions/<int:pk>/", views.InstitutionDetailView.as_view(), name="institution_detail"),
    path("review/", views.ReviewListView.as_view(), name="review_list"),
    path("review/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
]
