"""URLs of selection, included under /<province>/selection/ with the namespace "selection"."""

from django.urls import path

from . import views

app_name = "selection"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("experts/", views.ExpertListView.as_view(), name="expert_list"),
    path("experts/<int:pk>/", views.ExpertEditView.as_view(), name="expert_edit"),
    path("calls/<int:call_pk>/rubric/", views.RubricView.as_view(), name="rubric"),
    path("calls/<int:call_pk>/panels/", views.PanelFormView.as_view(), name="panel_form"),
    path("panels/<int:pk>/", views.PanelDetailView.as_view(), name="panel_detail"),
    path("sheets/", views.MySheetsView.as_view(), name="my_sheets"),
    path("sheets/<int:pk>/", views.SheetView.as_view(), name="sheet"),
    path("sheets/<int:pk>/conflict/", views.ConflictView.as_view(), name="sheet_conflict"),
    path("sheets/<int:pk>/reopen/", views.SheetReopenView.as_view(), name="sheet_reopen"),
    path("sheets/<int:pk>/evidence/<int:evidence_pk>/", views.SheetEvidenceView.as_view(), name="sheet_evidence"),
    path("calls/<int:call_pk>/cities/<str:city>/", views.CityTableView.as_view(), name="city_table"),
    path("calls/<int:call_pk>/cities/<str:city>/table.xlsx", views.CityTableExcelView.as_view(),
         name="city_table_xlsx"),
    path("calls/<int:call_pk>/cities/<str:city>/table.pdf", views.CityTablePdfView.as_view(), name="city_table_pdf"),
    path("calls/<int:call_pk>/province/", views.ProvinceRankingView.as_view(), name="province_ranking"),
    path("calls/<int:call_pk>/approval/", views.ApprovalView.as_view(), name="approval"),
    path("calls/<int:call_pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("approvals/<int:pk>/document/", views.ApprovalDocumentView.as_view(), name="approval_document"),
]
