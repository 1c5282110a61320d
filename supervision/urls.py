"""URLs of supervision under /<province>/supervision/, namespace "supervision"."""

from django.urls import include, path

from .views import campaigns, exits, flags, indicators, inspections, organization, rankings, rectification, renewals

app_name = "supervision"

urlpatterns = [
    path("indicators/", indicators.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/refresh/", indicators.RefreshIndicatorsView.as_view(), name="indicator_refresh"),
    path("dashboard/funnel.json", indicators.FunnelChartView.as_view(), name="dashboard_funnel"),
    path("organizations/mine/", organization.MyOrganizationView.as_view(), name="my_organization"),
    path("organizations/<int:pk>/", organization.OrganizationIndicatorsView.as_view(), name="organization"),
    path("organizations/<int:pk>/enrolment/", organization.DeclareEnrolmentView.as_view(), name="declare_enrolment"),
    path("organizations/<int:pk>/prices/", organization.DeclarePriceView.as_view(), name="declare_price"),
    path("organizations/<int:pk>/rate-holder/", organization.RateHolderView.as_view(), name="rate_holder"),
    path("rankings/", rankings.RankingListView.as_view(), name="ranking_list"),
    path("rankings/rows/", rankings.RankingRowListView.as_view(), name="ranking_rows"),
    path("rankings/formula/", rankings.FormulaView.as_view(), name="risk_formula"),
    path("rankings/<int:pk>/", rankings.RankingDetailView.as_view(), name="ranking_detail"),
    path("flags/", flags.FlagListView.as_view(), name="flag_list"),
    path("flags/<int:pk>/", flags.FlagDetailView.as_view(), name="flag_detail"),
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", campaigns.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign_detail"),
    path("conflicts/", campaigns.ConflictView.as_view(), name="conflicts"),
    path("inspections/", inspections.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/<int:pk>/", inspections.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/files/<int:file_pk>/", inspections.InspectionFileView.as_view(),
         name="inspection_file"),
    path("rectification/", rectification.OrderListView.as_view(), name="order_list"),
    path("rectification/<int:pk>/", rectification.OrderDetailView.as_view(), name="order_detail"),
    path("rectification/<int:pk>/files/<int:file_pk>/", rectification.OrderFileView.as_view(), name="order_file"),
    path("complaints/", include("supervision.urls_complaints")),
]

urlpatterns += [
    path("renewal/", renewals.RenewalHomeView.as_view(), name="renewal_home"),
    path("renewal/start/<int:filing_pk>/", renewals.RenewalStartView.as_view(), name="renewal_start"),
    path("renewals/", renewals.RenewalListView.as_view(), name="renewal_list"),
    path("renewals/<int:pk>/", renewals.RenewalDetailView.as_view(), name="renewal_detail"),
    path("renewals/<int:pk>/declarations/", renewals.RenewalDeclarationsView.as_view(), name="renewal_declarations"),
    path("renewals/<int:pk>/documents/", renewals.RenewalDocumentView.as_view(), name="renewal_document"),
    path("renewals/<int:pk>/documents/<int:document_pk>/", renewals.RenewalDocumentFileView.as_view(),
         name="renewal_document_file"),
    path("renewals/<int:pk>/submit/", renewals.RenewalSubmitView.as_view(), name="renewal_submit"),
    path("renewals/<int:pk>/decide/", renewals.RenewalDecideView.as_view(), name="renewal_decide"),
    path("renewals/<int:pk>/certificates/", renewals.RenewalCertificatesView.as_view(), name="renewal_certificates"),
    path("renewals/<int:pk>/letter/", renewals.RenewalLetterView.as_view(), name="renewal_letter"),
    path("lifecycle/", exits.LifecycleView.as_view(), name="lifecycle"),
    path("lifecycle/<int:pk>/voluntary-exit/", exits.VoluntaryExitView.as_view(), name="voluntary_exit"),
    path("lifecycle/<int:pk>/order-exit/", exits.OrderExitView.as_view(), name="order_exit"),
    path("lifecycle/<int:pk>/suspend/", exits.SuspendView.as_view(), name="suspend"),
    path("exits/", exits.ExitListView.as_view(), name="exit_list"),
    path("exits/<int:pk>/", exits.ExitDetailView.as_view(), name="exit_detail"),
    path("exits/<int:pk>/notice/", exits.TerminationNoticeView.as_view(), name="termination_notice"),
    path("suspensions/", exits.SuspensionListView.as_view(), name="suspension_list"),
    path("suspensions/<int:pk>/", exits.SuspensionDetailView.as_view(), name="suspension_detail"),
]
