"""Public complaint pages (no login): the complaint form with the catalog search, the page that shows the tracking
code once, and the tracking page where the code alone shows the status, the responses and the deadlines, and where
the complainant answers a request for information or says whether the answer satisfies them."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from filings.models import FilingOccupation
from filings.selectors import catalog, search_catalog
from portal.errors import DomainError
from portal.models import Institution, Occupation, Province
from portal.ratelimit import client_ip
from portal.roles import PublicView
from portal.text import plain

from .. import selectors, services
from ..forms_complaints import ComplaintForm, InformationForm, ReactionForm, TrackForm
from ..models import Complaint
from ._forms import show_error

FORM_TEMPLATE = "supervision/complaints/public_form.html"
DONE_TEMPLATE = "supervision/complaints/public_done.html"
TRACK_TEMPLATE = "supervision/complaints/track.html"
STATUS_TEMPLATE = "supervision/complaints/track_status.html"


def _private(response: HttpResponse) -> HttpResponse:
    """A page that shows a tracking code or what it unlocks is never cached, by the browser or a proxy."""
    response["Cache-Control"] = "no-store"
    return response


def _organizations(province: Province, q: str = "") -> QuerySet[Institution]:
    filings = search_catalog(catalog(province), q=q) if q else catalog(province)
    return Institution.objects.filter(pk__in=filings.values("institution_id")).order_by("name")


def _occupations(province: Province) -> QuerySet[Occupation]:
    ids = FilingOccupation.objects.filter(filing__in=catalog(province)).values("occupation_id")
    return Occupation.objects.filter(pk__in=ids).order_by("code")


def _form(province: Province, data: Any = None, files: Any = None, q: str = "") -> ComplaintForm:
    categories = [(c.key, c.label) for c in services.categories(province)]
    return ComplaintForm(data, files, organizations=_organizations(province, q), occupations=_occupations(province),
                         categories=categories)


def _input(data: dict[str, Any]) -> services.ComplaintInput:
    organization = data.get("organization")
    occupation = data.get("occupation")
    return services.ComplaintInput(
        subject_kind=data["subject_kind"], category=data["category"], text=data["text"],
        organization_id=organization.pk if organization else None, exam_date=data.get("exam_date"),
        certificate_number=data.get("certificate_number", ""), occupation_id=occupation.pk if occupation else None,
        anonymous=bool(data.get("anonymous")), name=data.get("name", ""), mobile=data.get("mobile", "").strip(),
        email=data.get("email", ""))


class ComplaintFormView(PublicView):
    """投诉 — anyone files a complaint about an organization of the province's catalog."""

    def get(self, request: HttpRequest, province: str) -> HttpResponse:
        the_province = get_object_or_404(Province, slug=province)
        q = plain(request.GET.get("q", "")).strip()[:100]
        form = _form(the_province, q=q)
        matches = _organizations(the_province, q).count() if q else None
        return render(request, FORM_TEMPLATE, {"complaint_province": the_province, "form": form, "q": q,
                                               "matches": matches})

    def post(self, request: HttpRequest, province: str) -> HttpResponse:
        the_province = get_object_or_404(Province, slug=province)
        form = _form(the_province, request.POST, request.FILES)
        # not "province": that name gives the base template the officers' navigation
        context = {"complaint_province": the_province, "form": form, "q": ""}
        if not form.is_valid():
            return render(request, FORM_TEMPLATE, context, status=400)
        try:
            complaint, code = services.submit_complaint(the_province, _input(form.cleaned_data),
                                                        ip=client_ip(request), files=form.cleaned_data["attachments"])
        except DomainError as exc:
            show_error(form, exc)
            return render(request, FORM_TEMPLATE, context, status=exc.status)
        return _private(render(request, DONE_TEMPLATE, {"complaint_province": the_province, "complaint": complaint,
                                                        "code": code}, status=201))


class TrackView(PublicView):
    """投诉查询 — the code alone shows the complaint; the code travels in the form, never in the address."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return _private(render(request, TRACK_TEMPLATE, {"form": TrackForm()}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TrackForm({"code": request.POST.get("code", "")})
        if not form.is_valid():
            return _private(render(request, TRACK_TEMPLATE, {"form": form}, status=400))
        code = form.cleaned_data["code"]
        try:
            complaint = services.find_by_code(code, ip=client_ip(request))
        except DomainError as exc:
            show_error(form, exc)
            return _private(render(request, TRACK_TEMPLATE, {"form": form}, status=exc.status))
        action = request.POST.get("action", "")
        if action == "information":
            return self._information(request, complaint, code)
        if action == "react":
            return self._react(request, complaint, code)
        return self._status(request, complaint, code)

    def _status(self, request: HttpRequest, complaint: Complaint, code: str, *, status: int = 200,
                notice: str = "", **forms: Any) -> HttpResponse:
        context = {**selectors.complainant_view(complaint), "code": code, "notice": notice,
                   "information_form": forms.get("information_form") or InformationForm(initial={"code": code}),
                   "reaction_form": forms.get("reaction_form") or ReactionForm(initial={"code": code})}
        return _private(render(request, STATUS_TEMPLATE, context, status=status))

    def _information(self, request: HttpRequest, complaint: Complaint, code: str) -> HttpResponse:
        form = InformationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                complaint = services.provide_information(complaint, text=form.cleaned_data["text"],
                                                         files=form.cleaned_data["attachments"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                return self._status(request, complaint, code, notice=_("补充材料已提交，办理时限恢复计算。"))
        return self._status(request, complaint, code, status=400, information_form=form)

    def _react(self, request: HttpRequest, complaint: Complaint, code: str) -> HttpResponse:
        form = ReactionForm(request.POST)
        if form.is_valid():
            satisfied = form.cleaned_data["satisfied"] == "yes"
            try:
                complaint = services.react_to_answer(complaint, satisfied=satisfied,
                                                     comment=form.cleaned_data["comment"])
            except DomainError as exc:
                show_error(form, exc)
            else:
                notice = (_("感谢您的评价，投诉已办结。") if complaint.state == "closed"
                          else _("已收到您的意见，投诉已重新办理。"))
                return self._status(request, complaint, code, notice=notice)
        return self._status(request, complaint, code, status=400, reaction_form=form)
