"""URLs of the holder's skill-bank API, included at /api/v1/: opening the account and reading a share link under
public/holder/, the holder's own record and links under holder/."""

from django.urls import path

from ..views import holder as views

urlpatterns = [
    path("public/holder/accounts/", views.OpenAccountAPIView.as_view(), name="api_holder_open"),
    path("public/holder/shared/<str:token>/", views.SharedAPIView.as_view(), name="api_holder_shared"),
    path("holder/record/", views.RecordAPIView.as_view(), name="api_holder_record"),
    path("holder/record/pdf/", views.RecordPdfAPIView.as_view(), name="api_holder_record_pdf"),
    path("holder/shares/", views.ShareLinksAPIView.as_view(), name="api_holder_shares"),
    path("holder/shares/<int:pk>/revoke/", views.ShareRevokeAPIView.as_view(), name="api_holder_share_revoke"),
]
