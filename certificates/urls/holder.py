"""The holder's skill-bank account, included from portal/urls.py under /holder/ (namespace "holder")."""

from django.urls import path

from ..views import holder

app_name = "holder"

urlpatterns = [
    path("", holder.HolderHomeView.as_view(), name="home"),
    path("open/", holder.OpenAccountView.as_view(), name="open"),
    path("record.pdf", holder.RecordPdfView.as_view(), name="record_pdf"),
    path("record.json", holder.RecordJsonView.as_view(), name="record_json"),
    path("shares/", holder.ShareCreateView.as_view(), name="share_create"),
    path("shares/<int:pk>/revoke/", holder.ShareRevokeView.as_view(), name="share_revoke"),
    path("s/<str:token>/", holder.SharedView.as_view(), name="shared"),
]
