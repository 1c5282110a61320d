"""URLs of supervision under /<province>/supervision/, namespace "supervision"."""

from django.urls import path

from .views import exits, flags, indicators, organization, rankings

app_name = "supervision"

urlpatterns = [
    path("indicators/", indicators.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/refresh/", indicators.RefreshIndicatorsView.as_view(), name="indicator_refresh"),
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
