"""The risk score: a versioned, per-province weighted sum of signals drawn from the indicators and the open flags."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy

from filings.selectors import pack_for
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import Province, Role, User
from portal.roles import require_role

from ..errors import Codes
from ..funnel import z_excess
from ..models import RiskFormula

# The signals a formula may weigh, with what each means (shown beside the weights and in docs/supervision.md).
SIGNALS: dict[str, Any] = {
    "pass_rate_z": gettext_lazy("合格率高于全省的标准误倍数（低于全省记0）"),
    "complaint_z": gettext_lazy("投诉率高于全省的标准误倍数（无投诉数据记0）"),
    "non_employment": gettext_lazy("反馈学员中未就业的比例（无反馈记0）"),
    "mismatch": gettext_lazy("就业学员中不对口的比例（无回答记0）"),
    "open_flags": gettext_lazy("待核查的真实性疑点数"),
}


@dataclass(frozen=True)
class Inputs:
    """What the signals of one organization are computed from."""

    sat: int
    passed: int
    pass_norm: float | None
    complaints: int | None
    complaint_norm: float | None
    responses: int
    employed: int
    match_answered: int
    matched: int
    open_flags: int


def signals(inputs: Inputs) -> dict[str, float]:
    """Each signal's value, rounded to 4 decimals."""
    i = inputs
    values = {
        "pass_rate_z": z_excess(i.passed, i.sat, i.pass_norm),
        "complaint_z": 0.0 if i.complaints is None else z_excess(i.complaints, i.sat, i.complaint_norm),
        "non_employment": 1 - i.employed / i.responses if i.responses else 0.0,
        "mismatch": 1 - i.matched / i.match_answered if i.match_answered else 0.0,
        "open_flags": float(i.open_flags),
    }
    return {key: round(value, 4) for key, value in values.items()}


def score(values: dict[str, float], weights: dict[str, float]) -> Decimal:
    """Σ weight × signal, to two decimals (half up)."""
    total: Decimal = sum((Decimal(str(weights.get(key, 0))) * Decimal(str(value)) for key, value in values.items()), Decimal(0))
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def current_formula(province: Province) -> RiskFormula:
    """The province's newest formula; version 1 from the pack's default weights when it has none yet."""
    formula = RiskFormula.objects.filter(province=province).order_by("-version").first()
    if formula is None:
        weights = dict(pack_for(province).settings.risk_weights)
        formula, _created = RiskFormula.objects.get_or_create(
            province=province, version=1, defaults={"weights": weights, "note": "政策包默认权重"})
    return formula


def _clean_weights(weights: dict[str, Any]) -> dict[str, float]:
    cleaned: dict[str, float] = {}
    for key, value in weights.items():
        if key not in SIGNALS:
            raise DomainError(_("未知的评分因子“%(key)s”。") % {"key": key}, code=Codes.FORMULA_INVALID, field=key)
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = -1.0
        if not 0 <= number <= 100:
            raise DomainError(_("权重应为0–100之间的数。"), code=Codes.FORMULA_INVALID, field=key)
        cleaned[key] = number
    return cleaned


def save_formula(province: Province, *, acting_user: User, weights: dict[str, Any], note: str) -> RiskFormula:
    """A new version of the province's formula with these weights (earlier rankings keep the version they used)."""
    require_role(acting_user, province, Role.PROVINCIAL_OFFICER)
    cleaned = _clean_weights(weights)
    with transaction.atomic():
        Province.objects.select_for_update().get(pk=province.pk)
        before = current_formula(province)
        formula = RiskFormula.objects.create(province=province, version=before.version + 1, weights=cleaned,
                                             note=note.strip(), created_by=acting_user)
        record_event(actor=acting_user, action="risk_formula_saved", obj=formula, province=province,
                     changes={"weights": {"before": before.weights, "after": cleaned},
                              "version": {"before": before.version, "after": formula.version}})
    return formula
