"""API URLs of supervision under /api/v1/<province>/supervision/."""

from django.urls import path

from . import exits, oversight, views

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
    path("exits/", exits.ExitListAPIView.as_view(), name="api_supervision_exits"),
    path("exits/<int:pk>/", exits.ExitDetailAPIView.as_view(), name="api_supervision_exit"),
    path("exits/<int:pk>/tasks/<slug:kind>/", exits.WrapUpTaskAPIView.as_view(), name="api_supervision_exit_task"),
    path("exits/<int:pk>/confirm/", exits.ConfirmExitAPIView.as_view(), name="api_supervision_exit_confirm"),
    path("exits/<int:pk>/withdraw/", exits.WithdrawExitAPIView.as_view(), name="api_supervision_exit_withdraw"),
    path("filings/<int:pk>/voluntary-exit/", exits.VoluntaryExitAPIView.as_view(),
         name="api_supervision_voluntary_exit"),
    path("filings/<int:pk>/order-exit/", exits.OrderExitAPIView.as_view(), name="api_supervision_order_exit"),
    path("filings/<int:pk>/suspend/", exits.SuspendAPIView.as_view(), name="api_supervision_suspend"),
    path("suspensions/", exits.SuspensionListAPIView.as_view(), name="api_supervision_suspensions"),
    path("suspensions/<int:pk>/resume/", exits.ResumeAPIView.as_view(), name="api_supervision_resume"),
]
