"""Public feedback pages (no login): a certificate holder's feedback, reached from the verify page, and an employer's
rating of a holder it employs. Both are rate-limited like the certificate lookup."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.errors import DomainError
from portal.ratelimit import client_ip
from portal.roles import PublicView

from .. import selectors, services
from ..forms_feedback import PublicEmployerForm, TraineeAnswersForm, TraineeIdentityForm, yes_no
from ._forms import show_error

TRAINEE_TEMPLATE = "supervision/feedback_trainee.html"
EMPLOYER_TEMPLATE = "supervision/feedback_employer.html"
DONE_TEMPLATE = "supervision/feedback_done.html"


def _initial_answers(certificate: Any, ticket: str) -> dict[str, Any]:
    existing = selectors.trainee_feedback_for(certificate)
    if existing is None:
        return {"ticket": ticket}
    return {"ticket": ticket, "employment_status": existing.employment_status,
            "employer_name": existing.employer_name, "employer_credit_code": existing.employer_credit_code,
            "job_matches": "" if existing.job_matches is None else ("yes" if existing.job_matches else "no"),
            "wage_band": existing.wage_band, "training_satisfaction": existing.training_satisfaction,
            "evaluation_satisfaction": existing.evaluation_satisfaction, "comment": existing.comment}


class TraineeFeedbackView(PublicView):
    """学员反馈: step 1 proves the certificate (number, name, last 6 of the ID); step 2 answers (or edits)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = TraineeIdentityForm(initial={"number": request.GET.get("number", "")[:40]})
        return render(request, TRAINEE_TEMPLATE, {"identity_form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        if "ticket" in request.POST:
            return self._answer(request)
        form = TraineeIdentityForm(request.POST)
        if not form.is_valid():
            return render(request, TRAINEE_TEMPLATE, {"identity_form": form}, status=400)
        data = form.cleaned_data
        try:
            certificate = services.find_certificate_for_trainee(data["number"], data["name"], data["id_tail"],
                                                                ip=client_ip(request))
        except DomainError as exc:
            show_error(form, exc)
            return render(request, TRAINEE_TEMPLATE, {"identity_form": form}, status=exc.status)
        answers = TraineeAnswersForm(initial=_initial_answers(certificate, services.trainee_ticket(certificate)))
        return render(request, TRAINEE_TEMPLATE, {"answers_form": answers, "certificate": certificate,
                                                  "existing": selectors.trainee_feedback_for(certificate)})

    def _answer(self, request: HttpRequest) -> HttpResponse:
        form = TraineeAnswersForm(request.POST)
        try:
            certificate = services.certificate_from_ticket(request.POST.get("ticket", ""))
        except DomainError as exc:
            identity = TraineeIdentityForm()
            return render(request, TRAINEE_TEMPLATE, {"identity_form": identity, "error": str(exc)}, status=400)
        context = {"answers_form": form, "certificate": certificate, "existing": selectors.trainee_feedback_for(certificate)}
        if not form.is_valid():
            return render(request, TRAINEE_TEMPLATE, context, status=400)
        try:
            feedback = services.submit_trainee_feedback(certificate, services.TraineeAnswers(**form.answers()))
        except DomainError as exc:
            show_error(form, exc)
            return render(request, TRAINEE_TEMPLATE, context, status=exc.status)
        return render(request, DONE_TEMPLATE, {"feedback": feedback, "kind": "trainee"})


class EmployerFeedbackView(PublicView):
    """用人单位评价 (public): the employer's USCC and contact, the holder's certificate number and name, the rating."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, EMPLOYER_TEMPLATE, {"form": PublicEmployerForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PublicEmployerForm(request.POST)
        if not form.is_valid():
            return render(request, EMPLOYER_TEMPLATE, {"form": form}, status=400)
        data = form.cleaned_data
        employer = services.Employer(data["employer_name"], data["employer_credit_code"], data["contact_name"],
                                     data["contact_phone"])
        try:
            certificate = services.find_certificate_for_employer(data["number"], data["name"], ip=client_ip(request))
            feedback = services.submit_employer_feedback(certificate, employer, skill_match=data["skill_match"],
                                                         would_hire_again=bool(yes_no(data["would_hire_again"])))
        except DomainError as exc:
            show_error(form, exc)
            return render(request, EMPLOYER_TEMPLATE, {"form": form}, status=exc.status)
        return render(request, DONE_TEMPLATE, {"feedback": feedback, "kind": "employer"})
