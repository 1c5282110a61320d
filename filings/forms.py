"""Forms of filings' pages: registration, the applicant's draft, review, cultivation tasks, filings and the catalog."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.identifiers import normalize_mobile, validate_credit_code, validate_mobile
from portal.models import (
    City,
    Institution,
    InstitutionLevel,
    Occupation,
    Province,
    RegistrationNature,
    SkillLevel,
    WorkType,
)
from portal.punctuation import labelled, parenthetical

from .models import Application, ApplicationState, CultivationState, FilingStatus
from .policies.base import FactField, FactKind, PolicyPack


def _model_choice(form: forms.BaseForm, name: str) -> "forms.ModelChoiceField[Any]":
    """The form's model-choice field `name` (Form.fields is typed as plain Fields)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name` (Form.fields is typed as plain Fields)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def _select(form: forms.BaseForm, name: str) -> forms.Select:
    """The select widget of the form's field `name`."""
    widget = form.fields[name].widget
    if not isinstance(widget, forms.Select):
        raise TypeError(f"{name} has no select widget")
    return widget



class WorkTypeChoiceField(forms.ModelChoiceField[WorkType]):
    """A work type, labelled with its occupation ("焊工 · 电焊工")."""

    def label_from_instance(self, obj: WorkType) -> str:
        return f"{obj.occupation.name} · {obj.name}"

