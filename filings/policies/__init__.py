"""Province policy packs (one module per province) and the eligibility engine."""

from .base import (
    ApplicationFacts,
    PolicyPack,
    RuleResult,
    SelectionBy,
    Verdict,
    all_packs,
    blocking,
    evaluate,
    evaluate_renewal,
    get_pack,
)

__all__ = [
    "ApplicationFacts",
    "PolicyPack",
    "RuleResult",
    "SelectionBy",
    "Verdict",
    "all_packs",
    "blocking",
    "evaluate",
    "evaluate_renewal",
    "get_pack",
]
