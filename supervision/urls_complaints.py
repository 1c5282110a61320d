"""URLs of complaints for officers and organizations, included from supervision/urls.py under complaints/ (namespace
"supervision")."""

from django.urls import path

from .views import complaints, complaints_organization

urlpatterns = [
    path("", complaints.ComplaintListView.as_view(), name="complaint_list"),
    path("<int:pk>/", complaints.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("<int:pk>/files/<int:attachment>/", complaints.ComplaintAttachmentView.as_view(),
         name="complaint_attachment"),
    path("received/", complaints_organization.OrganizationComplaintListView.as_view(),
         name="organization_complaints"),
    path("received/<int:pk>/", complaints_organization.OrganizationComplaintView.as_view(),
         name="organization_complaint"),
]
