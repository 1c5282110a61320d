"""Settings shared by every environment; the others import from here and override."""

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "filings",
    "selection",
    "certificates",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.db_router.ReplicaReadsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.twofactor.TwoFactorGuard",
    "portal.twofactor.IdleTimeout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Anonymous requests (no session or messages cookie) to these paths skip the middleware that needs a session
# (portal.lean): the public certificate lookup, page and API.
LEAN_PATHS = frozenset({"/verify/", "/api/v1/public/certificates/lookup/"})

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Connections are kept a minute and checked before a request reuses one, so a PostgreSQL restart costs no server
# restart; a connect gives up after 5 seconds (portal.unavailable answers 503 meanwhile).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"].get("ENGINE", "").endswith("sqlite3"):
    # `make run` serves threads on one SQLite file: each transaction takes the write lock when it begins, so two never
    # deadlock upgrading their read locks (which SQLite answers with "database is locked" at once), and waits up to
    # 20 s for it; the audit chain's after-commit seal is one more short writing transaction per request.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5


def replica_database(url: str) -> dj_database_url.DBConfig:
    """The read replica's connection (portal.db_router): short connect timeout, so a replica that is away costs a
    public read 2 s once, then is skipped; in tests it mirrors the test database (the replica replicates it)."""
    replica = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    replica.setdefault("OPTIONS", {}).update(connect_timeout=2, application_name="portal-replica-reads")
    replica["TEST"] = {"MIRROR": "default"}
    return replica


# A streaming replica serving the public lookup, the verify API, the catalog and the public notices (portal.db_router).
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = replica_database(os.environ["DATABASE_REPLICA_URL"].strip())
    DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.auth_backends.UsernameOrMobileBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failures (django-axes): 5 failures lock the username+IP pair for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Two-factor sign-in (portal.twofactor): required of provincial and city officers, experts and supervisors in every
# province unless TWO_FACTOR_PROVINCES turns it off for one ({"gz": False}); anyone else may turn it on.
TWO_FACTOR_REQUIRED = True
TWO_FACTOR_PROVINCES: dict[str, bool] = {}
OTP_TOTP_ISSUER = "社会培训评价组织备案与监管平台"
OTP_TOTP_TOLERANCE = 1

# A session ends after 30 minutes without a request (portal.twofactor.IdleTimeout pushes the expiry forward, at most
# once a minute).
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_IDLE_REFRESH = 60
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# Front-end libraries from package.json (npm ci in scripts/setup.sh) are served from the portal itself, no CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
                    ("vendor/jsqr", BASE_DIR / "node_modules" / "jsqr" / "dist")]

# Uploads and generated documents live outside the web root and are served only by
# permission-checked views (portal.views.files); there is deliberately no MEDIA_URL route.
PRIVATE_STORAGE_ROOT = VAR_DIR / "private"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": "/files/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy without inline scripts: every script is a file under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = "noreply@skills-portal.example.cn"

CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it ends, so a worker that dies in the middle loses nothing (every task is idempotent):
# a pool process killed (out of memory, SIGKILL) puts its task back at once (reject on worker lost); a worker that
# dies whole (a lost machine) leaves it unacknowledged in Redis, delivered again after the visibility timeout, which
# must exceed the longest task (tests/infra/test_drill_worker_killed.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Ten past midnight (CELERY_TIMEZONE, Asia/Shanghai): a period ends at the end of its last working day.
    "portal.end_due_publicity": {"task": "portal.end_due_publicity", "schedule": crontab(hour=0, minute=10)},
    # Half past midnight: cultivations whose day 180 ended yesterday are settled; reminders 30/7/1 days ahead.
    "filings.sweep_cultivations": {"task": "filings.sweep_cultivations", "schedule": crontab(hour=0, minute=30)},
    # Twenty to one: exam results whose publicity ended go to the city's review; drafts whose lead time ran out lapse.
    "certificates.end_result_publicity": {"task": "certificates.end_result_publicity",
                                          "schedule": crontab(hour=0, minute=40)},
    "certificates.lapse_exam_plans": {"task": "certificates.lapse_exam_plans", "schedule": crontab(hour=0, minute=45)},
    # Every minute: tasks kept in the outbox while the broker was away are sent (portal.outbox).
    "portal.relay_outbox": {"task": "portal.relay_outbox", "schedule": 60.0},
    "portal.seal_audit_chains": {"task": "portal.seal_audit_chains", "schedule": 60.0},
    # Every 5 seconds: public lookups queued in Redis go to the lookup log in batches (no-op without Redis). Tried at
    # every second too: on this 2-core machine the difference was within the noise, and each beat costs the worker
    # processor time even with nothing queued (docs/performance.md).
    "certificates.flush_lookup_log": {"task": "certificates.flush_lookup_log", "schedule": 5.0},
    # Every 15 minutes: indicators of the cells touched by rows changed since the last run (supervision).
    "supervision.refresh_indicators": {"task": "supervision.refresh_indicators", "schedule": crontab(minute="*/15")},
    # Every 15 minutes: fraud flags over the results and certificates added since the last run (supervision).
    "supervision.sweep_flags": {"task": "supervision.sweep_flags", "schedule": crontab(minute="7-59/15")},
    # Daily after midnight: rectification orders past their deadline marked overdue; drawn campaigns past their end
    # date with every inspection done closed (supervision).
    "supervision.sweep_rectification_deadlines": {"task": "supervision.sweep_rectification_deadlines",
                                                  "schedule": crontab(hour=0, minute=20)},
    "supervision.close_due_campaigns": {"task": "supervision.close_due_campaigns", "schedule": crontab(hour=0, minute=25)},
    # Daily 00:40: complaint deadlines passed yesterday: overdue flags, escalation to the province, reply windows.
    "supervision.sweep_complaints": {"task": "supervision.sweep_complaints", "schedule": crontab(hour=0, minute=40)},
    # Daily: renewal reminders before expiry, and reminders before a call's city-review deadline (supervision).
    "supervision.send_renewal_reminders": {
        "task": "supervision.send_renewal_reminders", "schedule": crontab(hour=7, minute=5),
    },
    "supervision.send_city_review_reminders": {
        "task": "supervision.send_city_review_reminders", "schedule": crontab(hour=7, minute=15),
    },
    # Daily: suspensions past their last day end; exits reach their day, filings past expiry exit, overdue wrap-ups.
    "supervision.sweep_exits": {"task": "supervision.sweep_exits", "schedule": crontab(hour=0, minute=40)},
    "supervision.sweep_suspensions": {"task": "supervision.sweep_suspensions", "schedule": crontab(hour=0, minute=35)},
}

