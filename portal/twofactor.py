"""Two-factor sign-in (TOTP with backup codes, django-otp): who must use it, enrolment, verification, the guard.

Officers of a province (provincial and city officers, experts, quality supervisors) must sign in with a code from an
authenticator app unless their province's setting turns it off: `TWO_FACTOR_REQUIRED` (the default for every
province) and `TWO_FACTOR_PROVINCES` ({"gz": False, ...}, overrides by province slug). Superusers follow
`TWO_FACTOR_REQUIRED`. Anyone else (institution members) may enrol voluntarily; once a person has a device, every
sign-in asks for a code.

After the password, a session is "unverified" until a code is given (django-otp's `otp_login`). `TwoFactorGuard`
(middleware) then lets it reach only public pages and the two-factor pages themselves: a person with a device is
sent to the code page, an officer without one to enrolment, and a session API call gets 403 `two_factor_required`.
Whether a session needs the guard is worked out once at login and kept in the session, so pages pay no query for it.
API tokens are issued only with a valid code (`check_token_request`), so a token stands for a verified sign-in.
"""

import base64
import secrets
import time
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import devices_for_user, login as otp_login, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import record_event
from .errors import Codes, DomainError
from .models import Membership, Province, Role, User
from .ratelimit import client_ip
from .roles import PUBLIC

STAFF_ROLES = (Role.PROVINCIAL_OFFICER, Role.CITY_OFFICER, Role.EXPERT, Role.QUALITY_SUPERVISOR)
BACKUP_CODE_COUNT = 10
SESSION_FLAG = "two_factor_needed"
SEEN_KEY = "last_seen"
# Paths whose views are not class-based (so cannot declare themselves public) but must work before the code.
OPEN_PREFIXES = ("/i18n/", "/static/")


def province_requires(slug: str) -> bool:
    """Whether a province requires two-factor sign-in of its officers."""
    overrides: dict[str, bool] = getattr(settings, "TWO_FACTOR_PROVINCES", {})
    return bool(overrides.get(slug, settings.TWO_FACTOR_REQUIRED))


def is_required(user: User) -> bool:
    """Whether this person must have a device: an officer role in a province that requires it, or a superuser."""
    if user.is_superuser and settings.TWO_FACTOR_REQUIRED:
        return True
    slugs = Membership.objects.active().filter(user=user, role__in=STAFF_ROLES).values_list("province__slug",
                                                                                            flat=True)
    return any(province_requires(slug) for slug in set(slugs))


