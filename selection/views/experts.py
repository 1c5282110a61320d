"""Pages for experts: the sheets assigned to them, scoring one, declaring a conflict, the application's materials."""

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from filings import selectors as filing_selectors
from filings.models import Application
from portal.errors import DomainError
from portal.roles import ProvinceView

from .. import selectors, services
from ..access import access_own_sheet, access_sheet_evidence
from ..errors import Codes
from ..forms import ConflictForm, SheetForm
from ..models import ScoreSheet, SheetState, plain_number
from ._common import EXPERT, ObjectAction, act, category_labels


def _materials(application: Any) -> list[Any]:
    """The application's files under the name of the material each is (the checklist item), in the pack's order."""
    rows: list[Any] = [row for row in filing_selectors.checklist_status(application) if row.files]
    listed = {f.pk for row in rows for f in row.files}
    others = [f for f in filing_selectors.current_evidence(application) if f.pk not in listed]
    if others:
        rows.append(SimpleNamespace(item=SimpleNamespace(label=_("其他材料")), files=others))
    return rows


class MySheetsView(ProvinceView, TemplateView):
    allowed_roles = EXPERT
    template_name = "selection/my_sheets.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sheets"] = selectors.own_sheets(self.access)
        return context


def _score_inputs(form: SheetForm) -> list[services.ScoreInput]:
    return [services.ScoreInput(c.pk, form.cleaned_data.get(f"score_{c.pk}"), form.cleaned_data.get(f"comment_{c.pk}", ""))
            for c in form.criteria]


def _sheet_form(sheet: ScoreSheet) -> SheetForm:
    """The sheet's form filled with the expert's scores so far (read-only unless the sheet is open)."""
    rows = selectors.sheet_scores(sheet)
    initial: dict[str, Any] = {"comment": sheet.comment}
    for c, score in rows:
        if score is not None:
            initial[f"score_{c.pk}"] = score.score
            initial[f"comment_{c.pk}"] = score.comment
    return SheetForm(initial=initial, criteria=[c for c, _score in rows], disabled=sheet.state != SheetState.ASSIGNED)


def _application_facts(application: Application) -> list[tuple[str, Any]]:
    labels = {f.key: f for f in filing_selectors.pack_for(application.province).fact_fields}
    return [(labels[k].label + (f"（{labels[k].unit}）" if labels[k].unit else ""), v)
            for k, v in application.facts.items() if k in labels]


class SheetView(ProvinceView, TemplateView):
    """评估表: the application (facts, occupations, materials) beside the expert's scores, criterion by criterion."""

    allowed_roles = EXPERT
    template_name = "selection/sheet.html"

    def sheet(self) -> ScoreSheet:
        return access_own_sheet(self.access, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        sheet = kwargs.get("sheet") or self.sheet()
        application = sheet.application
        form = kwargs.get("form") or _sheet_form(sheet)
        visible = sheet.state != SheetState.RECUSED
        context.update(
            sheet=sheet, application=application,
            category_label=category_labels(self.province).get(application.category, application.category),
            form=form, total_max=plain_number(sum((c.max_score for c in form.criteria), Decimal(0))),
            occupations=selectors.application_occupations(application) if visible else [],
            facts=_application_facts(application) if visible else [],
            materials=_materials(application) if visible else [],
            others=selectors.other_sheets_visible(sheet),
            aggregate=selectors.aggregates(sheet.panel, [application.pk])[application.pk] if sheet.is_submitted else None,
            conflict_form=ConflictForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sheet = self.sheet()
        form = SheetForm(request.POST, criteria=[c for c, _score in selectors.sheet_scores(sheet)])
        back = reverse("selection:sheet", kwargs={"province": self.province.slug, "pk": sheet.pk})
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(sheet=sheet, form=form))
        submit = request.POST.get("action") == "submit"
        save = services.submit_sheet if submit else services.save_sheet
        try:
            save(sheet, acting_user=self.user, scores=_score_inputs(form), comment=form.cleaned_data["comment"])
        except DomainError as exc:
            if exc.code in (Codes.SHEET_ALREADY_SUBMITTED, Codes.SHEET_RECUSED):
                messages.error(request, str(exc))
                return redirect(back)
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(sheet=sheet, form=form))
        messages.success(request, _("评估表已提交。") if submit else _("评估表已暂存。"))
        return redirect(back)


class ConflictView(ObjectAction):
    allowed_roles = EXPERT

    def load(self) -> ScoreSheet:
        return access_own_sheet(self.access, self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sheet = self.load()
        form = ConflictForm(request.POST)
        back = reverse("selection:sheet", kwargs={"province": self.province.slug, "pk": sheet.pk})
        if not form.is_valid():
            messages.error(request, _("请选择回避情形。"))
            return redirect(back)
        user = self.user
        return act(request, lambda: services.declare_conflict(
            sheet.application, acting_user=user, kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"]),
            _("已声明回避，组织单位将另行抽取专家。"), back)


class SheetEvidenceView(ProvinceView):
    """A material of the application behind one of the expert's own sheets (recorded in the audit trail)."""

    allowed_roles = EXPERT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        evidence = access_sheet_evidence(self.access, kwargs["pk"], kwargs["evidence_pk"])
        services.record_evidence_download(evidence, acting_user=self.user)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
