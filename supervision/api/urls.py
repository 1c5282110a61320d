"""API URLs of supervision under /api/v1/<province>/supervision/."""

from django.urls import include, path

from . import campaigns, oversight, rectification, renewals, views

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
    path("campaigns/", campaigns.CampaignListAPIView.as_view(), name="api_supervision_campaigns"),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailAPIView.as_view(), name="api_supervision_campaign"),
    path("campaigns/<int:pk>/commit/", campaigns.CampaignCommitAPIView.as_view(),
         name="api_supervision_campaign_commit"),
    path("campaigns/<int:pk>/draw/", campaigns.CampaignDrawAPIView.as_view(), name="api_supervision_campaign_draw"),
    path("campaigns/<int:pk>/replace/", campaigns.CampaignReplaceAPIView.as_view(),
         name="api_supervision_campaign_replace"),
    path("campaigns/<int:pk>/close/", campaigns.CampaignCloseAPIView.as_view(), name="api_supervision_campaign_close"),
    path("inspections/", campaigns.InspectionListAPIView.as_view(), name="api_supervision_inspections"),
    path("inspections/<int:pk>/", campaigns.InspectionDetailAPIView.as_view(), name="api_supervision_inspection"),
    path("inspections/<int:pk>/schedule/", campaigns.InspectionScheduleAPIView.as_view(),
         name="api_supervision_inspection_schedule"),
    path("inspections/<int:pk>/checklist/", campaigns.InspectionChecklistAPIView.as_view(),
         name="api_supervision_inspection_checklist"),
    path("inspections/<int:pk>/findings/", campaigns.InspectionFindingAPIView.as_view(),
         name="api_supervision_inspection_findings"),
    path("inspections/<int:pk>/complete/", campaigns.InspectionCompleteAPIView.as_view(),
         name="api_supervision_inspection_complete"),
    path("rectification/", rectification.OrderListAPIView.as_view(), name="api_supervision_orders"),
    path("rectification/<int:pk>/", rectification.OrderDetailAPIView.as_view(), name="api_supervision_order"),
    path("rectification/<int:pk>/answer/", rectification.OrderAnswerAPIView.as_view(),
         name="api_supervision_order_answer"),
    path("rectification/<int:pk>/verify/", rectification.OrderVerifyAPIView.as_view(),
         name="api_supervision_order_verify"),
    path("complaints/", include("supervision.api.urls_complaints")),
]

urlpatterns += [
    path("renewals/", renewals.RenewalListAPIView.as_view(), name="api_supervision_renewals"),
    path("renewals/<int:pk>/", renewals.RenewalDetailAPIView.as_view(), name="api_supervision_renewal"),
    path("renewals/<int:pk>/submit/", renewals.RenewalSubmitAPIView.as_view(), name="api_supervision_renewal_submit"),
    path("renewals/<int:pk>/decision/", renewals.RenewalDecisionAPIView.as_view(),
         name="api_supervision_renewal_decision"),
]
