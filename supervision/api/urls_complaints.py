"""API URLs of complaints under /api/v1/<province>/supervision/complaints/."""

from django.urls import path

from . import complaints

urlpatterns = [
    path("", complaints.ComplaintListAPIView.as_view(), name="api_complaints"),
    path("<int:pk>/", complaints.ComplaintDetailAPIView.as_view(), name="api_complaint"),
    path("<int:pk>/forward/", complaints.ForwardAPIView.as_view(), name="api_complaint_forward"),
    path("<int:pk>/request-information/", complaints.RequestInformationAPIView.as_view(),
         name="api_complaint_request_information"),
    path("<int:pk>/decide/", complaints.DecideAPIView.as_view(), name="api_complaint_decide"),
    path("<int:pk>/reassign/", complaints.ReassignAPIView.as_view(), name="api_complaint_reassign"),
    path("<int:pk>/answer/", complaints.OrganizationAnswerAPIView.as_view(), name="api_complaint_answer"),
]
