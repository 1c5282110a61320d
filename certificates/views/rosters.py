"""The roster page (import, the bad rows listed) and the roster and results templates to download."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal.errors import DomainError
from portal.models import Role
from portal.roles import ProvinceView

from .. import imports, services
from ..access import access_own_plan
from ..errors import Codes
from ..forms.exams import RosterUploadForm
from ._common import EVERYONE, MAX_ERRORS_SHOWN, _PlanView


class RosterView(_PlanView, TemplateView):
    """The roster and its import: a bad row stores nothing; every bad row is listed with its line and reason."""

    allowed_roles = EVERYONE
    template_name = "certificates/roster.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        is_member = plan.institution_id in self.access.institution_ids()
        candidates = plan.candidates.order_by("line")
        shown = list(candidates[:500])
        if is_member:
            services.record_roster_read(plan, acting_user=self.user, shown=len(shown))
        context.update(plan=plan, is_member=is_member, can_import=is_member and plan.is_editable,
                       form=kwargs.get("form") or RosterUploadForm(), candidates=shown,
                       total=candidates.count(), row_errors=kwargs.get("row_errors", []),
                       warnings=kwargs.get("warnings", []), error_count=kwargs.get("error_count", 0))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = access_own_plan(self.access, kwargs["pk"])
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            result = services.import_roster(plan, acting_user=self.user, content=upload.read(),
                                            filename=upload.name or "",
                                            confirm_certified=form.cleaned_data["confirm_certified"])
        except services.RowsRejected as exc:
            form.add_error(None, str(exc))
            key = "warnings" if exc.code == Codes.ROSTER_CONFIRM else "row_errors"
            return self.render_to_response(self.get_context_data(
                form=form, error_count=len(exc.errors), **{key: exc.errors[:MAX_ERRORS_SHOWN]}), status=400)
        except DomainError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("已导入考生%(n)d人。") % {"n": result.count})
        return redirect(reverse("exams:roster", kwargs={"province": plan.province.slug, "pk": plan.pk}))


class RosterTemplateView(ProvinceView):
    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = imports.template_csv(imports.ROSTER_COLUMNS, ["张三", "居民身份证", "370102199001011234", "男",
                                                               "13912345678", "中式烹调师", "四级/中级工", "2026年第1期"])
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
        return response


def _csv(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _score(value: Any, absent: bool) -> str:
    return "缺考" if absent else ("" if value is None else f"{value}")


class PlanRosterTemplateView(_PlanView):
    """The roster template of one plan: its example row names the plan's occupation (工种) and first level."""

    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = self.get_plan()
        occupation = plan.work_type.name if plan.work_type else plan.occupation.name
        levels = sorted(plan.levels, reverse=True) or [5]
        example = imports.roster_example(occupation, levels[0])
        return _csv(imports.template_csv(imports.ROSTER_COLUMNS, example), f"roster-template-{plan.pk}.csv")


class PlanResultsTemplateView(_PlanView):
    """The results template of one plan, filled with its candidates (full ID numbers: the organization's own
    download only, audited); the scores already entered are filled in too."""

    allowed_roles = (Role.INSTITUTION_MEMBER,)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = access_own_plan(self.access, kwargs["pk"])
        rows = [[c.name, c.id_number, _score(c.theory_score, c.theory_absent),
                 _score(c.practical_score, c.practical_absent),
                 _score(c.review_score, c.review_absent) if c.needs_review else ""]
                for c in plan.candidates.order_by("line")]
        services.record_results_template_read(plan, acting_user=self.user, rows=len(rows))
        return _csv(imports.template_csv(imports.RESULT_COLUMNS, *rows), f"results-template-{plan.pk}.csv")


class ResultsTemplateView(ProvinceView):
    allowed_roles = EVERYONE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = imports.template_csv(imports.RESULT_COLUMNS, ["张三", "370102199001011234", "75", "缺考", ""])
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="results-template.csv"'
        return response
