"""Root URLs. Officers work under /<province>/ (gd, sd, gz); the API under /api/v1/; public pages need no login."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from .roles import PUBLIC
from .views import accounts, audit, calendar, exports, health, home, inbox


class SchemaView(SpectacularAPIView):
    allowed_roles = (PUBLIC,)


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served from this URL (?script=): the CSP forbids inline scripts."""

    allowed_roles = (PUBLIC,)


class RedocView(SpectacularRedocView):
    allowed_roles = (PUBLIC,)


account_patterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password/change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", accounts.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", accounts.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

province_patterns = [
    path("", home.ProvinceHomeView.as_view(), name="province_home"),
    path("audit/", audit.AuditListView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", audit.AuditDetailView.as_view(), name="audit_detail"),
    path("calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("calendar/<int:year>/", calendar.CalendarYearView.as_view(), name="calendar_year"),
    path("exports/", exports.ExportListView.as_view(), name="export_list"),
    path("exports/<int:pk>/", exports.ExportDetailView.as_view(), name="export_detail"),
    path("exports/<int:pk>/download/", exports.ExportDownloadView.as_view(), name="export_download"),
    path("", include("filings.urls")),
]

urlpatterns = [
    path("", home.RootView.as_view(), name="root"),
    path("home/", home.HomeView.as_view(), name="home"),
    path("healthz", health.HealthView.as_view(), name="healthz"),
    path("accounts/", include(account_patterns)),
    path("inbox/", inbox.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/read/", inbox.NotificationReadView.as_view(), name="notification_read"),
    path("inbox/read-all/", inbox.NotificationReadAllView.as_view(), name="notification_read_all"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/redoc/", RedocView.as_view(url_name="api_schema"), name="api_redoc"),
    path("api/v1/", include("portal.api.urls")),
    path("<slug:province>/", include(province_patterns)),
]

