"""URLs of selection, included under /<province>/selection/ with the namespace "selection"."""

from django.urls import path

from .views import city, experts, organizers, province

app_name = "selection"

urlpatterns = [
    path("", organizers.IndexView.as_view(), name="index"),
    path("experts/", province.ExpertListView.as_view(), name="expert_list"),
    path("experts/<int:pk>/", province.ExpertEditView.as_view(), name="expert_edit"),
    path("calls/<int:call_pk>/rubric/", province.RubricView.as_view(), name="rubric"),
    path("calls/<int:call_pk>/panels/", organizers.PanelFormView.as_view(), name="panel_form"),
    path("panels/<int:pk>/", organizers.PanelDetailView.as_view(), name="panel_detail"),
    path("sheets/", experts.MySheetsView.as_view(), name="my_sheets"),
    path("sheets/<int:pk>/", experts.SheetView.as_view(), name="sheet"),
    path("sheets/<int:pk>/conflict/", experts.ConflictView.as_view(), name="sheet_conflict"),
    path("sheets/<int:pk>/reopen/", organizers.SheetReopenView.as_view(), name="sheet_reopen"),
    path("sheets/<int:pk>/evidence/<int:evidence_pk>/", experts.SheetEvidenceView.as_view(), name="sheet_evidence"),
    path("calls/<int:call_pk>/cities/<str:city>/", city.CityTableView.as_view(), name="city_table"),
    path("calls/<int:call_pk>/cities/<str:city>/table.xlsx", city.CityTableExcelView.as_view(),
         name="city_table_xlsx"),
    path("calls/<int:call_pk>/cities/<str:city>/table.pdf", city.CityTablePdfView.as_view(), name="city_table_pdf"),
    path("calls/<int:call_pk>/province/", province.ProvinceRankingView.as_view(), name="province_ranking"),
    path("calls/<int:call_pk>/approval/", province.ApprovalView.as_view(), name="approval"),
    path("calls/<int:call_pk>/publish/", province.PublishView.as_view(), name="publish"),
    path("approvals/<int:pk>/document/", province.ApprovalDocumentView.as_view(), name="approval_document"),
]
