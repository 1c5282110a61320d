"""Pages of selection: the expert pool, rubric, panels and draws, the experts' scoring sheets, the city's
recommendation and summary table, and the province's ranking, selection, approval and publication."""

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from filings import selectors as filing_selectors
from filings.access import access_call, scope_calls
from filings.models import Application, ApplicationState, Call
from portal.access import scope_notices
from portal.audit import record_event
from portal.documents import render_pdf
from portal.errors import DomainError
from portal.exports import XLSX
from portal.models import City, Role
from portal.roles import OFFICERS, ProvinceView

from . import selectors, services
from .access import (
    access_approval,
    access_expert,
    access_officer_sheet,
    access_own_sheet,
    access_panel,
    access_sheet_evidence,
    city_for,
    scope_experts,
    scope_own_sheets,
    scope_panels,
)
from .forms import (
    ApprovalForm,
    AssignForm,
    ConflictForm,
    DrawForm,
    ExpertForm,
    PanelForm,
    ReasonForm,
    RecommendationForm,
    RoundOptionsForm,
    RubricForm,
    SelectionHelperForm,
    SheetForm,
)
from .models import Expert, LeadershipApproval, Panel, ScoreSheet, SelectionRound, SheetState, plain_number

S = ApplicationState
PROVINCIAL = (Role.PROVINCIAL_OFFICER,)
EXPERT = (Role.EXPERT,)


def _act(request: HttpRequest, action: Callable[[], Any], success: str, target: str) -> HttpResponse:
    """Run a service; show its refusal as a message (nothing was changed) or the success message."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(target)


class _ObjectAction(ProvinceView):
    """A POST-only action on one object. Any other method resolves the object first, so that an object the caller
    cannot reach answers 404 whatever the method, and one they can reach 405."""

    def load(self) -> Any:
        raise NotImplementedError

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load()
        return super().http_method_not_allowed(request, *args, **kwargs)


def _category_labels(province: Any) -> dict[str, str]:
    return {k: str(v) for k, v in filing_selectors.pack_for(province).category_choices()}


# --- overview ---

class IndexView(ProvinceView, TemplateView):
    """The calls and, for each, where its selection stands at the caller's level."""

    allowed_roles = OFFICERS
    template_name = "selection/index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        calls = list(scope_calls(self.access).order_by("-year", "-application_deadline"))
        panels = list(scope_panels(self.access).filter(call__in=calls).select_related("city"))
        cities = list(City.objects.filter(pk__in=self.access.city_ids()).order_by("code"))
        waiting: dict[int, int] = {}
        if self.access.is_provincial_officer:
            waiting = dict(Application.objects.filter(call__in=calls, state=S.RECOMMENDED).values("call_id")
                           .annotate(n=Count("pk")).values_list("call_id", "n"))
        rows = [{"call": call, "panels": [p for p in panels if p.call_id == call.pk], "waiting": waiting.get(call.pk)}
                for call in calls]
        context.update(rows=rows, cities=cities, panel_form=PanelForm(cities=self._panel_cities()))
        return context

    def _panel_cities(self) -> QuerySet[City]:
        if self.access.is_provincial_officer:
            return City.objects.filter(province=self.province)
        return City.objects.filter(pk__in=self.access.city_ids())


# --- the expert pool (provincial officer) ---

def _expert_data(form: ExpertForm) -> services.ExpertData:
    d = form.cleaned_data
    return services.ExpertData(name=d["name"], employer=d["employer"], employer_credit_code=d["employer_credit_code"],
                               city=d["city"], fields=form.field_codes(), contact=d["contact"],
                               is_active=d["is_active"], user=d["username"])


class ExpertListView(ProvinceView, TemplateView):
    allowed_roles = PROVINCIAL
    template_name = "selection/expert_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["experts"] = scope_experts(self.access).select_related("city", "user").order_by("-is_active", "name")
        context["form"] = kwargs.get("form") or ExpertForm(province=self.province)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ExpertForm(request.POST, province=self.province)
        if form.is_valid():
            try:
                services.add_expert(self.province, acting_user=request.user, data=_expert_data(form))  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error("employer_credit_code" if exc.code.startswith("uscc") else None, str(exc))
            else:
                messages.success(request, _("已加入专家库。"))
                return redirect("selection:expert_list", province=self.province.slug)
        return self.render_to_response(self.get_context_data(form=form))


