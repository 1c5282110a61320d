"""The verify checklist of a certificate (核验清单): the QR signature, the issuer filed and active on the issue date,
the certificate not revoked — each line with its state and the evidence behind it.

A certificate outlives its issuer: one issued while the filing was active stays valid after any exit, and its issuer
line says so with the filing's number, validity and the date it ended. The portal never issues outside an active
period (issuance refuses), so a failing issuer line points at data that did not come through the portal's services.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from filings import selectors as filing_selectors
from portal.translated import kept_gettext

from . import selectors, signing
from .models.issuance import CertificateStatus

PASS, FAIL, NOT_APPLICABLE = "pass", "fail", "na"
KEYS = ("signature", "issuer", "revocation")


@dataclass(frozen=True)
class Check:
    key: str
    state: str  # pass | fail | na
    label: str
    evidence: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "state": self.state, "title": self.label, "evidence": self.evidence}


Gettext = Callable[[str], str]  # each line's texts through the checklist's kept_gettext (named _ for makemessages)


def _signature(view: dict[str, Any], token: str, scanned: signing.Payload | None, _: Gettext) -> Check:
    label = _("二维码签名有效")
    if scanned is not None:
        return Check("signature", PASS, label, _("扫描的二维码已用省级公钥 %(key)s 验证签名") % {"key": scanned.key_id})
    if not token:
        return Check("signature", NOT_APPLICABLE, label, _("证书文件尚未生成，二维码签名随证书文件生成"))
    try:
        payload = selectors.verify_token(token)
    except signing.PayloadError:
        return Check("signature", FAIL, label, _("证书二维码的签名无法用已公布的公钥验证"))
    if payload.number != view["number"]:
        return Check("signature", FAIL, label, _("证书二维码所载编号与证书不符"))
    return Check("signature", PASS, label, _("证书二维码签名已用省级公钥 %(key)s 验证") % {"key": payload.key_id})


def _issuer(filing_id: int, issued_on: dt.date, cache: dict[tuple[int, dt.date], Any], history: Any, _: Gettext) -> Check:
    label = _("发证时机构已备案且状态有效")
    standing = cache.get((filing_id, issued_on))
    if standing is None:
        standing = cache[(filing_id, issued_on)] = filing_selectors.filing_standing_on(filing_id, issued_on,
                                                                                       cached=history)
    if standing is None:
        return Check("issuer", FAIL, label, _("未找到发证机构的备案记录"))
    basis = _("备案编号%(number)s，有效期%(start)s至%(end)s") % {
        "number": standing.filing_number, "start": standing.valid_from.isoformat(),
        "end": standing.valid_until.isoformat()}
    if not standing.in_validity:
        return Check("issuer", FAIL, label, _("%(basis)s；发证日期%(day)s不在有效期内") % {
            "basis": basis, "day": issued_on.isoformat()})
    if not standing.active:
        return Check("issuer", FAIL, label, _("%(basis)s；发证日期%(day)s备案状态为“%(status)s”") % {
            "basis": basis, "day": issued_on.isoformat(), "status": standing.status_label})
    text = _("%(basis)s；发证日期%(day)s备案状态有效") % {"basis": basis, "day": issued_on.isoformat()}
    if standing.terminated_on:
        text += _("；该机构已于%(day)s终止评价活动，终止前颁发的证书继续有效") % {
            "day": standing.terminated_on.isoformat()}
    return Check("issuer", PASS, label, text)


def _revocation(view: dict[str, Any], _: Gettext) -> Check:
    label = _("证书未被撤销或换发")
    if view["status"] == CertificateStatus.REVOKED:
        return Check("revocation", FAIL, label, _("已于%(day)s撤销：%(reason)s") % {
            "day": view["status_changed_on_text"], "reason": view["revocation_text"]})
    if view["status"] == CertificateStatus.SUPERSEDED:
        return Check("revocation", FAIL, label, _("已于%(day)s更正换发，新证书编号%(number)s") % {
            "day": view["status_changed_on_text"], "number": view["superseded_by"]})
    return Check("revocation", PASS, label, _("证书库记录为有效，无撤销或换发记录"))


def checklist(certificates: list[tuple[dict[str, Any], int, str, Any]], *,
              scanned: signing.Payload | None = None) -> list[list[Check]]:
    """The three lines for each (public view, filing id, stored QR token, the issuer's history if already read);
    `scanned` is the QR payload the visitor arrived with (its signature already verified)."""
    cache: dict[tuple[int, dt.date], Any] = {}
    _ = kept_gettext()
    return [[_signature(view, token, scanned, _), _issuer(filing_id, view["issued_on"], cache, history, _),
             _revocation(view, _)] for view, filing_id, token, history in certificates]


def with_checklist(view: dict[str, Any], checks: list[Check]) -> dict[str, Any]:
    """The public view with its checklist: as a list (API) and as flat fields (the verify card's markers)."""
    flat = {f"check_{c.key}_{part}": getattr(c, part) for c in checks for part in ("state", "evidence")}
    return {**view, "checklist": [c.as_dict() for c in checks], **flat}


def checked_views(certificates: list[selectors.PublicCertificate], *,
                  scanned: signing.Payload | None = None) -> list[dict[str, Any]]:
    """The public view of each certificate with its checklist, for the verify page and the public API."""
    views = [selectors.public_view(c) for c in certificates]
    if not views:
        return views
    lines = checklist([(v, c.filing_id, c.payload, c.issuer_history) for v, c in zip(views, certificates, strict=True)],
                      scanned=scanned)
    return [with_checklist(v, checks) for v, checks in zip(views, lines, strict=True)]
