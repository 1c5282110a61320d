"""URLs of the selection API, under /api/v1/<province>/selection/."""

from django.urls import path

from . import views

urlpatterns = [
    path("my-sheets/", views.MySheetsAPIView.as_view(), name="api_selection_my_sheets"),
    path("sheets/<int:pk>/", views.SheetAPIView.as_view(), name="api_selection_sheet"),
    path("sheets/<int:pk>/scores/", views.SheetScoresAPIView.as_view(), name="api_selection_sheet_scores"),
    path("sheets/<int:pk>/submit/", views.SheetSubmitAPIView.as_view(), name="api_selection_sheet_submit"),
    path("sheets/<int:pk>/conflict/", views.ConflictAPIView.as_view(), name="api_selection_sheet_conflict"),
    path("sheets/<int:pk>/reopen/", views.SheetReopenAPIView.as_view(), name="api_selection_sheet_reopen"),
    path("calls/<int:call_pk>/panels/", views.PanelListAPIView.as_view(), name="api_selection_panels"),
    path("calls/<int:call_pk>/panels/new/", views.PanelFormAPIView.as_view(), name="api_selection_panel_form"),
    path("panels/<int:pk>/assign/", views.AssignAPIView.as_view(), name="api_selection_panel_assign"),
    path("panels/<int:pk>/draw/", views.DrawAPIView.as_view(), name="api_selection_panel_draw"),
    path("calls/<int:call_pk>/rankings/", views.RankingsAPIView.as_view(), name="api_selection_rankings"),
    path("calls/<int:call_pk>/cities/<str:city>/recommendations/", views.RecommendAPIView.as_view(),
         name="api_selection_recommend"),
    path("calls/<int:call_pk>/cities/<str:city>/send/", views.SendTableAPIView.as_view(), name="api_selection_send_table"),
    path("calls/<int:call_pk>/cities/<str:city>/publish/", views.CityPublishAPIView.as_view(),
         name="api_selection_city_publish"),
    path("calls/<int:call_pk>/start-review/", views.StartReviewAPIView.as_view(), name="api_selection_start_review"),
    path("calls/<int:call_pk>/selection/", views.SelectAPIView.as_view(), name="api_selection_select"),
    path("calls/<int:call_pk>/approval/", views.ApprovalAPIView.as_view(), name="api_selection_approval"),
    path("calls/<int:call_pk>/publish/", views.PublishAPIView.as_view(), name="api_selection_publish"),
]