class ExpertEditView(ProvinceView, TemplateView):
    allowed_roles = PROVINCIAL
    template_name = "selection/expert_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        expert = access_expert(self.access, self.kwargs["pk"])
        context["expert"] = expert
        context["form"] = kwargs.get("form") or ExpertForm(initial=ExpertForm.initial_for(expert),
                                                           province=self.province)
        context["conflicts"] = expert.conflicts.select_related("application__institution")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        expert = access_expert(self.access, kwargs["pk"])
        form = ExpertForm(request.POST, province=self.province)
        if form.is_valid():
            try:
                services.update_expert(expert, acting_user=request.user, data=_expert_data(form))  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("专家信息已保存。"))
                return redirect("selection:expert_list", province=self.province.slug)
        return self.render_to_response(self.get_context_data(form=form))


# --- the call's rubric (provincial officer) ---

class RubricView(ProvinceView, TemplateView):
    """The call's scoring sheet per category, copied from the pack when first opened; editable until the first
    sheet is submitted."""

    allowed_roles = PROVINCIAL
    template_name = "selection/rubric.html"

    def round(self) -> SelectionRound:
        call = access_call(self.access, self.kwargs["call_pk"])
        return services.ensure_round(call, acting_user=self.request.user)  # type: ignore[arg-type]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        round_ = kwargs.get("round") or self.round()
        labels = _category_labels(self.province)
        criteria = list(round_.criteria.order_by("category", "position", "pk"))
        forms_by_category = kwargs.get("forms") or {}
        sections = []
        for category, label in labels.items():
            rows = [c for c in criteria if c.category == category]
            form = forms_by_category.get(category) or RubricForm(criteria=rows, prefix=category)
            sections.append({"category": category, "label": label, "form": form,
                             "total": plain_number(sum((c.max_score for c in rows), Decimal(0)))})
        context.update(round=round_, call=round_.call, sections=sections, locked=round_.rubric_locked_at is not None,
                       options_form=RoundOptionsForm(initial={"drop_extremes": round_.drop_extremes}),
                       min_sheets=filing_selectors.pack_for(self.province).settings.drop_extremes_min_sheets)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        round_ = self.round()
        category = request.POST.get("category", "")
        rows = list(round_.criteria.filter(category=category).order_by("position", "pk"))
        form = RubricForm(request.POST, criteria=rows, prefix=category)
        options = RoundOptionsForm(request.POST)
        if rows and form.is_valid() and options.is_valid():
            changes = [services.CriterionChange(c.pk, form.cleaned_data[f"label_{c.pk}"],
                                                form.cleaned_data[f"max_{c.pk}"],
                                                form.cleaned_data[f"description_{c.pk}"]) for c in rows]
            try:
                services.update_rubric(round_, acting_user=request.user, category=category, changes=changes,  # type: ignore[arg-type]
                                       drop_extremes=options.cleaned_data["drop_extremes"])
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("评估指标已保存。"))
                return redirect("selection:rubric", province=self.province.slug, call_pk=round_.call_id)
        return self.render_to_response(self.get_context_data(round=round_, forms={category: form}))


# --- panels, assignment and draws (organizers) ---

