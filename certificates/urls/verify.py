"""Public certificate verification (no login), included from portal/urls.py under /verify/ (namespace "verify")."""

from django.urls import path

from ..views import verifier, verify

app_name = "verify"

urlpatterns = [
    path("", verify.LookupView.as_view(), name="lookup"),
    path("person/", verify.PersonRecordView.as_view(), name="person"),
    path("q/<str:token>/", verify.QrVerifyView.as_view(), name="qr"),
    path("c/<str:token>/", verify.LinkedCertificateView.as_view(), name="linked"),
    path("keys/<slug:province>.json", verify.PublicKeysView.as_view(), name="keys"),
]

urlpatterns += [
    path("vc/<str:token>/", verifier.CredentialDownloadView.as_view(), name="credential"),
    path("status/<slug:province>/<str:purpose>/<int:number>/", verifier.StatusListView.as_view(),
         name="status_list"),
    path("contexts/skills-certificate-v1.jsonld", verifier.ContextView.as_view(), name="context"),
    path("offline/", verifier.OfflineVerifierView.as_view(), name="offline"),
    path("offline/bundle.json", verifier.BundleView.as_view(), name="offline_bundle"),
    path("offline/sw.js", verifier.ServiceWorkerView.as_view(), name="offline_sw"),
]
