"""Forms of the officers' supervision pages: building a ranking, the risk formula, dismissing a flag, list filters."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FlagKind, FlagState
from .services import SIGNALS


class BuildRankingForm(forms.Form):
    group = forms.CharField(label=_("职业分组（中类）"), max_length=10, help_text=_("职业编码的前两段，如 6-18"))
    period = forms.CharField(label=_("期间"), max_length=7, help_text=_("如 2026 或 2026Q1"))


class FormulaForm(forms.Form):
    """One weight per signal, and why the formula changes."""

    note = forms.CharField(label=_("修订说明"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, weights: dict[str, float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, meaning in SIGNALS.items():
            self.fields[f"w_{key}"] = forms.FloatField(label=meaning, min_value=0, max_value=100,
                                                       initial=weights.get(key, 0))

    def weights(self) -> dict[str, float]:
        return {key: self.cleaned_data[f"w_{key}"] for key in SIGNALS}


class DismissFlagForm(forms.Form):
    reason = forms.CharField(label=_("排除理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class FlagFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *FlagState.choices], required=False)
    kind = forms.ChoiceField(label=_("疑点类型"), choices=[("", _("全部")), *FlagKind.choices], required=False)
    mine = forms.BooleanField(label=_("只看分配给我的"), required=False)


class RankingRowFilterForm(forms.Form):
    ranking = forms.IntegerField(label=_("排名"), required=False, widget=forms.HiddenInput)
