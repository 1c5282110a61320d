"""Forms of the exam pages: they parse input; every rule is checked by certificates.services."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.models import Filing, FilingOccupation
from portal.models import City, Occupation, Province, SkillLevel, User

from ..models import ExamSession, ExamStaff, ExamVenue, PlanState, SessionKind, StaffDuty
from ..models.exams import level_labels

LEVEL_CHOICES = [(str(v), label) for v, label in SkillLevel.choices]


def _model_choices(form: forms.Form, name: str) -> forms.ModelChoiceField[Any]:
    """The form's model choice field `name` (Form.fields is typed as plain Fields)."""
    return cast(forms.ModelChoiceField[Any], form.fields[name])


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class ScopeLineField(forms.ModelChoiceField[FilingOccupation]):
    def label_from_instance(self, obj: FilingOccupation) -> str:
        return f"{obj.occupation.code} {obj}（{obj.level_labels()}）"


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class StaffChoiceField(forms.ModelMultipleChoiceField[ExamStaff]):
    """People of the exam staff; in a session's picker (`session` set) with their qualifications and any mismatch."""

    session: "ExamSession | None" = None

    def label_from_instance(self, obj: ExamStaff) -> str:
        if self.session is not None:
            return staff_picker_label(obj, self.session)
        return f"{obj.name}（{obj.get_duty_display()}）"


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class PlanCreateForm(forms.Form):
    scope_line = ScopeLineField(queryset=FilingOccupation.objects.none(), label=_("职业（工种）"),
                                        help_text=_("本机构备案范围内的职业"))
    levels = forms.MultipleChoiceField(choices=LEVEL_CHOICES, label=_("考核等级"), widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label=_("计划名称"), max_length=200, required=False, help_text=_("不填则自动生成"))
    evaluation_process = forms.CharField(label=_("评价流程"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                         help_text=_("已按备案的职业和等级预填，可修改"))

    def __init__(self, *args: Any, filing: Filing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "scope_line").queryset = filing.occupations.select_related("occupation", "work_type")


class PlanEditForm(forms.Form):
    title = forms.CharField(label=_("计划名称"), max_length=200)
    levels = forms.MultipleChoiceField(choices=LEVEL_CHOICES, label=_("考核等级"), widget=forms.CheckboxSelectMultiple)
    evaluation_process = forms.CharField(label=_("评价流程"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                         help_text=_("已按备案的职业和等级预填，可修改"))


class SessionForm(forms.Form):
    kind = forms.ChoiceField(choices=SessionKind.choices, label=_("考核方式"))
    date = forms.DateField(label=_("日期"), widget=DateInput)
    start_time = forms.TimeField(label=_("开始时间"), widget=TimeInput)
    end_time = forms.TimeField(label=_("结束时间"), widget=TimeInput)
    venue = forms.ModelChoiceField(queryset=ExamVenue.objects.none(), label=_("考核场所"))
    room = forms.CharField(label=_("考场"), max_length=50)
    capacity = forms.IntegerField(label=_("容纳考生数"), min_value=1, max_value=2000)
    levels = forms.MultipleChoiceField(choices=LEVEL_CHOICES, label=_("适用等级"), required=False,
                                       widget=forms.CheckboxSelectMultiple, help_text=_("不选则适用计划的全部等级"))

    def __init__(self, *args: Any, venues: Any, plan_levels: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "venue").queryset = venues
        _choices(self, "levels").choices = [(str(v), SkillLevel(v).label) for v in plan_levels]


def staff_picker_label(person: ExamStaff, session: ExamSession) -> str:
    """A person in a session's staff picker: duty, qualifications, and a warning when an assessor of a practical or
    review session is not qualified for the plan's occupation at the session's levels (filing would refuse it)."""
    qualifications = "；".join(str(q) for q in person.qualifications.all())
    label = f"{person.name}（{person.get_duty_display()}）" + (f" · {qualifications}" if qualifications else "")
    if person.duty != StaffDuty.ASSESSOR or session.kind not in (SessionKind.PRACTICAL, SessionKind.REVIEW):
        return label
    plan = session.plan
    qualified = {int(x) for q in person.qualifications.all() if q.occupation_id == plan.occupation_id for x in q.levels}
    missing = sorted(set(session.levels or plan.levels) - qualified, reverse=True)
    if not missing:
        return label
    return label + " · " + str(_("⚠ 不具备%(occ)s%(levels)s的考评资格，报备时将被拒绝") % {
        "occ": plan.occupation.name, "levels": level_labels(missing)})


class StaffAssignForm(forms.Form):
    staff = StaffChoiceField(queryset=ExamStaff.objects.none(), required=False,
                             widget=forms.CheckboxSelectMultiple, label=_("考务人员"))

    def __init__(self, *args: Any, session: ExamSession, people: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"s{session.pk}")
        super().__init__(*args, **kwargs)
        field = _model_choices(self, "staff")
        field.queryset = people.prefetch_related("qualifications__occupation")
        field.label = _("%(session)s的考务人员") % {"session": session}
        if isinstance(field, StaffChoiceField):
            field.session = session
        self.initial.setdefault("staff", [a.staff_id for a in session.staff.all()])


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件（CSV 或 Excel .xlsx）"))


class RosterUploadForm(UploadForm):
    confirm_certified = forms.BooleanField(
        label=_("已知悉部分考生已取得本职业同等级证书，确认仍安排考核"), required=False)


class ResultsUploadForm(UploadForm):
    reason = forms.CharField(label=_("更正理由（退回后更正时必填）"), required=False, max_length=500)


class ResultEntryForm(forms.Form):
    theory = forms.CharField(label=_("理论成绩"), required=False, max_length=10)
    practical = forms.CharField(label=_("实操成绩"), required=False, max_length=10)
    review = forms.CharField(label=_("综合评审成绩"), required=False, max_length=10)
    reason = forms.CharField(label=_("更正理由"), required=False, max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class VisitForm(forms.Form):
    visit_on = forms.DateField(label=_("督导日期"), widget=DateInput)
    supervisor = PersonChoiceField(
        queryset=User.objects.none(), label=_("质量督导员"), required=False, empty_label=_("（外部督导人员，无账户）"),
        help_text=_("选择本省的质量督导员，督导安排会通知本人并列在其工作台上。"))
    inspector = forms.CharField(label=_("外部督导人员姓名"), max_length=100, required=False,
                                help_text=_("未选择质量督导员时填写。"))
    session = forms.ModelChoiceField(queryset=ExamSession.objects.none(), label=_("场次"), required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, sessions: Any, supervisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "session").queryset = sessions
        _model_choices(self, "supervisor").queryset = supervisors

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("supervisor") and not (data.get("inspector") or "").strip():
            self.add_error("inspector", _("请选择质量督导员，或填写外部督导人员姓名。"))
        return data


class ObjectionAnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结论"), choices=[("0", _("异议不成立")), ("1", _("异议成立，撤销该考生的合格结果"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect)
    resolution = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 2}))


