"""API URLs of supervision under /api/v1/<province>/supervision/."""

from django.urls import path

from . import oversight, renewals, views

urlpatterns = [
    path("indicators/", views.IndicatorListAPIView.as_view(), name="api_supervision_indicators"),
    path("organizations/<int:pk>/feedback/", views.OrganizationFeedbackAPIView.as_view(),
         name="api_supervision_feedback"),
    path("organizations/<int:pk>/enrolment/", views.EnrolmentAPIView.as_view(), name="api_supervision_enrolment"),
    path("organizations/<int:pk>/prices/", views.CoursePriceAPIView.as_view(), name="api_supervision_prices"),
    path("rankings/", oversight.RankingListAPIView.as_view(), name="api_supervision_rankings"),
    path("rankings/<int:pk>/", oversight.RankingDetailAPIView.as_view(), name="api_supervision_ranking"),
    path("rankings/<int:pk>/publish/", oversight.RankingPublishAPIView.as_view(),
         name="api_supervision_ranking_publish"),
    path("flags/", oversight.FlagListAPIView.as_view(), name="api_supervision_flags"),
    path("flags/<int:pk>/", oversight.FlagDetailAPIView.as_view(), name="api_supervision_flag"),
    path("flags/<int:pk>/dismiss/", oversight.FlagDismissAPIView.as_view(), name="api_supervision_flag_dismiss"),
]

urlpatterns += [
    path("renewals/", renewals.RenewalListAPIView.as_view(), name="api_supervision_renewals"),
    path("renewals/<int:pk>/", renewals.RenewalDetailAPIView.as_view(), name="api_supervision_renewal"),
    path("renewals/<int:pk>/submit/", renewals.RenewalSubmitAPIView.as_view(), name="api_supervision_renewal_submit"),
    path("renewals/<int:pk>/decision/", renewals.RenewalDecisionAPIView.as_view(),
         name="api_supervision_renewal_decision"),
]