class InstitutionForm(forms.ModelForm[Institution]):
    class Meta:
        model = Institution
        fields = [
            "name", "credit_code", "category", "nature", "level", "city", "address", "legal_representative",
            "registered_capital", "contact_person", "contact_title", "contact_phone", "contact_email",
        ]

    def __init__(self, *args: Any, province: Province, pack: PolicyPack, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"] = forms.ChoiceField(label=_("申请类别"), choices=[("", "---------"), *pack.category_choices()])
        _model_choice(self, "city").queryset = City.objects.filter(province=province)
        self.fields["credit_code"].validators = [validate_credit_code]
        self.fields["credit_code"].widget.attrs.update({"autocomplete": "off", "maxlength": 18})
        self.fields["credit_code"].help_text = _(
            "第3–8位是登记管理机关的行政区划代码，须属于%(p)s。") % {"p": province.name}


class MyInstitutionForm(InstitutionForm):
    """The institution's own edit: the credit code is read-only once an application was submitted."""

    def __init__(self, *args: Any, credit_code_locked: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if credit_code_locked:
            self.fields["credit_code"].disabled = True
            self.fields["credit_code"].help_text = _(
                "已提交过备案申请，统一社会信用代码不能再由机构修改；如确需更正，请联系省级经办人员。")


class MobileField(forms.CharField):
    """A mobile number: full-width digits typed by an input method are read as the digits they are."""

    def to_python(self, value: Any) -> str:
        return normalize_mobile(str(super().to_python(value)))


class RegistrationForm(InstitutionForm):
    username = forms.CharField(label=_("登录用户名"), max_length=150)
    display_name = forms.CharField(label=_("经办人姓名"), max_length=50)
    mobile = MobileField(label=_("经办人手机号"), max_length=11, validators=[validate_mobile])
    email = forms.EmailField(label=_("经办人电子邮箱"))
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    field_order = ["username", "display_name", "mobile", "email", "password1", "password2"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif data.get("password1"):
            try:
                validate_password(data["password1"])
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def _post_clean(self) -> None:
        # The institution is created by filings.services.register_institution, not by this form.
        pass


class CallForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100)
    title = forms.CharField(label=_("批次名称"), max_length=200)
    application_deadline = forms.DateTimeField(
        label=_("申报截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    city_review_deadline = forms.DateTimeField(
        label=_("地市初审截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    occupations = forms.ModelMultipleChoiceField(
        label=_("可申报职业"), required=False, queryset=Occupation.objects.skill_type(),
        help_text=_("不选则为政策包允许的全部职业"), widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class OccupationForm(forms.Form):
    occupation = forms.ModelChoiceField(label=_("职业"), queryset=Occupation.objects.none())
    work_type = WorkTypeChoiceField(label=_("工种（如有）"), queryset=WorkType.objects.none(), required=False)
    levels = forms.TypedMultipleChoiceField(
        label=_("申报等级"), choices=SkillLevel.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, occupations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "occupation").queryset = occupations
        _model_choice(self, "work_type").queryset = WorkType.objects.filter(occupation__in=occupations).select_related(
            "occupation"
        )


def _field_for(fact: FactField, initial: Any) -> forms.Field:
    common: dict[str, Any] = {"label": parenthetical(fact.label, fact.unit),
                              "required": False, "help_text": fact.help, "initial": initial}
    if fact.kind == FactKind.BOOLEAN:
        return forms.TypedChoiceField(
            choices=[("", _("未声明")), ("1", _("是")), ("0", _("否"))],
            coerce=lambda v: v == "1", empty_value=None, **common,
        )
    if fact.kind == FactKind.INTEGER:
        return forms.IntegerField(min_value=0, **common)
    if fact.kind == FactKind.DECIMAL:
        return forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, **common)
    return forms.CharField(max_length=500, **common)


def _initial(fact: FactField, value: Any) -> Any:
    if value is None:
        return None
    if fact.kind == FactKind.BOOLEAN:
        return "1" if value else "0"
    return value


class FactsForm(forms.Form):
    """The declared facts of an application: the pack's fields for its category, and per occupation."""

    prefers_province_route = forms.BooleanField(label=_("选择直接向省申报（省属机构可选）"), required=False)

    def __init__(self, *args: Any, application: Application, pack: PolicyPack, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["prefers_province_route"].initial = application.prefers_province_route
        self.general: list[str] = []
        self.per_occupation: list[tuple[Any, list[str]]] = []
        fields = pack.fields_for(application.category, application.institution.nature)
        for fact in fields:
            if not fact.per_occupation:
                self.fields[fact.key] = _field_for(fact, _initial(fact, application.facts.get(fact.key)))
                self.general.append(fact.key)
        for item in application.occupations.select_related("occupation", "work_type"):
            names = []
            for fact in fields:
                if fact.per_occupation:
                    name = f"occ{item.pk}__{fact.key}"
                    field = _field_for(fact, _initial(fact, item.facts.get(fact.key)))
                    field.label = labelled(item, field.label)
                    self.fields[name] = field
                    names.append(name)
            if names:  # a pack with no per-occupation facts draws no empty box per occupation
                self.per_occupation.append((item, names))

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.general]

    def occupation_fields(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(item, [self[name] for name in names]) for item, names in self.per_occupation]

    @staticmethod
    def _json(value: Any) -> Any:
        if isinstance(value, Decimal):
            try:
                return int(value) if value == value.to_integral_value() else float(value)
            except InvalidOperation:  # pragma: no cover
                return str(value)
        return value

    def facts(self) -> dict[str, Any]:
        return {k: self._json(self.cleaned_data.get(k)) for k in self.general}

    def occupation_facts(self) -> dict[int, dict[str, Any]]:
        result: dict[int, dict[str, Any]] = {}
        for item, names in self.per_occupation:
            result[item.pk] = {n.split("__", 1)[1]: self._json(self.cleaned_data.get(n)) for n in names}
        return result


class UploadForm(forms.Form):
    checklist_key = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("选择文件"), help_text=_("PDF、JPG、PNG、DOCX、XLSX，单个文件不超过20MB"))


class PledgeForm(forms.Form):
    signer = forms.CharField(label=_("承诺人（法定代表人）姓名"), max_length=50)
    confirm = forms.BooleanField(label=_("我已阅读并同意以上诚信承诺"))


class CreditCodeCorrectionForm(forms.Form):
    credit_code = forms.CharField(label=_("更正后的统一社会信用代码"), max_length=18, validators=[validate_credit_code],
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 18}))
    reason = forms.CharField(label=_("更正原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CorrectionItemForm(forms.Form):
    target = forms.ChoiceField(label=_("补正项"), required=False)
    problem = forms.CharField(label=_("问题说明"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "target").choices = [("", "---------"), *targets]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("problem") and not data.get("target"):
            self.add_error("target", _("请选择补正项。"))
        if data.get("target") and not (data.get("problem") or "").strip():
            self.add_error("problem", _("请说明问题。"))
        return data


CorrectionItemFormSet = forms.formset_factory(CorrectionItemForm, extra=5, max_num=30)


class ReviewFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部"))] + [c for c in ApplicationState.choices if c[0] != "draft"])
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部"))])
    occupation = forms.CharField(label=_("职业编码或名称"), required=False)
    call = forms.IntegerField(label=_("批次"), required=False, widget=forms.Select)
    unassigned = forms.BooleanField(label=_("仅看未受理"), required=False)
    overdue = forms.BooleanField(label=_("仅看已超初审期限"), required=False)

    def __init__(self, *args: Any, pack: PolicyPack | None = None, calls: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if pack is not None:
            _choice(self, "category").choices = [("", _("全部")), *pack.category_choices()]
        if calls is not None:
            _select(self, "call").choices = [("", _("全部"))] + [(c.pk, str(c)) for c in calls]


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或信用代码"), required=False)
    city = forms.ModelChoiceField(label=_("地市"), queryset=City.objects.none(), required=False)
    nature = forms.ChoiceField(label=_("登记性质"), required=False, choices=[("", _("全部")), *RegistrationNature.choices])
    level = forms.ChoiceField(label=_("隶属层级"), required=False, choices=[("", _("全部")), *InstitutionLevel.choices])

    def __init__(self, *args: Any, province: Province | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if province is not None:
            _model_choice(self, "city").queryset = City.objects.filter(province=province)


class CommitmentForm(forms.Form):
    signer_name = forms.CharField(label=_("签署人姓名"), max_length=50)
    signer_title = forms.CharField(label=_("签署人职务"), max_length=50, initial=_("法定代表人"))
    confirm = forms.BooleanField(label=_("本机构已阅读并同意以上承诺"))


class QuestionBankForm(forms.Form):
    items = forms.FileField(label=_("试题（题库）文件"), help_text=_("PDF、DOCX、XLSX 等，单个文件不超过20MB"))
    documents = forms.FileField(label=_("开发文档（可选）"), required=False,
                                help_text=_("试题开发说明、细目表、审核记录等"))
    note = forms.CharField(label=_("提交说明"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("评审结论"), choices=[("accept", _("通过")), ("return", _("退回修改"))],
                                 widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("评审意见（退回时必填）"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class TrainingForm(forms.Form):
    attended_on = forms.DateField(label=_("参训日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("备注"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"attended_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class FileDecisionForm(forms.Form):
    occupations = forms.TypedMultipleChoiceField(label=_("本次备案的职业（已通过验收）"), coerce=int,
                                                 widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("说明（如领导小组审定文号）"), required=False, max_length=1000)

    def __init__(self, *args: Any, accepted: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "occupations").choices = [(o.pk, f"{o.occupation.code} {o}（{o.level_labels()}）")
                                              for o in accepted]
        self.fields["occupations"].initial = [o.pk for o in accepted]


class AdditionForm(forms.Form):
    occupation = forms.ModelChoiceField(label=_("新增职业"), queryset=Occupation.objects.none())
    work_type = WorkTypeChoiceField(label=_("工种（如有）"), queryset=WorkType.objects.none(), required=False)
    levels = forms.TypedMultipleChoiceField(label=_("等级"), choices=SkillLevel.choices, coerce=int,
                                            widget=forms.CheckboxSelectMultiple)
    has_completed_question_bank = forms.BooleanField(label=_("本机构已自主完成至少一个职业试题审核备案"))
    operating_normally = forms.BooleanField(label=_("本机构已正常开展职业技能等级认定工作"))
    is_chain_leader = forms.BooleanField(
        label=_("本机构是经省人力资源社会保障厅认定的“产教评”产业链链主培育单位"), required=False,
        help_text=_("链主培育单位的新增职业直接进入培育辅导期；其他机构的新增职业须经省级遴选。"))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, chain_leader_question: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not chain_leader_question:  # only packs with cultivation route chain-leader units differently
            del self.fields["is_chain_leader"]
        skill = Occupation.objects.skill_type()
        _model_choice(self, "occupation").queryset = skill
        _model_choice(self, "work_type").queryset = WorkType.objects.filter(
            occupation__in=skill).select_related("occupation")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        work_type, occupation = data.get("work_type"), data.get("occupation")
        if work_type is not None and occupation is not None and work_type.occupation_id != occupation.pk:
            self.add_error("work_type", _("所选工种不属于该职业。"))
        return data


class AdditionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("决定"), choices=[("approve", _("同意新增")), ("refuse", _("不予新增"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由（不予新增时必填）"), required=False, max_length=2000)


class CultivationFilterForm(forms.Form):
    q = forms.CharField(label=_("机构名称"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *CultivationState.choices])
    city = forms.ModelChoiceField(label=_("地市"), required=False, queryset=City.objects.none())
    waiting = forms.ChoiceField(label=_("待办"), required=False, choices=[
        ("", _("全部")), ("commitment", _("待签署承诺书")), ("review", _("待评审试题")),
        ("training", _("待登记考务培训")), ("file", _("待作出备案决定")),
    ])

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "city").queryset = City.objects.filter(province=province)


class FilingFilterForm(forms.Form):
    q = forms.CharField(label=_("机构名称、备案编号或机构代码"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *FilingStatus.choices])
    city = forms.ModelChoiceField(label=_("地市"), required=False, queryset=City.objects.none())
    unpublished = forms.BooleanField(label=_("未公布"), required=False)

    def __init__(self, *args: Any, province: Province, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "city").queryset = City.objects.filter(province=province)


class CatalogSearchForm(forms.Form):
    q = forms.CharField(label=_("机构名称、备案编号或机构代码"), required=False, max_length=100)
    occupation = forms.CharField(label=_("职业（工种）名称或编码"), required=False, max_length=100)
    city = forms.ChoiceField(label=_("地市"), required=False)
    category = forms.ChoiceField(label=_("机构类别"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *FilingStatus.choices])

    def __init__(self, *args: Any, province: Province, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "city").choices = [("", _("全部")), *((c.code, c.name) for c in province.cities.all())]
        _choice(self, "category").choices = [("", _("全部")), *categories]
