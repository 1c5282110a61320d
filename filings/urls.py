"""URLs of filings, included under /<province>/ with the namespace "filings"."""

from django.urls import path

from . import views, views_filing

app_name = "filings"

urlpatterns = [
    path("register/", views.RegisterView.as_view(), name="register"),
    path("institution/", views.MyInstitutionView.as_view(), name="my_institution"),
    path("applications/", views.MyApplicationsView.as_view(), name="my_applications"),
    path("calls/<int:call_pk>/apply/", views.ApplicationStartView.as_view(), name="application_start"),
    path("applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/facts/", views.ApplicationFactsView.as_view(), name="application_facts"),
    path("applications/<int:pk>/occupations/add/", views.OccupationAddView.as_view(), name="occupation_add"),
    path("applications/<int:pk>/occupations/<int:item_pk>/remove/", views.OccupationRemoveView.as_view(),
         name="occupation_remove"),
    path("applications/<int:pk>/evidence/upload/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("applications/<int:pk>/evidence/<int:evidence_pk>/remove/", views.EvidenceRemoveView.as_view(),
         name="evidence_remove"),
    path("applications/<int:pk>/pledge/", views.PledgeView.as_view(), name="pledge"),
    path("applications/<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("applications/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("calls/", views.CallListView.as_view(), name="call_list"),
    path("institutions/", views.InstitutionListView.as_view(), name="institution_list"),
    path("institutions/<int:pk>/", views.InstitutionDetailView.as_view(), name="institution_detail"),
    path("review/", views.ReviewListView.as_view(), name="review_list"),
    path("review/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    # cultivation, filings and letters (views_filing)
    path("cultivations/", views_filing.CultivationListView.as_view(), name="cultivation_list"),
    path("cultivations/<int:pk>/", views_filing.CultivationDetailView.as_view(), name="cultivation_detail"),
    path("cultivations/<int:pk>/commitment/", views_filing.CommitmentSignView.as_view(), name="commitment_sign"),
    path("cultivations/<int:pk>/commitment.pdf", views_filing.CommitmentDownloadView.as_view(),
         name="commitment_download"),
    path("cultivations/<int:pk>/file/", views_filing.FileDecisionView.as_view(), name="file_decision"),
    path("cultivation-tasks/<int:pk>/question-bank/", views_filing.QuestionBankSubmitView.as_view(),
         name="question_bank_submit"),
    path("cultivation-tasks/<int:pk>/review/", views_filing.QuestionBankReviewView.as_view(),
         name="question_bank_review"),
    path("cultivation-tasks/<int:pk>/training/", views_filing.TrainingRecordView.as_view(), name="training_record"),
    path("question-bank-files/<int:pk>/", views_filing.QuestionBankFileDownloadView.as_view(),
         name="question_bank_file"),
    path("filings/", views_filing.FilingListView.as_view(), name="filing_list"),
    path("filings/report/", views_filing.ReportFilingsView.as_view(), name="filings_report"),
    path("filings/publish/", views_filing.PublishFilingsView.as_view(), name="filings_publish"),
    path("filings/<int:pk>/", views_filing.FilingDetailView.as_view(), name="filing_detail"),
    path("filings/<int:pk>/add-occupations/", views_filing.AdditionCreateView.as_view(), name="addition_create"),
    path("additions/<int:pk>/decide/", views_filing.AdditionDecideView.as_view(), name="addition_decide"),
    path("filing-letters/<int:pk>/", views_filing.FilingLetterDownloadView.as_view(), name="filing_letter"),
]
