"""URLs of the filings API, under /api/v1/<province>/."""

from django.urls import path

from . import views, views_filing

urlpatterns = [
    path("register/", views.RegisterAPIView.as_view(), name="api_register"),
    path("institution/", views.MyInstitutionAPIView.as_view(), name="api_my_institution"),
    path("calls/", views.CallListAPIView.as_view(), name="api_calls"),
    path("applications/", views.MyApplicationListAPIView.as_view(), name="api_my_applications"),
    path("applications/<int:pk>/", views.MyApplicationAPIView.as_view(), name="api_my_application"),
    path("applications/<int:pk>/occupations/", views.ApplicationOccupationsAPIView.as_view(),
         name="api_application_occupations"),
    path("applications/<int:pk>/occupations/<int:item_pk>/", views.ApplicationOccupationAPIView.as_view(),
         name="api_application_occupation"),
    path("applications/<int:pk>/facts/", views.ApplicationFactsAPIView.as_view(), name="api_application_facts"),
    path("applications/<int:pk>/evidence/", views.ApplicationEvidenceAPIView.as_view(), name="api_application_evidence"),
    path("applications/<int:pk>/precheck/", views.PrecheckAPIView.as_view(), name="api_application_precheck"),
    path("applications/<int:pk>/pledge/", views.PledgeAPIView.as_view(), name="api_application_pledge"),
    path("applications/<int:pk>/submit/", views.SubmitAPIView.as_view(), name="api_application_submit"),
    path("applications/<int:pk>/withdraw/", views.WithdrawAPIView.as_view(), name="api_application_withdraw"),
    path("review/", views.ReviewListAPIView.as_view(), name="api_review_list"),
    path("review/<int:pk>/", views.ReviewDetailAPIView.as_view(), name="api_review_detail"),
    path("review/<int:pk>/start/", views.StartReviewAPIView.as_view(), name="api_review_start"),
    path("review/<int:pk>/return/", views.ReturnAPIView.as_view(), name="api_review_return"),
    path("review/<int:pk>/not-recommend/", views.NotRecommendAPIView.as_view(), name="api_review_not_recommend"),
    path("review/<int:pk>/pass/", views.PassReviewAPIView.as_view(), name="api_review_pass"),
    # cultivation, filings, letters and the public catalog (views_filing)
    path("cultivations/", views_filing.CultivationListAPIView.as_view(), name="api_cultivations"),
    path("cultivations/<int:pk>/", views_filing.CultivationAPIView.as_view(), name="api_cultivation"),
    path("cultivations/<int:pk>/commitment/", views_filing.CommitmentAPIView.as_view(), name="api_commitment"),
    path("cultivations/<int:pk>/commitment.pdf", views_filing.CommitmentPDFAPIView.as_view(),
         name="api_commitment_pdf"),
    path("cultivations/<int:pk>/file/", views_filing.FileDecisionAPIView.as_view(), name="api_file_decision"),
    path("cultivation-tasks/<int:pk>/question-bank/", views_filing.QuestionBankSubmitAPIView.as_view(),
         name="api_question_bank_submit"),
    path("cultivation-tasks/<int:pk>/review/", views_filing.QuestionBankReviewAPIView.as_view(),
         name="api_question_bank_review"),
    path("cultivation-tasks/<int:pk>/training/", views_filing.TrainingAPIView.as_view(), name="api_training_record"),
    path("filings/", views_filing.FilingListAPIView.as_view(), name="api_filings"),
    path("filings/<int:pk>/", views_filing.FilingAPIView.as_view(), name="api_filing"),
    path("filings/<int:pk>/additions/", views_filing.AdditionAPIView.as_view(), name="api_filing_additions"),
    path("filing-letters/<int:pk>/", views_filing.FilingLetterAPIView.as_view(), name="api_filing_letter"),
    path("catalog/", views_filing.CatalogAPIView.as_view(), name="api_catalog"),
]