class VenueForm(forms.Form):
    name = forms.CharField(label=_("场所名称"), max_length=100)
    city = forms.ModelChoiceField(queryset=City.objects.none(), label=_("所在地市"))
    address = forms.CharField(label=_("详细地址"), max_length=200)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "city").queryset = City.objects.filter(province=province)


class StaffForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18)
    duty = forms.ChoiceField(choices=StaffDuty.choices, label=_("岗位"))
    certificate_number = forms.CharField(label=_("资格证书编号"), max_length=60, required=False)
    occupation = forms.ModelChoiceField(queryset=Occupation.objects.none(), label=_("可考评职业"), required=False,
                                        help_text=_("考评员必填"))
    levels = forms.MultipleChoiceField(choices=LEVEL_CHOICES, label=_("可考评等级"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, occupations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "occupation").queryset = occupations


class StaffEditForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    certificate_number = forms.CharField(label=_("资格证书编号"), max_length=60, required=False)
    is_active = forms.BooleanField(label=_("在岗"), required=False)
    occupation = forms.ModelChoiceField(queryset=Occupation.objects.none(), label=_("可考评职业"), required=False,
                                        help_text=_("选择一个职业并勾选等级；不勾选等级即取消该职业的考评资格"))
    levels = forms.MultipleChoiceField(choices=LEVEL_CHOICES, label=_("可考评等级"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, occupations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "occupation").queryset = occupations


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("机构或计划名称"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *list(PlanState.choices)])
    city = forms.ModelChoiceField(label=_("考核地市"), queryset=City.objects.none(), required=False)
    date_from = forms.DateField(label=_("首场日期起"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("首场日期止"), required=False, widget=DateInput)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choices(self, "city").queryset = City.objects.filter(province=province)
