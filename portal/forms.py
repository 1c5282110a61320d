"""Forms of the platform core."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import DayKind


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名或手机号"), max_length=150)
    error_messages = {
        "invalid_login": _("用户名（或手机号）与密码不匹配，请重新输入。"),
        "inactive": _("该账户已停用。"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class AuditFilterForm(forms.Form):
    """The audit log's filters; actions and object types are choices named in words (portal.naming)."""

    action = forms.ChoiceField(label=_("动作"), required=False)
    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    actor = forms.CharField(label=_("操作人"), required=False)
    q = forms.CharField(label=_("对象关键词"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from . import naming
        from .models import AuditEvent

        events = AuditEvent.objects.order_by()
        everything: list[tuple[str, str]] = [("", str(_("全部")))]
        actions = list(events.values_list("action", flat=True).distinct())
        types = list(events.values_list("object_type", flat=True).distinct())
        cast(forms.ChoiceField, self.fields["action"]).choices = everything + naming.event_choices(actions)
        cast(forms.ChoiceField, self.fields["object_type"]).choices = everything + naming.model_choices(types)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2020, max_value=2100)
    source = forms.CharField(
        label=_("依据文件"), max_length=200, help_text=_("例如：国务院办公厅关于2027年部分节假日安排的通知")
    )


class CalendarRangeForm(forms.Form):
    """Mark a run of days as one holiday, or one day as a make-up working day."""

    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(DayKind.HOLIDAY, DayKind.HOLIDAY.label), (DayKind.MAKEUP_WORKDAY, DayKind.MAKEUP_WORKDAY.label)],
    )
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("名称"), max_length=40, help_text=_("如：春节、国庆节"))

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start")
        end: dt.date | None = data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("结束日期不能早于开始日期。"))
            elif start.year != self.year or end.year != self.year:
                self.add_error("start", _("日期必须在%(year)d年内。") % {"year": self.year})
            elif (end - start).days > 31:
                self.add_error("end", _("一次最多录入31天。"))
        return data


class ObjectionForm(forms.Form):
    """异议 from the public: who, how to reach them, which item, what, and optional evidence."""

    item = forms.TypedChoiceField(label=_("异议对象"), coerce=int, choices=())
    name = forms.CharField(label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact = forms.CharField(label=_("联系方式"), max_length=100, help_text=_("手机号码或电子邮箱，用于反馈处理结果"))
    text = forms.CharField(label=_("异议内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("请写明异议的事实和理由"))
    attachment = forms.FileField(label=_("证明材料（可选）"), required=False,
                                 help_text=_("PDF、JPG、PNG、DOCX 或 XLSX，不超过20MB"))

    def __init__(self, *args: Any, items: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["item"]).choices = [("", "——"), *items]


class ObjectionResolutionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"), widget=forms.RadioSelect,
        choices=[("upheld", _("异议成立（撤销该公示项）")), ("dismissed", _("异议不成立"))],
    )
    resolution = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}))