# The secret the provinces' certificate signing keys are encrypted with (certificates.signing.fernet); never
# SECRET_KEY. Empty here: each environment sets its own, and production refuses to start without one.
CERTIFICATE_KEY_SECRET = ""

# `seed_demo` loads a year of supervision history (results, certificates, feedback, indicators) when True.
SUPERVISION_DEMO_HISTORY = True

# Home pages (portal.homecache): a person's whole rendering is kept HOME_CACHE_SECONDS while the province records no
# change (0 computes every part every time); a part that declares what it reads is kept until an event of that, and
# at most HOME_PART_SECONDS, so a change that records no event (none should) shows within that time.
HOME_CACHE_SECONDS = 60
HOME_PART_SECONDS = 600

# Exports of more rows than this are built by a Celery task and offered for download when done.
EXPORT_SYNC_ROW_LIMIT = 2000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "portal.api.negotiation.UsualFirst",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "社会培训评价组织备案与监管平台 API",
    "DESCRIPTION": "Provincial portal for selecting, filing and supervising skill-evaluation organizations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStateEnum": "filings.models.ApplicationState",
        "CultivationStateEnum": "filings.models.CultivationState",
        "FilingStatusEnum": "filings.models.FilingStatus",
        "NoticeStateEnum": "portal.models.publicity.NoticeState",
        "ObjectionStateEnum": "portal.models.publicity.ObjectionState",
        "ExamSessionKindEnum": "certificates.models.exams.SessionKind",
        "ExamPlanStateEnum": "certificates.models.exams.PlanState",
        "FunnelBandEnum": "supervision.models.rankings.Band",
        "RankingStateEnum": "supervision.models.rankings.RankingState",
        "FraudFlagStateEnum": "supervision.models.flags.FlagState",
        "CampaignStateEnum": "supervision.models.inspections.CampaignState",
        "InspectionStateEnum": "supervision.models.inspections.InspectionState",
        "RectificationOrderStateEnum": "supervision.models.rectification.OrderState",
        "ComplaintStateEnum": "supervision.models.complaints.ComplaintState",
        "ComplaintLevelEnum": "supervision.models.complaints.HandlingLevel",
        "ComplaintDecisionEnum": "supervision.models.complaints.ComplaintDecision",
        "RenewalStateEnum": "supervision.models.renewals.RenewalState",
        "ExitKindEnum": "filings.models.ExitKind",
        "WrapUpKindEnum": "supervision.models.exits.WrapUpKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"axes": {"level": "WARNING"}},
}

PORTAL_NAME = _("社会培训评价组织备案与监管平台")

# The reverse proxies in front of the portal (addresses or networks). Rate limits read the client's address from
# X-Forwarded-For only when the request comes from one of them (portal.ratelimit.client_ip); empty: REMOTE_ADDR.
TRUSTED_PROXIES: list[str] = []

# Optional virus scan of every upload by ClamAV's daemon: "host:port" or a Unix socket path; empty turns it off.
# Unreachable scanner: the upload is refused, unless CLAMD_FAIL_OPEN is True (portal.clamd).
CLAMD_ADDRESS = ""
CLAMD_FAIL_OPEN = False

# When the cache that counts rate limits (Redis in production) is down: True lets requests through uncounted (the
# public lookup keeps answering), False refuses them with 503 (portal.ratelimit.enforce).
RATE_LIMIT_FAIL_OPEN = True