class PanelFormView(_ObjectAction):
    allowed_roles = OFFICERS

    def load(self) -> Call:
        return access_call(self.access, self.kwargs["call_pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call = self.load()
        cities = City.objects.filter(province=self.province)
        form = PanelForm(request.POST, cities=cities)
        back = reverse("selection:index", kwargs={"province": self.province.slug})
        if not form.is_valid():
            messages.error(request, _("请选择评审层级和地市。"))
            return redirect(back)
        try:
            panel = services.form_panel(call, acting_user=request.user, level=form.cleaned_data["level"],  # type: ignore[arg-type]
                                        city=form.cleaned_data["city"])
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        messages.success(request, _("评审专家组已组建：%(p)s") % {"p": panel})
        return redirect("selection:panel_detail", province=self.province.slug, pk=panel.pk)


class PanelDetailView(ProvinceView, TemplateView):
    """A panel's applications with their sheets (n of m submitted), assignment by hand, draws and their records."""

    allowed_roles = OFFICERS
    template_name = "selection/panel_detail.html"

    def panel(self) -> Panel:
        return access_panel(self.access, self.kwargs["pk"])

    def applications(self, panel: Panel) -> QuerySet[Application]:
        with_sheets = ScoreSheet.objects.filter(panel=panel).values("application_id")
        return Application.objects.filter(
            Q(pk__in=selectors.panel_applications(panel).values("pk")) | Q(pk__in=with_sheets)
        ).select_related("institution").order_by("institution__name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        panel = kwargs.get("panel") or self.panel()
        applications = list(self.applications(panel).prefetch_related(
            Prefetch("score_sheets", queryset=ScoreSheet.objects.filter(panel=panel).select_related("expert"),
                     to_attr="panel_sheets")))
        aggs = selectors.aggregates(panel, [a.pk for a in applications])
        assignable = selectors.panel_applications(panel).select_related("institution").order_by("institution__name")
        experts = Expert.objects.filter(province=self.province, is_active=True).order_by("name")
        context.update(
            panel=panel, rows=[(a, aggs[a.pk]) for a in applications],
            assign_form=kwargs.get("assign_form") or AssignForm(applications=assignable, experts=experts),
            draw_form=kwargs.get("draw_form") or DrawForm(applications=assignable),
            draws=panel.draws.select_related("application__institution", "created_by")[:50],
            expert_names=dict(Expert.objects.filter(province=self.province).values_list("pk", "name")),
            reason_form=ReasonForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        panel = self.panel()
        back = reverse("selection:panel_detail", kwargs={"province": self.province.slug, "pk": panel.pk})
        assignable = selectors.panel_applications(panel).select_related("institution")
        user = request.user
        if request.POST.get("action") == "assign":
            experts = Expert.objects.filter(province=self.province, is_active=True)
            form = AssignForm(request.POST, applications=assignable, experts=experts)
            if form.is_valid():
                return _act(request, lambda: services.assign_expert(
                    panel, form.cleaned_data["application"], form.cleaned_data["expert"], acting_user=user),  # type: ignore[arg-type]
                    _("已分配专家。"), back)
            return self.render_to_response(self.get_context_data(panel=panel, assign_form=form))
        if request.POST.get("action") == "draw":
            draw_form = DrawForm(request.POST, applications=assignable)
            if draw_form.is_valid():
                d = draw_form.cleaned_data
                try:
                    draw = services.draw_experts(panel, d["application"], acting_user=user, count=d["count"],  # type: ignore[arg-type]
                                                 seed=d["seed"], match_fields=d["match_fields"])
                except DomainError as exc:
                    draw_form.add_error(None, str(exc))
                else:
                    messages.success(request, _("已随机抽取%(n)d名专家（随机种子%(seed)d）。") % {
                        "n": len(draw.result), "seed": draw.seed})
                    return redirect(back)
            return self.render_to_response(self.get_context_data(panel=panel, draw_form=draw_form))
        messages.error(request, _("未知的操作。"))
        return redirect(back)


class SheetReopenView(_ObjectAction):
    allowed_roles = OFFICERS

    def load(self) -> ScoreSheet:
        return access_officer_sheet(self.access, self.kwargs["pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sheet = self.load()
        back = reverse("selection:panel_detail", kwargs={"province": self.province.slug, "pk": sheet.panel_id})
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("退回重评必须填写理由。"))
            return redirect(back)
        return _act(request, lambda: services.reopen_sheet(sheet, acting_user=request.user,  # type: ignore[arg-type]
                                                           reason=form.cleaned_data["reason"]),
                    _("评估表已退回专家重评。"), back)


# --- the expert's sheets ---

class MySheetsView(ProvinceView, TemplateView):
    allowed_roles = EXPERT
    template_name = "selection/my_sheets.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sheets"] = scope_own_sheets(self.access).select_related(
            "panel__call", "panel__city", "panel__province", "application__institution").order_by("state", "-assigned_at")
        return context


def _score_inputs(form: SheetForm) -> list[services.ScoreInput]:
    return [services.ScoreInput(c.pk, form.cleaned_data.get(f"score_{c.pk}"), form.cleaned_data.get(f"comment_{c.pk}", ""))
            for c in form.criteria]


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
        pack = filing_selectors.pack_for(self.province)
        rows = selectors.sheet_scores(sheet)
        criteria = [c for c, _score in rows]
        initial: dict[str, Any] = {"comment": sheet.comment}
        for c, score in rows:
            if score is not None:
                initial[f"score_{c.pk}"] = score.score  # type: ignore[attr-defined]
                initial[f"comment_{c.pk}"] = score.comment  # type: ignore[attr-defined]
        labels = {f.key: f for f in pack.fact_fields}
        visible = sheet.state != SheetState.RECUSED
        context.update(
            sheet=sheet, application=application,
            category_label=_category_labels(self.province).get(application.category, application.category),
            form=kwargs.get("form") or SheetForm(initial=initial, criteria=criteria,
                                                 disabled=sheet.state != SheetState.ASSIGNED),
            total_max=plain_number(sum((c.max_score for c in criteria), Decimal(0))),
            occupations=application.occupations.select_related("occupation", "work_type") if visible else [],
            facts=[(labels[k].label + (f"（{labels[k].unit}）" if labels[k].unit else ""), v)
                   for k, v in application.facts.items() if k in labels] if visible else [],
            evidence=filing_selectors.current_evidence(application) if visible else [],
            others=selectors.other_sheets_visible(sheet),
            aggregate=selectors.aggregates(sheet.panel, [application.pk])[application.pk] if sheet.is_submitted else None,
            conflict_form=ConflictForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        sheet = self.sheet()
        criteria = [c for c, _score in selectors.sheet_scores(sheet)]
        form = SheetForm(request.POST, criteria=criteria)
        back = reverse("selection:sheet", kwargs={"province": self.province.slug, "pk": sheet.pk})
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(sheet=sheet, form=form))
        submit = request.POST.get("action") == "submit"
        user: Any = request.user
        try:
            if submit:
                services.submit_sheet(sheet, acting_user=user, scores=_score_inputs(form),
                                      comment=form.cleaned_data["comment"])
            else:
                services.save_sheet(sheet, acting_user=user, scores=_score_inputs(form),
                                    comment=form.cleaned_data["comment"])
        except DomainError as exc:
            if exc.code in ("sheet_already_submitted", "sheet_recused"):
                messages.error(request, str(exc))
                return redirect(back)
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(sheet=sheet, form=form))
        messages.success(request, _("评估表已提交。") if submit else _("评估表已暂存。"))
        return redirect(back)


class ConflictView(_ObjectAction):
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
        return _act(request, lambda: services.declare_conflict(
            sheet.application, acting_user=request.user, kind=form.cleaned_data["kind"],  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"]), _("已声明回避，组织单位将另行抽取专家。"), back)


class SheetEvidenceView(ProvinceView):
    """A material of the application behind one of the expert's own sheets (recorded in the audit trail)."""

    allowed_roles = EXPERT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        evidence = access_sheet_evidence(self.access, kwargs["pk"], kwargs["evidence_pk"])
        record_event(actor=request.user, action="evidence_downloaded", obj=evidence.application,  # type: ignore[arg-type]
                     province=self.province, changes={"file": evidence.original_name})
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)


# --- the city's recommendation and summary table ---

class CityTableView(ProvinceView, TemplateView):
    """The city's applications ranked per occupation, its recommendations, and sending the summary table."""

    allowed_roles = OFFICERS
    template_name = "selection/city_table.html"

    def target(self) -> tuple[Call, City]:
        return access_call(self.access, self.kwargs["call_pk"]), city_for(self.access, self.kwargs["city"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        call, city = self.target()
        panel = selectors.city_panel(call, city)
        applications = list(selectors.with_occupations(selectors.city_applications(call, city)))
        overall, per_occupation = selectors.rankings(panel, applications)
        table = selectors.summary_table(call, city)
        decisions = {r.application_id: r for r in table.rows.all()} if table else {}
        pack = filing_selectors.pack_for(self.province)
        can_edit = (city.pk in self.access.city_ids()) and not (table and table.is_sent)
        context.update(
            call=call, city=city, panel=panel, table=table, per_occupation=per_occupation,
            rows=[(r, decisions.get(r.application.pk), RecommendationForm(
                prefix=f"app{r.application.pk}",
                initial={"application": r.application.pk,
                         "recommended": ("1" if decisions[r.application.pk].recommended else "0")
                         if r.application.pk in decisions and decisions[r.application.pk].recommended is not None else None,
                         "reason": decisions[r.application.pk].reason if r.application.pk in decisions else ""}))
                  for r in overall],
            can_edit=can_edit, deadline_passed=timezone.now() > call.city_review_deadline,
            recommend_min=pack.settings.city_recommend_min, recommend_max=pack.settings.city_recommend_max,
            recommended_count=sum(1 for r in decisions.values() if r.recommended),
            category_labels=_category_labels(self.province),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call, city = self.target()
        back = reverse("selection:city_table", kwargs={"province": self.province.slug, "call_pk": call.pk,
                                                        "city": city.code})
        user = request.user
        if request.POST.get("action") == "send":
            return _act(request, lambda: services.send_summary_table(call, city, acting_user=user),  # type: ignore[arg-type]
                        _("汇总表已报送省职业技能服务指导中心。"), back)
        prefix = request.POST.get("prefix", "")
        form = RecommendationForm(request.POST, prefix=prefix)
        if not prefix.startswith("app") or not form.is_valid():
            messages.error(request, _("请选择推荐意见。"))
            return redirect(back)
        application = get_object_or_404(selectors.city_applications(call, city), pk=form.cleaned_data["application"])
        recommended = form.cleaned_data["recommended"]
        return _act(request, lambda: services.decide_recommendation(
            application, acting_user=user, recommended=recommended, reason=form.cleaned_data["reason"]),  # type: ignore[arg-type]
            (_("已推荐：%(n)s") if recommended else _("不予推荐：%(n)s")) % {"n": application.institution.name},
            back + f"#row-{application.pk}")


def summary_table_workbook(call: Call, city: City) -> bytes:
    """汇总表 as Excel: a title row, the header, one row per application in rank order."""
    lines = services.table_lines(call, city)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "汇总表"  # type: ignore[union-attr]
    title = f"{call.province.name}社会培训评价组织遴选推荐汇总表（{city.name}）"
    sheet.append([title])  # type: ignore[union-attr]
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=9)  # type: ignore[union-attr]
    sheet["A1"].font = Font(bold=True, size=14)  # type: ignore[index]
    sheet["A1"].alignment = Alignment(horizontal="center")  # type: ignore[index]
    sheet.append(["序号", "机构名称", "统一社会信用代码", "申请类别", "申报职业及等级", "评估得分", "排名", "推荐意见", "备注"])  # type: ignore[union-attr]
    for n, line in enumerate(lines, start=1):
        sheet.append([n, line.institution, line.credit_code, line.category, line.occupations,  # type: ignore[union-attr]
                      float(line.score) if line.score is not None else "", line.rank or "",
                      "推荐" if line.recommended else ("不予推荐" if line.recommended is False else "未定"),
                      line.remarks])
    for column, width in zip("ABCDEFGHI", (6, 32, 22, 18, 48, 10, 6, 10, 40), strict=True):
        sheet.column_dimensions[column].width = width  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _TableDownload(ProvinceView):
    allowed_roles = OFFICERS

    def target(self) -> tuple[Call, City]:
        return access_call(self.access, self.kwargs["call_pk"]), city_for(self.access, self.kwargs["city"])

    def audit(self, call: Call, city: City, kind: str) -> None:
        record_event(actor=self.request.user, action="summary_table_downloaded", obj=call, province=self.province,  # type: ignore[arg-type]
                     changes={"city": city.code, "format": kind})


class CityTableExcelView(_TableDownload):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call, city = self.target()
        self.audit(call, city, "xlsx")
        response = HttpResponse(summary_table_workbook(call, city), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="summary-table-{call.pk}-{city.code}.xlsx"'
        return response


class CityTablePdfView(_TableDownload):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call, city = self.target()
        table = selectors.summary_table(call, city)
        pdf = render_pdf("documents/selection_summary_table.html", {
            "call": call, "city": city, "province": self.province, "table": table,
            "lines": services.table_lines(call, city), "today": timezone.localdate(),
        })
        self.audit(call, city, "pdf")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="summary-table-{call.pk}-{city.code}.pdf"'
        return response


# --- the province: ranking, selection, approval, publication ---

class ProvinceRankingView(ProvinceView, TemplateView):
    """The provincial panel's rankings per occupation, the selection (with helpers that pre-tick), the leadership
    group's approval and the publication of the result."""

    allowed_roles = PROVINCIAL
    template_name = "selection/province_ranking.html"

    def call(self) -> Call:
        return access_call(self.access, self.kwargs["call_pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        call = self.call()
        panel = selectors.province_panel(call)
        applications = list(selectors.with_occupations(selectors.province_applications(call)))
        overall, per_occupation = selectors.rankings(panel, applications)
        helper = SelectionHelperForm(self.request.GET or None)
        ticked: set[int] = set()
        if helper.is_valid():
            top_n, min_score = helper.cleaned_data["top_n"], helper.cleaned_data["min_score"]
            for group in per_occupation:
                for row in group.rows:
                    if top_n and row.rank is not None and row.rank <= top_n:
                        ticked.add(row.application.pk)
            for row in overall:
                if min_score is not None and row.aggregate.score is not None and row.aggregate.score >= min_score:
                    ticked.add(row.application.pk)
        reviewing = [r for r in overall if r.application.state == S.PROVINCE_REVIEW]
        tables = list(call.summary_tables.select_related("city", "sent_by").order_by("city__code"))
        round_ = SelectionRound.objects.filter(call=call).first()
        context.update(
            call=call, panel=panel, overall=overall, per_occupation=per_occupation, helper=helper,
            reviewing=reviewing, ticked=ticked, tables=tables,
            waiting_recommended=[r for r in overall if r.application.state == S.RECOMMENDED],
            province_route=selectors.province_route_waiting(call).select_related("institution"),
            selected=[r for r in overall if r.application.state == S.SELECTED],
            approved=[r for r in overall if r.application.state == S.APPROVED],
            approvals=LeadershipApproval.objects.filter(round=round_).prefetch_related("applications__institution")
            if round_ else [],
            approval_form=kwargs.get("approval_form") or ApprovalForm(),
            notices=scope_notices(self.access).filter(source=f"filings.call:{call.pk}"),
            category_labels=_category_labels(self.province),
            publicity_days=filing_selectors.pack_for(self.province).settings.publicity_working_days,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call = self.call()
        back = reverse("selection:province_ranking", kwargs={"province": self.province.slug, "call_pk": call.pk})
        user = request.user
        action = request.POST.get("action")
        if action == "start_review":
            pk = request.POST.get("application", "")
            application = get_object_or_404(
                Application.objects.filter(call=call, state__in=[S.SUBMITTED, S.RECOMMENDED]),
                pk=int(pk) if pk.isdigit() else 0)
            return _act(request, lambda: services.start_province_review(application, acting_user=user),  # type: ignore[arg-type]
                        _("已开始省级评审：%(n)s") % {"n": application.institution.name}, back)
        if action == "select":
            values = request.POST.getlist("selected")
            if not all(v.isdigit() for v in values):
                messages.error(request, _("勾选的申请有误，请刷新页面后重试。"))
                return redirect(back)
            ids = [int(v) for v in values]
            return _act(request, lambda: services.decide_selection(
                call, acting_user=user, selected_ids=ids, reason=request.POST.get("reason", "")),  # type: ignore[arg-type]
                _("遴选结果已确定。"), back)
        messages.error(request, _("未知的操作。"))
        return redirect(back)


class ApprovalView(_ObjectAction):
    allowed_roles = PROVINCIAL

    def load(self) -> Call:
        return access_call(self.access, self.kwargs["call_pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call = self.load()
        back = reverse("selection:province_ranking", kwargs={"province": self.province.slug, "call_pk": call.pk})
        form = ApprovalForm(request.POST, request.FILES)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                text = "；".join(str(e) for e in errors)
                messages.error(request, f"{label}：{text}" if label else text)
            return redirect(back + "#approval")
        d = form.cleaned_data
        return _act(request, lambda: services.record_approval(
            call, acting_user=request.user, meeting_date=d["meeting_date"],  # type: ignore[arg-type]
            document_number=d["document_number"], attachment=d["attachment"]),
            _("已记录领导小组审定。"), back + "#approval")


class ApprovalDocumentView(ProvinceView):
    allowed_roles = PROVINCIAL

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        approval = access_approval(self.access, kwargs["pk"])
        return FileResponse(approval.attachment.open("rb"), as_attachment=True, filename=approval.attachment_name,
                            content_type=approval.attachment_content_type)


class PublishView(_ObjectAction):
    allowed_roles = PROVINCIAL

    def load(self) -> Call:
        return access_call(self.access, self.kwargs["call_pk"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        call = self.load()
        back = reverse("selection:province_ranking", kwargs={"province": self.province.slug, "call_pk": call.pk})
        try:
            notice = services.publish_selection(call, acting_user=request.user)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, str(exc))
            return redirect(back + "#publicity")
        messages.success(request, _("已发布公示，公示期%(s)s至%(e)s。") % {
            "s": notice.starts_on.isoformat(), "e": notice.ends_on.isoformat()})
        return redirect(back + "#publicity")