def has_device(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def needs_code(user: User) -> bool:
    """Whether signing in takes a code (or an enrolment) after the password."""
    return has_device(user) or is_required(user)


def session_needs_code(request: HttpRequest) -> bool:
    """Whether this session still lacks its second factor (the login-time answer, worked out now if missing)."""
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return False
    needed = request.session.get(SESSION_FLAG)
    if needed is None:
        needed = request.session[SESSION_FLAG] = needs_code(cast(User, user))  # authenticated, checked above
    return bool(needed)


@receiver(user_logged_in)
def remember_whether_a_code_is_needed(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """At login: whether this session needs a code, and the start of its idle clock (both kept in the session)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_FLAG] = needs_code(user)
        request.session[SEEN_KEY] = int(time.time())


def is_verified(user: Any) -> bool:
    """Whether this request's user gave a code (django-otp sets it; a user just logged in has not)."""
    return bool(getattr(user, "otp_device", None) is not None)


def next_step_url(user: User, next_url: str = "") -> str:
    """The two-factor page an unverified session goes to: the code if the person has a device, else enrolment."""
    name = "two_factor_verify" if has_device(user) else "two_factor_enrol"
    return reverse(name) + (f"?{urlencode({'next': next_url})}" if next_url else "")


# --- enrolment, verification, backup codes ---

def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (one per person; made on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The device's secret as authenticator apps type it (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def provisioning_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI the enrolment QR code carries (django-otp's, with the portal as issuer)."""
    return str(device.config_url)


@transaction.atomic
def confirm_enrolment(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending device with its first code; the new backup codes (shown once), or None if it is wrong."""
    if device.confirmed or not device.verify_token(code):
        return None
    user: User = device.user
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(user)
    otp_login(request, device)
    request.session[SESSION_FLAG] = True
    _record(user, "two_factor_enrolled", request)
    return codes


def new_backup_codes(user: User) -> list[str]:
    """Replace the person's backup codes with fresh ones; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("备用验证码"), confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def regenerate_backup_codes(request: HttpRequest | None, user: User) -> list[str]:
    """New backup codes asked for on the account page (the old ones stop working); audited."""
    codes = new_backup_codes(user)
    _record(user, "two_factor_backup_codes_regenerated", request)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_code(request: HttpRequest, user: User, code: str) -> bool:
    """Check an authenticator or backup code (a backup code is used up); on success the session is verified."""
    device = match_token(user, _normalized(code))
    if device is None:
        return False
    otp_login(request, device)
    _record_if_backup_code(user, device, request)
    return True


@transaction.atomic
def remove_devices(user: User, request: HttpRequest | None = None) -> None:
    """Turn two-factor sign-in off for a person who is not required to use it; audited."""
    if is_required(user):
        raise DomainError(_("您的角色须使用两步验证，不能关闭。"), code=Codes.TWO_FACTOR_REQUIRED, status=403)
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    _record(user, "two_factor_removed", request)


def check_token_request(user: User, code: str, request: HttpRequest | None = None) -> None:
    """An API token is issued only with a valid code for a person who signs in with two factors."""
    if not needs_code(user):
        return
    if not has_device(user):
        raise DomainError(_("请先在网页上登录并设置两步验证，再申请 API 令牌。"), code=Codes.TWO_FACTOR_ENROLMENT_REQUIRED,
                          status=403)
    device = match_token(user, _normalized(code)) if code else None
    if device is None:
        raise DomainError(_("验证码不正确或已过期。"), code=Codes.TWO_FACTOR_INVALID, status=400)
    _record_if_backup_code(user, device, request)


def _normalized(code: str) -> str:
    return "".join((code or "").split()).replace("-", "")


def _record_if_backup_code(user: User, device: Any, request: HttpRequest | None) -> None:
    """A sign-in (or token) by a backup code is audited with the number of codes left; authenticator codes are not."""
    if isinstance(device, StaticDevice):
        _record(user, "two_factor_backup_code_used", request, codes_left=backup_codes_left(user))


def _record(user: User, action: str, request: HttpRequest | None, **changes: Any) -> None:
    """One audit event about a person's second factor in each province they belong to (none: the portal's chain).

    The event names the person and what happened, never a code or a secret."""
    provinces: list[Province | None] = list(
        Province.objects.filter(memberships__user=user, memberships__is_active=True).distinct().order_by("pk")
    ) or [None]
    ip_address = client_ip(request) if request is not None else None
    for province in provinces:
        record_event(actor=user, action=action, obj=user, province=province, changes=changes,
                     ip_address=ip_address or None)


# --- the guard ---

class TwoFactorGuard:
    """Middleware after django-otp's OTPMiddleware: an unverified session reaches only public and two-factor pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any,
                     view_kwargs: Any) -> HttpResponseBase | None:
        view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
        if getattr(view_class, "two_factor_exempt", False) or PUBLIC in getattr(view_class, "allowed_roles", ()):
            return None
        if request.path.startswith(OPEN_PREFIXES) or not session_needs_code(request):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"code": Codes.TWO_FACTOR_REQUIRED.value,
                                 "detail": _("请先完成两步验证。")}, status=403)
        return redirect(next_step_url(cast(User, request.user), request.get_full_path()))  # needs a code: signed in


class IdleTimeout:
    """Middleware: a session ends after SESSION_IDLE_TIMEOUT seconds without a request.

    The session's expiry (SESSION_COOKIE_AGE, the same number of seconds) is pushed forward at most once per
    SESSION_IDLE_REFRESH seconds, so a page does not write its session on every request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and request.user.is_authenticated:
            _refresh(session)
        return response


def _refresh(session: Any) -> None:
    now = int(time.time())
    if now - session.get(SEEN_KEY, 0) >= settings.SESSION_IDLE_REFRESH:
        session[SEEN_KEY] = now
