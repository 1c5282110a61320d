"""URLs of filings, included under /<province>/ with the namespace "filings"."""

from django.urls import path

from .views import applicant, cultivation, filing, public, review

app_name = "filings"

urlpatterns = [
    path("register/", public.RegisterView.as_view(), name="register"),
    path("institution/", applicant.MyInstitutionView.as_view(), name="my_institution"),
    path("applications/", applicant.MyApplicationsView.as_view(), name="my_applications"),
    path("calls/<int:call_pk>/apply/", applicant.ApplicationStartView.as_view(), name="application_start"),
    path("applications/<int:pk>/", applicant.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/facts/", applicant.ApplicationFactsView.as_view(), name="application_facts"),
    path("applications/<int:pk>/occupations/add/", applicant.OccupationAddView.as_view(), name="occupation_add"),
    path("applications/<int:pk>/occupations/<int:item_pk>/remove/", applicant.OccupationRemoveView.as_view(),
         name="occupation_remove"),
    path("applications/<int:pk>/evidence/upload/", applicant.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("applications/<int:pk>/evidence/<int:evidence_pk>/remove/", applicant.EvidenceRemoveView.as_view(),
         name="evidence_remove"),
    path("applications/<int:pk>/pledge/", applicant.PledgeView.as_view(), name="pledge"),
    path("applications/<int:pk>/submit/", applicant.SubmitView.as_view(), name="submit"),
    path("applications/<int:pk>/withdraw/", applicant.WithdrawView.as_view(), name="withdraw"),
    path("evidence/<int:pk>/", applicant.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("calls/", review.CallListView.as_view(), name="call_list"),
    path("institutions/", review.InstitutionListView.as_view(), name="institution_list"),
    path("institutions/<int:pk>/", review.InstitutionDetailView.as_view(), name="institution_detail"),
    path("institutions/<int:pk>/credit-code/", review.InstitutionCreditCodeView.as_view(),
         name="institution_credit_code"),
    path("review/", review.ReviewListView.as_view(), name="review_list"),
    path("review/<int:pk>/", review.ReviewDetailView.as_view(), name="review_detail"),
    path("cultivations/", cultivation.CultivationListView.as_view(), name="cultivation_list"),
    path("cultivations/<int:pk>/", cultivation.CultivationDetailView.as_view(), name="cultivation_detail"),
    path("cultivations/<int:pk>/commitment/", cultivation.CommitmentSignView.as_view(), name="commitment_sign"),
    path("cultivations/<int:pk>/commitment.pdf", cultivation.CommitmentDownloadView.as_view(),
         name="commitment_download"),
    path("cultivations/<int:pk>/file/", cultivation.FileDecisionView.as_view(), name="file_decision"),
    path("cultivation-tasks/<int:pk>/question-bank/", cultivation.QuestionBankSubmitView.as_view(),
         name="question_bank_submit"),
    path("cultivation-tasks/<int:pk>/review/", cultivation.QuestionBankReviewView.as_view(),
         name="question_bank_review"),
    path("cultivation-tasks/<int:pk>/training/", cultivation.TrainingRecordView.as_view(), name="training_record"),
    path("question-bank-files/<int:pk>/", cultivation.QuestionBankFileDownloadView.as_view(),
         name="question_bank_file"),
    path("filings/", filing.FilingListView.as_view(), name="filing_list"),
    path("filings/report/", filing.ReportFilingsView.as_view(), name="filings_report"),
    path("filings/publish/", filing.PublishFilingsView.as_view(), name="filings_publish"),
    path("filings/<int:pk>/", filing.FilingDetailView.as_view(), name="filing_detail"),
    path("filings/<int:pk>/add-occupations/", filing.AdditionCreateView.as_view(), name="addition_create"),
    path("additions/<int:pk>/decide/", filing.AdditionDecideView.as_view(), name="addition_decide"),
    path("filing-letters/<int:pk>/", filing.FilingLetterDownloadView.as_view(), name="filing_letter"),
]
