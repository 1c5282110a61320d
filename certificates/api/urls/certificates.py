"""URLs of the certificate API, included at /api/v1/: the public lookup under public/certificates/, the province's
operations under <province>/certificates/."""

from django.urls import path

from ..views import certificates as views, credentials, holder as holder_views

urlpatterns = [
    path("public/certificates/lookup/", views.CertificateLookupAPIView.as_view(), name="api_certificate_lookup"),
    path("public/certificates/verify-payload/", views.PayloadVerifyAPIView.as_view(),
         name="api_certificate_verify_payload"),
    path("public/certificates/credential/", credentials.CredentialAPIView.as_view(), name="api_certificate_credential"),
    path("public/status-lists/<slug:province>/<str:purpose>/<int:number>/", credentials.StatusListAPIView.as_view(),
         name="api_status_list"),
    path("<slug:province>/certificates/issue/", views.IssueAPIView.as_view(), name="api_certificate_issue"),
    path("<slug:province>/certificates/registry-export/", holder_views.RegistryExportAPIView.as_view(),
         name="api_certificate_registry_export"),
    path("<slug:province>/certificates/batches/<int:pk>/", views.BatchAPIView.as_view(),
         name="api_certificate_batch"),
    path("<slug:province>/certificates/<int:pk>/revocation/", views.RevocationAPIView.as_view(),
         name="api_certificate_revocation"),
    path("<slug:province>/certificates/<int:pk>/correction/", views.CorrectionAPIView.as_view(),
         name="api_certificate_correction"),
    path("<slug:province>/certificates/changes/<int:pk>/approve/", views.ApproveChangeAPIView.as_view(),
         name="api_certificate_change_approve"),
    path("<slug:province>/certificates/changes/<int:pk>/reject/", views.RejectChangeAPIView.as_view(),
         name="api_certificate_change_reject"),
]
