"""URLs of certificate issuance, included under /<province>/certificates/ with the namespace "certificates"."""

from django.urls import path

from ..views import changes, issuance, registry

app_name = "certificates"

urlpatterns = [
    path("", registry.RegistryView.as_view(), name="registry"),
    path("issue/", issuance.IssueView.as_view(), name="issue"),
    path("plans/<int:pk>/photos/", issuance.PhotoUploadView.as_view(), name="photo_upload"),
    path("batches/", issuance.BatchListView.as_view(), name="batch_list"),
    path("batches/<int:pk>/", issuance.BatchDetailView.as_view(), name="batch_detail"),
    path("batches/<int:pk>/progress/", issuance.BatchProgressView.as_view(), name="batch_progress"),
    path("changes/", changes.ChangeListView.as_view(), name="change_list"),
    path("changes/<int:pk>/", changes.ChangeDetailView.as_view(), name="change_detail"),
    path("<int:pk>/", issuance.CertificateDetailView.as_view(), name="certificate_detail"),
    path("<int:pk>/pdf/", issuance.CertificatePdfView.as_view(), name="certificate_pdf"),
    path("<int:pk>/revoke/", changes.RevocationRequestView.as_view(), name="revocation_request"),
    path("<int:pk>/correct/", changes.CorrectionRequestView.as_view(), name="correction_request"),
]
