"""Forms of feedback and declarations: the trainee's three factors and answers, the employer's rating, and the
organization's enrolment and course-price declarations. Domain checks stay in the services."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Occupation, SkillLevel

from .models import EmploymentStatus, Satisfaction, WageBand

YES_NO = [("", _("请选择")), ("yes", _("是")), ("no", _("否"))]
TEXT = {"autocomplete": "off", "spellcheck": "false"}


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class TraineeIdentityForm(forms.Form):
    number = forms.CharField(label=_("证书编号"), max_length=40, widget=forms.TextInput(attrs=TEXT),
                             help_text=_("22位，如 S000044000123263000045"))
    name = forms.CharField(label=_("持证人姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    id_tail = forms.CharField(label=_("证件号码后6位"), min_length=6, max_length=6, widget=forms.TextInput(attrs=TEXT),
                              help_text=_("身份证号码最后6位（含末位X）"))


class TraineeAnswersForm(forms.Form):
    ticket = forms.CharField(widget=forms.HiddenInput)
    employment_status = forms.ChoiceField(label=_("目前的就业状态"), choices=EmploymentStatus.choices,
                                          widget=forms.RadioSelect)
    employer_name = forms.CharField(label=_("工作单位（选填）"), max_length=200, required=False)
    employer_credit_code = forms.CharField(label=_("工作单位统一社会信用代码（选填）"), max_length=18, required=False,
                                           widget=forms.TextInput(attrs=TEXT))
    job_matches = forms.ChoiceField(label=_("工作是否与所取证职业对口"), choices=YES_NO, required=False,
                                    help_text=_("已就业者填写"))
    wage_band = forms.TypedChoiceField(label=_("月工资（税前）"), choices=[("", _("不填写")), *WageBand.choices],
                                       coerce=int, empty_value=None, required=False, help_text=_("已就业者填写"))
    training_satisfaction = forms.TypedChoiceField(label=_("对培训的满意度"), choices=Satisfaction.choices, coerce=int,
                                                   widget=forms.RadioSelect)
    evaluation_satisfaction = forms.TypedChoiceField(label=_("对评价（考核）的满意度"), choices=Satisfaction.choices,
                                                     coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见和建议（选填）"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def answers(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("ticket")
        data["job_matches"] = yes_no(data["job_matches"])
        return data


class EmployerRatingForm(forms.Form):
    number = forms.CharField(label=_("持证人证书编号"), max_length=40, widget=forms.TextInput(attrs=TEXT))
    name = forms.CharField(label=_("持证人姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    skill_match = forms.TypedChoiceField(label=_("技能与证书等级相符程度"), choices=Satisfaction.choices, coerce=int,
                                         widget=forms.RadioSelect)
    would_hire_again = forms.ChoiceField(label=_("是否愿意再次录用该职业（工种）的持证人员"), choices=YES_NO)


class PublicEmployerForm(EmployerRatingForm):
    employer_name = forms.CharField(label=_("用人单位名称"), max_length=200)
    employer_credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, widget=forms.TextInput(attrs=TEXT))
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20)

    field_order = ["employer_name", "employer_credit_code", "contact_name", "contact_phone", "number", "name",
                   "skill_match", "would_hire_again"]


class EnrolmentForm(forms.Form):
    occupation = forms.ModelChoiceField(label=_("职业"), queryset=Occupation.objects.none())
    period = forms.CharField(label=_("期间"), max_length=7, help_text=_("年度填“2026”，季度填“2026Q1”"),
                             widget=forms.TextInput(attrs=TEXT))
    enrolled = forms.IntegerField(label=_("招生人数"), min_value=0, max_value=1_000_000)
    note = forms.CharField(label=_("说明（选填）"), max_length=200, required=False)

    def __init__(self, *args: Any, occupations: list[Occupation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["occupation"]).queryset = Occupation.objects.filter(
            pk__in=[o.pk for o in occupations]).order_by("code")


class CoursePriceForm(forms.Form):
    occupation = forms.ModelChoiceField(label=_("职业"), queryset=Occupation.objects.none())
    level = forms.TypedChoiceField(label=_("等级"), choices=SkillLevel.choices, coerce=int)
    price = forms.DecimalField(label=_("培训价格（元）"), min_value=0, max_digits=9, decimal_places=2)
    hours = forms.IntegerField(label=_("课时（选填）"), min_value=1, max_value=10_000, required=False)
    effective_from = forms.DateField(label=_("执行日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明（选填）"), max_length=200, required=False)

    def __init__(self, *args: Any, occupations: list[Occupation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["occupation"]).queryset = Occupation.objects.filter(
            pk__in=[o.pk for o in occupations]).order_by("code")
