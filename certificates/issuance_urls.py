"""URLs of certificate issuance, included under /<province>/certificates/ with the namespace
"certificates_issuance" (the exam pipeline's URLs are under /<province>/exams/, namespace "certificates")."""

from django.urls import path

from . import issuance_views as views

app_name = "certificates_issuance"

urlpatterns = [
    path("", views.RegistryView.as_view(), name="registry"),
    path("issue/", views.IssueView.as_view(), name="issue"),
    path("plans/<int:pk>/photos/", views.PhotoUploadView.as_view(), name="photo_upload"),
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", views.BatchDetailView.as_view(), name="batch_detail"),
    path("batches/<int:pk>/progress/", views.BatchProgressView.as_view(), name="batch_progress"),
    path("changes/", views.ChangeListView.as_view(), name="change_list"),
    path("changes/<int:pk>/", views.ChangeDetailView.as_view(), name="change_detail"),
    path("<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path("<int:pk>/pdf/", views.CertificatePdfView.as_view(), name="certificate_pdf"),
    path("<int:pk>/revoke/", views.RevocationRequestView.as_view(), name="revocation_request"),
    path("<int:pk>/correct/", views.CorrectionRequestView.as_view(), name="correction_request"),
]
